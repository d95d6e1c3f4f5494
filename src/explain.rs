//! `explain`: why the graph states a relation. Reads a build's N-Quads
//! into an in-memory oxigraph store, finds the statements of (subject,
//! property, object) by SPARQL, and prints each supporting sentence with
//! the subject, object and cue marked.

use std::fmt::Write as _;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use oxigraph::store::Store;

use crate::error::{Error, Result};
use crate::eval::normalize;
use crate::ontology::syntax_error;
use crate::ontology::SG;

/// Loads an RDF file of a build into an in-memory store.
pub fn load(path: &Path) -> Result<Store> {
    crate::build::finish_interrupted(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )?;
    let bytes = std::fs::read(path).map_err(|e| Error::reading(path, e))?;
    let format =
        RdfFormat::from_extension(path.extension().and_then(|e| e.to_str()).unwrap_or("nq"))
            .unwrap_or(RdfFormat::NQuads);
    let store = Store::new().map_err(|e| Error::Other(e.to_string()))?;
    let quads = RdfParser::from_format(format)
        .for_slice(&bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| syntax_error(path, e.into()))?;
    let mut loader = store.bulk_loader();
    loader
        .load_quads(quads)
        .map_err(|e| Error::Other(format!("{}: {e}", path.display())))?;
    loader.commit().map_err(|e| Error::Other(e.to_string()))?;
    Ok(store)
}

fn text(t: &Option<Term>) -> String {
    crate::query::lexical(t.as_ref())
}

