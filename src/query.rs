//! SPARQL over a graph: prefixes predeclared, the default graph the union
//! of the named graphs, a timeout that cancels the query, and every result
//! form written in a standard format (or as a table for people).

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use oxigraph::io::RdfSerializer;
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;

use crate::error::{Error, Result};
use crate::ontology::{OWL, PROV, RDF, RDFS, SG, SKOS, XSD};
use crate::rdf::Syntax;

/// The prefixes every query may use without declaring them.
pub const PREFIXES: &[(&str, &str)] = &[
    ("sg", SG),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("skos", SKOS),
    ("prov", PROV),
    ("owl", OWL),
    ("xsd", XSD),
];

/// How SELECT and ASK results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    /// An aligned table, for reading.
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

impl ResultsFormat {
    fn standard(self) -> Option<QueryResultsFormat> {
        match self {
            ResultsFormat::Table => None,
            ResultsFormat::Csv => Some(QueryResultsFormat::Csv),
            ResultsFormat::Tsv => Some(QueryResultsFormat::Tsv),
            ResultsFormat::Json => Some(QueryResultsFormat::Json),
            ResultsFormat::Xml => Some(QueryResultsFormat::Xml),
        }
    }
}

/// A query's outcome, already written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Rows(usize),
    Boolean(bool),
    Triples(usize),
}

/// Parses a query with the predeclared prefixes. `source` names where the
/// text came from, for the error ("q.rq: SPARQL syntax error at 3:7 ...").
pub fn prepare(
    text: &str,
    source: &str,
    cancel: Option<CancellationToken>,
) -> Result<oxigraph::sparql::PreparedSparqlQuery> {
    prepare_on(text, source, cancel, &Dataset::default())
}

/// The graphs a request names for the query's dataset (the protocol's
/// `default-graph-uri` and `named-graph-uri`); empty, the query's own
/// `FROM` and `FROM NAMED` decide, and without those the default graph is
/// the union of the named graphs.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub default: Vec<String>,
    pub named: Vec<String>,
}

