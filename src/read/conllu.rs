//! CoNLL-U, the format of Universal Dependencies treebanks: the training
//! and held-out data of the tagger, the parser and the mention finder.
//! Multi-word token ranges and empty nodes are skipped: the models read
//! syntactic words.

use std::path::Path;

use crate::error::{Error, Result};

/// One syntactic word of a treebank sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    /// 0-based index of the head, `None` for the root.
    pub head: Option<usize>,
    pub deprel: String,
    /// The MISC column (GUM's `Entity=` brackets live there).
    pub misc: String,
}

/// A sentence with the document it belongs to.
#[derive(Clone, Debug, Default)]
pub struct Sentence {
    pub doc: String,
    pub words: Vec<Word>,
}

/// Reads the sentences of a CoNLL-U file. A document starts at a
/// `# newdoc id = ...` comment, else it is the file's name.
pub fn read(path: &Path) -> Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::reading(path, e))?;
    parse(&text).map_err(|(line, message)| Error::Syntax {
        path: path.to_path_buf(),
        line: line as u64,
        column: 1,
        message,
    })
}

/// Parses CoNLL-U text; an error gives its 1-based line and what is wrong.
pub fn parse(text: &str) -> std::result::Result<Vec<Sentence>, (usize, String)> {
    let mut out = Vec::new();
    let mut doc = String::new();
    let mut current = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !current.words.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(id) = comment.trim().strip_prefix("newdoc id =") {
                doc = id.trim().to_string();
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err((n + 1, format!("{} columns, not 10", cols.len())));
        }
        if cols[0].contains(['-', '.']) {
            continue;
        }
        let id: usize = cols[0]
            .parse()
            .map_err(|_| (n + 1, format!("bad word id {:?}", cols[0])))?;
        if id != current.words.len() + 1 {
            return Err((n + 1, format!("word id {id} out of sequence")));
        }
        let head: usize = cols[6]
            .parse()
            .map_err(|_| (n + 1, format!("bad head {:?}", cols[6])))?;
        current.doc.clone_from(&doc);
        current.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            head: head.checked_sub(1),
            deprel: cols[7].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !current.words.is_empty() {
        out.push(current);
    }
    for s in &out {
        if s.words
            .iter()
            .any(|w| w.head.is_some_and(|h| h >= s.words.len()))
        {
            return Err((0, "a head outside its sentence".into()));
        }
    }
    Ok(out)
}

/// Reads every `.conllu` file under `dir` (recursively, in path order); the
/// document of a sentence without `newdoc` is its file's stem.
pub fn read_dir(dir: &Path) -> Result<Vec<Sentence>> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for mut s in read(&f)? {
            if s.doc.is_empty() {
                s.doc.clone_from(&stem);
            }
            out.push(s);
        }
    }
    Ok(out)
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::reading(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "conllu") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_skips_ranges_and_reports_bad_lines() {
        let text = "# newdoc id = d1\n# text = Don't go.\n1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
            1\tDo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n\
            3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n\
            4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].doc, "d1");
        let forms: Vec<&str> = s[0].words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["Do", "n't", "go", "."]);
        assert_eq!(s[0].words[2].head, None);
        assert_eq!(s[0].words[0].head, Some(2));
        assert_eq!(parse("1\tx\n").unwrap_err().0, 1);
        assert!(
            parse("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n3\tb\tb\tX\tX\t_\t1\tdep\t_\t_\n")
                .unwrap_err()
                .1
                .contains("out of sequence")
        );
    }
}
