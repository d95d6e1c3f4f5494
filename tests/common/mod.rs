//! Helpers shared by the integration tests: build a corpus into a temporary
//! directory, load RDF into an in-memory oxigraph store, run SPARQL.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the files of `ontology/` into `to`, an existing folder.
pub fn copy_ontology(to: &Path) {
    for entry in std::fs::read_dir(root().join("ontology")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

pub fn seeds() -> PathBuf {
    root().join("seeds")
}

/// Runs the real binary with arguments, in `dir`.
pub fn stratagraph(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stratagraph"))
        .current_dir(dir)
        .env("STRATAGRAPH_ONTOLOGY", root().join("ontology"))
        .args(args)
        .output()
        .expect("the stratagraph binary runs")
}

/// Runs the real binary with arguments in `dir`, `input` on its standard input.
pub fn stratagraph_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stratagraph"))
        .current_dir(dir)
        .env("STRATAGRAPH_ONTOLOGY", root().join("ontology"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the stratagraph binary runs");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("the binary ends");
    writer
        .join()
        .expect("the writer ends")
        .expect("stdin takes the input");
    out
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn parse(path: &Path, format: RdfFormat) -> Vec<Quad> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_bytes(&bytes, format, &path.display().to_string())
}

/// Parses RDF a command or a request gave back; `what` names it if it
/// does not parse.
pub fn parse_bytes(bytes: &[u8], format: RdfFormat, what: &str) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "{what} does not parse: {e}\n{}",
                String::from_utf8_lossy(bytes)
            )
        })
}

pub fn store_from(path: &Path, format: RdfFormat) -> Store {
    let store = Store::new().expect("in-memory store");
    for quad in parse(path, format) {
        store.insert(&quad).expect("insert");
    }
    store
}

/// Runs a SELECT query over the union of the named graphs, returning each
/// row as the values of the variables, in order.
pub fn select(store: &Store, query: &str) -> Vec<Vec<Option<Term>>> {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(query)
        .unwrap_or_else(|e| panic!("query does not parse: {e}\n{query}"));
    prepared.dataset_mut().set_default_graph_as_union();
    let results = prepared.on_store(store).execute().expect("query runs");
    let QueryResults::Solutions(solutions) = results else {
        panic!("not a SELECT query")
    };
    let vars: Vec<_> = solutions.variables().to_vec();
    solutions
        .map(|s| {
            let s = s.expect("solution");
            vars.iter().map(|v| s.get(v).cloned()).collect()
        })
        .collect()
}

/// Runs an ASK query over the union of the named graphs.
pub fn ask(store: &Store, query: &str) -> bool {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(query)
        .unwrap_or_else(|e| panic!("query does not parse: {e}\n{query}"));
    prepared.dataset_mut().set_default_graph_as_union();
    match prepared.on_store(store).execute().expect("query runs") {
        QueryResults::Boolean(b) => b,
        _ => panic!("not an ASK query"),
    }
}

pub fn value(term: &Option<Term>) -> String {
    match term {
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        Some(Term::Literal(l)) => l.value().to_string(),
        Some(t) => t.to_string(),
        None => String::new(),
    }
}

pub fn in_default_graph(quads: Vec<Quad>) -> Vec<Quad> {
    quads
        .into_iter()
        .map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph))
        .collect()
}
