//! The merge: the entities graph decided from the documents' graphs alone.
//!
//! A document's graph says which entities it mentions, how often, under
//! which surface forms, and, for a name the gazetteer does not know, its
//! own name for it, the class it gives, the rule that found it and a
//! sentence; its statements say which relations hold. From these, and
//! the ontology, one description per entity is decided:
//!
//! - an entity of the gazetteer takes its preferred label, class, aliases
//!   and `owl:sameAs` from its entry;
//! - a found entity takes the name most mentioned across the documents
//!   that name it, and the class most mentioned (ties: the smaller name or
//!   class IRI); its rule and example are those of the first document (by
//!   IRI) that gives it that name;
//! - every surface form is an alias; the relations are the union of the
//!   statements.
//!
//! Nothing depends on the order the documents come in, so building the
//! parts of a corpus apart and merging them gives the graph of building
//! it at once. [`crate::graph::KnowledgeGraph`] decides by the same rule
//! as documents are added; `stratagraph merge` and the store decide here,
//! from quads.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use crate::error::{Error, Result};
use crate::ontology::{Ontology, OWL, RDF, RDFS, SG, SKOS};
use crate::rdf::{self, Syntax};

/// The named graph of the entities' merged descriptions.
pub const ENTITIES_GRAPH: &str = "https://w3id.org/stratagraph/entities";

/// The key with the highest count; on a tie, the first (the smallest, in
/// a sorted map's order).
pub fn most<'a>(counts: impl Iterator<Item = (&'a str, u32)>) -> &'a str {
    let mut best: Option<(&str, u32)> = None;
    for (key, count) in counts {
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((key, count));
        }
    }
    best.map_or("", |(k, _)| k)
}

/// What the documents' graphs say about one entity.
#[derive(Clone, Debug, Default)]
struct Facts {
    /// The gazetteer entry's IRI, if the entity is one.
    entry: Option<String>,
    mentions: u32,
    documents: BTreeSet<String>,
    surfaces: BTreeSet<String>,
    names: BTreeMap<String, u32>,
    classes: BTreeMap<String, u32>,
    /// By name: the first document (by IRI) giving it, with its rule and
    /// example.
    first: BTreeMap<String, (String, String, String)>,
    relations: BTreeSet<(String, String)>,
}

/// One mention node or statement, read from a document's graph: its
/// types and its other predicates and objects, borrowed from the triples.
#[derive(Default)]
struct Node<'a> {
    types: Vec<&'a str>,
    values: Vec<(&'a str, &'a Term)>,
}

impl<'a> Node<'a> {
    fn iri(&self, p: &str) -> Option<&'a str> {
        self.values.iter().find_map(|&(q, o)| match o {
            Term::NamedNode(n) if q == p => Some(n.as_str()),
            _ => None,
        })
    }

    fn texts<'s>(&'s self, p: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.values.iter().filter_map(move |&(q, o)| match o {
            Term::Literal(l) if q == p => Some(l.value()),
            _ => None,
        })
    }

    fn text(&self, p: &str) -> Option<&'a str> {
        self.texts(p).next()
    }
}

/// The IRIs a mention node and a statement are read by, made once.
struct Terms {
    rdf_type: String,
    mention: String,
    statement: String,
    entity: String,
    document: String,
    count: String,
    entry: String,
    surface: String,
    name: String,
    class: String,
    rule: String,
    example: String,
    subject: String,
    predicate: String,
    object: String,
}

impl Terms {
    fn new() -> Terms {
        let sg = |local: &str| format!("{SG}{local}");
        let rdf = |local: &str| format!("{RDF}{local}");
        Terms {
            rdf_type: rdf("type"),
            mention: sg("Mention"),
            statement: rdf("Statement"),
            entity: sg("entity"),
            document: sg("document"),
            count: sg("count"),
            entry: sg("entry"),
            surface: sg("surface"),
            name: sg("name"),
            class: sg("class"),
            rule: sg("rule"),
            example: sg("example"),
            subject: rdf("subject"),
            predicate: rdf("predicate"),
            object: rdf("object"),
        }
    }
}

/// The facts of every entity, gathered from documents' graphs.
#[derive(Default)]
pub struct Gathered {
    entities: BTreeMap<String, Facts>,
}