/// [`prepare`] with the dataset a request names.
pub fn prepare_on(
    text: &str,
    source: &str,
    cancel: Option<CancellationToken>,
    dataset: &Dataset,
) -> Result<oxigraph::sparql::PreparedSparqlQuery> {
    let mut evaluator = SparqlEvaluator::new();
    for (p, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(*p, *iri)
            .map_err(|e| Error::Other(e.to_string()))?;
    }
    if let Some(token) = cancel {
        evaluator = evaluator.with_cancellation_token(token);
    }
    let mut prepared = evaluator
        .parse_query(text)
        .map_err(|e| Error::Usage(syntax_error(text, source, &e.to_string())))?;
    let iri = |i: &String| {
        oxigraph::model::NamedNode::new(i.as_str())
            .map_err(|e| Error::Usage(format!("{source}: graph IRI {i:?}: {e}")))
    };
    if !dataset.default.is_empty() || !dataset.named.is_empty() {
        let default = dataset
            .default
            .iter()
            .map(|i| iri(i).map(Into::into))
            .collect::<Result<Vec<_>>>()?;
        let named = dataset
            .named
            .iter()
            .map(|i| iri(i).map(Into::into))
            .collect::<Result<Vec<_>>>()?;
        prepared.dataset_mut().set_default_graph(default);
        if !named.is_empty() {
            prepared.dataset_mut().set_available_named_graphs(named);
        }
    } else if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// A parser's error as a person can act on it: an undeclared prefix named
/// with the prefixes at hand, a long list of expected characters cut.
fn syntax_error(text: &str, source: &str, message: &str) -> String {
    let (at, detail) = match message.strip_prefix("error at ") {
        Some(rest) => match rest.split_once(": ") {
            Some((at, detail)) => (format!(" at {at}"), detail),
            None => (String::new(), rest),
        },
        None => (String::new(), message),
    };
    if detail.contains("Prefix not found") {
        let declared: Vec<String> = PREFIXES
            .iter()
            .map(|(p, _)| p.to_string())
            .chain(declared_prefixes(text))
            .collect();
        let used = used_prefixes(text);
        let missing: Vec<&String> = used.iter().filter(|p| !declared.contains(p)).collect();
        let names: Vec<String> = PREFIXES.iter().map(|(p, _)| format!("{p}:")).collect();
        let what = match missing.as_slice() {
            [] => "an undeclared prefix".to_string(),
            [one] => format!("undeclared prefix \"{one}:\""),
            more => format!(
                "undeclared prefixes {}",
                more.iter()
                    .map(|p| format!("\"{p}:\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return format!(
            "{source}: SPARQL syntax error{at}: {what}; declare it (PREFIX name: <iri>) or use a predeclared one: {}",
            names.join(" ")
        );
    }
    let mut detail = detail.replace('\n', " ");
    if detail.chars().count() > 160 {
        detail = detail.chars().take(160).collect::<String>() + " ...";
    }
    format!("{source}: SPARQL syntax error{at}: {detail}")
}

/// The prefixes a query declares (`PREFIX x: <...>`).
fn declared_prefixes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(2) {
        if pair[0].eq_ignore_ascii_case("prefix") {
            if let Some(p) = pair[1].strip_suffix(':') {
                out.push(p.to_string());
            } else if let Some((p, _)) = pair[1].split_once(':') {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// The prefixes of the prefixed names a query uses, outside IRIs, strings
/// and comments.
fn used_prefixes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut word = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '<' if !word.is_empty() || chars.peek().is_some_and(|&(_, n)| !n.is_whitespace()) => {
                word.clear();
                for (_, c) in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                word.clear();
                for (_, d) in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
            }
            '#' => {
                word.clear();
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            ':' => {
                let before_variable = word.starts_with(['?', '$']);
                if !before_variable && !out.contains(&word) {
                    out.push(word.clone());
                }
                word.clear();
            }
            c if c.is_alphanumeric()
                || c == '_'
                || c == '-'
                || c == '.'
                || c == '?'
                || c == '$' =>
            {
                word.push(c)
            }
            _ => word.clear(),
        }
    }
    out
}

/// Runs a SELECT (with the predeclared prefixes, over the union graph)
/// and returns each row as the values of `vars`, unbound as `None`.
pub fn select(store: &Store, text: &str, vars: &[&str]) -> Result<Vec<Vec<Option<Term>>>> {
    let prepared = prepare(text, "internal query", None)?;
    let QueryResults::Solutions(solutions) = prepared
        .on_store(store)
        .execute()
        .map_err(|e| evaluation(e, None))?
    else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for s in solutions {
        let s = s.map_err(|e| evaluation(e, None))?;
        rows.push(vars.iter().map(|v| s.get(*v).cloned()).collect());
    }
    Ok(rows)
}

/// A term's lexical form: an IRI's text, a literal's value.
pub fn lexical(t: Option<&Term>) -> String {
    match t {
        Some(Term::Literal(l)) => l.value().to_string(),
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        Some(t) => t.to_string(),
        None => String::new(),
    }
}

/// Runs a query and writes its results: solutions and booleans in
/// `results`, graphs in `syntax`. Under a timeout the query runs on a
/// worker thread: when time is up the query is cancelled and the caller
/// gets an error at once, whatever the worker is still doing.
pub fn run(
    store: &Store,
    text: &str,
    source: &str,
    timeout: Option<Duration>,
    results: ResultsFormat,
    syntax: Syntax,
) -> Result<(Vec<u8>, Written)> {
    run_on(
        store,
        text,
        source,
        timeout,
        results,
        syntax,
        &Dataset::default(),
    )
}

/// [`run`] with the dataset a request names.
pub fn run_on(
    store: &Store,
    text: &str,
    source: &str,
    timeout: Option<Duration>,
    results: ResultsFormat,
    syntax: Syntax,
    dataset: &Dataset,
) -> Result<(Vec<u8>, Written)> {
    let Some(limit) = timeout else {
        return run_now(store, text, source, None, results, syntax, dataset);
    };
    let token = CancellationToken::new();
    let (send, receive) = mpsc::channel();
    {
        let (store, text, source, token, dataset) = (
            store.clone(),
            text.to_string(),
            source.to_string(),
            token.clone(),
            dataset.clone(),
        );
        std::thread::spawn(move || {
            let _ = send.send(run_now(
                &store,
                &text,
                &source,
                Some(token),
                results,
                syntax,
                &dataset,
            ));
        });
    }
    match receive.recv_timeout(limit) {
        Ok(outcome) => outcome,
        Err(_) => {
            token.cancel();
            Err(Error::Other(format!(
                "the query ran longer than its timeout of {} s and was cancelled",
                limit.as_secs_f64()
            )))
        }
    }
}

fn run_now(
    store: &Store,
    text: &str,
    source: &str,
    token: Option<CancellationToken>,
    results: ResultsFormat,
    syntax: Syntax,
    dataset: &Dataset,
) -> Result<(Vec<u8>, Written)> {
    let prepared = prepare_on(text, source, token.clone(), dataset)?;
    let outcome = prepared
        .on_store(store)
        .execute()
        .map_err(|e| evaluation(e, None))?;
    let mut out = Guarded {
        bytes: Vec::new(),
        token,
    };
    let written = write_results(outcome, results, syntax, &mut out, None)?;
    Ok((out.bytes, written))
}

/// The most bytes of results one query may make in memory.
pub const MAX_RESULT_BYTES: usize = 256 << 20;

/// The results of a query as they are written: writing fails once the
/// query is cancelled (its timeout passed) or its results pass
/// [`MAX_RESULT_BYTES`], which stops the evaluation feeding them, so that
/// a query given up on stops using the processor and the memory.
struct Guarded {
    bytes: Vec<u8>,
    token: Option<CancellationToken>,
}

impl Write for Guarded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.token.as_ref().is_some_and(|t| t.is_cancelled()) {
            return Err(std::io::Error::other("the query was cancelled"));
        }
        if self.bytes.len() + buf.len() > MAX_RESULT_BYTES {
            return Err(std::io::Error::other(format!(
                "the results pass {} MB: ask for fewer (LIMIT) or count them (COUNT)",
                MAX_RESULT_BYTES >> 20
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn evaluation(e: impl std::fmt::Display, timeout: Option<Duration>) -> Error {
    let text = e.to_string();
    if text.to_lowercase().contains("cancel") {
        Error::Other(format!(
            "the query ran longer than its timeout of {} s and was cancelled",
            timeout.map(|t| t.as_secs_f64()).unwrap_or(0.0)
        ))
    } else {
        Error::Other(format!("query evaluation failed: {text}"))
    }
}

pub fn write_results(
    outcome: QueryResults<'_>,
    results: ResultsFormat,
    syntax: Syntax,
    out: &mut dyn Write,
    timeout: Option<Duration>,
) -> Result<Written> {
    let io = |e: std::io::Error| Error::Other(format!("writing results: {e}"));
    match outcome {
        QueryResults::Boolean(b) => {
            match results.standard() {
                Some(f) => {
                    QueryResultsSerializer::from_format(f)
                        .serialize_boolean_to_writer(&mut *out, b)
                        .map_err(io)?;
                }
                None => writeln!(out, "{}", if b { "yes" } else { "no" }).map_err(io)?,
            }
            Ok(Written::Boolean(b))
        }
        QueryResults::Solutions(solutions) => {
            let variables: Vec<Variable> = solutions.variables().to_vec();
            let mut rows = 0;
            match results.standard() {
                Some(f) => {
                    let mut w = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut *out, variables)
                        .map_err(io)?;
                    for s in solutions {
                        let s = s.map_err(|e| evaluation(e, timeout))?;
                        w.serialize(s.iter()).map_err(io)?;
                        rows += 1;
                    }
                    w.finish().map_err(io)?;
                }
                None => {
                    let mut table: Vec<Vec<String>> = Vec::new();
                    for s in solutions {
                        let s = s.map_err(|e| evaluation(e, timeout))?;
                        table.push(
                            variables
                                .iter()
                                .map(|v| s.get(v).map(short).unwrap_or_default())
                                .collect(),
                        );
                    }
                    rows = table.len();
                    write_table(&variables, &table, out).map_err(io)?;
                }
            }
            Ok(Written::Rows(rows))
        }
        QueryResults::Graph(triples) => {
            let mut serializer = RdfSerializer::from_format(syntax.format());
            for (p, iri) in PREFIXES {
                serializer = serializer
                    .with_prefix(*p, *iri)
                    .map_err(|e| Error::Other(e.to_string()))?;
            }
            let mut w = serializer.for_writer(&mut *out);
            let mut n = 0;
            for t in triples {
                let t = t.map_err(|e| evaluation(e, timeout))?;
                w.serialize_triple(&t).map_err(io)?;
                n += 1;
            }
            w.finish().map_err(io)?;
            Ok(Written::Triples(n))
        }
    }
}

/// A term as a person reads it: prefixed names where a prefix fits,
/// literals by their value.
pub fn short(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            for (p, ns) in PREFIXES.iter().chain(&[("id", crate::rdf::DEFAULT_BASE)]) {
                if let Some(local) = iri.strip_prefix(ns) {
                    if !local.is_empty() && !local.contains(['/', '#']) {
                        return format!("{p}:{local}");
                    }
                }
            }
            format!("<{iri}>")
        }
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

/// Writes rows as an aligned table; long cells are cut to keep it readable.
fn write_table(
    variables: &[Variable],
    rows: &[Vec<String>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    const MAX: usize = 80;
    let cut = |s: &str| -> String {
        let one_line: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if one_line.chars().count() > MAX {
            let mut t: String = one_line.chars().take(MAX - 1).collect();
            t.push('\u{2026}');
            t
        } else {
            one_line
        }
    };
    let head: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cut(c)).collect())
        .collect();
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in &body {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.extend(std::iter::repeat_n(' ', w - c.chars().count()));
            }
        }
        // Empty last cells leave no padding at the line's end.
        writeln!(out, "{}", s.trim_end_matches(' '))
    };
    line(&head, out)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, out)?;
    for r in &body {
        line(r, out)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undeclared_prefix_is_named_with_the_ones_at_hand() {
        let text = "PREFIX ex: <http://e.org/a:b>\nSELECT * WHERE { ?s foo:p ex:q ; sg:x \"bar:baz\" } # baz:q";
        let Err(Error::Usage(message)) = prepare(text, "q.rq", None) else {
            panic!("an undeclared prefix is a usage error")
        };
        assert!(
            message.starts_with("q.rq: SPARQL syntax error at 2:"),
            "{message}"
        );
        assert!(message.contains("undeclared prefix \"foo:\""), "{message}");
        assert!(message.contains("sg: rdf:"), "{message}");
        assert!(!message.contains("\\u{"), "{message}");
        assert!(message.len() < 300, "{message}");
    }
}
