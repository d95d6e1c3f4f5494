//! The default backend: a store is a folder of N-Quads files, one a graph
//! (each document's, the entities', the ontology's), in `DIR/graphs/`,
//! read into an in-memory oxigraph store when the store is opened. A
//! change writes each graph it touched to a temporary file beside the
//! old one, syncs it and renames it into place, so that every graph is
//! the old one or the new one, never half of either; a graph left empty
//! has its file removed.
//!
//! A file's name comes from its graph's name, so that any IRI makes a
//! safe one: the IRI's last segment, with every character but letters,
//! digits, `.`, `_` and `-` made `_` and cut to a few dozen, then a hash
//! of the whole name (`003_c50906b3062e8aed.txt.5f0c9e1d2a7b3c44.nq`).
//! The file's first line records the name itself
//! (`# stratagraph graph <IRI>`), which opening checks against the file
//! name and against every quad's graph.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{BlankNode, GraphName, GraphNameRef, NamedNode, Quad};
use oxigraph::store::Store;
use rayon::prelude::*;

use super::{storage, Backend, Kind, FILES_GRAPHS_DIR};
use crate::error::{Error, Result};

/// The first line of a graph's file, before the graph's name.
const HEADER: &str = "# stratagraph graph ";

/// How a temporary file of ours begins (as `build`'s do); a writer
/// removes those it finds, which a killed writer left.
const TEMP_PREFIX: &str = ".stratagraph-";

/// Graph files read at once (each held parsed until it is loaded).
const READ_AT_ONCE: usize = 256;

/// The longest part of a file name taken from the graph's name.
const SLUG_LEN: usize = 48;

/// A store of N-Quads files.
pub struct Files {
    /// `DIR/graphs`.
    graphs: PathBuf,
}

impl Backend for Files {
    const KIND: Kind = Kind::Files;

    fn open(dir: &Path, writer: bool) -> Result<(Store, Files)> {
        let files = Files {
            graphs: dir.join(FILES_GRAPHS_DIR),
        };
        if writer {
            std::fs::create_dir_all(&files.graphs).map_err(|e| Error::io(&files.graphs, e))?;
            files.remove_temporaries()?;
        }
        let store = Store::new().map_err(|e| storage(dir, e))?;
        files.read_into(&store, dir)?;
        Ok((store, files))
    }

    fn persist(&self, store: &Store, graphs: &[GraphName]) -> Result<()> {
        if graphs.is_empty() {
            return Ok(());
        }
        graphs
            .par_iter()
            .try_for_each(|g| self.write_graph(store, g.as_ref()))?;
        // The renames and removals themselves, on disk.
        std::fs::File::open(&self.graphs)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(&self.graphs, e))
    }
}

impl Files {
    /// The graph files in the folder, by name (temporary files and
    /// anything not `.nq` left out).
    fn list(&self) -> Result<Vec<String>> {
        let entries = match std::fs::read_dir(&self.graphs) {
            Ok(entries) => entries,
            // A store no writer has put a graph in yet.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&self.graphs, e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&self.graphs, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".nq") && !name.starts_with(TEMP_PREFIX) {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Removes the temporary files that an interrupted writer left: with
    /// the store locked for this writer, no other is writing one.
    fn remove_temporaries(&self) -> Result<()> {
        let entries = std::fs::read_dir(&self.graphs).map_err(|e| Error::io(&self.graphs, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&self.graphs, e))?;
            if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                eprintln!(
                    "stratagraph: removed {}, left by an interrupted write",
                    crate::cli::for_terminal(&path.display().to_string())
                );
            }
        }
        Ok(())
    }

    /// Reads every graph file into `store`, a few hundred files at a time
    /// parsed in parallel, all in one bulk load.
    fn read_into(&self, store: &Store, dir: &Path) -> Result<()> {
        let names = self.list()?;
        let mut loader = store.bulk_loader();
        for some in names.chunks(READ_AT_ONCE) {
            let parsed: Vec<Result<Vec<Quad>>> = some
                .par_iter()
                .map(|name| read_graph(&self.graphs.join(name), name))
                .collect();
            for quads in parsed {
                loader.load_quads(quads?).map_err(|e| storage(dir, e))?;
            }
        }
        loader.commit().map_err(|e| storage(dir, e))
    }

    /// Writes `graph` as `store` holds it into its file, or removes the
    /// file of a graph with no quads.
    fn write_graph(&self, store: &Store, graph: GraphNameRef<'_>) -> Result<()> {
        let path = self.graphs.join(file_name(graph));
        let mut body = Vec::new();
        let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(&mut body);
        for quad in store.quads_for_pattern(None, None, None, Some(graph)) {
            let quad = quad.map_err(|e| storage(&self.graphs, e))?;
            serializer
                .serialize_quad(&quad)
                .map_err(|e| Error::io(&path, e))?;
        }
        serializer.finish().map_err(|e| Error::io(&path, e))?;
        if body.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
                _ => Ok(()),
            };
        }
        let header = format!("{HEADER}{}\n", graph_text(graph));
        check_owner(&path, &header)?;
        // Sorted, the same quads make the same file.
        let mut lines: Vec<&[u8]> = body
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        lines.sort_unstable();
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(".tmp");
        // An ordinary file (less the umask), as the other outputs.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(&self.graphs)
            .map_err(|e| Error::io(&self.graphs, e))?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
            w.write_all(header.as_bytes())
                .and_then(|()| {
                    lines.iter().try_for_each(|l| {
                        w.write_all(l)?;
                        w.write_all(b"\n")
                    })
                })
                .and_then(|()| w.flush())
                .map_err(|e| Error::io(tmp.path(), e))?;
        }
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(tmp.path(), e))?;
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

