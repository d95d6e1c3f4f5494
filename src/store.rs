//! A store: a directory that keeps the graphs of `build --store` and
//! `load` between commands, one named graph per document, the entities and
//! the ontology in graphs of their own; loads replace a document's graph
//! rather than add to it.
//!
//! Where the quads live is the [`Backend`]'s business, one compiled in:
//! by default N-Quads files, one a graph, read into an in-memory oxigraph
//! store when the store is opened ([`files`]); with the `rocksdb` feature,
//! oxigraph's RocksDB database on disk ([`rocksdb`]). Either way a command
//! works on an oxigraph [`Store`], then has the backend keep the graphs it
//! changed. A marker file says which backend made a store, so that a build
//! of the other kind says so instead of misreading it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};

use crate::error::{Error, Result};
use crate::ontology::{syntax_error, SG};

#[cfg(not(feature = "rocksdb"))]
mod files;
#[cfg(feature = "rocksdb")]
mod rocksdb;

/// The backend this build keeps stores with.
#[cfg(not(feature = "rocksdb"))]
type Active = files::Files;
#[cfg(feature = "rocksdb")]
type Active = rocksdb::RocksDb;

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

/// Where a store keeps its quads between two commands. A command opens
/// the store as an oxigraph [`Store`], changes it there (whole graphs at a
/// time), then hands the backend the graphs it changed.
trait Backend: Sized {
    /// What the store's marker file records.
    const KIND: Kind;

    /// Opens the store in `dir` (made by this backend, or new and empty
    /// for a writer), for reading only unless `writer`.
    fn open(dir: &Path, writer: bool) -> Result<(Store, Self)>;

    /// Keeps each of `graphs` as `store` now holds it (an empty graph is
    /// dropped). Each graph is replaced whole or not at all.
    fn persist(&self, store: &Store, graphs: &[GraphName]) -> Result<()>;
}

/// The kinds of store, as the marker file names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// N-Quads files read into memory (the default build).
    Files,
    /// RocksDB on disk (the `rocksdb` feature).
    RocksDb,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Files => "nquads-files",
            Kind::RocksDb => "rocksdb",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        [Kind::Files, Kind::RocksDb]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

/// The file in a store's directory that says it is one, and of which
/// kind.
const MARKER_FILE: &str = "stratagraph.store";