impl Gathered {
    /// The predicates [`Gathered::add_graph`] reads, and the types that
    /// make a node a mention or a statement: what a store need hand it.
    pub fn read_by() -> (Vec<String>, [String; 2]) {
        let t = Terms::new();
        let predicates = vec![
            t.rdf_type,
            t.entity,
            t.document,
            t.count,
            t.entry,
            t.surface,
            t.name,
            t.class,
            t.rule,
            t.example,
            t.subject,
            t.predicate,
            t.object,
        ];
        (predicates, [t.mention, t.statement])
    }

    /// Reads the mention nodes and statements of documents' graphs (their
    /// subjects are each document's own, so graphs may come together).
    pub fn add_graph<'a>(&mut self, triples: impl IntoIterator<Item = &'a Triple>) {
        let t = Terms::new();
        let mut nodes: HashMap<&NamedOrBlankNode, Node<'a>> = HashMap::new();
        for triple in triples {
            let node = nodes.entry(&triple.subject).or_default();
            match &triple.object {
                Term::NamedNode(n) if triple.predicate.as_str() == t.rdf_type => {
                    node.types.push(n.as_str())
                }
                object => node.values.push((triple.predicate.as_str(), object)),
            }
        }
        for node in nodes.values() {
            if node.types.contains(&t.mention.as_str()) {
                let (Some(e), Some(d)) = (node.iri(&t.entity), node.iri(&t.document)) else {
                    continue;
                };
                let count: u32 = node
                    .text(&t.count)
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                let facts = self.entities.entry(e.to_string()).or_default();
                facts.mentions += count;
                facts.documents.insert(d.to_string());
                if let Some(entry) = node.iri(&t.entry) {
                    facts.entry = Some(entry.to_string());
                }
                facts
                    .surfaces
                    .extend(node.texts(&t.surface).map(str::to_string));
                if let (Some(name), Some(class)) = (node.text(&t.name), node.iri(&t.class)) {
                    *facts.names.entry(name.to_string()).or_default() += count;
                    *facts.classes.entry(class.to_string()).or_default() += count;
                    let said = || {
                        let rule = node.text(&t.rule).unwrap_or("");
                        let example = node.text(&t.example).unwrap_or("");
                        (d.to_string(), rule.to_string(), example.to_string())
                    };
                    let first = facts.first.entry(name.to_string()).or_insert_with(said);
                    if d < first.0.as_str() {
                        *first = said();
                    }
                }
            } else if node.types.contains(&t.statement.as_str()) {
                let s = node.iri(&t.subject);
                let p = node.iri(&t.predicate);
                let o = node.iri(&t.object);
                if let (Some(s), Some(p), Some(o)) = (s, p, o) {
                    self.entities
                        .entry(s.to_string())
                        .or_default()
                        .relations
                        .insert((p.to_string(), o.to_string()));
                }
            }
        }
    }

    /// The entities graph: each entity mentioned, described once, with
    /// the plain triples of its relations; and the candidates (the
    /// entities the gazetteer does not know).
    pub fn decide(&self, ontology: &Ontology) -> (Vec<Quad>, Vec<Candidate>) {
        let entries: HashMap<&str, &crate::ontology::Entry> = ontology
            .entries
            .iter()
            .map(|e| (e.source_iri.as_str(), e))
            .collect();
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(ENTITIES_GRAPH));
        let p = |ns: &str, local: &str| NamedNode::new_unchecked(format!("{ns}{local}"));
        let (rdf_type, label, pref, alt, same_as) = (
            p(RDF, "type"),
            p(RDFS, "label"),
            p(SKOS, "prefLabel"),
            p(SKOS, "altLabel"),
            p(OWL, "sameAs"),
        );
        let mut quads = Vec::new();
        let mut candidates = Vec::new();
        for (iri, facts) in &self.entities {
            let Ok(subject) = NamedNode::new(iri.as_str()) else {
                continue;
            };
            let mut triples: Vec<(NamedNode, Term)> = Vec::new();
            for (property, object) in &facts.relations {
                if let (Ok(p), Ok(o)) = (NamedNode::new(property), NamedNode::new(object)) {
                    triples.push((p, o.into()));
                }
            }
            if facts.documents.is_empty() {
                // Only a statement's subject without a mention: nothing to describe.
                push_sorted(&mut quads, &subject, triples, &graph);
                continue;
            }
            let entry = facts.entry.as_deref().and_then(|e| entries.get(e));
            let (name, class, aliases, same): (String, String, Vec<&str>, Vec<&str>) = match entry {
                Some(e) => (
                    e.pref_label.clone(),
                    ontology.classes[e.class].iri.clone(),
                    e.alt_labels
                        .iter()
                        .chain(&e.exact_labels)
                        .map(String::as_str)
                        .collect(),
                    e.same_as.iter().map(String::as_str).collect(),
                ),
                None => {
                    let name = most(facts.names.iter().map(|(k, &v)| (k.as_str(), v)));
                    let class = most(facts.classes.iter().map(|(k, &v)| (k.as_str(), v)));
                    (name.to_string(), class.to_string(), Vec::new(), Vec::new())
                }
            };
            if let Ok(c) = NamedNode::new(class.as_str()) {
                triples.push((rdf_type.clone(), c.into()));
            }
            let text = |s: &str| Term::from(Literal::new_simple_literal(s));
            triples.push((label.clone(), text(&name)));
            triples.push((pref.clone(), text(&name)));
            for s in same {
                if let Ok(s) = NamedNode::new(s) {
                    triples.push((same_as.clone(), s.into()));
                }
            }
            for a in aliases
                .into_iter()
                .chain(facts.surfaces.iter().map(String::as_str))
            {
                if a != name {
                    triples.push((alt.clone(), text(a)));
                }
            }
            push_sorted(&mut quads, &subject, triples, &graph);
            if entry.is_none() {
                let (_, rule, example) = facts.first.get(&name).cloned().unwrap_or_default();
                let class = ontology
                    .class_by_iri(&class)
                    .map(|c| ontology.classes[c].local.clone())
                    .unwrap_or(class);
                candidates.push(Candidate {
                    entity: iri.clone(),
                    name,
                    class,
                    rule,
                    mentions: facts.mentions,
                    documents: facts.documents.len(),
                    example,
                });
            }
        }
        sort_candidates(&mut candidates);
        (quads, candidates)
    }
}

