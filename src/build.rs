//! The `build` pipeline: documents → extraction → graph → RDF files.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::graph::KnowledgeGraph;
use crate::ingest::{self, Skipped};
use crate::rdf::{self, Iris, Syntax};

/// What `build` is asked to do, validated.
#[derive(Clone, Debug)]
pub struct BuildConfig {
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub syntaxes: Vec<Syntax>,
    pub base: String,
    /// An on-disk oxigraph store to fill as well.
    pub store: Option<PathBuf>,
    /// Build only shard I of N (1-based): every N-th document.
    pub shard: Option<(usize, usize)>,
    /// Worker threads for extraction; `None` uses every core.
    pub threads: Option<usize>,
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
    /// Files larger than this many bytes are skipped (0: no limit).
    pub max_file_size: u64,
    /// Neutralise candidates.tsv cells a spreadsheet would run.
    pub spreadsheet_safe: bool,
}

/// What a corpus run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub bytes: usize,
    pub skipped: Vec<Skipped>,
    pub entities_by_class: BTreeMap<String, usize>,
    pub relations_by_property: BTreeMap<String, usize>,
    pub evidence: usize,
    pub negated: usize,
    pub quads: usize,
    pub written: Vec<PathBuf>,
    pub store: Option<crate::store::LoadStats>,
    pub seconds: f64,
    /// Wall-clock seconds of each stage, in the order they ran.
    pub stages: Vec<(&'static str, f64)>,
}

/// Reads and extracts every document under the inputs, in path order.
/// Unreadable and non-text files are skipped and listed in the summary.
pub fn extract_corpus(ex: &Extractor, inputs: &[PathBuf]) -> Result<(KnowledgeGraph, Summary)> {
    extract_documents(ex, inputs, &Options::default())
}

/// How a corpus is extracted.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub shard: Option<(usize, usize)>,
    pub threads: Option<usize>,
    pub progress: bool,
    /// Files larger than this many bytes are skipped (0: no limit).
    pub max_file_size: u64,
}

/// The default of `build --max-file-size`, in megabytes.
pub const MAX_FILE_MB: u64 = 256;

/// Extracts the documents in parallel and adds them to the graph in path
/// order while the others are still being extracted: the graph, and so
/// every output, is the same whatever the number of threads. Each worker
/// takes the next document in path order (not a rayon split of the list),
/// so documents finish nearly in order and few wait for their turn.
pub fn extract_documents(
    ex: &Extractor,
    inputs: &[PathBuf],
    options: &Options,
) -> Result<(KnowledgeGraph, Summary)> {
    let (mut sources, mut unlisted) = ingest::discover(inputs)?;
    if options.max_file_size > 0 {
        sources.retain(|s| {
            let fits = s.len <= options.max_file_size;
            if !fits {
                unlisted.push(Skipped {
                    path: s.path.clone(),
                    reason: format!(
                        "{} bytes, over --max-file-size ({} bytes): not read",
                        s.len, options.max_file_size
                    ),
                });
            }
            fits
        });
    }
    if let Some((i, n)) = options.shard {
        sources.retain(|s| shard_of(&s.rel_path, n) == i);
    }
    let pool = options.threads.map(thread_pool).transpose()?;
    let bar = progress_bar(options.progress, &sources);
    let started = Instant::now();
    let (send, receive) = std::sync::mpsc::channel::<(usize, Extracted)>();
    let (graph, mut summary) = std::thread::scope(|scope| {
        let merger = scope.spawn(|| merge_in_order(ex, receive));
        // `send` goes with the workers: when they are done, the merger's loop ends.
        extract_all(ex, &sources, bar.as_ref(), pool.as_ref(), send);
        merger.join().expect("the graph thread does not panic")
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // What could not be listed comes first, as the walk met it.
    summary.skipped.splice(0..0, unlisted);
    summary
        .stages
        .push(("read+extract+graph", started.elapsed().as_secs_f64()));
    Ok((graph, summary))
}

/// Reads and extracts the sources on every thread of the pool (the
/// current one if none is given), sending each with its index.
fn extract_all(
    ex: &Extractor,
    sources: &[ingest::Source],
    bar: Option<&indicatif::ProgressBar>,
    pool: Option<&rayon::ThreadPool>,
    send: std::sync::mpsc::Sender<(usize, Extracted)>,
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let worker = |_: rayon::BroadcastContext<'_>| loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(source) = sources.get(i) else {
            break;
        };
        let read = ingest::read(source).and_then(|doc| match extract_guarded(ex, &doc.text) {
            Ok(extraction) => Ok((doc, extraction)),
            Err(reason) => Err(Skipped {
                path: source.path.clone(),
                reason,
            }),
        });
        if let Some(bar) = bar {
            bar.inc(source.len);
        }
        // The receiver is gone only when the graph thread panicked.
        if send.send((i, read)).is_err() {
            break;
        }
    };
    match pool {
        Some(pool) => pool.broadcast(worker),
        None => rayon::broadcast(worker),
    };
}

