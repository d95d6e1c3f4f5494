//! The on-disk oxigraph store (RocksDB): one named graph per document, the
//! ontology in a graph of its own, loads that replace a document's graph
//! rather than add to it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};

use crate::error::{Error, Result};
use crate::ontology::{syntax_error, SG};

/// The named graph that holds the ontology's own triples.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/stratagraph/ontology";

/// What a load did.
#[derive(Clone, Debug, Default)]
pub struct LoadStats {
    pub quads: usize,
    pub graphs_replaced: usize,
    pub seconds: f64,
}

impl LoadStats {
    pub fn per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.quads as f64 / self.seconds
        } else {
            self.quads as f64
        }
    }
}

fn storage(dir: &Path, e: StorageError) -> Error {
    let text = e.to_string();
    if text.to_lowercase().contains("lock") {
        Error::Other(format!(
            "{}: the store is in use by another process (a running build, load or serve?): {text}",
            dir.display()
        ))
    } else {
        Error::Other(format!("{}: {text}", dir.display()))
    }
}

/// Opens (or creates) the store in `dir`.
pub fn open(dir: &Path) -> Result<Store> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Store::open(dir).map_err(|e| storage(dir, e))
}

/// Opens an existing store; a missing directory is an error, not a new store.
pub fn open_existing(dir: &Path) -> Result<Store> {
    if !dir.is_dir() {
        return Err(Error::MissingInput { path: dir.into() });
    }
    open(dir)
}

/// Replaces the named graphs the quads belong to with the quads: the old
/// graphs are cleared in one transaction, then the new quads go in through
/// the bulk loader, whose commit is atomic. An interruption leaves each
/// document either as it was, or absent until the next run; never twice.
pub fn replace_graphs(store: &Store, dir: &Path, quads: Vec<Quad>) -> Result<LoadStats> {
    let started = Instant::now();
    let mut seen = std::collections::HashSet::new();
    let graphs: Vec<NamedOrBlankNode> = quads
        .iter()
        .filter_map(|q| match &q.graph_name {
            GraphName::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.clone())),
            GraphName::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.clone())),
            GraphName::DefaultGraph => None,
        })
        .filter(|g| seen.insert(g.clone()))
        .collect();
    let mut replaced = 0;
    {
        let mut tx = store.start_transaction().map_err(|e| storage(dir, e))?;
        for g in &graphs {
            if tx.contains_named_graph(g).map_err(|e| storage(dir, e))? {
                replaced += 1;
            }
            tx.clear_graph(g).map_err(|e| storage(dir, e))?;
        }
        tx.commit().map_err(|e| storage(dir, e))?;
    }
    let count = quads.len();
    let mut loader = store.bulk_loader();
    loader.load_quads(quads).map_err(|e| storage(dir, e))?;
    loader.commit().map_err(|e| storage(dir, e))?;
    Ok(LoadStats {
        quads: count,
        graphs_replaced: replaced,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Parses RDF files into quads. Triples of a file without graphs go into a
/// graph named after the file (`file:///abs/path`), so that loading the
/// file again replaces them. A syntax error names the file, line, column.
pub fn read_rdf(files: &[PathBuf]) -> Result<Vec<Quad>> {
    let mut out = Vec::new();
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let format = RdfFormat::from_extension(ext).ok_or_else(|| {
            Error::Usage(format!(
                "{}: unknown RDF syntax (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)",
                path.display()
            ))
        })?;
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::MissingInput { path: path.clone() },
            _ => Error::io(path, e),
        })?;
        let graph = if format.supports_datasets() {
            None
        } else {
            let abs = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
            Some(file_iri(&abs))
        };
        for quad in RdfParser::from_format(format).for_slice(&bytes) {
            let mut quad = quad.map_err(|e| syntax_error(path, e.into()))?;
            if let Some(g) = &graph {
                quad.graph_name = GraphName::NamedNode(g.clone());
            }
            out.push(quad);
        }
    }
    Ok(out)
}

fn file_iri(path: &Path) -> NamedNode {
    let text = path.to_string_lossy();
    let encoded = crate::iri::encode_path(text.trim_start_matches('/'));
    NamedNode::new_unchecked(format!("file:///{encoded}"))
}

/// The ontology's files, as quads of [`ONTOLOGY_GRAPH`].
pub fn ontology_quads(files: &[PathBuf]) -> Result<Vec<Quad>> {
    let g = GraphName::NamedNode(NamedNode::new_unchecked(ONTOLOGY_GRAPH));
    let mut out = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&bytes) {
            let mut quad = quad.map_err(|e| syntax_error(path, e.into()))?;
            quad.graph_name = g.clone();
            out.push(quad);
        }
    }
    Ok(out)
}

/// Drops the named graph of each document whose file name or path is
/// `doc`. Returns the graphs dropped.
pub fn remove_document(store: &Store, dir: &Path, doc: &str) -> Result<Vec<String>> {
    let query = format!(
        "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?d a <{SG}Document> . {{ ?d <{SG}fileName> ?n }} UNION {{ ?d <{SG}path> ?n }} }} FILTER(STR(?n) = {}) }}",
        Term::from(oxigraph::model::Literal::new_simple_literal(doc))
    );
    let prepared = SparqlEvaluator::new()
        .parse_query(&query)
        .map_err(|e| Error::Other(e.to_string()))?;
    let QueryResults::Solutions(rows) = prepared
        .on_store(store)
        .execute()
        .map_err(|e| Error::Other(e.to_string()))?
    else {
        return Ok(Vec::new());
    };
    let mut graphs = Vec::new();
    for row in rows {
        let row = row.map_err(|e| Error::Other(e.to_string()))?;
        if let Some(Term::NamedNode(g)) = row.get("g") {
            graphs.push(g.clone());
        }
    }
    let mut tx = store.start_transaction().map_err(|e| storage(dir, e))?;
    for g in &graphs {
        tx.remove_named_graph(g).map_err(|e| storage(dir, e))?;
    }
    tx.commit().map_err(|e| storage(dir, e))?;
    Ok(graphs.into_iter().map(|g| g.into_string()).collect())
}
