//! Scoring on re3d (Dstl's Relationship and Entity Extraction Evaluation
//! Dataset): texts that nobody here wrote, annotated by defence analysts.
//!
//! A re3d folder holds `documents.json`, `entities.json` and
//! `relations.json`, one JSON object a line (mongoexport style), offsets
//! in characters of the document's `text`. [`read`] takes one such folder
//! or a folder of them (the subsets). [`score`] extracts every text as
//! `build` would and scores the graph by the rules of
//! `shared/corpora/README.md`:
//!
//! - **Gold entities** are the `Organisation`, `Person` and `Location`
//!   mentions with a capital letter and a confidence of at least 0.5,
//!   counted once per document for each distinct (type, normalized value):
//!   "Assad" named ten times in a text is one gold Person there, and
//!   "Syria" annotated both as a Location and as an Organisation is two.
//! - A gold entity is **found** when an entity the graph says the document
//!   mentions has a name (its label, an alias, or a surface form seen in
//!   that document) equal to it or contained in it as whole words, or a
//!   title that stood for it alone there equal to it, after
//!   the normalisation of `vocabulary.md` ([`super::normalize`]), as
//!   `shared/corpora/README.md` says: the gold "Syrian President Bashar
//!   al-Assad" is found by the graph's "Bashar al-Assad". The report also
//!   gives the recall with containment either way (the gold "Assad" found
//!   by "Bashar al-Assad" too), an upper bound.
//! - **Entity precision, named in gold**: of the entities the graph says a
//!   document mentions, the share whose name is equal to a re3d entity
//!   mention of that document (any type, any confidence) or holds one, or
//!   is held by one, as whole words. re3d does not annotate every name, so
//!   this is a lower bound of precision.
//! - **Gold relations** are the relations of a type in [`MAPPING`] with a
//!   confidence of at least 0.5, counted once per document for each
//!   distinct (type, normalized source, normalized target), the two
//!   arguments unordered for the symmetric types. One is **found** when a
//!   relation the document states, of a property the type maps to, has a
//!   subject and an object whose names match the gold source and target
//!   (either way round for the symmetric types); an argument matches when
//!   a name of the entity is equal to it, holds it or is held by it as
//!   whole words ("the Global Coalition" matches "the wider Global
//!   Coalition").
//! - **Relations produced**: the relations the graph states in each
//!   document, summed over documents, and how many of them match a gold
//!   relation. re3d leaves many relations unannotated: the count is there
//!   to eyeball precision, not to compute it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{normalize, ratio, Counts};
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::graph::{clean, EntityNode, KnowledgeGraph};
use crate::ingest::Document;
use crate::text::Span;

/// The re3d entity types scored, in the order they are reported.
pub const ENTITY_TYPES: [&str; 3] = ["Person", "Location", "Organisation"];

/// Each re3d relation type scored, whether it is symmetric, and the
/// properties that state it (from `shared/corpora/README.md`). The other
/// re3d types have no counterpart among our properties.
pub const MAPPING: [(&str, bool, &[&str]); 5] = [
    ("FightingAgainst", true, &["attacks", "opposes"]),
    (
        "AlliesOf",
        true,
        &[
            "cooperatesWith",
            "supports",
            "alignedWith",
            "trains",
            "advises",
        ],
    ),
    ("InChargeOf", false, &["leads", "controls"]),
    ("BelongsTo", false, &["memberOf", "partOf"]),
    ("CoLocated", false, &["operatesIn", "locatedIn"]),
];

/// The lowest confidence of a gold mention or relation.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// One line of `documents.json` (other fields are ignored).
#[derive(Clone, Debug, Deserialize)]
pub struct Re3dDocument {
    #[serde(rename = "_id")]
    pub id: String,
    pub text: String,
}

/// One line of `entities.json`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Re3dEntity {
    pub document_id: String,
    pub begin: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub confidence: f64,
}

/// One line of `relations.json`: `source` stands in relation `type` to
/// `target`; `begin..end` is the phrase that says so.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Re3dRelation {
    pub document_id: String,
    pub begin: usize,
    pub end: usize,
    pub source_begin: usize,
    pub source_end: usize,
    pub source: String,
    pub target_begin: usize,
    pub target_end: usize,
    pub target: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub confidence: f64,
}

/// One re3d folder: its documents sorted by `_id`, and the annotations.
#[derive(Clone, Debug)]
pub struct Subset {
    pub name: String,
    pub documents: Vec<Re3dDocument>,
    pub entities: Vec<Re3dEntity>,
    pub relations: Vec<Re3dRelation>,
}

/// What a re3d folder holds: one subset, or several.
#[derive(Clone, Debug)]
pub struct Corpus {
    pub subsets: Vec<Subset>,
    /// Read from a folder of subsets: documents are named `subset/_id`.
    pub nested: bool,
}

