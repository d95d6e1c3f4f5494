//! The knowledge graph: a petgraph `StableDiGraph` with one node per
//! entity, however many documents name it, and one edge per (subject,
//! property, object) carrying every piece of evidence for it. Entities are
//! identified by their key (see [`crate::iri::key`]) through a map, never by
//! `NodeIndex`. The graph knows nothing of RDF.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use crate::extract::dates::When;
use crate::extract::{Extraction, Extractor, Mention, Rule};
use crate::ingest::Document;
use crate::iri;
use crate::ontology::{ClassId, EntryId, PropertyId};
use crate::text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentInfo {
    pub rel_path: String,
    pub file_name: String,
    pub byte_len: usize,
    pub sentences: usize,
}

#[derive(Clone, Debug)]
pub struct EntityNode {
    pub key: String,
    pub label: String,
    pub class: ClassId,
    /// Every other name: the gazetteer's aliases and the surface forms seen.
    pub aliases: BTreeSet<String>,
    pub same_as: Vec<String>,
    pub entry: Option<EntryId>,
    /// For an entity the gazetteer does not know: the rule that found it,
    /// and a sentence naming it (see [`crate::merge`] for which).
    pub found_by: Option<crate::extract::discover::How>,
    pub example: Option<String>,
    /// Mentions per document index.
    pub mentions: BTreeMap<u32, u32>,
    /// Surface forms per document index (anaphors and demonyms left out).
    pub surface: BTreeMap<u32, BTreeSet<String>>,
    /// Titles that stand for the entity alone, per document index ("the
    /// Foreign Secretary"): the document's forms for it, but no names of
    /// it, so no aliases.
    pub titles: BTreeMap<u32, BTreeSet<String>>,
    /// For an entity the gazetteer does not know: what each document
    /// calls it, by document index. The label, class, rule and example
    /// above are decided from these alone, whatever the order the
    /// documents came in.
    pub proposals: BTreeMap<u32, Proposal>,
    tally: Option<Box<Tally>>,
}

/// The proposals of a found entity, summed: mentions by name and by class
/// IRI, and the first document (by IRI path, with its index) of each name.
#[derive(Clone, Debug, Default)]
struct Tally {
    names: BTreeMap<String, u32>,
    classes: BTreeMap<String, u32>,
    first: BTreeMap<String, (String, u32)>,
}

/// One document's account of an entity the gazetteer does not know: its
/// own name for it (the document's longest form), the class it gives, the
/// rule that found it and the first sentence naming it.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub name: String,
    pub class: ClassId,
    pub how: crate::extract::discover::How,
    pub example: String,
}

/// One sentence's support for a relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub doc: u32,
    pub sentence: Span,
    pub quote: String,
    pub subject: Span,
    pub subject_text: String,
    pub object: Span,
    pub object_text: String,
    /// How each name matched: the naming rule ("name.gazetteer",
    /// "name.anaphor", "name.acronym", ...).
    pub subject_rule: &'static str,
    pub object_rule: &'static str,
    pub cue: Span,
    pub cue_text: String,
    /// The ontology's cue phrase that matched, if a cue rule fired.
    pub cue_phrase: Option<String>,
    pub rule: Rule,
    pub confidence: f32,
    pub when: Option<When>,
    pub modality: Option<String>,
    /// Reported speech: the key of the entity that said so.
    pub attributed_to: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RelationEdge {
    pub property: PropertyId,
    pub evidence: Vec<Evidence>,
}

#[derive(Default)]
pub struct KnowledgeGraph {
    pub graph: StableDiGraph<EntityNode, RelationEdge>,
    nodes: BTreeMap<String, NodeIndex>,
    edges: HashMap<(NodeIndex, PropertyId, NodeIndex), EdgeIndex>,
    pub documents: Vec<DocumentInfo>,
    /// The gazetteer's entries by key, made on first use.
    known: HashMap<String, EntryId>,
}

impl KnowledgeGraph {
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    pub fn node(&self, key: &str) -> Option<NodeIndex> {
        self.nodes.get(key).copied()
    }