/// A file about to be replaced holds the graph it will hold: two graph
/// names whose files share a name (a hash collision) stop the write
/// instead of one graph overwriting the other.
fn check_owner(path: &Path, header: &str) -> Result<()> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(file), &mut first)
        .map_err(|e| Error::io(path, e))?;
    if first == header {
        Ok(())
    } else {
        Err(Error::Other(format!(
            "{}: holds {}, not {} (two graph names with one file name); nothing of it was written",
            path.display(),
            first.trim_end().trim_start_matches(HEADER),
            header.trim_end().trim_start_matches(HEADER)
        )))
    }
}

/// Reads one graph's file: its header names the graph, which must give
/// the file its name, and every quad must be in that graph.
fn read_graph(path: &Path, name: &str) -> Result<Vec<Quad>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let graph = std::str::from_utf8(first)
        .ok()
        .and_then(|l| l.strip_prefix(HEADER))
        .and_then(parse_graph_text)
        .ok_or_else(|| {
            Error::Other(format!(
                "{}: not a graph file of a Stratagraph store (its first line is not `{HEADER}<IRI>`)",
                path.display()
            ))
        })?;
    let expected = file_name(graph.as_ref());
    if expected != name {
        return Err(Error::Other(format!(
            "{}: holds graph {}, whose file is {expected} (renamed or copied by hand?)",
            path.display(),
            graph_text(graph.as_ref())
        )));
    }
    let mut quads = Vec::new();
    for quad in RdfParser::from_format(RdfFormat::NQuads).for_slice(&bytes) {
        let quad = quad.map_err(|e| crate::ontology::syntax_error(path, e.into()))?;
        if quad.graph_name != graph {
            return Err(Error::Other(format!(
                "{}: a quad of graph {} in the file of graph {}",
                path.display(),
                graph_text(quad.graph_name.as_ref()),
                graph_text(graph.as_ref())
            )));
        }
        quads.push(quad);
    }
    Ok(quads)
}

/// A graph's name as a header records it: `<IRI>`, `_:id` or `default`.
fn graph_text(graph: GraphNameRef<'_>) -> String {
    match graph {
        GraphNameRef::DefaultGraph => "default".to_string(),
        g => g.to_string(),
    }
}

/// The graph a header names (see [`graph_text`]).
fn parse_graph_text(text: &str) -> Option<GraphName> {
    let text = text.trim_end_matches('\r');
    if text == "default" {
        Some(GraphName::DefaultGraph)
    } else if let Some(id) = text.strip_prefix("_:") {
        BlankNode::new(id).ok().map(GraphName::from)
    } else {
        let iri = text.strip_prefix('<')?.strip_suffix('>')?;
        NamedNode::new(iri).ok().map(GraphName::from)
    }
}

/// The file name of a graph: a readable part of its name and a hash of
/// all of it (FNV-1a, 64 bits: the same on every machine and version).
pub(super) fn file_name(graph: GraphNameRef<'_>) -> String {
    let text = graph_text(graph);
    let tail = match graph {
        GraphNameRef::NamedNode(n) => {
            let iri = n.as_str().trim_end_matches(['/', '#']);
            iri.rsplit(['/', '#', ':']).next().unwrap_or(iri)
        }
        GraphNameRef::BlankNode(b) => b.as_str(),
        GraphNameRef::DefaultGraph => "default",
    };
    let mut slug: String = tail
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(SLUG_LEN)
        .collect();
    // Never hidden, never taken for a temporary file.
    if slug.is_empty() || slug.starts_with('.') {
        slug.insert(0, 'g');
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{slug}.{hash:016x}.nq")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_fixed() {
        let doc = NamedNode::new_unchecked(
            "https://w3id.org/stratagraph/id/doc/003_c50906b3062e8aed.txt",
        );
        let name = file_name(doc.as_ref().into());
        assert!(name.starts_with("003_c50906b3062e8aed.txt."), "{name}");
        assert_eq!(name, file_name(doc.as_ref().into()), "the same each time");
        let entities = NamedNode::new_unchecked("https://w3id.org/stratagraph/entities");
        assert!(file_name(entities.as_ref().into()).starts_with("entities."));
        // Any IRI: a short safe name, unlike that of a near neighbour.
        let odd = format!("urn:x:a/../..%2F{}?q=\u{e9}t\u{e9}#", "x".repeat(2000));
        let odd_name = file_name(NamedNode::new_unchecked(&odd).as_ref().into());
        assert!(odd_name.len() < 80, "{odd_name}");
        assert!(odd_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')));
        assert!(!odd_name.starts_with('.'));
        let near = NamedNode::new_unchecked(format!("{odd}x"));
        assert_ne!(odd_name, file_name(near.as_ref().into()));
        let hidden = NamedNode::new_unchecked("urn:x:..");
        assert!(!file_name(hidden.as_ref().into()).starts_with('.'));
        assert!(file_name(GraphNameRef::DefaultGraph).starts_with("default."));
    }

    #[test]
    fn headers_name_graphs_both_ways() {
        for g in [
            GraphName::from(NamedNode::new_unchecked("https://example.org/g")),
            GraphName::from(BlankNode::new_unchecked("b0")),
            GraphName::DefaultGraph,
        ] {
            assert_eq!(parse_graph_text(&graph_text(g.as_ref())), Some(g));
        }
        assert_eq!(parse_graph_text("<not an iri>"), None);
        assert_eq!(parse_graph_text("nonsense"), None);
    }
}