/// Extracts one document so that a fault in it loses that document only:
/// a panic, or an extraction whose indices do not hold, becomes the reason
/// it is skipped, and the run goes on with the others.
pub fn extract_guarded(
    ex: &Extractor,
    text: &str,
) -> std::result::Result<crate::extract::Extraction, String> {
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(text)));
    match caught {
        Ok(extraction) => match ex.check(&extraction, text) {
            Ok(()) => Ok(extraction),
            Err(fault) => Err(format!(
                "internal error in extraction ({fault}); please report it"
            )),
        },
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!(
                "internal error in extraction ({message}); please report it"
            ))
        }
    }
}

/// A document read and extracted, or why it was skipped.
type Extracted = std::result::Result<(ingest::Document, crate::extract::Extraction), Skipped>;

/// Adds the extracted documents to the graph in the order of their
/// indices, whatever the order they arrive in.
fn merge_in_order(
    ex: &Extractor,
    receive: std::sync::mpsc::Receiver<(usize, Extracted)>,
) -> (KnowledgeGraph, Summary) {
    let mut graph = KnowledgeGraph::new();
    let mut summary = Summary::default();
    let mut waiting: BTreeMap<usize, Extracted> = BTreeMap::new();
    let mut next = 0;
    for (i, extracted) in receive {
        waiting.insert(i, extracted);
        while let Some(extracted) = waiting.remove(&next) {
            next += 1;
            match extracted {
                Ok((doc, extraction)) => {
                    summary.negated += extraction.negated;
                    summary.bytes += doc.text.len();
                    graph.add_document(ex, &doc, &extraction);
                    summary.documents += 1;
                }
                Err(skipped) => summary.skipped.push(skipped),
            }
        }
    }
    for (_, e) in graph.entities() {
        *summary
            .entities_by_class
            .entry(ex.ontology.classes[e.class].local.clone())
            .or_default() += 1;
    }
    for (_, edge, _) in graph.relations() {
        *summary
            .relations_by_property
            .entry(ex.ontology.properties[edge.property].local.clone())
            .or_default() += 1;
        summary.evidence += edge.evidence.len();
    }
    (graph, summary)
}

/// The shard (1 to `n`) of a document: a stable hash of its identity,
/// so that it does not depend on the other files listed.
pub fn shard_of(identity: &str, n: usize) -> usize {
    (crate::iri::fnv1a(&[identity.as_bytes()]) % n.max(1) as u64) as usize + 1
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Other(format!("thread pool: {e}")))
}

/// A progress bar over the corpus's bytes, on a terminal only.
fn progress_bar(wanted: bool, sources: &[ingest::Source]) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = sources.iter().map(|s| s.len).sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} extracting [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    Some(bar)
}

/// A spinner for a stage without a known length, on a terminal only.
fn spinner(wanted: bool, message: &'static str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let spinner = indicatif::ProgressBar::new_spinner().with_message(message);
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(spinner)
}