/// Reads a re3d folder: one subset (it holds `documents.json`) or the
/// folders inside it that hold one, in name order. A line that is not
/// JSON of the expected shape, a `documentId` that names no document and
/// an offset beyond its text are errors naming the file and the line.
pub fn read(dir: &Path) -> Result<Corpus> {
    let meta = fs::metadata(dir).map_err(|e| Error::reading(dir, e))?;
    if !meta.is_dir() {
        return Err(Error::Other(format!(
            "{}: not a folder (give a re3d subset folder or the folder of subsets)",
            dir.display()
        )));
    }
    if dir.join("documents.json").is_file() {
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| dir.display().to_string());
        return Ok(Corpus {
            subsets: vec![read_subset(dir, name)?],
            nested: false,
        });
    }
    let mut folders: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("documents.json").is_file())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(Error::Other(format!(
            "{}: not a re3d folder: no documents.json in it or in a folder inside it",
            dir.display()
        )));
    }
    let subsets = folders
        .iter()
        .map(|f| {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            read_subset(f, name)
        })
        .collect::<Result<_>>()?;
    Ok(Corpus {
        subsets,
        nested: true,
    })
}

fn read_subset(dir: &Path, name: String) -> Result<Subset> {
    let path = dir.join("documents.json");
    let mut documents: Vec<Re3dDocument> = Vec::new();
    let mut chars: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for (line, doc) in read_lines::<Re3dDocument>(&path)? {
        if let Some((_, first)) = chars.get(&doc.id) {
            return Err(at(
                &path,
                line,
                format!("document {:?} again (first on line {first})", doc.id),
            ));
        }
        chars.insert(doc.id.clone(), (doc.text.chars().count(), line));
        documents.push(doc);
    }
    documents.sort_by(|a, b| a.id.cmp(&b.id));

    // Each annotation names a document, and its offsets fit in that text.
    let check = |path: &Path, line: u64, doc: &str, spans: &[(&str, usize, usize)]| {
        let Some(&(len, _)) = chars.get(doc) else {
            return Err(at(
                path,
                line,
                format!("documentId {doc:?} is not in documents.json"),
            ));
        };
        for &(what, begin, end) in spans {
            if begin > end || end > len {
                return Err(at(
                    path,
                    line,
                    format!(
                        "{what} {begin}..{end} does not fit in document {doc:?} ({len} characters)"
                    ),
                ));
            }
        }
        Ok(())
    };
    let path = dir.join("entities.json");
    let mut entities = Vec::new();
    for (line, e) in read_lines::<Re3dEntity>(&path)? {
        check(
            &path,
            line,
            &e.document_id,
            &[("begin..end", e.begin, e.end)],
        )?;
        entities.push(e);
    }
    let path = dir.join("relations.json");
    let mut relations = Vec::new();
    for (line, r) in read_lines::<Re3dRelation>(&path)? {
        check(
            &path,
            line,
            &r.document_id,
            &[
                ("begin..end", r.begin, r.end),
                ("sourceBegin..sourceEnd", r.source_begin, r.source_end),
                ("targetBegin..targetEnd", r.target_begin, r.target_end),
            ],
        )?;
        relations.push(r);
    }
    Ok(Subset {
        name,
        documents,
        entities,
        relations,
    })
}

/// An error at a line of a file (column 1: the line as a whole).
fn at(path: &Path, line: u64, message: String) -> Error {
    Error::Syntax {
        path: path.to_path_buf(),
        line,
        column: 1,
        message,
    }
}

/// The objects of a JSON-lines file with their line numbers; blank lines
/// are skipped, a byte-order mark at the start is dropped.
fn read_lines<T: DeserializeOwned>(path: &Path) -> Result<Vec<(u64, T)>> {
    let bytes = fs::read(path).map_err(|e| Error::reading(path, e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut out = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let number = i as u64 + 1;
        let text = std::str::from_utf8(line).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: number,
            column: e.valid_up_to() as u64 + 1,
            message: "invalid UTF-8".to_string(),
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: number,
            column: e.column() as u64,
            message: e.to_string(),
        })?;
        out.push((number, value));
    }
    Ok(out)
}

/// A name as the re3d scorer compares it: normalized whole (equality), and
/// as words (containment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub joined: String,
    pub words: Vec<String>,
}

impl Name {
    pub fn new(text: &str) -> Name {
        Name {
            joined: normalize(text),
            words: words(text),
        }
    }

    /// Equal to `other`, or holding it as whole words.
    pub fn holds(&self, other: &Name) -> bool {
        (!self.joined.is_empty() && self.joined == other.joined)
            || (!other.words.is_empty()
                && self
                    .words
                    .windows(other.words.len())
                    .any(|w| w == other.words.as_slice()))
    }