/// Appends a subject's triples as quads, sorted as every graph written is.
fn push_sorted(out: &mut Vec<Quad>, s: &NamedNode, mut po: Vec<(NamedNode, Term)>, g: &GraphName) {
    let rdf_type = format!("{RDF}type");
    po.sort_by(|a, b| {
        (b.0.as_str() == rdf_type)
            .cmp(&(a.0.as_str() == rdf_type))
            .then_with(|| a.0.as_str().cmp(b.0.as_str()))
            .then_with(|| rdf::term_cmp(a.1.as_ref(), b.1.as_ref()))
    });
    po.dedup();
    out.extend(
        po.into_iter()
            .map(|(p, o)| Quad::new(s.clone(), p, o, g.clone())),
    );
}

/// One row of `candidates.tsv`: an entity the gazetteer does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub entity: String,
    pub name: String,
    pub class: String,
    pub rule: String,
    pub mentions: u32,
    pub documents: usize,
    pub example: String,
}

/// Most mentioned first, then by name and IRI.
pub fn sort_candidates(rows: &mut [Candidate]) {
    rows.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.entity.cmp(&b.entity))
    });
}

/// Writes the candidates as tab-separated values with a header: the
/// entity's IRI (the key shards sum on), name, class, rule, mentions,
/// documents, example sentence.
pub fn write_candidates(
    rows: &[Candidate],
    spreadsheet_safe: bool,
    w: &mut impl Write,
) -> std::io::Result<()> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(w);
    out.write_record([
        "entity",
        "name",
        "class",
        "rule",
        "mentions",
        "documents",
        "example",
    ])?;
    for row in rows {
        let cell = |s: &str| crate::export::neutralise(s, spreadsheet_safe);
        out.write_record([
            row.entity.as_str(),
            cell(&row.name).as_str(),
            row.class.as_str(),
            row.rule.as_str(),
            &row.mentions.to_string(),
            &row.documents.to_string(),
            cell(&row.example).as_str(),
        ])?;
    }
    out.flush()
}