/// Runs the whole build and writes the outputs, on `config.threads`
/// threads (extraction and writing alike).
pub fn run(ex: &Extractor, config: &BuildConfig) -> Result<(KnowledgeGraph, Summary)> {
    match config.threads {
        Some(n) => thread_pool(n)?.install(|| run_in_pool(ex, config)),
        None => run_in_pool(ex, config),
    }
}

fn run_in_pool(ex: &Extractor, config: &BuildConfig) -> Result<(KnowledgeGraph, Summary)> {
    let started = Instant::now();
    let iris = Iris::new(&config.base)?;
    let options = Options {
        shard: config.shard,
        threads: None,
        progress: config.progress,
        max_file_size: config.max_file_size,
    };
    let (graph, mut summary) = extract_documents(ex, &config.inputs, &options)?;
    let stage = Instant::now();
    let spinner = spinner(config.progress, "writing RDF");
    fs::create_dir_all(&config.out_dir).map_err(|e| Error::io(&config.out_dir, e))?;
    // The RDF files and candidates.tsv are one output set, put in place
    // together (see write_many_atomically).
    let mut paths: Vec<PathBuf> = config
        .syntaxes
        .iter()
        .map(|s| config.out_dir.join(s.file_name()))
        .collect();
    paths.push(config.out_dir.join("candidates.tsv"));
    write_many_atomically(&paths, |mut writers| {
        let mut candidates = writers.pop().expect("candidates.tsv has a writer");
        let (mut writers, n) = rdf::write_many(
            &config.syntaxes,
            &graph,
            &ex.ontology,
            &iris,
            &config.base,
            writers,
            rdf::DEFAULT_CHUNK,
        )?;
        summary.quads = n;
        write_candidates(&graph, ex, &iris, config.spreadsheet_safe, &mut candidates)?;
        writers.push(candidates);
        Ok(writers)
    })?;
    summary.written.extend(paths);
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    summary
        .stages
        .push(("write", stage.elapsed().as_secs_f64()));
    if let Some(dir) = &config.store {
        let stage = Instant::now();
        let store = crate::store::open(dir)?;
        // Streamed into the store one graph at a time, not collected; the
        // entities graph is then decided again from every document the
        // store holds, this build's and earlier ones'.
        let rdf = rdf::Rdf::new(&graph, &ex.ontology, &iris);
        let quads = rdf.quads_by_graph().map(Ok);
        let mut stats = store.replace_graphs(&rdf.graph_names(), quads)?;
        store.refresh_entities(&ex.ontology)?;
        stats.seconds = stage.elapsed().as_secs_f64();
        summary.store = Some(stats);
        summary
            .stages
            .push(("store", stage.elapsed().as_secs_f64()));
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok((graph, summary))
}

/// The stream mode (`extract --jsonl`): JSON Lines `{"id", "text"}` in,
/// each document's graph out as N-Quads, one document at a time, flushed
/// after each so that a pipe's reader sees them as they come. A line that
/// is not such an object, or whose extraction fails, is reported on
/// standard error with its line number and skipped; returns how many
/// were. Two lines with one id are an error naming both lines.
pub fn extract_stream(
    ex: &Extractor,
    base: &str,
    input: impl std::io::BufRead,
    output: impl Write,
) -> Result<usize> {
    #[derive(serde::Deserialize)]
    struct Line {
        id: String,
        text: String,
    }
    let iris = Iris::new(base)?;
    let stdout = Path::new("<stdout>");
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut skipped = 0;
    for (i, line) in input.lines().enumerate() {
        let number = i + 1;
        let line = line.map_err(|e| Error::io("<stdin>", e))?;
        if line.trim().is_empty() {
            continue;
        }
        let skip = |reason: String| {
            eprintln!(
                "stratagraph: <stdin>:{number}: {}; line skipped",
                crate::cli::for_terminal(&reason)
            );
        };
        let doc: Line = match serde_json::from_str(&line) {
            Ok(doc) => doc,
            Err(e) => {
                // Name the document if the line says which it is: under a
                // batch engine, the line number is within one partition.
                let id = serde_json::from_str::<serde_json::Value>(&line)
                    .ok()
                    .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
                    .map(|id| format!(" (id {id:?})"))
                    .unwrap_or_default();
                skip(format!(
                    "not a JSON object with \"id\" and \"text\" strings{id}: {e}"
                ));
                skipped += 1;
                continue;
            }
        };
        if doc.id.trim().is_empty() {
            skip("empty \"id\"".to_string());
            skipped += 1;
            continue;
        }
        if let Some(first) = seen.insert(doc.id.clone(), number) {
            return Err(Error::Usage(format!(
                "<stdin>:{first} and <stdin>:{number}: both are document {:?}; ids must be unique",
                doc.id
            )));
        }
        // A leading byte-order mark is dropped, as `build` drops it from files.
        let text = match doc.text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => doc.text,
        };
        let document = ingest::Document {
            file_name: doc.id.rsplit('/').next().unwrap_or(&doc.id).to_string(),
            rel_path: doc.id,
            text,
        };
        let extraction = match extract_guarded(ex, &document.text) {
            Ok(extraction) => extraction,
            Err(reason) => {
                skip(reason);
                skipped += 1;
                continue;
            }
        };
        let mut graph = KnowledgeGraph::new();
        graph.add_document(ex, &document, &extraction);
        let rdf = rdf::Rdf::new(&graph, &ex.ontology, &iris);
        let mut w = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NQuads)
            .for_writer(&mut out);
        rdf.write_documents(&mut w)
            .map_err(|e| Error::io(stdout, e))?;
        w.finish().map_err(|e| Error::io(stdout, e))?;
        out.flush().map_err(|e| Error::io(stdout, e))?;
    }
    out.flush().map_err(|e| Error::io(stdout, e))?;
    Ok(skipped)
}