    /// Equal, or one holds the other as whole words.
    pub fn overlaps(&self, other: &Name) -> bool {
        self.holds(other) || other.holds(self)
    }
}

/// The words of a name after the normalisation of [`normalize`]: a leading
/// "the" dropped, lower case, the marks that sit inside a word (`.` and
/// apostrophes: "U.S." is "us") dropped, any other character that is not
/// a letter or digit a break between words ("al-Assad" is "al", "assad").
pub fn words(name: &str) -> Vec<String> {
    let name = name.trim_start();
    let name = match name.get(..4) {
        Some(head) if head.eq_ignore_ascii_case("the ") => &name[4..],
        _ => name,
    };
    let mut out = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !matches!(c, '.' | '\'' | '\u{2018}' | '\u{2019}') && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Scores of a document, a subset or all of them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Tally {
    /// `tp_gold` of `gold` gold entities found; `tp_found` of `found`
    /// entities the graph says the documents mention named in gold.
    pub entities: Counts,
    /// Gold entities found with containment either way.
    pub entities_either_way: usize,
    /// Gold entities found (`tp_gold`) of `gold`, per re3d type; `tp_found`
    /// counts those found with containment either way.
    pub entity_types: BTreeMap<String, Counts>,
    /// `tp_gold` of `gold` gold relations found; `tp_found` of `found`
    /// relations produced that match a gold relation.
    pub relations: Counts,
    /// The same per re3d relation type (a property counts for the type it
    /// maps to).
    pub relation_types: BTreeMap<String, Counts>,
    /// Relations produced per property.
    pub produced_by_property: BTreeMap<String, usize>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            entity_types: ENTITY_TYPES
                .iter()
                .map(|t| (t.to_string(), Counts::default()))
                .collect(),
            relation_types: MAPPING
                .iter()
                .map(|(t, _, _)| (t.to_string(), Counts::default()))
                .collect(),
            ..Tally::default()
        }
    }

    fn add(&mut self, o: &Tally) {
        self.entities.add(o.entities);
        self.entities_either_way += o.entities_either_way;
        self.relations.add(o.relations);
        for (k, c) in &o.entity_types {
            self.entity_types.entry(k.clone()).or_default().add(*c);
        }
        for (k, c) in &o.relation_types {
            self.relation_types.entry(k.clone()).or_default().add(*c);
        }
        for (k, n) in &o.produced_by_property {
            *self.produced_by_property.entry(k.clone()).or_default() += n;
        }
    }
}

/// A gold entity the graph did not find.
#[derive(Clone, Debug, Serialize)]
pub struct MissedEntity {
    pub doc: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    /// A name of an entity of the document that the gold mention holds as
    /// whole words ("Tobias Ellwood" in "Minister Tobias Ellwood").
    pub holds: Option<String>,
}

/// A gold relation the graph did not state, with its sentence and what
/// the graph has instead.
#[derive(Clone, Debug, Serialize)]
pub struct MissedRelation {
    pub doc: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub target: String,
    pub why: String,
    pub sentence: String,
}

/// A relation the graph states in a document that matches no gold
/// relation, with its evidence.
#[derive(Clone, Debug, Serialize)]
pub struct Unmatched {
    pub doc: String,
    pub subject: String,
    pub property: String,
    pub object: String,
    pub rule: String,
    pub sentence: String,
}

/// An entity the graph says a document mentions that no re3d mention of
/// the document names.
#[derive(Clone, Debug, Serialize)]
pub struct Unnamed {
    pub doc: String,
    pub entity: String,
    pub class: String,
    /// The forms the document named it by, other than the label.
    pub surface: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub total: Tally,
    /// Per subset: its documents and its scores.
    pub subsets: BTreeMap<String, (usize, Tally)>,
    pub by_document: BTreeMap<String, Tally>,
    pub documents: usize,
    /// Documents whose extraction failed (their gold counts as missed).
    pub skipped: Vec<(String, String)>,
    pub missed_entities: Vec<MissedEntity>,
    pub missed_relations: Vec<MissedRelation>,
    pub unmatched: Vec<Unmatched>,
    pub unnamed: Vec<Unnamed>,
}

/// A relation a document states, with its first evidence there.
struct Stated<'g> {
    subject: &'g EntityNode,
    property: &'g str,
    object: &'g EntityNode,
    evidence: &'g crate::graph::Evidence,
}

/// A document to score: its name in the report, its text, its
/// annotations.
struct Doc<'a> {
    name: String,
    subset: &'a str,
    text: &'a str,
    entities: Vec<&'a Re3dEntity>,
    relations: Vec<&'a Re3dRelation>,
}

