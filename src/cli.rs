//! The command line: clap arguments, validated into configurations, and
//! the glue that runs a command and turns its outcome into an exit status.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

    /// Score extraction against gold annotations.
    ///
    /// Builds the graph of INPUTS in memory and scores it against the gold
    /// files: precision, recall and F1 of entities and relations, type
    /// accuracy, per document, class and property, then every miss and
    /// false alarm with its sentence.
    #[command(
        after_help = "Gold files are JSON, one per document, named by the document's file \
name in their \"doc\" field (see vocabulary.md).\n\nExit status: 0 when scored, 2 when the \
gold or the inputs cannot be read."
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
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    pub subject: String,
    pub property: String,
    pub object: String,
    /// The directory of a build's output (its graph.nq is read).
    #[arg(long, short, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The directory of gold JSON files.
    #[arg(long, value_name = "DIR")]
    pub gold: PathBuf,

    /// Files or directories to score.
    #[arg(required = true, value_name = "INPUT")]
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

    #[command(flatten)]
    pub ontology: OntologyArgs,

    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
}

impl BuildArgs {
    fn config(&self) -> BuildConfig {
        let mut syntaxes = if self.formats.is_empty() {
            vec![Syntax::Turtle, Syntax::NQuads]
        } else {
            self.formats.clone()
        };
        syntaxes.sort();
        syntaxes.dedup();
        BuildConfig {
            inputs: self.inputs.clone(),
            out_dir: self.out.clone(),
            syntaxes,
            base: self.base.clone(),
        }
    }
}

/// Parses the arguments, runs the command and returns the exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stratagraph: error: {e}");
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
        Command::Explain(args) => {
            let store = explain::load(&args.out.join("graph.nq"))?;
            let (text, found) =
                explain::explain(&store, &args.subject, &args.property, &args.object)?;
            print!("{text}");
            Ok(if found == 0 { EXIT_PARTIAL } else { 0 })
        }
        Command::Eval(args) => {
            let gold = eval::read_gold(&args.gold)?;
            let extractor = Extractor::new(args.ontology.load()?);
            let (graph, summary) = build::extract_corpus(&extractor, &args.inputs)?;
            report_skipped(&summary);
            let report = eval::score(&extractor, &graph, &gold);
            let text = if args.json {
                eval::json(&report)
            } else {
                eval::table(&report)
            };
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", text.trim_start());
            Ok(0)
        }
    }
}

fn report_skipped(summary: &Summary) {
    for s in &summary.skipped {
        eprintln!(
            "stratagraph: warning: {}: skipped: {}",
            s.path.display(),
            s.reason
        );
    }
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
    let _ = writeln!(err, "{} quads in {:.3} s", s.quads, s.seconds);
}
