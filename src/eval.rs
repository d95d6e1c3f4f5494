//! Scoring a graph against hand-made gold annotations (the format of
//! `vocabulary.md`): entities matched by any shared name (case, punctuation
//! and a leading "the" ignored), relations matched on `(s, p, o)` over
//! matched entities, `cooperatesWith` in both directions. Micro-averaged,
//! and per document, class and property, with every miss and false alarm.
//! [`re3d`] scores the extractor on the re3d corpus instead.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::graph::KnowledgeGraph;

pub mod re3d;

#[derive(Debug, Deserialize)]
pub struct GoldDoc {
    pub doc: String,
    pub entities: Vec<GoldEntity>,
    pub relations: Vec<GoldRelation>,
}

#[derive(Debug, Deserialize)]
pub struct GoldEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub class: String,
    pub names: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct GoldRelation {
    pub s: String,
    pub p: String,
    pub o: String,
    #[serde(default)]
    pub evidence: String,
}

/// Reads every `.json` file of a directory, in name order. A file that is
/// not gold JSON is an error naming it, with line and column.
pub fn read_gold(dir: &Path) -> Result<Vec<GoldDoc>> {
    let entries = fs::read_dir(dir).map_err(|e| Error::reading(dir, e))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let doc: GoldDoc = serde_json::from_slice(&bytes).map_err(|e| Error::Syntax {
            path: path.clone(),
            line: e.line() as u64,
            column: e.column() as u64,
            message: e.to_string(),
        })?;
        out.push(doc);
    }
    Ok(out)
}

/// A name as the scorer compares it: a leading "the" removed, then only
/// its letters and digits, in lower case ("U.S." = "US", "EUAM-Iraq" =
/// "EUAM Iraq").
pub fn normalize(name: &str) -> String {
    let name = name.trim_start();
    let name = match name.get(..4) {
        Some(head) if head.eq_ignore_ascii_case("the ") => &name[4..],
        _ => name,
    };
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Counts {
    pub tp_gold: usize,
    pub gold: usize,
    pub tp_found: usize,
    pub found: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp_found, self.found)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp_gold, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp_gold += o.tp_gold;
        self.gold += o.gold;
        self.tp_found += o.tp_found;
        self.found += o.found;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// One item the scorer could not pair, with the sentence behind it.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub doc: String,
    pub kind: &'static str,
    pub what: String,
    pub sentence: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub entities: Counts,
    pub typed: usize,
    pub type_checked: usize,
    pub relations: Counts,
    pub by_doc: BTreeMap<String, (Counts, Counts)>,
    pub by_class: BTreeMap<String, Counts>,
    pub by_property: BTreeMap<String, Counts>,
    pub missed: Vec<Item>,
    pub spurious: Vec<Item>,
    pub unscored_documents: Vec<String>,
}

impl Report {
    pub fn type_accuracy(&self) -> f64 {
        ratio(self.typed, self.type_checked)
    }
}