/// What kind of store `dir` holds, if any: its marker says; a directory
/// with RocksDB's `CURRENT` file and no marker is a RocksDB store made
/// before stores had markers.
fn kind_of(dir: &Path) -> Result<Option<Kind>> {
    let marker = dir.join(MARKER_FILE);
    match std::fs::read_to_string(&marker) {
        Ok(text) => {
            let name = text
                .lines()
                .find_map(|l| l.strip_prefix("backend:"))
                .map(str::trim)
                .unwrap_or("");
            Kind::from_name(name).map(Some).ok_or_else(|| {
                Error::Other(format!(
                    "{}: unknown backend {name:?} (this stratagraph knows {} and {})",
                    marker.display(),
                    Kind::Files.name(),
                    Kind::RocksDb.name()
                ))
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(dir.join("CURRENT").is_file().then_some(Kind::RocksDb))
        }
        Err(e) => Err(Error::io(&marker, e)),
    }
}

/// Writes the marker of this build's kind into `dir`.
fn write_marker(dir: &Path) -> Result<()> {
    let text = format!(
        "A Stratagraph store: do not edit or remove this file.\nbackend: {}\n",
        Active::KIND.name()
    );
    crate::build::write_atomically(&dir.join(MARKER_FILE), |w| {
        std::io::Write::write_all(w, text.as_bytes())
    })
}

/// A store of `kind` is one this build reads, or an error that names the
/// directory and the build that reads it.
fn check_kind(dir: &Path, kind: Kind) -> Result<()> {
    if kind == Active::KIND {
        return Ok(());
    }
    let d = dir.display();
    Err(Error::Usage(match kind {
        Kind::RocksDb => format!(
            "{d}: a RocksDB store, and this stratagraph was built without the `rocksdb` feature \
             (its stores are N-Quads files); use a build with it: `cargo install --path . \
             --features rocksdb` (needs clang and libclang-dev)"
        ),
        Kind::Files => format!(
            "{d}: a store of N-Quads files, made by a stratagraph built without the `rocksdb` \
             feature, and this one was built with it (its stores are RocksDB); use a default \
             build (`cargo install --path .`), or load the files into a RocksDB store: \
             `stratagraph load {d}/{}/*.nq --store NEW`",
            FILES_GRAPHS_DIR
        ),
    }))
}

/// The folder of a files store that holds its graphs (named here for
/// the message of a build that cannot read it).
const FILES_GRAPHS_DIR: &str = "graphs";

/// A store opened for one command, with the lock that keeps its readers
/// and writers apart held for as long as the store is: any number of
/// readers (`serve`, `query`, `export`) at once, or one writer (`build
/// --store`, `load`, `remove`). Readers never write (RocksDB is opened
/// read-only), so a served store can be queried and exported from the
/// shell.
pub struct Opened {
    pub store: Store,
    /// Held as long as the store is used: dropping it lets others in.
    pub lock: std::fs::File,
    dir: PathBuf,
    backend: Active,
}

impl std::ops::Deref for Opened {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// The file in a store's directory that readers lock shared and writers
/// exclusive.
const LOCK_FILE: &str = "stratagraph.lock";

/// Takes the store's lock, shared for a reader, exclusive for a writer;
/// the other side holding it is an error saying what to do.
fn lock(dir: &Path, writer: bool) -> Result<std::fs::File> {
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let taken = if writer {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    if taken.is_err() {
        let (what, then) = if writer {
            (
                "being read (a serve, query or export is running)",
                "stop it, then build, load or remove again",
            )
        } else {
            (
                "being written (a build, load or remove is running)",
                "try again when it ends",
            )
        };
        return Err(Error::Other(format!(
            "{}: the store is {what}; {then}",
            dir.display()
        )));
    }
    Ok(file)
}

/// Opens (or creates) the store in `dir` to write to it.
pub fn open(dir: &Path) -> Result<Opened> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let lock = lock(dir, true)?;
    let kind = kind_of(dir)?;
    if let Some(kind) = kind {
        check_kind(dir, kind)?;
    }
    let (store, backend) = Active::open(dir, true)?;
    if !dir.join(MARKER_FILE).is_file() {
        write_marker(dir)?;
    }
    Ok(Opened {
        store,
        lock,
        dir: dir.to_path_buf(),
        backend,
    })
}

/// Checks that `dir` holds a store this build reads: a missing directory
/// is an error, a directory without a store's marker is not one, and a
/// store of the other backend says which build reads it.
fn existing(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::MissingInput { path: dir.into() });
    }
    match kind_of(dir)? {
        Some(kind) => check_kind(dir, kind),
        None => Err(Error::Usage(format!(
            "{}: not a Stratagraph store (no {MARKER_FILE} file); make one with `stratagraph load FILES --store {}` or `stratagraph build INPUTS --store {}`",
            dir.display(),
            dir.display(),
            dir.display()
        ))),
    }
}

/// Opens an existing store to write to it; nothing is created in a
/// directory that holds none.
pub fn open_existing(dir: &Path) -> Result<Opened> {
    existing(dir)?;
    open(dir)
}

/// Opens an existing store to read it, beside other readers (a running
/// `serve` among them); a writer at work makes it wait for nothing but
/// say so.
pub fn open_reader(dir: &Path) -> Result<Opened> {
    existing(dir)?;
    let lock = lock(dir, false)?;
    let (store, backend) = Active::open(dir, false)?;
    Ok(Opened {
        store,
        lock,
        dir: dir.to_path_buf(),
        backend,
    })
}

/// The bulk loader's memory, in megabytes, that it splits among its
/// threads (oxigraph's default batch of a million quads a thread takes
/// gigabytes at the scale of years of news).
const LOADER_MEMORY_MB: usize = 256;

/// How many old graphs one transaction clears.
const CLEARED_AT_ONCE: usize = 16;

/// Gathers the named graphs of quads, each once, in order of appearance.
#[derive(Default)]
struct Graphs {
    seen: HashSet<GraphName>,
    names: Vec<NamedOrBlankNode>,
}

impl Graphs {
    fn add(&mut self, graph: &GraphName) {
        if self.seen.contains(graph) {
            return;
        }
        self.seen.insert(graph.clone());
        match graph {
            GraphName::NamedNode(n) => self.names.push(n.clone().into()),
            GraphName::BlankNode(b) => self.names.push(b.clone().into()),
            GraphName::DefaultGraph => {}
        }
    }
}

/// Why a load stopped: the store, or the quads it was given.
enum Failure {
    Storage(StorageError),
    Input(Error),
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Failure {
        Failure::Storage(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Input(e)
    }
}

impl Opened {
    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the named `graphs` with the `quads` (which belong to
    /// them): the old graphs are cleared, a few to a transaction, then
    /// the new quads go in through the bulk loader, whose commit is
    /// atomic, as they come, in batches of bounded memory; then the
    /// backend keeps every graph touched. An interruption leaves each
    /// document either as it was, or absent until the next run; never
    /// twice.
    ///
    /// A quad that comes as an error stops the load before its commit:
    /// none of the new quads is in, and the backend keeps nothing (RocksDB
    /// keeps the graphs cleared; the files are left as they were).
    pub fn replace_graphs(
        &self,
        graphs: &[NamedOrBlankNode],
        quads: impl IntoIterator<Item = Result<Quad>>,
    ) -> Result<LoadStats> {
        let (store, dir) = (&self.store, self.dir.as_path());
        let started = Instant::now();
        // The old graphs are cleared a few at a time: a transaction holds
        // what it deletes in memory (gigabytes for thousands of documents),
        // and each graph is cleared whole or not at all either way.
        let mut replaced = 0;
        for some in graphs.chunks(CLEARED_AT_ONCE) {
            let mut tx = store.start_transaction().map_err(|e| storage(dir, e))?;
            for g in some {
                if tx.contains_named_graph(g).map_err(|e| storage(dir, e))? {
                    replaced += 1;
                    tx.clear_graph(g).map_err(|e| storage(dir, e))?;
                }
            }
            tx.commit().map_err(|e| storage(dir, e))?;
        }
        // Every graph touched, those given and any other the quads are in
        // (the quads come a graph at a time, so a graph is rarely looked
        // up more than once).
        let mut touched: HashSet<GraphName> = graphs.iter().cloned().map(GraphName::from).collect();
        let mut last: Option<GraphName> = None;
        let mut count = 0;
        let mut loader = store
            .bulk_loader()
            .with_max_memory_size_in_megabytes(LOADER_MEMORY_MB);
        loader
            .load_ok_quads(quads.into_iter().inspect(|q| {
                count += 1;
                if let Ok(q) = q {
                    if last.as_ref() != Some(&q.graph_name) {
                        touched.insert(q.graph_name.clone());
                        last = Some(q.graph_name.clone());
                    }
                }
            }))
            .map_err(|e| match e {
                Failure::Storage(e) => storage(dir, e),
                Failure::Input(e) => e,
            })?;
        loader.commit().map_err(|e| storage(dir, e))?;
        let touched: Vec<GraphName> = touched.into_iter().collect();
        self.backend.persist(store, &touched)?;
        Ok(LoadStats {
            quads: count,
            graphs_replaced: replaced,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Loads RDF files into the store, each file's graphs replacing those
    /// the store had (see [`Opened::replace_graphs`]). The files are read
    /// twice, never held: once to check them and find their graphs, before
    /// the store is touched, so that a syntax error changes nothing; then
    /// into the bulk loader.
    pub fn load_files(&self, files: &[PathBuf]) -> Result<LoadStats> {
        let started = Instant::now();
        let files = files
            .iter()
            .map(|p| RdfFile::new(p))
            .collect::<Result<Vec<_>>>()?;
        let mut graphs = Graphs::default();
        for file in &files {
            for quad in file.quads()? {
                graphs.add(&quad?.graph_name);
            }
        }
        let quads = files
            .iter()
            .flat_map(|file| -> Box<dyn Iterator<Item = Result<Quad>> + '_> {
                match file.quads() {
                    Ok(quads) => Box::new(quads),
                    Err(e) => Box::new(std::iter::once(Err(e))),
                }
            });
        let stats = self.replace_graphs(&graphs.names, quads)?;
        Ok(LoadStats {
            seconds: started.elapsed().as_secs_f64(),
            ..stats
        })
    }

    /// Decides the entities graph again from the documents' graphs the
    /// store holds (see [`crate::merge`]) and replaces it: after a load, a
    /// build or a removal, every entity is described once, as the
    /// documents now in the store describe it. Returns the entities
    /// graph's number of quads.
    pub fn refresh_entities(&self, ontology: &crate::ontology::Ontology) -> Result<usize> {
        use oxigraph::model::{NamedNodeRef, Triple};
        let skip = [crate::merge::ENTITIES_GRAPH, ONTOLOGY_GRAPH];
        let mut triples = Vec::new();
        let (predicates, types) = crate::merge::Gathered::read_by();
        for p in &predicates {
            let p = NamedNodeRef::new_unchecked(p);
            for quad in self.store.quads_for_pattern(None, Some(p), None, None) {
                let quad = quad.map_err(|e| storage(&self.dir, e))?;
                let GraphName::NamedNode(g) = &quad.graph_name else {
                    continue;
                };
                if skip.contains(&g.as_str()) {
                    continue;
                }
                if p == oxigraph::model::vocab::rdf::TYPE {
                    let kept = matches!(&quad.object, Term::NamedNode(n) if types.iter().any(|t| t == n.as_str()));
                    if !kept {
                        continue;
                    }
                }
                triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
            }
        }
        let mut gathered = crate::merge::Gathered::default();
        gathered.add_graph(triples.iter());
        drop(triples);
        let (quads, _) = gathered.decide(ontology);
        let n = quads.len();
        let graph: NamedOrBlankNode = NamedNode::new_unchecked(crate::merge::ENTITIES_GRAPH).into();
        self.replace_graphs(&[graph], quads.into_iter().map(Ok))?;
        Ok(n)
    }

    /// Replaces the ontology's graph with the ontology in use, as `build
    /// --store` writes it.
    pub fn replace_ontology(&self, ontology: &crate::ontology::Ontology) -> Result<LoadStats> {
        let graph: NamedOrBlankNode = NamedNode::new_unchecked(ONTOLOGY_GRAPH).into();
        let quads = crate::merge::ontology_quads(ontology);
        self.replace_graphs(&[graph], quads.into_iter().map(Ok))
    }

    /// Drops the named graph of each document whose file name or path is
    /// `doc`. Returns the graphs dropped.
    pub fn remove_document(&self, doc: &str) -> Result<Vec<String>> {
        let (store, dir) = (&self.store, self.dir.as_path());
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
        let dropped: Vec<GraphName> = graphs.iter().cloned().map(GraphName::from).collect();
        self.backend.persist(store, &dropped)?;
        Ok(graphs.into_iter().map(|g| g.into_string()).collect())
    }
}

/// An RDF file to read: its syntax and, for a syntax without graphs, the
/// graph its triples go into, named after the file (`file:///abs/path`),
/// so that loading the file again replaces them.
struct RdfFile<'a> {
    path: &'a Path,
    format: RdfFormat,
    graph: Option<NamedNode>,
}

impl RdfFile<'_> {
    fn new(path: &Path) -> Result<RdfFile<'_>> {
        // A build's output set that a killed run left half renamed is
        // completed before any of its files is read.
        crate::build::finish_interrupted(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let format = RdfFormat::from_extension(ext).ok_or_else(|| {
            Error::Usage(format!(
                "{}: unknown RDF syntax (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)",
                path.display()
            ))
        })?;
        let graph = if format.supports_datasets() {
            None
        } else {
            let abs = std::fs::canonicalize(path).map_err(|e| Error::reading(path, e))?;
            Some(file_iri(&abs))
        };
        Ok(RdfFile {
            path,
            format,
            graph,
        })
    }

    /// The file's quads, parsed as it is read; a syntax error names the
    /// file, line and column.
    fn quads(&self) -> Result<impl Iterator<Item = Result<Quad>> + '_> {
        let file = std::fs::File::open(self.path).map_err(|e| Error::reading(self.path, e))?;
        let mut parser = RdfParser::from_format(self.format);
        if let Some(g) = &self.graph {
            parser = parser.with_default_graph(g.clone());
        }
        Ok(parser
            .for_reader(std::io::BufReader::with_capacity(1 << 16, file))
            .map(|q| q.map_err(|e| syntax_error(self.path, e))))
    }
}

/// Parses one RDF file into quads, as it is read. A file whose name has
/// no RDF extension (Spark's `part-00000`) is read as N-Quads, the syntax
/// of the parts `build` and `extract` write.
pub fn read_rdf_iter(path: &Path) -> Result<impl Iterator<Item = Result<Quad>>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let file = match RdfFormat::from_extension(ext) {
        Some(_) => RdfFile::new(path)?,
        None => RdfFile {
            path,
            format: RdfFormat::NQuads,
            graph: None,
        },
    };
    let reader = std::fs::File::open(path).map_err(|e| Error::reading(path, e))?;
    let mut parser = RdfParser::from_format(file.format);
    if let Some(g) = &file.graph {
        parser = parser.with_default_graph(g.clone());
    }
    let path = path.to_path_buf();
    Ok(parser
        .for_reader(std::io::BufReader::with_capacity(1 << 16, reader))
        .map(move |q| q.map_err(|e| syntax_error(&path, e))))
}

/// Parses RDF files into quads (see [`RdfFile`] for the graphs of files
/// without any).
pub fn read_rdf(files: &[PathBuf]) -> Result<Vec<Quad>> {
    let mut out = Vec::new();
    for path in files {
        for quad in RdfFile::new(path)?.quads()? {
            out.push(quad?);
        }
    }
    Ok(out)
}

fn file_iri(path: &Path) -> NamedNode {
    let text = path.to_string_lossy();
    let encoded = crate::iri::encode_path(text.trim_start_matches('/'));
    NamedNode::new_unchecked(format!("file:///{encoded}"))
}