/// What `merge` is asked to do.
#[derive(Clone, Debug)]
pub struct MergeConfig {
    pub parts: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub syntaxes: Vec<Syntax>,
    pub base: String,
    pub spreadsheet_safe: bool,
}

/// What a merge did.
#[derive(Clone, Debug, Default)]
pub struct MergeSummary {
    pub parts: usize,
    pub documents: usize,
    pub entities: usize,
    pub candidates: usize,
    pub quads: usize,
    pub written: Vec<PathBuf>,
}

/// Merges parts (the documents' graphs written by `build` or `extract`)
/// into the outputs a single build of all their documents writes. The
/// entities and ontology graphs of the parts are decided again, not
/// copied; a document found in two parts is an error naming both.
pub fn run(ontology: &Ontology, config: &MergeConfig) -> Result<MergeSummary> {
    let skip: [&str; 2] = [ENTITIES_GRAPH, crate::store::ONTOLOGY_GRAPH];
    let mut docs: BTreeMap<String, (PathBuf, Vec<Triple>)> = BTreeMap::new();
    for part in &config.parts {
        let mut here: BTreeMap<String, Vec<Triple>> = BTreeMap::new();
        for quad in crate::store::read_rdf_iter(part)? {
            let quad = quad?;
            let GraphName::NamedNode(g) = &quad.graph_name else {
                return Err(Error::Usage(format!(
                    "{}: a triple outside any document's graph ({}); parts are the N-Quads that `build` or `extract` write",
                    part.display(),
                    crate::cli::for_terminal(&Triple::from(quad.clone()).to_string())
                )));
            };
            if skip.contains(&g.as_str()) {
                continue;
            }
            here.entry(g.as_str().to_string())
                .or_default()
                .push(Triple::from(quad));
        }
        for (g, triples) in here {
            if let Some((first, _)) = docs.get(&g) {
                return Err(Error::DuplicateDocument {
                    id: g,
                    first: first.clone(),
                    second: part.clone(),
                });
            }
            docs.insert(g, (part.clone(), triples));
        }
    }
    let mut gathered = Gathered::default();
    let mut quads = Vec::new();
    for (g, (_, triples)) in &mut docs {
        gathered.add_graph(triples.iter());
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(g.as_str()));
        triples.sort_by(|a, b| rdf::triple_cmp(a.as_ref(), b.as_ref()));
        triples.dedup();
        quads.extend(
            triples
                .drain(..)
                .map(|t| Quad::new(t.subject, t.predicate, t.object, graph.clone())),
        );
    }
    let (entities, candidates) = gathered.decide(ontology);
    let entity_count = entities
        .iter()
        .map(|q| &q.subject)
        .collect::<std::collections::HashSet<_>>()
        .len();
    quads.extend(entities);
    quads.extend(ontology_quads(ontology));
    std::fs::create_dir_all(&config.out_dir).map_err(|e| Error::io(&config.out_dir, e))?;
    let mut written = Vec::new();
    for &syntax in &config.syntaxes {
        let path = config.out_dir.join(syntax.file_name());
        crate::build::write_atomically(&path, |w| {
            rdf::write(syntax, &quads, &config.base, w).map(|_| ())
        })?;
        written.push(path);
    }
    let path = config.out_dir.join("candidates.tsv");
    crate::build::write_atomically(&path, |w| {
        write_candidates(&candidates, config.spreadsheet_safe, w)
    })?;
    written.push(path);
    Ok(MergeSummary {
        parts: config.parts.len(),
        documents: docs.len(),
        entities: entity_count,
        candidates: candidates.len(),
        quads: quads.len(),
        written,
    })
}

/// The ontology's graph (its triples are kept in the order every graph
/// is written in).
pub fn ontology_quads(ontology: &Ontology) -> Vec<Quad> {
    let g = GraphName::NamedNode(NamedNode::new_unchecked(crate::store::ONTOLOGY_GRAPH));
    ontology
        .triples
        .iter()
        .map(|t| {
            Quad::new(
                t.subject.clone(),
                t.predicate.clone(),
                t.object.clone(),
                g.clone(),
            )
        })
        .collect()
}
