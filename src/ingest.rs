//! Finding and reading the input documents. Only this module touches the
//! files of a corpus; everything after it works on [`Document`]s.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One text, read whole and checked to be UTF-8.
#[derive(Clone, Debug)]
pub struct Document {
    /// The path relative to the input it was found under, with `/`
    /// separators; for a file given directly, its file name.
    pub rel_path: String,
    pub file_name: String,
    pub text: String,
}

/// A file that was found but not read.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// The extensions read when walking a directory.
pub const EXTENSIONS: [&str; 2] = ["txt", "md"];

/// A document file to read, with its relative path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub rel_path: String,
    pub path: PathBuf,
    /// The file's size in bytes when it was listed.
    pub len: u64,
}

/// Lists the document files under the inputs: a file is taken as it is, a
/// directory is walked recursively for `.txt` and `.md` files. The list is
/// sorted by relative path so that every run sees the same order. A missing
/// input is an error; what cannot be listed or read below an input (a
/// dangling or looping symbolic link, a folder without permission, a path
/// too long, a FIFO, a device) is skipped with its reason, and the walk goes
/// on. Only regular files are read, so a FIFO named `x.txt` cannot hang the
/// run nor a link to `/dev/zero` fill the memory; a folder reached twice
/// through links is walked once.
pub fn discover(inputs: &[PathBuf]) -> Result<(Vec<Source>, Vec<Skipped>)> {
    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|e| Error::reading(input, e))?;
        if meta.is_dir() {
            walk(input, input, &mut seen, &mut sources, &mut skipped);
        } else if meta.is_file() {
            let name = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| input.display().to_string());
            sources.push(Source {
                rel_path: name,
                path: input.clone(),
                len: meta.len(),
            });
        } else {
            skipped.push(not_regular(input));
        }
    }
    sources.sort();
    // One file reached twice (given and found in a folder given) is read
    // once; two files with one identity are an error, not one graph.
    let mut kept: Vec<Source> = Vec::with_capacity(sources.len());
    for source in sources {
        if let Some(last) = kept.last() {
            if last.rel_path == source.rel_path {
                let same = last.path == source.path
                    || matches!(
                        (fs::canonicalize(&last.path), fs::canonicalize(&source.path)),
                        (Ok(a), Ok(b)) if a == b
                    );
                if same {
                    continue;
                }
                return Err(Error::DuplicateDocument {
                    id: source.rel_path,
                    first: last.path.clone(),
                    second: source.path,
                });
            }
        }
        kept.push(source);
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((kept, skipped))
}

fn not_regular(path: &Path) -> Skipped {
    Skipped {
        path: path.to_path_buf(),
        reason: "not a regular file (a FIFO, socket or device): not read".to_string(),
    }
}

fn walk(
    root: &Path,
    dir: &Path,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<Source>,
    skipped: &mut Vec<Skipped>,
) {
    // A folder reached again through a link (a loop, or two links to one
    // place) is walked once.
    match fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                return;
            }
        }
        Err(e) => {
            skipped.push(Skipped {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            });
            return;
        }
    }
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => {
            skipped.push(Skipped {
                path: dir.to_path_buf(),
                reason: format!("cannot list: {e}"),
            });
            return;
        }
    };
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in listing {
        match entry {
            Ok(e) => entries.push(e.path()),
            Err(e) => skipped.push(Skipped {
                path: dir.to_path_buf(),
                reason: format!("cannot list: {e}"),
            }),
        }
    }
    entries.sort();
    for path in entries {
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                // A dangling or looping link, a path too long: named if it
                // could have been a document or a folder.
                let link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                if wanted || link {
                    skipped.push(Skipped {
                        path,
                        reason: e.to_string(),
                    });
                }
                continue;
            }
        };
        if meta.is_dir() {
            walk(root, &path, seen, out, skipped);
        } else if wanted {
            if !meta.is_file() {
                skipped.push(not_regular(&path));
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel_path = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push(Source {
                rel_path,
                path,
                len: meta.len(),
            });
        }
    }
}

/// Reads one source. A binary file (a NUL byte) or invalid UTF-8 gives
/// `Err(Skipped)` with the byte offset of the fault; an unreadable file too.
pub fn read(source: &Source) -> std::result::Result<Document, Skipped> {
    let bytes = fs::read(&source.path).map_err(|e| Skipped {
        path: source.path.clone(),
        reason: e.to_string(),
    })?;
    let text = decode(&bytes).map_err(|reason| Skipped {
        path: source.path.clone(),
        reason,
    })?;
    let file_name = source
        .rel_path
        .rsplit('/')
        .next()
        .unwrap_or(&source.rel_path)
        .to_string();
    Ok(Document {
        rel_path: source.rel_path.clone(),
        file_name,
        text,
    })
}

/// Checks that bytes are text: UTF-8 without NUL bytes. A leading byte-order
/// mark is dropped (offsets then count from after it).
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at byte offset {offset})"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(format!("invalid UTF-8 at byte offset {}", e.valid_up_to())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_the_offset_of_the_fault() {
        let cases: [(&[u8], Result<&str, &str>); 5] = [
            (b"plain", Ok("plain")),
            (b"\xEF\xBB\xBFbom", Ok("bom")),
            (b"", Ok("")),
            (
                b"abc\x00def",
                Err("binary file (NUL byte at byte offset 3)"),
            ),
            (b"ab\xFFcd", Err("invalid UTF-8 at byte offset 2")),
        ];
        for (input, want) in cases {
            let got = decode(input);
            assert_eq!(
                got.as_deref(),
                want.map_err(|e| e.to_string()).as_deref(),
                "{input:?}"
            );
        }
    }
}