/// Scores the graph against the gold documents it shares file names with.
pub fn score(ex: &Extractor, graph: &KnowledgeGraph, gold: &[GoldDoc]) -> Report {
    let mut report = Report::default();
    let gold_by_file: BTreeMap<&str, &GoldDoc> = gold.iter().map(|g| (g.doc.as_str(), g)).collect();
    let entities: Vec<_> = graph.entities().collect();
    let relations = graph.relations();
    for (doc_index, info) in graph.documents.iter().enumerate() {
        let doc_index = doc_index as u32;
        let Some(g) = gold_by_file.get(info.file_name.as_str()) else {
            report.unscored_documents.push(info.rel_path.clone());
            continue;
        };
        // Gold names → gold ids.
        let mut gold_of_name: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for e in &g.entities {
            for n in &e.names {
                gold_of_name.entry(normalize(n)).or_default().insert(&e.id);
            }
        }
        let gold_class: BTreeMap<&str, &str> = g
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.class.as_str()))
            .collect();

        // Entities of this document and the gold ids each matches.
        let mut matched_gold: BTreeSet<&str> = BTreeSet::new();
        let mut gold_ids_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut ents = Counts::default();
        for (_, node) in &entities {
            if !node.mentions.contains_key(&doc_index) {
                continue;
            }
            let class = ex.ontology.classes[node.class].local.as_str();
            let mut ids = BTreeSet::new();
            // Its names: label, the gazetteer's aliases and the surface
            // forms this document uses (the graph's altLabels hold them).
            let surfaces = node.surface.get(&doc_index).into_iter().flatten();
            for name in std::iter::once(&node.label)
                .chain(&node.aliases)
                .chain(surfaces)
            {
                if let Some(found) = gold_of_name.get(&normalize(name)) {
                    ids.extend(found.iter().copied());
                }
            }
            ents.found += 1;
            let c = report.by_class.entry(class.to_string()).or_default();
            c.found += 1;
            if ids.is_empty() {
                report.spurious.push(Item {
                    doc: info.file_name.clone(),
                    kind: "entity",
                    what: format!("{} ({class})", node.label),
                    sentence: String::new(),
                });
            } else {
                ents.tp_found += 1;
                c.tp_found += 1;
                for id in &ids {
                    report.type_checked += 1;
                    if gold_class.get(id) == Some(&class) {
                        report.typed += 1;
                    } else {
                        report.missed.push(Item {
                            doc: info.file_name.clone(),
                            kind: "type",
                            what: format!(
                                "{} is {}, not {class}",
                                node.label,
                                gold_class.get(id).unwrap_or(&"?")
                            ),
                            sentence: String::new(),
                        });
                    }
                }
                matched_gold.extend(ids.iter().copied());
            }
            gold_ids_of.insert(node.key.as_str(), ids);
        }
        for e in &g.entities {
            ents.gold += 1;
            let c = report.by_class.entry(e.class.clone()).or_default();
            c.gold += 1;
            if matched_gold.contains(e.id.as_str()) {
                ents.tp_gold += 1;
                c.tp_gold += 1;
            } else {
                report.missed.push(Item {
                    doc: info.file_name.clone(),
                    kind: "entity",
                    what: format!(
                        "{} ({})",
                        e.names.first().map(String::as_str).unwrap_or(&e.id),
                        e.class
                    ),
                    sentence: String::new(),
                });
            }
        }

        // Relations stated in this document.
        let symmetric = |p: &str| p == "cooperatesWith";
        let gold_rels: BTreeSet<(&str, &str, &str)> = g
            .relations
            .iter()
            .map(|r| (r.s.as_str(), r.p.as_str(), r.o.as_str()))
            .collect();
        let mut found_gold: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
        let mut rels = Counts::default();
        for (s, edge, o) in &relations {
            let Some(ev) = edge.evidence.iter().find(|e| e.doc == doc_index) else {
                continue;
            };
            // A property the gold's vocabulary has not: gold cannot hold it.
            if ex.ontology.properties[edge.property].beyond_core {
                continue;
            }
            let p = ex.ontology.properties[edge.property].local.as_str();
            let empty = BTreeSet::new();
            let sids = gold_ids_of.get(s.key.as_str()).unwrap_or(&empty);
            let oids = gold_ids_of.get(o.key.as_str()).unwrap_or(&empty);
            let mut hit = false;
            for &si in sids {
                for &oi in oids {
                    for key in [(si, p, oi), (oi, p, si)] {
                        if (key.0 == si || symmetric(p)) && gold_rels.contains(&key) {
                            found_gold.insert(key);
                            hit = true;
                        }
                    }
                }
            }
            rels.found += 1;
            let c = report.by_property.entry(p.to_string()).or_default();
            c.found += 1;
            if hit {
                rels.tp_found += 1;
                c.tp_found += 1;
            } else {
                report.spurious.push(Item {
                    doc: info.file_name.clone(),
                    kind: "relation",
                    what: format!("{} {p} {} [{}]", s.label, o.label, ev.rule.id()),
                    sentence: ev.quote.clone(),
                });
            }
        }
        for r in &g.relations {
            let key = (r.s.as_str(), r.p.as_str(), r.o.as_str());
            let c = report.by_property.entry(r.p.clone()).or_default();
            c.gold += 1;
            rels.gold += 1;
            if found_gold.contains(&key) {
                c.tp_gold += 1;
                rels.tp_gold += 1;
            } else {
                report.missed.push(Item {
                    doc: info.file_name.clone(),
                    kind: "relation",
                    what: format!("{} {} {}", r.s, r.p, r.o),
                    sentence: r.evidence.clone(),
                });
            }
        }
        report.entities.add(ents);
        report.relations.add(rels);
        report.by_doc.insert(info.file_name.clone(), (ents, rels));
    }
    report
}