/// The entities the gazetteer does not know, most mentioned first, as
/// tab-separated values an analyst can promote into `ontology/`: entity
/// IRI, name, class, rule, mentions, documents, example sentence.
pub fn write_candidates(
    graph: &KnowledgeGraph,
    ex: &Extractor,
    iris: &Iris,
    spreadsheet_safe: bool,
    w: &mut impl Write,
) -> std::io::Result<()> {
    let mut rows: Vec<crate::merge::Candidate> = graph
        .entities()
        .filter_map(|(_, e)| e.found_by.map(|how| (e, how)))
        .filter(|(e, _)| e.entry.is_none() && !e.mentions.is_empty())
        .map(|(e, how)| crate::merge::Candidate {
            entity: iris.entity(&e.key).into_string(),
            name: e.label.clone(),
            class: ex.ontology.classes[e.class].local.clone(),
            rule: how.id().to_string(),
            mentions: e.mentions.values().sum(),
            documents: e.mentions.len(),
            example: e.example.clone().unwrap_or_default(),
        })
        .collect();
    crate::merge::sort_candidates(&mut rows);
    crate::merge::write_candidates(&rows, spreadsheet_safe, w)
}

/// Writes a file through a temporary file in the same directory, renamed
/// into place only once complete: an interrupted run leaves the old file or
/// none, never half of one.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<FileSink<'_>>) -> std::io::Result<()>,
) -> Result<()> {
    write_many_atomically(&[path.to_path_buf()], |mut writers| {
        fill(&mut writers[0])?;
        Ok(writers)
    })
}