    /// Entities in key order.
    pub fn entities(&self) -> impl Iterator<Item = (NodeIndex, &EntityNode)> + '_ {
        self.nodes.values().map(move |&n| (n, &self.graph[n]))
    }

    /// Relations in (subject key, property, object key) order.
    pub fn relations(&self) -> Vec<(&EntityNode, &RelationEdge, &EntityNode)> {
        let mut out: Vec<_> = (&self.graph)
            .edge_references()
            .map(|e| (&self.graph[e.source()], e.weight(), &self.graph[e.target()]))
            .collect();
        out.sort_by(|a, b| {
            (&a.0.key, a.1.property, &a.2.key).cmp(&(&b.0.key, b.1.property, &b.2.key))
        });
        out
    }

    pub fn entity_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn relation_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node of a mention's entity: a gazetteer entry's (also for a
    /// found name whose key is an entry's), or a found name's, merged with
    /// any entity of the same key.
    fn entity_for(&mut self, ex: &Extractor, extraction: &Extraction, entry: EntryId) -> NodeIndex {
        if ex.is_known(entry) {
            return self.entity_for_entry(ex, entry);
        }
        let local = &extraction.local[entry - ex.ontology.entries.len()];
        let key = iri::key(&local.name);
        if let Some(&n) = self.nodes.get(&key) {
            return n;
        }
        if self.known.is_empty() {
            self.known = ex
                .ontology
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (iri::key(&e.pref_label), i))
                .collect();
        }
        if let Some(&known) = self.known.get(&key) {
            return self.entity_for_entry(ex, known);
        }
        let n = self.graph.add_node(EntityNode {
            key: key.clone(),
            label: local.name.clone(),
            class: local.class,
            aliases: BTreeSet::new(),
            same_as: Vec::new(),
            entry: None,
            found_by: Some(local.how),
            example: None,
            mentions: BTreeMap::new(),
            surface: BTreeMap::new(),
            titles: BTreeMap::new(),
            proposals: BTreeMap::new(),
            tally: None,
        });
        self.nodes.insert(key, n);
        n
    }

    fn entity_for_entry(&mut self, ex: &Extractor, entry: EntryId) -> NodeIndex {
        let e = &ex.ontology.entries[entry];
        let key = iri::key(&e.pref_label);
        if let Some(&n) = self.nodes.get(&key) {
            return n;
        }
        let aliases = e
            .alt_labels
            .iter()
            .chain(&e.exact_labels)
            .filter(|a| **a != e.pref_label)
            .cloned()
            .collect();
        let n = self.graph.add_node(EntityNode {
            key: key.clone(),
            label: e.pref_label.clone(),
            class: e.class,
            aliases,
            same_as: e.same_as.clone(),
            entry: Some(entry),
            found_by: None,
            example: None,
            mentions: BTreeMap::new(),
            surface: BTreeMap::new(),
            titles: BTreeMap::new(),
            proposals: BTreeMap::new(),
            tally: None,
        });
        self.nodes.insert(key, n);
        n
    }

    /// Counts a document's proposal for a found entity and decides again
    /// its label, class, rule and example, by the rule of
    /// [`crate::merge`]: the name and class most mentioned (ties: the
    /// smaller), the example of the first document (by IRI) giving that
    /// name. Only the proposals count, never the order documents came in.
    fn decide(&mut self, ex: &Extractor, n: NodeIndex, d: u32) {
        let doc_key = iri::encode_path(&self.documents[d as usize].rel_path);
        let node = &mut self.graph[n];
        let (Some(p), Some(&count)) = (node.proposals.get(&d), node.mentions.get(&d)) else {
            return;
        };
        let tally = node.tally.get_or_insert_with(Default::default);
        *tally.names.entry(p.name.clone()).or_default() += count;
        let class = ex.ontology.classes[p.class].iri.clone();
        *tally.classes.entry(class).or_default() += count;
        let first = tally
            .first
            .entry(p.name.clone())
            .or_insert((doc_key.clone(), d));
        if doc_key < first.0 {
            *first = (doc_key, d);
        }
        let label = crate::merge::most(tally.names.iter().map(|(k, &v)| (k.as_str(), v)));
        let class = crate::merge::most(tally.classes.iter().map(|(k, &v)| (k.as_str(), v)));
        let (label, class) = (label.to_string(), class.to_string());
        let first = tally.first[&label].1;
        let chosen = node.proposals[&first].clone();
        node.found_by = Some(chosen.how);
        node.example = Some(chosen.example);
        node.label = label;
        if let Some(c) = ex.ontology.class_by_iri(&class) {
            node.class = c;
        }
    }

    /// Adds one document's extraction. Documents must be added in a fixed
    /// order for the output to be the same from run to run.
    pub fn add_document(&mut self, ex: &Extractor, doc: &Document, extraction: &Extraction) {
        let doc_index = self.documents.len() as u32;
        self.documents.push(DocumentInfo {
            rel_path: doc.rel_path.clone(),
            file_name: doc.file_name.clone(),
            byte_len: doc.text.len(),
            sentences: extraction.sentences.len(),
        });
        let text = doc.text.as_str();
        let mut node_of = Vec::with_capacity(extraction.mentions.len());
        let mut proposed = Vec::new();
        for m in &extraction.mentions {
            let n = self.entity_for(ex, extraction, m.entry);
            let node = &mut self.graph[n];
            *node.mentions.entry(doc_index).or_default() += 1;
            if m.label == crate::extract::TITLE_LABEL {
                let title = clean(&text[m.span.start..m.span.end]);
                node.titles.entry(doc_index).or_default().insert(title);
            } else if !m.anaphor && !m.demonym {
                let surface = clean(&text[m.span.start..m.span.end]);
                node.surface.entry(doc_index).or_default().insert(surface);
            }
            if node.entry.is_none() && !node.proposals.contains_key(&doc_index) {
                // The document's first mention of a found name: its own
                // name for it, class and sentence.
                let local = match ex.is_known(m.entry) {
                    true => None,
                    false => extraction.local.get(m.entry - ex.ontology.entries.len()),
                };
                if let Some(local) = local {
                    let sentence = extraction.sentences[m.sentence as usize].span;
                    node.proposals.insert(
                        doc_index,
                        Proposal {
                            name: local.name.clone(),
                            class: local.class,
                            how: local.how,
                            example: clean(&text[sentence.start..sentence.end]),
                        },
                    );
                    proposed.push(n);
                }
            }
            node_of.push(n);
        }
        for n in proposed {
            self.decide(ex, n, doc_index);
        }
        for r in &extraction.relations {
            let (mut s, mut o) = (node_of[r.subject as usize], node_of[r.object as usize]);
            let (mut sm, mut om) = (
                extraction.mentions[r.subject as usize],
                extraction.mentions[r.object as usize],
            );
            // A symmetric relation is kept once, from the smaller key.
            if ex.ontology.properties[r.property].symmetric && self.graph[s].key > self.graph[o].key
            {
                std::mem::swap(&mut s, &mut o);
                std::mem::swap(&mut sm, &mut om);
            }
            let sentence = extraction.sentences[r.sentence as usize].span;
            let evidence = Evidence {
                doc: doc_index,
                sentence,
                quote: clean(&text[sentence.start..sentence.end]),
                subject: sm.span,
                subject_text: clean(&text[sm.span.start..sm.span.end]),
                object: om.span,
                object_text: clean(&text[om.span.start..om.span.end]),
                subject_rule: naming_rule(ex, extraction, &sm),
                object_rule: naming_rule(ex, extraction, &om),
                cue: r.cue_span,
                cue_text: clean(&text[r.cue_span.start..r.cue_span.end]),
                cue_phrase: r.cue.map(|c| ex.ontology.cues[c].phrase.clone()),
                rule: r.rule,
                confidence: r.confidence,
                when: r.when,
                modality: r.modality.map(|m| text[m.start..m.end].to_string()),
                attributed_to: r
                    .attributed_to
                    .map(|m| self.graph[node_of[m as usize]].key.clone()),
            };
            let e = *self.edges.entry((s, r.property, o)).or_insert_with(|| {
                self.graph.add_edge(
                    s,
                    o,
                    RelationEdge {
                        property: r.property,
                        evidence: Vec::new(),
                    },
                )
            });
            self.graph[e].evidence.push(evidence);
        }
    }
}

/// The rule that named a mention's entity.
fn naming_rule(ex: &Extractor, extraction: &Extraction, m: &Mention) -> &'static str {
    if m.anaphor {
        "name.anaphor"
    } else if m.label == crate::extract::TITLE_LABEL {
        "name.title-reference"
    } else if m.label == crate::extract::VARIANT_LABEL {
        "name.spelling-variant"
    } else if m.inside.is_some() {
        "name.inner"
    } else if ex.is_known(m.entry) {
        "name.gazetteer"
    } else {
        extraction.local[m.entry - ex.ontology.entries.len()]
            .how
            .id()
    }
}

/// Folds runs of white space (line breaks inside a quoted sentence) to one space.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}