/// Extracts every document (in parallel, then added to one graph in
/// subset and `_id` order, as `build` does) and scores the graph. A
/// document is named `subset/_id` when the corpus is a folder of subsets,
/// else `_id`.
pub fn score(ex: &Extractor, corpus: &Corpus) -> Report {
    let mut docs: Vec<Doc<'_>> = Vec::new();
    for subset in &corpus.subsets {
        let mut entities: BTreeMap<&str, Vec<&Re3dEntity>> = BTreeMap::new();
        for e in &subset.entities {
            entities.entry(&e.document_id).or_default().push(e);
        }
        let mut relations: BTreeMap<&str, Vec<&Re3dRelation>> = BTreeMap::new();
        for r in &subset.relations {
            relations.entry(&r.document_id).or_default().push(r);
        }
        for d in &subset.documents {
            docs.push(Doc {
                name: if corpus.nested {
                    format!("{}/{}", subset.name, d.id)
                } else {
                    d.id.clone()
                },
                subset: &subset.name,
                text: &d.text,
                entities: entities.remove(d.id.as_str()).unwrap_or_default(),
                relations: relations.remove(d.id.as_str()).unwrap_or_default(),
            });
        }
    }

    let extracted: Vec<_> = docs
        .par_iter()
        .map(|d| crate::build::extract_guarded(ex, d.text))
        .collect();
    let mut graph = KnowledgeGraph::new();
    let mut report = Report {
        total: Tally::new(),
        documents: docs.len(),
        ..Report::default()
    };
    // Per document: its index in the graph and its sentences, if extracted.
    let mut in_graph: Vec<Option<(u32, Vec<Span>)>> = Vec::with_capacity(docs.len());
    for (d, extraction) in docs.iter().zip(extracted) {
        match extraction {
            Ok(extraction) => {
                let index = graph.documents.len() as u32;
                let document = Document {
                    rel_path: d.name.clone(),
                    file_name: d.name.clone(),
                    text: d.text.to_string(),
                };
                graph.add_document(ex, &document, &extraction);
                let sentences = extraction.sentences.iter().map(|s| s.span).collect();
                in_graph.push(Some((index, sentences)));
            }
            Err(reason) => {
                report.skipped.push((d.name.clone(), reason));
                in_graph.push(None);
            }
        }
    }

    // The entities and relations of each graph document.
    let mut mentioned: BTreeMap<u32, Vec<&EntityNode>> = BTreeMap::new();
    for (_, node) in graph.entities() {
        for &doc in node.mentions.keys() {
            mentioned.entry(doc).or_default().push(node);
        }
    }
    let mut stated: BTreeMap<u32, Vec<Stated<'_>>> = BTreeMap::new();
    for (s, edge, o) in graph.relations() {
        let p = ex.ontology.properties[edge.property].local.as_str();
        let mut docs = BTreeSet::new();
        for evidence in &edge.evidence {
            if docs.insert(evidence.doc) {
                stated.entry(evidence.doc).or_default().push(Stated {
                    subject: s,
                    property: p,
                    object: o,
                    evidence,
                });
            }
        }
    }

    for (d, placed) in docs.iter().zip(&in_graph) {
        let empty = (Vec::new(), Vec::new());
        let (ents, rels) = match placed {
            Some((i, _)) => (
                mentioned.get(i).unwrap_or(&empty.0),
                stated.get(i).unwrap_or(&empty.1),
            ),
            None => (&empty.0, &empty.1),
        };
        let sentences = placed.as_ref().map(|(_, s)| s.as_slice());
        let doc_index = placed.as_ref().map(|(i, _)| *i);
        let tally = score_document(ex, d, doc_index, ents, rels, sentences, &mut report);
        report.total.add(&tally);
        let (n, subset) = report
            .subsets
            .entry(d.subset.to_string())
            .or_insert_with(|| (0, Tally::new()));
        *n += 1;
        subset.add(&tally);
        report.by_document.insert(d.name.clone(), tally);
    }
    report
}