/// The entity IRIs a user's name stands for: an IRI, the end of an IRI
/// ("popular-mobilization-forces"), or any label or alias ("PMF").
pub fn entities_named(store: &Store, name: &str) -> Result<Vec<String>> {
    let rows = crate::query::select(
        store,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         SELECT DISTINCT ?e ?name WHERE { { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } }",
        &["e", "name"],
    )?;
    let wanted = normalize(name);
    let key = crate::iri::key(name);
    let mut out: Vec<String> = rows
        .iter()
        .filter(|r| {
            let iri = text(&r[0]);
            iri == name
                || iri.rsplit('/').next() == Some(key.as_str())
                || normalize(&text(&r[1])) == wanted
        })
        .map(|r| text(&r[0]))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// Prints the evidence for (subject, property, object). Returns the text
/// and the number of supporting sentences.
pub fn explain(
    store: &Store,
    subject: &str,
    property: &str,
    object: &str,
    symmetric: bool,
) -> Result<(String, usize)> {
    let subjects = entities_named(store, subject)?;
    let objects = entities_named(store, object)?;
    for (what, name, found) in [
        ("subject", subject, &subjects),
        ("object", object, &objects),
    ] {
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "no entity named {name:?} in the graph (the {what})"
            )));
        }
    }
    let local = property
        .strip_prefix(SG)
        .or_else(|| property.strip_prefix("sg:"))
        .unwrap_or(property);
    if local.is_empty() || !local.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::Usage(format!(
            "{property:?} is not a property name such as attacks"
        )));
    }
    let values = |v: &[String]| {
        v.iter()
            .map(|i| format!("<{i}>"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let query = format!(
        "PREFIX sg: <{SG}>
         PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
         PREFIX prov: <http://www.w3.org/ns/prov#>
         SELECT ?s ?o ?file ?quote ?start ?stext ?sspan ?otext ?ospan ?cue ?cspan ?rule ?conf ?date
                ?sentry ?srule ?oentry ?orule ?phrase WHERE {{
           {{ VALUES ?s {{ {s} }} VALUES ?o {{ {o} }} }} UNION {{ VALUES ?s {{ {o} }} VALUES ?o {{ {s} }} FILTER({symmetric}) }}
           ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate sg:{local} ; rdf:object ?o ; prov:wasDerivedFrom ?e .
           ?e sg:document ?d ; sg:quote ?quote ; sg:byteStart ?start ; sg:rule ?rule ; sg:confidence ?conf ;
              sg:subjectText ?stext ; sg:subjectSpan ?sspan ; sg:objectText ?otext ; sg:objectSpan ?ospan .
           ?d sg:fileName ?file .
           OPTIONAL {{ ?e sg:cueText ?cue ; sg:cueSpan ?cspan }}
           OPTIONAL {{ ?e sg:cuePhrase ?phrase }}
           OPTIONAL {{ ?st sg:date ?date }}
           OPTIONAL {{ ?ms sg:entity ?s ; sg:document ?d ; sg:entry ?sentry }} OPTIONAL {{ ?e sg:subjectRule ?srule }}
           OPTIONAL {{ ?mo sg:entity ?o ; sg:document ?d ; sg:entry ?oentry }} OPTIONAL {{ ?e sg:objectRule ?orule }}
         }} ORDER BY ?file ?start",
        s = values(&subjects),
        o = values(&objects),
    );
    let rows = crate::query::select(
        store,
        &query,
        &[
            "s", "o", "file", "quote", "start", "stext", "sspan", "otext", "ospan", "cue", "cspan",
            "rule", "conf", "date", "sentry", "srule", "oentry", "orule", "phrase",
        ],
    )?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{subject} {local} {object}: {} supporting sentence{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    for r in &rows {
        let t = |i: usize| text(&r[i]);
        let start: usize = t(4).parse().unwrap_or(0);
        let date = if r[13].is_some() {
            format!(", date {}", t(13))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{}:{}  rule {}, confidence {}{date}",
            t(2),
            start,
            t(11),
            t(12)
        );
        let how = |rule: String, entry: String| {
            if entry.is_empty() {
                rule
            } else {
                format!("{rule} <{entry}>")
            }
        };
        let _ = writeln!(out, "  subject \"{}\" ({})", t(5), how(t(15), t(14)));
        let _ = writeln!(out, "  object  \"{}\" ({})", t(7), how(t(17), t(16)));
        if r[9].is_some() {
            let phrase = if r[18].is_some() {
                format!(" (cue \"{}\")", t(18))
            } else {
                String::new()
            };
            let _ = writeln!(out, "  cue     \"{}\"{phrase}", t(9));
        }
        let quote = t(3);
        let mut marks = Vec::new();
        for (text_i, span_i, open, close) in
            [(5, 6, "[S ", "]"), (7, 8, "[O ", "]"), (9, 10, "{", "}")]
        {
            let (Some(_), Some(_)) = (&r[text_i], &r[span_i]) else {
                continue;
            };
            let at = t(span_i)
                .split_once('-')
                .and_then(|(a, _)| a.parse::<usize>().ok())
                .map(|a| a.saturating_sub(start));
            if let Some(found) = locate(&quote, &t(text_i), at.unwrap_or(0)) {
                marks.push((found, open, close));
            }
        }
        let _ = writeln!(out, "  {}", mark(&quote, &mut marks));
    }
    Ok((out, rows.len()))
}

/// Where `needle` occurs in the whitespace-folded `quote`, nearest to the
/// byte offset it had in the original sentence.
fn locate(quote: &str, needle: &str, near: usize) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    quote
        .match_indices(needle)
        .map(|(i, _)| (i, i + needle.len()))
        .min_by_key(|&(i, _)| i.abs_diff(near))
}

/// The quote with non-overlapping marks inserted.
fn mark(quote: &str, marks: &mut Vec<((usize, usize), &str, &str)>) -> String {
    marks.sort_by_key(|m| m.0);
    let mut out = String::with_capacity(quote.len() + 16);
    let mut at = 0;
    for &((s, e), open, close) in marks.iter() {
        if s < at {
            continue;
        }
        out.push_str(&quote[at..s]);
        out.push_str(open);
        out.push_str(&quote[s..e]);
        out.push_str(close);
        at = e;
    }
    out.push_str(&quote[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_nearest_occurrence() {
        let quote = "the US embassy was targeted by PMF forces near the US base";
        let s = locate(quote, "PMF", 31).unwrap();
        let o = locate(quote, "US", 50).unwrap();
        let c = locate(quote, "targeted", 19).unwrap();
        let mut marks = vec![(s, "[S ", "]"), (o, "[O ", "]"), (c, "{", "}")];
        assert_eq!(
            mark(quote, &mut marks),
            "the US embassy was {targeted} by [S PMF] forces near the [O US] base"
        );
    }
}