/// The report as an aligned plain-text table.
pub fn table(r: &Report) -> String {
    let mut s = String::new();
    let row = |s: &mut String, name: &str, c: &Counts| {
        let _ = writeln!(
            s,
            "{name:<32}{:>7.3}{:>7.3}{:>7.3}{:>7}{:>7}",
            c.precision(),
            c.recall(),
            c.f1(),
            c.gold,
            c.found
        );
    };
    let head = |s: &mut String, title: &str| {
        let _ = writeln!(
            s,
            "\n{title:<32}{:>7}{:>7}{:>7}{:>7}{:>7}",
            "P", "R", "F1", "gold", "found"
        );
    };
    head(&mut s, "overall (micro)");
    row(&mut s, "entities", &r.entities);
    row(&mut s, "relations", &r.relations);
    let _ = writeln!(
        s,
        "{:<32}{:>7.3}   ({} of {} matched entities)",
        "type accuracy",
        r.type_accuracy(),
        r.typed,
        r.type_checked
    );
    head(&mut s, "per document: entities");
    for (doc, (e, _)) in &r.by_doc {
        row(&mut s, doc, e);
    }
    head(&mut s, "per document: relations");
    for (doc, (_, rel)) in &r.by_doc {
        row(&mut s, doc, rel);
    }
    head(&mut s, "per class");
    for (class, c) in &r.by_class {
        row(&mut s, class, c);
    }
    head(&mut s, "per property");
    for (p, c) in &r.by_property {
        row(&mut s, p, c);
    }
    for (title, items) in [("missed", &r.missed), ("spurious", &r.spurious)] {
        let _ = writeln!(s, "\n{title} ({})", items.len());
        for i in items {
            let _ = writeln!(s, "  {} {:<8} {}", i.doc, i.kind, i.what);
            if !i.sentence.is_empty() {
                let _ = writeln!(
                    s,
                    "      \u{201C}{}\u{201D}",
                    crate::graph::clean(&i.sentence)
                );
            }
        }
    }
    if !r.unscored_documents.is_empty() {
        let _ = writeln!(s, "\nno gold for: {}", r.unscored_documents.join(", "));
    }
    s
}

/// The report as JSON, with the derived scores spelled out.
pub fn json(r: &Report) -> String {
    let scores = |c: &Counts| {
        serde_json::json!({
            "precision": c.precision(), "recall": c.recall(), "f1": c.f1(),
            "gold": c.gold, "found": c.found, "tp_gold": c.tp_gold, "tp_found": c.tp_found,
        })
    };
    let map = |m: &BTreeMap<String, Counts>| -> serde_json::Map<String, serde_json::Value> {
        m.iter().map(|(k, c)| (k.clone(), scores(c))).collect()
    };
    let value = serde_json::json!({
        "entities": scores(&r.entities),
        "type_accuracy": r.type_accuracy(),
        "relations": scores(&r.relations),
        "by_document": r.by_doc.iter().map(|(d, (e, rel))| (d.clone(), serde_json::json!({
            "entities": scores(e), "relations": scores(rel)
        }))).collect::<serde_json::Map<_, _>>(),
        "by_class": map(&r.by_class),
        "by_property": map(&r.by_property),
        "missed": r.missed,
        "spurious": r.spurious,
        "unscored_documents": r.unscored_documents,
    });
    serde_json::to_string_pretty(&value).expect("a JSON value serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_punctuation_or_the() {
        let cases = [
            ("The Global Coalition", "globalcoalition"),
            ("U.S.", "us"),
            ("Kata'ib Hezbollah", "kataibhezbollah"),
            ("al-Hashd  al-Shaabi", "alhashdalshaabi"),
            ("Theory", "theory"),
            ("EUAM-Iraq", "euamiraq"),
            ("EUAM Iraq", "euamiraq"),
        ];
        for (name, want) in cases {
            assert_eq!(normalize(name), want, "{name}");
        }
    }

    #[test]
    fn scores_are_ratios_with_empty_sets_perfect() {
        let c = Counts {
            tp_gold: 3,
            gold: 4,
            tp_found: 3,
            found: 6,
        };
        assert_eq!(c.recall(), 0.75);
        assert_eq!(c.precision(), 0.5);
        assert!((c.f1() - 0.6).abs() < 1e-9);
        assert_eq!(Counts::default().f1(), 1.0);
    }
}