/// Scores one document, adding its misses to the report.
fn score_document(
    ex: &Extractor,
    d: &Doc<'_>,
    doc_index: Option<u32>,
    ents: &[&EntityNode],
    rels: &[Stated<'_>],
    sentences: Option<&[Span]>,
    report: &mut Report,
) -> Tally {
    let mut tally = Tally::new();
    // Every name of every entity the document mentions.
    let named: Vec<Vec<(&str, Name)>> = ents
        .iter()
        .map(|e| {
            let surface = doc_index.and_then(|i| e.surface.get(&i));
            std::iter::once(&e.label)
                .chain(&e.aliases)
                .chain(surface.into_iter().flatten())
                .map(|n| (n.as_str(), Name::new(n)))
                .collect()
        })
        .collect();
    let names: Vec<Vec<&Name>> = named
        .iter()
        .map(|own| own.iter().map(|(_, n)| n).collect())
        .collect();
    // Titles that stood for an entity alone ("the Foreign Secretary"):
    // they find a gold mention only when equal to it, as a title held in
    // a longer mention ("Foreign Secretary" in "Russian Foreign Secretary
    // X") may be anyone's.
    let titles: Vec<Name> = ents
        .iter()
        .filter_map(|e| doc_index.and_then(|i| e.titles.get(&i)))
        .flatten()
        .map(|t| Name::new(t))
        .collect();
    let entity_of: BTreeMap<&str, usize> = ents
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();

    // Gold entities: distinct (type, normalized value).
    let mut gold: BTreeMap<(&str, String), (&str, Name)> = BTreeMap::new();
    for e in &d.entities {
        if ENTITY_TYPES.contains(&e.kind.as_str())
            && e.confidence >= MIN_CONFIDENCE
            && e.value.chars().any(char::is_uppercase)
        {
            let name = Name::new(&e.value);
            if !name.joined.is_empty() {
                gold.entry((e.kind.as_str(), name.joined.clone()))
                    .or_insert((e.value.as_str(), name));
            }
        }
    }
    for ((kind, _), (value, name)) in &gold {
        // The rule of shared/corpora/README.md: the gold mention is equal
        // to a name of the graph's or holds it ("Iraqi President Fuad
        // Masum" holds "Fuad Masum").
        let found = names.iter().flatten().any(|n| name.holds(n))
            || titles.iter().any(|t| t.joined == name.joined);
        // For a miss, the shortest name of the graph's that holds the gold
        // mention ("Bashar al-Assad" for "Assad"): found the other way.
        let held = named
            .iter()
            .flatten()
            .filter(|(_, n)| n.holds(name))
            .min_by_key(|(_, n)| (n.words.len(), n.joined.len()));
        let c = tally.entity_types.entry(kind.to_string()).or_default();
        c.gold += 1;
        tally.entities.gold += 1;
        if found {
            c.tp_gold += 1;
            tally.entities.tp_gold += 1;
        } else {
            report.missed_entities.push(MissedEntity {
                doc: d.name.clone(),
                kind: kind.to_string(),
                value: clean(value),
                holds: held.map(|(text, _)| clean(text)),
            });
        }
        if found || held.is_some() {
            c.tp_found += 1;
            tally.entities_either_way += 1;
        }
    }

    // Precision: entities named by some re3d mention of the document.
    let mentions: Vec<Name> = d.entities.iter().map(|e| Name::new(&e.value)).collect();
    for (e, own) in ents.iter().zip(&names) {
        tally.entities.found += 1;
        if own.iter().any(|n| mentions.iter().any(|m| n.overlaps(m))) {
            tally.entities.tp_found += 1;
        } else {
            let surface = doc_index
                .and_then(|i| e.surface.get(&i))
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            report.unnamed.push(Unnamed {
                doc: d.name.clone(),
                entity: e.label.clone(),
                class: ex.ontology.classes[e.class].local.clone(),
                surface,
            });
        }
    }

    // The entities whose names match an argument.
    let matching = |arg: &Name| -> BTreeSet<usize> {
        names
            .iter()
            .enumerate()
            .filter(|(_, own)| own.iter().any(|n| n.overlaps(arg)))
            .map(|(i, _)| i)
            .collect()
    };
    let stated: Vec<(usize, &str, usize)> = rels
        .iter()
        .map(|r| {
            // Every relation's entities are mentioned; MAX would match nothing.
            let index = |e: &EntityNode| entity_of.get(e.key.as_str()).copied();
            let (s, o) = (index(r.subject), index(r.object));
            (s.unwrap_or(usize::MAX), r.property, o.unwrap_or(usize::MAX))
        })
        .collect();
    let mut matched = vec![false; stated.len()];

    // Gold relations: distinct (type, source, target), unordered when symmetric.
    let mut seen: BTreeSet<(&str, String, String)> = BTreeSet::new();
    for r in &d.relations {
        let Some(&(kind, symmetric, properties)) =
            MAPPING.iter().find(|(t, _, _)| *t == r.kind.as_str())
        else {
            continue;
        };
        if r.confidence < MIN_CONFIDENCE {
            continue;
        }
        let (source, target) = (Name::new(&r.source), Name::new(&r.target));
        let mut key = (kind, source.joined.clone(), target.joined.clone());
        if symmetric && key.1 > key.2 {
            std::mem::swap(&mut key.1, &mut key.2);
        }
        if !seen.insert(key) {
            continue;
        }
        let (sources, targets) = (matching(&source), matching(&target));
        let mut found = false;
        for (k, &(s, p, o)) in stated.iter().enumerate() {
            let fits = (sources.contains(&s) && targets.contains(&o))
                || (symmetric && sources.contains(&o) && targets.contains(&s));
            if fits && properties.contains(&p) {
                matched[k] = true;
                found = true;
            }
        }
        let c = tally.relation_types.entry(kind.to_string()).or_default();
        c.gold += 1;
        tally.relations.gold += 1;
        if found {
            c.tp_gold += 1;
            tally.relations.tp_gold += 1;
            continue;
        }
        let why = match (sources.is_empty(), targets.is_empty()) {
            (true, true) => "no entity for either".to_string(),
            (true, false) => "no entity for the source".to_string(),
            (false, true) => "no entity for the target".to_string(),
            (false, false) => {
                let other: BTreeSet<&str> = stated
                    .iter()
                    .filter(|(s, _, o)| {
                        (sources.contains(s) && targets.contains(o))
                            || (sources.contains(o) && targets.contains(s))
                    })
                    .map(|(_, p, _)| *p)
                    .collect();
                if other.is_empty() {
                    "both are entities, no relation between them".to_string()
                } else {
                    let other: Vec<&str> = other.into_iter().collect();
                    format!("stated as {} (not a {kind}, or reversed)", other.join(", "))
                }
            }
        };
        report.missed_relations.push(MissedRelation {
            doc: d.name.clone(),
            kind: kind.to_string(),
            source: clean(&r.source),
            target: clean(&r.target),
            why,
            sentence: sentence_of(d.text, sentences, r),
        });
    }

    // Relations produced, and those that match a gold relation.
    for (r, &hit) in rels.iter().zip(&matched) {
        if !hit {
            report.unmatched.push(Unmatched {
                doc: d.name.clone(),
                subject: r.subject.label.clone(),
                property: r.property.to_string(),
                object: r.object.label.clone(),
                rule: r.evidence.rule.id().to_string(),
                sentence: r.evidence.quote.clone(),
            });
        }
    }
    for ((_, p, _), hit) in stated.iter().zip(&matched) {
        *tally.produced_by_property.entry(p.to_string()).or_default() += 1;
        tally.relations.found += 1;
        tally.relations.tp_found += usize::from(*hit);
        if let Some((kind, _, _)) = MAPPING.iter().find(|(_, _, ps)| ps.contains(p)) {
            let c = tally.relation_types.entry(kind.to_string()).or_default();
            c.found += 1;
            c.tp_found += usize::from(*hit);
        }
    }
    tally
}

/// The sentence (or sentences) of a relation, from the extractor's
/// sentences; the line if the document was not extracted.
fn sentence_of(text: &str, sentences: Option<&[Span]>, r: &Re3dRelation) -> String {
    let first = r.begin.min(r.source_begin).min(r.target_begin);
    let last = r.end.max(r.source_end).max(r.target_end);
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let (start, end) = (byte(first), byte(last).max(byte(first)));
    let within = |s: &&Span| s.start < end.max(start + 1) && s.end > start;
    let spans: Vec<&Span> = sentences.into_iter().flatten().filter(within).collect();
    let (start, end) = match (spans.first(), spans.last()) {
        (Some(a), Some(b)) => (a.start, b.end),
        _ => (
            text[..start].rfind('\n').map_or(0, |i| i + 1),
            text[end..].find('\n').map_or(text.len(), |i| end + i),
        ),
    };
    clean(&text[start..end])
}

fn recall(c: &Counts) -> Option<f64> {
    (c.gold > 0).then(|| ratio(c.tp_gold, c.gold))
}

fn precision(c: &Counts) -> Option<f64> {
    (c.found > 0).then(|| ratio(c.tp_found, c.found))
}

/// The scores of a tally as JSON (a recall or precision with nothing to
/// count is null).
fn tally_json(t: &Tally) -> serde_json::Value {
    use serde_json::json;
    let by_type: serde_json::Map<_, _> = t
        .entity_types
        .iter()
        .map(|(k, c)| {
            let v = json!({
                "recall": recall(c), "gold": c.gold, "found": c.tp_gold,
                "recall_either_way": (c.gold > 0).then(|| ratio(c.tp_found, c.gold)),
                "found_either_way": c.tp_found,
            });
            (k.clone(), v)
        })
        .collect();
    let rel_types: serde_json::Map<_, _> = t
        .relation_types
        .iter()
        .map(|(k, c)| {
            let v = json!({
                "recall": recall(c), "gold": c.gold, "found": c.tp_gold,
                "produced": c.found, "produced_matching_gold": c.tp_found,
            });
            (k.clone(), v)
        })
        .collect();
    json!({
        "entities": {
            "recall": recall(&t.entities),
            "gold": t.entities.gold,
            "found": t.entities.tp_gold,
            "recall_either_way": (t.entities.gold > 0)
                .then(|| ratio(t.entities_either_way, t.entities.gold)),
            "found_either_way": t.entities_either_way,
            "precision": precision(&t.entities),
            "extracted": t.entities.found,
            "named_in_gold": t.entities.tp_found,
            "by_type": by_type,
        },
        "relations": {
            "recall": recall(&t.relations),
            "gold": t.relations.gold,
            "found": t.relations.tp_gold,
            "produced": t.relations.found,
            "produced_matching_gold": t.relations.tp_found,
            "by_type": rel_types,
            "produced_by_property": t.produced_by_property,
        },
    })
}

/// The report as JSON: the scores of all documents at the top, then
/// `subsets/NAME/...`, `by_document/NAME/...`, and every miss.
pub fn json(r: &Report) -> String {
    let mut value = tally_json(&r.total);
    let subsets: serde_json::Map<_, _> = r
        .subsets
        .iter()
        .map(|(name, (n, t))| {
            let mut v = tally_json(t);
            v["documents"] = (*n).into();
            (name.clone(), v)
        })
        .collect();
    let documents: serde_json::Map<_, _> = r
        .by_document
        .iter()
        .map(|(name, t)| (name.clone(), tally_json(t)))
        .collect();
    value["documents"] = r.documents.into();
    value["subsets"] = subsets.into();
    value["by_document"] = documents.into();
    value["skipped"] = serde_json::json!(r
        .skipped
        .iter()
        .map(|(doc, reason)| serde_json::json!({ "doc": doc, "reason": reason }))
        .collect::<Vec<_>>());
    value["missed_entities"] = serde_json::json!(r.missed_entities);
    value["missed_relations"] = serde_json::json!(r.missed_relations);
    value["not_named_in_gold"] = serde_json::json!(r.unnamed);
    value["produced_not_in_gold"] = serde_json::json!(r.unmatched);
    serde_json::to_string_pretty(&value).expect("a JSON value serializes")
}

/// "0.412" or "-" when there is nothing to count.
fn score_text(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// The report as aligned plain-text tables, then every miss.
pub fn table(r: &Report) -> String {
    let mut s = String::new();
    let t = &r.total;
    let _ = writeln!(
        s,
        "re3d: {} documents in {} subsets{}",
        r.documents,
        r.subsets.len(),
        if r.skipped.is_empty() {
            String::new()
        } else {
            format!(
                ", {} not extracted (their gold counts as missed)",
                r.skipped.len()
            )
        }
    );
    let _ = writeln!(
        s,
        "gold entities: Organisation, Person, Location with a capital letter, confidence >= 0.5, \
         distinct per document;\nfound: a name of an entity the document mentions equals it or \
         is held in it as whole words.\nprecision (named in gold): the entities a document mentions \
         that a re3d mention of it names\n(any type or confidence; equal, or whole words either \
         way); a lower bound.\ngold relations: the mapped types with confidence >= 0.5; found: a \
         relation of a mapped property\nbetween entities whose names match source and target \
         (whole words either way)."
    );
    let either = |c: &Counts| (c.gold > 0).then(|| ratio(c.tp_found, c.gold));
    let row = |s: &mut String, name: &str, c: &Counts, loose: Option<(Option<f64>, usize)>| {
        let _ = write!(
            s,
            "{name:<36}{:>7}{:>7}{:>7}",
            score_text(recall(c)),
            c.tp_gold,
            c.gold
        );
        if let Some((r, n)) = loose {
            let _ = write!(s, "{:>9}{n:>7}", score_text(r));
        }
        s.push('\n');
    };
    let _ = writeln!(
        s,
        "\n{:<36}{:>7}{:>7}{:>7}{:>9}{:>7}",
        "recall", "R", "found", "gold", "either", "found"
    );
    let loose = (
        (t.entities.gold > 0).then(|| ratio(t.entities_either_way, t.entities.gold)),
        t.entities_either_way,
    );
    row(&mut s, "entities", &t.entities, Some(loose));
    for kind in ENTITY_TYPES {
        let c = t.entity_types.get(kind).copied().unwrap_or_default();
        row(
            &mut s,
            &format!("  {kind}"),
            &c,
            Some((either(&c), c.tp_found)),
        );
    }
    row(&mut s, "relations", &t.relations, None);
    for (kind, c) in &t.relation_types {
        row(&mut s, &format!("  {kind}"), c, None);
    }
    let _ = writeln!(
        s,
        "(either: found also when a name of the graph's holds the gold mention as whole words)"
    );
    let _ = writeln!(
        s,
        "\n{:<36}{:>7}{:>7}{:>7}",
        "entity precision", "P", "named", "all"
    );
    let _ = writeln!(
        s,
        "{:<36}{:>7}{:>7}{:>7}",
        "named in gold",
        score_text(precision(&t.entities)),
        t.entities.tp_found,
        t.entities.found
    );
    let _ = writeln!(
        s,
        "\n{:<36}{:>7}{:>9}",
        "relations produced", "all", "in gold"
    );
    let _ = writeln!(
        s,
        "{:<36}{:>7}{:>9}",
        "all properties", t.relations.found, t.relations.tp_found
    );
    for (kind, c) in &t.relation_types {
        let _ = writeln!(
            s,
            "{:<36}{:>7}{:>9}",
            format!("  as {kind}"),
            c.found,
            c.tp_found
        );
    }
    for (p, n) in &t.produced_by_property {
        let _ = writeln!(s, "{:<36}{n:>7}", format!("  {p}"));
    }

    // One row a subset, then one a document.
    let width = r
        .by_document
        .keys()
        .chain(r.subsets.keys())
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(12)
        + 2;
    let head = |s: &mut String, title: &str| {
        let _ = writeln!(
            s,
            "\n{title:<width$}{:>6}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>9}",
            "docs", "ent R", "gold", "Person", "Loc", "Org", "ent P", "rel R", "rel gold"
        );
    };
    let line = |s: &mut String, name: &str, docs: usize, t: &Tally| {
        let typed = |k: &str| score_text(t.entity_types.get(k).and_then(recall));
        let _ = writeln!(
            s,
            "{name:<width$}{docs:>6}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>9}",
            score_text(recall(&t.entities)),
            t.entities.gold,
            typed("Person"),
            typed("Location"),
            typed("Organisation"),
            score_text(precision(&t.entities)),
            score_text(recall(&t.relations)),
            t.relations.gold,
        );
    };
    head(&mut s, "per subset");
    for (name, (n, tally)) in &r.subsets {
        line(&mut s, name, *n, tally);
    }
    head(&mut s, "per document");
    for (name, tally) in &r.by_document {
        line(&mut s, name, 1, tally);
    }

    let _ = writeln!(s, "\nmissed relations ({})", r.missed_relations.len());
    for m in &r.missed_relations {
        let _ = writeln!(
            s,
            "  {} {} {} -> {} ({})\n      \u{201C}{}\u{201D}",
            m.doc, m.kind, m.source, m.target, m.why, m.sentence
        );
    }
    let _ = writeln!(
        s,
        "\nrelations produced, not in gold ({})",
        r.unmatched.len()
    );
    for u in &r.unmatched {
        let _ = writeln!(
            s,
            "  {} {} {} {} [{}]\n      \u{201C}{}\u{201D}",
            u.doc, u.subject, u.property, u.object, u.rule, u.sentence
        );
    }
    let _ = writeln!(s, "\nmissed entities ({})", r.missed_entities.len());
    for m in &r.missed_entities {
        let holds = m
            .holds
            .as_ref()
            .map(|n| format!(" (held in {n:?})"))
            .unwrap_or_default();
        let _ = writeln!(s, "  {} {:<13}{}{holds}", m.doc, m.kind, m.value);
    }
    let _ = writeln!(s, "\nnot named in gold ({})", r.unnamed.len());
    for u in &r.unnamed {
        let also = if u.surface.is_empty() {
            String::new()
        } else {
            format!(" as {}", u.surface.join(", "))
        };
        let _ = writeln!(s, "  {} {} ({}){also}", u.doc, u.entity, u.class);
    }
    for (doc, reason) in &r.skipped {
        let _ = writeln!(s, "\nnot extracted: {doc}: {reason}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_normalisation_and_break_at_other_marks() {
        let cases: [(&str, &[&str]); 6] = [
            ("The U.S.", &["us"]),
            ("Bashar al-Assad", &["bashar", "al", "assad"]),
            ("Kata'ib  Hezbollah", &["kataib", "hezbollah"]),
            ("Ja\u{2019}afari", &["jaafari"]),
            ("Anbar, Iraq", &["anbar", "iraq"]),
            ("Theory", &["theory"]),
        ];
        for (name, want) in cases {
            assert_eq!(words(name), want, "{name}");
        }
    }

    #[test]
    fn a_name_holds_whole_words_only() {
        let n = Name::new;
        assert!(n("Bashar al-Assad").holds(&n("Assad")));
        assert!(n("Bashar al-Assad").holds(&n("the Bashar al Assad")));
        assert!(n("EUAM-Iraq").holds(&n("EUAMIraq")));
        assert!(!n("Bashar al-Assad").holds(&n("Syrian President Bashar al-Assad")));
        assert!(n("Bashar al-Assad").overlaps(&n("Syrian President Bashar al-Assad")));
        assert!(!n("Iraqi Security Forces").holds(&n("Iraq")));
        assert!(!n("Iraq").overlaps(&n("")));
        assert!(!n("").holds(&n("")));
    }
}