/// Writes several files at once, each through a temporary file renamed
/// into place once all are complete.
pub fn write_many_atomically(
    paths: &[PathBuf],
    fill: impl FnOnce(Vec<BufWriter<FileSink<'_>>>) -> std::io::Result<Vec<BufWriter<FileSink<'_>>>>,
) -> Result<()> {
    let mut temps = Vec::with_capacity(paths.len());
    let mut cleaned: Vec<&Path> = Vec::new();
    for path in paths {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !cleaned.contains(&dir) {
            finish_interrupted(dir)?;
            remove_leftovers(dir);
            cleaned.push(dir);
        }
        let tmp = tempfile::Builder::new()
            .prefix(".stratagraph-")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        temps.push(tmp);
    }
    let first = paths.first().cloned().unwrap_or_default();
    {
        let writers: Vec<BufWriter<FileSink<'_>>> = temps
            .iter_mut()
            .map(|t| BufWriter::new(FileSink::new(t.as_file_mut())))
            .collect();
        let writers = fill(writers).map_err(|e| Error::io(&first, e))?;
        for (mut w, path) in writers.into_iter().zip(paths) {
            w.flush().map_err(|e| Error::io(path, e))?;
        }
    }
    for (tmp, path) in temps.iter().zip(paths) {
        tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
        // A temporary file is private; the output is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = 0o666 & !umask();
            fs::set_permissions(tmp.path(), fs::Permissions::from_mode(mode))
                .map_err(|e| Error::io(path, e))?;
        }
    }
    if paths.len() < 2 {
        for (tmp, path) in temps.into_iter().zip(paths) {
            tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
        }
        return Ok(());
    }
    // Several files are one output set: a journal naming each temporary
    // file and its place is written before the first rename and removed
    // after the last, so that a run killed between two renames is
    // completed by the next one to write or read there (see
    // [`finish_interrupted`]), never left half old, half new.
    let dir = paths[0]
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let journal = dir.join(JOURNAL);
    let mut lines = String::new();
    let mut kept = Vec::with_capacity(temps.len());
    for (tmp, path) in temps.into_iter().zip(paths) {
        let (_, tmp_path) = tmp.keep().map_err(|e| Error::io(path, e.error))?;
        lines.push_str(&format!(
            "{}\t{}\n",
            tmp_path.file_name().unwrap_or_default().to_string_lossy(),
            path.file_name().unwrap_or_default().to_string_lossy()
        ));
        kept.push((tmp_path, path));
    }
    let mut file = fs::File::create(&journal).map_err(|e| Error::io(&journal, e))?;
    file.write_all(lines.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::io(&journal, e))?;
    sync_dir(dir);
    let fail_after: Option<usize> = std::env::var("STRATAGRAPH_FAIL_AFTER_RENAMES")
        .ok()
        .and_then(|v| v.parse().ok());
    for (n, (tmp_path, path)) in kept.iter().enumerate() {
        if fail_after == Some(n) {
            // For the tests of recovery: a run killed between two renames.
            std::process::exit(99);
        }
        fs::rename(tmp_path, path).map_err(|e| Error::io(*path, e))?;
    }
    sync_dir(dir);
    fs::remove_file(&journal).map_err(|e| Error::io(&journal, e))?;
    Ok(())
}

/// The journal of an output set being put in place (see
/// [`write_many_atomically`]).
pub const JOURNAL: &str = ".stratagraph-journal";

/// Makes the renames in a directory durable (where the platform can).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Completes an output set that a killed run left half in place: the
/// files its journal names are renamed into place, then the journal is
/// removed. Run before writing into a directory and before reading the
/// outputs there; returns whether there was one to complete.
pub fn finish_interrupted(dir: &Path) -> Result<bool> {
    let journal = dir.join(JOURNAL);
    let text = match fs::read_to_string(&journal) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(&journal, e)),
    };
    for (n, line) in text.lines().enumerate() {
        let Some((tmp, name)) = line.split_once('\t') else {
            return Err(Error::Syntax {
                path: journal.clone(),
                line: n as u64 + 1,
                column: 1,
                message: "a journal line is a temporary file and a file name".into(),
            });
        };
        // Names only, in this directory: a journal cannot move files elsewhere.
        let plain = |s: &str| !s.is_empty() && !s.contains(['/', '\\']) && s != "." && s != "..";
        if !plain(tmp) || !plain(name) || !tmp.starts_with(".stratagraph-") {
            return Err(Error::Syntax {
                path: journal.clone(),
                line: n as u64 + 1,
                column: 1,
                message: format!("{line:?} does not name two files of this directory"),
            });
        }
        let from = dir.join(tmp);
        if from.exists() {
            fs::rename(&from, dir.join(name)).map_err(|e| Error::io(&from, e))?;
        }
    }
    sync_dir(dir);
    fs::remove_file(&journal).map_err(|e| Error::io(&journal, e))?;
    eprintln!(
        "stratagraph: completed the outputs in {} that an interrupted run left half written",
        crate::cli::for_terminal(&dir.display().to_string())
    );
    Ok(true)
}

/// How long a temporary file of ours must have gone unwritten to be taken
/// for the leftover of a run that was killed.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes the temporary files (`.stratagraph-*`) that a killed run left
/// in `dir`: those not written to for [`LEFTOVER_AGE`]. A run still
/// writing keeps touching its own, so it never loses them.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(".stratagraph-") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let idle = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= LEFTOVER_AGE);
        if meta.is_file() && idle && fs::remove_file(entry.path()).is_ok() {
            eprintln!(
                "stratagraph: removed {}, left by an interrupted run",
                crate::cli::for_terminal(&entry.path().display().to_string())
            );
        }
    }
}

/// A file being written that hands its pages to the disk every
/// [`SYNC_EVERY`] bytes. The fsync before the rename then waits for the
/// last stretch only, not for the whole file while the cores stand idle:
/// the disk works while the next bytes are made.
pub struct FileSink<'a> {
    file: &'a mut fs::File,
    unsynced: usize,
}

/// Bytes written between two syncs of a [`FileSink`].
const SYNC_EVERY: usize = 32 << 20;

impl<'a> FileSink<'a> {
    fn new(file: &'a mut fs::File) -> FileSink<'a> {
        FileSink { file, unsynced: 0 }
    }
}

impl Write for FileSink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.unsynced += n;
        if self.unsynced >= SYNC_EVERY {
            self.file.sync_data()?;
            self.unsynced = 0;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The process's file creation mask, read without changing it for long.
#[cfg(unix)]
fn umask() -> u32 {
    // std has no umask getter; the conventional 022 is assumed unless the
    // environment says otherwise through /proc.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::Ontology;

    /// Documents arriving out of order (a slow one finishing last) still
    /// enter the graph in path order, and a skipped file keeps its place
    /// in the list of skipped ones.
    #[test]
    fn documents_join_the_graph_in_path_order_whatever_their_arrival() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology");
        let ex = Extractor::new(Ontology::load(&dir, &[]).expect("the built-in ontology loads"));
        let doc = |name: &str, text: &str| ingest::Document {
            rel_path: name.to_string(),
            file_name: name.to_string(),
            text: text.to_string(),
        };
        let docs = [
            doc("a.txt", "NATO trains the Iraqi Security Forces."),
            doc("b.txt", "Iran supports the Popular Mobilization Forces."),
            doc("c.txt", "EUAM Iraq advises Iraq."),
        ];
        let (send, receive) = std::sync::mpsc::channel();
        for i in [3, 2, 0, 1] {
            let extracted: Extracted = match docs.get(i) {
                Some(d) => Ok((d.clone(), ex.extract(&d.text))),
                None => Err(Skipped {
                    path: PathBuf::from("d.bin"),
                    reason: "binary".to_string(),
                }),
            };
            send.send((i, extracted)).expect("the receiver is here");
        }
        drop(send);
        let (graph, summary) = merge_in_order(&ex, receive);
        let order: Vec<&str> = graph
            .documents
            .iter()
            .map(|d| d.rel_path.as_str())
            .collect();
        assert_eq!(order, ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(summary.documents, 3);
        assert_eq!(summary.skipped.len(), 1);
        assert_eq!(
            summary.bytes,
            docs.iter().map(|d| d.text.len()).sum::<usize>()
        );
    }
}
