//! The graph as RDF: one named graph per document, holding the document's
//! node, the entities it mentions and the relations it states, each as a
//! plain triple and as a reified `rdf:Statement` derived from an evidence
//! node. Subjects are written in IRI order and each subject's triples
//! sorted (rdf:type first), so the same graph always gives the same bytes;
//! the text syntaxes are written in parallel chunks concatenated in order.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer, WriterQuadSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphName, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, Term, TermRef,
    TripleRef,
};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, NodeIndexable};

use crate::error::{Error, Result};
use crate::graph::{DocumentInfo, Evidence, KnowledgeGraph};
use crate::iri;
use crate::ontology::{Ontology, PropertyId, OWL, PROV, RDF, RDFS, SG, SKOS, XSD};

pub const DEFAULT_BASE: &str = "https://w3id.org/stratagraph/id/";
pub const EDTF: &str = "http://id.loc.gov/datatypes/edtf/EDTF";

/// The RDF syntaxes Stratagraph writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Syntax {
    Turtle,
    #[value(name = "nquads")]
    NQuads,
    #[value(name = "ntriples")]
    NTriples,
    #[value(name = "trig")]
    TriG,
    #[value(name = "rdfxml")]
    RdfXml,
    #[value(name = "jsonld")]
    JsonLd,
}

impl Syntax {
    pub fn format(self) -> RdfFormat {
        match self {
            Syntax::Turtle => RdfFormat::Turtle,
            Syntax::NQuads => RdfFormat::NQuads,
            Syntax::NTriples => RdfFormat::NTriples,
            Syntax::TriG => RdfFormat::TriG,
            Syntax::RdfXml => RdfFormat::RdfXml,
            Syntax::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }

    pub fn file_name(self) -> String {
        let ext = match self {
            Syntax::Turtle => "ttl",
            Syntax::NQuads => "nq",
            Syntax::NTriples => "nt",
            Syntax::TriG => "trig",
            Syntax::RdfXml => "rdf",
            Syntax::JsonLd => "jsonld",
        };
        format!("graph.{ext}")
    }
}

/// The prefixes written in Turtle, TriG and RDF/XML.
pub fn prefixes(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("sg", SG.to_string()),
        ("id", base.to_string()),
        ("doc", format!("{base}doc/")),
        ("evidence", format!("{base}evidence/")),
        ("mention", format!("{base}mention/")),
        ("statement", format!("{base}statement/")),
        ("rdf", RDF.to_string()),
        ("rdfs", RDFS.to_string()),
        ("skos", SKOS.to_string()),
        ("owl", OWL.to_string()),
        ("prov", PROV.to_string()),
        ("xsd", XSD.to_string()),
        ("wd", "http://www.wikidata.org/entity/".to_string()),
    ]
}

/// Builds the IRIs of a graph under a base.
pub struct Iris {
    base: String,
}

impl Iris {
    pub fn new(base: &str) -> Result<Iris> {
        NamedNode::new(format!("{base}x"))
            .map_err(|e| Error::Usage(format!("--base {base:?} is not a valid IRI: {e}")))?;
        Ok(Iris {
            base: base.to_string(),
        })
    }

    fn node(&self, tail: &str) -> NamedNode {
        NamedNode::new(format!("{}{tail}", self.base)).expect("encoded IRI tails are valid")
    }

    pub fn entity(&self, key: &str) -> NamedNode {
        let key = if key.is_empty() { "_" } else { key };
        self.node(&iri::encode_segment(key))
    }

    pub fn document(&self, doc: &DocumentInfo) -> NamedNode {
        self.node(&format!("doc/{}", iri::encode_path(&doc.rel_path)))
    }
}

macro_rules! vocab {
    ($($field:ident = $ns:expr, $local:expr;)*) => {
        /// The IRIs of the predicates and classes written, made once.
        struct Vocab { $($field: String,)* }
        impl Vocab {
            fn new() -> Vocab {
                Vocab { $($field: format!("{}{}", $ns, $local),)* }
            }
        }
    };
}

vocab! {
    rdf_type = RDF, "type";
    rdf_statement = RDF, "Statement";
    rdf_subject = RDF, "subject";
    rdf_predicate = RDF, "predicate";
    rdf_object = RDF, "object";
    label = RDFS, "label";
    pref_label = SKOS, "prefLabel";
    alt_label = SKOS, "altLabel";
    same_as = OWL, "sameAs";
    derived_from = PROV, "wasDerivedFrom";
    attributed_to = PROV, "wasAttributedTo";
    xsd_integer = XSD, "integer";
    xsd_decimal = XSD, "decimal";
    document_class = SG, "Document";
    evidence_class = SG, "Evidence";
    file_name = SG, "fileName";
    path = SG, "path";
    byte_length = SG, "byteLength";
    mentioned_in = SG, "mentionedIn";
    date = SG, "date";
    document = SG, "document";
    quote = SG, "quote";
    byte_start = SG, "byteStart";
    byte_end = SG, "byteEnd";
    subject_text = SG, "subjectText";
    subject_span = SG, "subjectSpan";
    subject_rule = SG, "subjectRule";
    object_text = SG, "objectText";
    object_span = SG, "objectSpan";
    object_rule = SG, "objectRule";
    cue_text = SG, "cueText";
    cue_span = SG, "cueSpan";
    cue_phrase = SG, "cuePhrase";
    rule = SG, "rule";
    confidence = SG, "confidence";
    modality = SG, "modality";
    mention_class = SG, "Mention";
    entity = SG, "entity";
    count = SG, "count";
    name = SG, "name";
    surface = SG, "surface";
    title_form = SG, "titleForm";
    example = SG, "example";
    entry = SG, "entry";
    class = SG, "class";
}

/// An object term, borrowed where the graph holds the string and owned
/// where it is formatted (numbers, spans).
#[derive(Clone, Debug, PartialEq)]
enum Obj<'a> {
    Iri(Cow<'a, str>),
    Plain(Cow<'a, str>),
    Typed(Cow<'a, str>, Cow<'a, str>),
    Lang(Cow<'a, str>, Cow<'a, str>),
}

impl Obj<'_> {
    fn term(&self) -> TermRef<'_> {
        match self {
            Obj::Iri(iri) => NamedNodeRef::new_unchecked(iri).into(),
            Obj::Plain(value) => LiteralRef::new_simple_literal(value).into(),
            Obj::Typed(value, datatype) => {
                LiteralRef::new_typed_literal(value, NamedNodeRef::new_unchecked(datatype)).into()
            }
            Obj::Lang(value, lang) => {
                LiteralRef::new_language_tagged_literal_unchecked(value, lang).into()
            }
        }
    }

    /// A term of the ontology's graph (whose blank nodes are skolem IRIs).
    fn of(term: &Term) -> Obj<'_> {
        match term {
            Term::Literal(l) => match l.language() {
                Some(lang) => Obj::Lang(Cow::Borrowed(l.value()), Cow::Borrowed(lang)),
                None if l.datatype() == oxigraph::model::vocab::xsd::STRING => {
                    Obj::Plain(Cow::Borrowed(l.value()))
                }
                None => Obj::Typed(
                    Cow::Borrowed(l.value()),
                    Cow::Borrowed(l.datatype().as_str()),
                ),
            },
            Term::NamedNode(n) => Obj::Iri(Cow::Borrowed(n.as_str())),
            other => Obj::Iri(Cow::Owned(other.to_string())),
        }
    }
}

/// A predicate and an object of one subject.
type Pair<'a> = (&'a str, Obj<'a>);

fn iri(s: &str) -> Obj<'_> {
    Obj::Iri(Cow::Borrowed(s))
}

fn plain(s: &str) -> Obj<'_> {
    Obj::Plain(Cow::Borrowed(s))
}

/// Which graph an entity's triples are read for: one document's (its
/// mention of the entity), the entities graph (the merged description and
/// the plain relation triples), or the union of all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Doc(u32),
    Entities,
    All,
}

/// One subject of the RDF: a document, an entity (in a scope), a
/// document's mention of an entity (the k-th it mentions), a statement or
/// its evidence (the k-th relation a document states), a subject of the
/// ontology's graph (the k-th).
#[derive(Clone, Copy, Debug)]
enum Subject {
    Document(u32),
    Entity(NodeIndex, Scope),
    Mention(u32, u32),
    Statement(u32, u32),
    Evidence(u32, u32),
    Ontology(u32),
}

/// The named graphs of the output, in the order they are written: the
/// documents' (in the order of their IRIs), the entities graph, the
/// ontology's.
#[derive(Clone, Copy, Debug)]
enum Unit {
    Doc(u32),
    Entities,
    Ontology,
}

/// One relation a document states, with the IRIs of its statement and
/// evidence nodes.
struct Stated<'g> {
    s: NodeIndex,
    o: NodeIndex,
    property: PropertyId,
    ev: &'g Evidence,
    statement: String,
    evidence: String,
}

/// The graph as RDF, subject by subject: every IRI is made once, and each
/// subject's triples are generated on demand, borrowing the graph's
/// strings. The named graphs (N-Quads, TriG) and the union of all
/// (Turtle, N-Triples) are both read from it, chunk by chunk, so that
/// chunks can be written in parallel and concatenated in a fixed order.
///
/// A document's graph holds what the document says: its node, its
/// mentions (`?e sg:mentionedIn ?doc` and a mention node with its surface
/// forms and, for a name the gazetteer does not know, its own name,
/// class, rule and sentence), its statements and their evidence. The
/// entities graph holds each entity's description once (class, labels,
/// `owl:sameAs`) and the plain relation triples; the ontology graph the
/// ontology's triples. No triple is in two graphs, so the union SPARQL
/// sees is a set.
pub struct Rdf<'g> {
    graph: &'g KnowledgeGraph,
    ontology: &'g Ontology,
    iris: &'g Iris,
    v: Vocab,
    /// By node index.
    entity_iri: Vec<String>,
    same_as: Vec<Vec<&'g str>>,
    doc_iri: Vec<String>,
    /// By document: the entities it mentions (in key order), their mention
    /// nodes' IRIs, and the relations it states.
    mentioned: Vec<Vec<NodeIndex>>,
    mention_iri: Vec<Vec<String>>,
    stated: Vec<Vec<Stated<'g>>>,
    /// Documents in the order of their IRIs.
    doc_order: Vec<u32>,
    /// The ontology's triples by subject: ranges of `ontology.triples`.
    ontology_subjects: Vec<std::ops::Range<usize>>,
}

impl<'g> Rdf<'g> {
    pub fn new(graph: &'g KnowledgeGraph, ontology: &'g Ontology, iris: &'g Iris) -> Rdf<'g> {
        use rayon::prelude::*;
        let bound = graph.graph.node_bound();
        let mut entity_iri = vec![String::new(); bound];
        let mut same_as = vec![Vec::new(); bound];
        let docs = graph.documents.len();
        let mut mentioned: Vec<Vec<NodeIndex>> = vec![Vec::new(); docs];
        for (n, entity) in graph.entities() {
            entity_iri[n.index()] = iris.entity(&entity.key).into_string();
            same_as[n.index()] = entity
                .same_as
                .iter()
                .filter(|s| NamedNode::new(s.as_str()).is_ok())
                .map(String::as_str)
                .collect();
            for &doc in entity.mentions.keys() {
                mentioned[doc as usize].push(n);
            }
        }
        let mention_iri: Vec<Vec<String>> = mentioned
            .par_iter()
            .enumerate()
            .map(|(d, nodes)| {
                let path = graph.documents[d].rel_path.as_bytes();
                nodes
                    .iter()
                    .map(|&n| {
                        let hash = iri::fnv1a(&[path, graph.graph[n].key.as_bytes()]);
                        format!("{}mention/{hash:016x}", iris.base)
                    })
                    .collect()
            })
            .collect();
        let doc_iri: Vec<String> = graph
            .documents
            .iter()
            .map(|d| iris.document(d).into_string())
            .collect();
        let mut stated: Vec<Vec<Stated<'g>>> = (0..docs).map(|_| Vec::new()).collect();
        for e in graph.graph.edge_indices() {
            let (s, o) = graph.graph.edge_endpoints(e).expect("an edge has ends");
            let edge = &graph.graph[e];
            for ev in &edge.evidence {
                stated[ev.doc as usize].push(Stated {
                    s,
                    o,
                    property: edge.property,
                    ev,
                    statement: String::new(),
                    evidence: String::new(),
                });
            }
        }
        // The IRIs of the statements and their evidence, on every core.
        stated.par_iter_mut().flatten().for_each(|st| {
            let hash = iri::fnv1a(&[
                graph.documents[st.ev.doc as usize].rel_path.as_bytes(),
                &st.ev.sentence.start.to_le_bytes(),
                &st.ev.cue.start.to_le_bytes(),
                graph.graph[st.s].key.as_bytes(),
                ontology.properties[st.property].local.as_bytes(),
                graph.graph[st.o].key.as_bytes(),
            ]);
            st.statement = format!("{}statement/{hash:016x}", iris.base);
            st.evidence = format!("{}evidence/{hash:016x}", iris.base);
        });
        let mut doc_order: Vec<u32> = (0..docs as u32).collect();
        doc_order.sort_by(|&a, &b| doc_iri[a as usize].cmp(&doc_iri[b as usize]));
        let mut ontology_subjects = Vec::new();
        let triples = &ontology.triples;
        let mut i = 0;
        while i < triples.len() {
            let mut j = i + 1;
            while j < triples.len() && triples[j].subject == triples[i].subject {
                j += 1;
            }
            ontology_subjects.push(i..j);
            i = j;
        }
        Rdf {
            graph,
            ontology,
            iris,
            v: Vocab::new(),
            entity_iri,
            same_as,
            doc_iri,
            mentioned,
            mention_iri,
            stated,
            doc_order,
            ontology_subjects,
        }
    }

    fn subject_iri(&self, subject: Subject) -> &str {
        match subject {
            Subject::Document(d) => &self.doc_iri[d as usize],
            Subject::Entity(n, _) => &self.entity_iri[n.index()],
            Subject::Mention(d, k) => &self.mention_iri[d as usize][k as usize],
            Subject::Statement(d, k) => &self.stated[d as usize][k as usize].statement,
            Subject::Evidence(d, k) => &self.stated[d as usize][k as usize].evidence,
            Subject::Ontology(k) => {
                let first = self.ontology_subjects[k as usize].start;
                match &self.ontology.triples[first].subject {
                    NamedOrBlankNode::NamedNode(n) => n.as_str(),
                    // Skolemized when the ontology was read.
                    _ => "",
                }
            }
        }
    }

    /// The graphs in the order they are written.
    fn units(&self) -> Vec<Unit> {
        let mut units: Vec<Unit> = self.doc_order.iter().map(|&d| Unit::Doc(d)).collect();
        units.push(Unit::Entities);
        units.push(Unit::Ontology);
        units
    }

    fn unit_iri(&self, unit: Unit) -> &str {
        match unit {
            Unit::Doc(d) => &self.doc_iri[d as usize],
            Unit::Entities => crate::merge::ENTITIES_GRAPH,
            Unit::Ontology => crate::store::ONTOLOGY_GRAPH,
        }
    }

    /// The subjects of one graph, in IRI order.
    fn unit_subjects(&self, unit: Unit) -> Vec<Subject> {
        let mut subjects = match unit {
            Unit::Doc(d) => {
                let mut subjects = vec![Subject::Document(d)];
                for (k, &n) in self.mentioned[d as usize].iter().enumerate() {
                    subjects.push(Subject::Entity(n, Scope::Doc(d)));
                    subjects.push(Subject::Mention(d, k as u32));
                }
                for k in 0..self.stated[d as usize].len() as u32 {
                    subjects.push(Subject::Statement(d, k));
                    subjects.push(Subject::Evidence(d, k));
                }
                subjects
            }
            Unit::Entities => self
                .graph
                .entities()
                .filter(|(_, e)| !e.mentions.is_empty())
                .map(|(n, _)| Subject::Entity(n, Scope::Entities))
                .collect(),
            Unit::Ontology => (0..self.ontology_subjects.len() as u32)
                .map(Subject::Ontology)
                .collect(),
        };
        subjects.sort_by(|&a, &b| self.subject_iri(a).cmp(self.subject_iri(b)));
        subjects
    }

    /// The subjects of the union of all graphs, in IRI order.
    fn union_subjects(&self) -> Vec<Subject> {
        use rayon::slice::ParallelSliceMut;
        let mut subjects: Vec<Subject> = (0..self.doc_iri.len() as u32)
            .map(Subject::Document)
            .collect();
        for (n, entity) in self.graph.entities() {
            if !entity.mentions.is_empty() {
                subjects.push(Subject::Entity(n, Scope::All));
            }
        }
        for (d, mentioned) in self.mentioned.iter().enumerate() {
            for k in 0..mentioned.len() as u32 {
                subjects.push(Subject::Mention(d as u32, k));
            }
        }
        for (d, stated) in self.stated.iter().enumerate() {
            for k in 0..stated.len() as u32 {
                subjects.push(Subject::Statement(d as u32, k));
                subjects.push(Subject::Evidence(d as u32, k));
            }
        }
        subjects.extend((0..self.ontology_subjects.len() as u32).map(Subject::Ontology));
        // Subjects sharing an IRI (an entity's description and an ontology
        // subject) are merged when written; the sort is stable so that
        // their order does not depend on the threads.
        subjects.par_sort_by(|&a, &b| self.subject_iri(a).cmp(self.subject_iri(b)));
        subjects
    }

    fn entity_ref(&self, key: &str) -> Obj<'_> {
        match self.graph.node(key) {
            Some(n) => iri(&self.entity_iri[n.index()]),
            None => Obj::Iri(Cow::Owned(self.iris.entity(key).into_string())),
        }
    }

    /// An entity's merged description: class, labels, aliases (the
    /// gazetteer's and every surface form the documents use), identities.
    fn describe<'a>(&'a self, n: NodeIndex, out: &mut Vec<Pair<'a>>) {
        let v = &self.v;
        let entity = &self.graph.graph[n];
        let class = &self.ontology.classes[entity.class].iri;
        out.push((&v.rdf_type, iri(class)));
        out.push((&v.label, plain(&entity.label)));
        for same in &self.same_as[n.index()] {
            out.push((&v.same_as, iri(same)));
        }
        let surfaces = entity.surface.values().flatten();
        for alias in entity.aliases.iter().chain(surfaces) {
            if *alias != entity.label {
                out.push((&v.alt_label, plain(alias)));
            }
        }
        out.push((&v.pref_label, plain(&entity.label)));
        for e in self.graph.graph.edges(n) {
            if !e.weight().evidence.is_empty() {
                let property = &self.ontology.properties[e.weight().property].iri;
                out.push((property, iri(&self.entity_iri[e.target().index()])));
            }
        }
    }

    /// Appends a subject's predicates and objects. [`Rdf::group`] sorts
    /// them; they are pushed in nearly that order (rdf:type, then by
    /// predicate IRI: the rdf, rdfs, owl, skos, prov and sg namespaces in
    /// that order), so the sort has little to do.
    fn pairs<'a>(&'a self, subject: Subject, out: &mut Vec<Pair<'a>>) {
        let v = &self.v;
        let integer = |n: usize| {
            Obj::Typed(
                Cow::Owned(n.to_string()),
                Cow::Borrowed(v.xsd_integer.as_str()),
            )
        };
        match subject {
            Subject::Document(d) => {
                let doc = &self.graph.documents[d as usize];
                out.push((&v.rdf_type, iri(&v.document_class)));
                out.push((&v.byte_length, integer(doc.byte_len)));
                out.push((&v.file_name, plain(&doc.file_name)));
                out.push((&v.path, plain(&doc.rel_path)));
            }
            Subject::Entity(n, scope) => {
                let entity = &self.graph.graph[n];
                if matches!(scope, Scope::Entities | Scope::All) {
                    self.describe(n, out);
                }
                match scope {
                    Scope::Doc(d) => {
                        out.push((&v.mentioned_in, iri(&self.doc_iri[d as usize])));
                    }
                    Scope::All => {
                        for &d in entity.mentions.keys() {
                            out.push((&v.mentioned_in, iri(&self.doc_iri[d as usize])));
                        }
                    }
                    Scope::Entities => {}
                }
            }
            Subject::Mention(d, k) => {
                let n = self.mentioned[d as usize][k as usize];
                let entity = &self.graph.graph[n];
                out.push((&v.rdf_type, iri(&v.mention_class)));
                let count = entity.mentions.get(&d).copied().unwrap_or(0);
                out.push((&v.count, integer(count as usize)));
                out.push((&v.document, iri(&self.doc_iri[d as usize])));
                out.push((&v.entity, iri(&self.entity_iri[n.index()])));
                if let Some(entry) = entity.entry {
                    let source = &self.ontology.entries[entry].source_iri;
                    if NamedNode::new(source.as_str()).is_ok() {
                        out.push((&v.entry, iri(source)));
                    }
                }
                if let Some(p) = entity.proposals.get(&d) {
                    out.push((&v.class, iri(&self.ontology.classes[p.class].iri)));
                    out.push((&v.example, plain(&p.example)));
                    out.push((&v.name, plain(&p.name)));
                    out.push((&v.rule, plain(p.how.id())));
                }
                for surface in entity.surface.get(&d).into_iter().flatten() {
                    out.push((&v.surface, plain(surface)));
                }
                for title in entity.titles.get(&d).into_iter().flatten() {
                    out.push((&v.title_form, plain(title)));
                }
            }
            Subject::Ontology(k) => {
                for t in &self.ontology.triples[self.ontology_subjects[k as usize].clone()] {
                    out.push((t.predicate.as_str(), Obj::of(&t.object)));
                }
            }
            Subject::Statement(d, k) => {
                let st = &self.stated[d as usize][k as usize];
                let property = &self.ontology.properties[st.property].iri;
                out.push((&v.rdf_type, iri(&v.rdf_statement)));
                out.push((&v.rdf_object, iri(&self.entity_iri[st.o.index()])));
                out.push((&v.rdf_predicate, iri(property)));
                out.push((&v.rdf_subject, iri(&self.entity_iri[st.s.index()])));
                out.push((&v.derived_from, iri(&st.evidence)));
                if let Some(when) = st.ev.when {
                    let datatype = match when.xsd_datatype() {
                        Some(dt) => Cow::Owned(format!("{XSD}{dt}")),
                        None => Cow::Borrowed(EDTF),
                    };
                    out.push((&v.date, Obj::Typed(Cow::Owned(when.to_string()), datatype)));
                }
            }
            Subject::Evidence(d, k) => {
                let st = &self.stated[d as usize][k as usize];
                let ev = st.ev;
                let span = |s: &crate::text::Span| {
                    Obj::Plain(Cow::Owned(format!("{}-{}", s.start, s.end)))
                };
                out.push((&v.rdf_type, iri(&v.evidence_class)));
                if let Some(speaker) = &ev.attributed_to {
                    out.push((&v.attributed_to, self.entity_ref(speaker)));
                }
                out.push((&v.byte_end, integer(ev.sentence.end)));
                out.push((&v.byte_start, integer(ev.sentence.start)));
                out.push((
                    &v.confidence,
                    Obj::Typed(
                        Cow::Owned(decimal(ev.confidence)),
                        Cow::Borrowed(v.xsd_decimal.as_str()),
                    ),
                ));
                if let Some(phrase) = &ev.cue_phrase {
                    out.push((&v.cue_phrase, plain(phrase)));
                }
                out.push((&v.cue_span, span(&ev.cue)));
                out.push((&v.cue_text, plain(&ev.cue_text)));
                out.push((&v.document, iri(&self.doc_iri[ev.doc as usize])));
                if let Some(modal) = &ev.modality {
                    out.push((&v.modality, plain(modal)));
                }
                out.push((&v.object_rule, plain(ev.object_rule)));
                out.push((&v.object_span, span(&ev.object)));
                out.push((&v.object_text, plain(&ev.object_text)));
                out.push((&v.quote, plain(&ev.quote)));
                out.push((&v.rule, plain(ev.rule.id())));
                out.push((&v.subject_rule, plain(ev.subject_rule)));
                out.push((&v.subject_span, span(&ev.subject)));
                out.push((&v.subject_text, plain(&ev.subject_text)));
            }
        }
    }
}

impl<'g> Rdf<'g> {
    /// Appends the sorted, distinct predicates and objects of a run of
    /// subjects with the same IRI.
    fn group<'a>(&'a self, subjects: &[Subject], out: &mut Vec<Pair<'a>>) {
        out.clear();
        for &s in subjects {
            self.pairs(s, out);
        }
        let rdf_type = self.v.rdf_type.as_str();
        out.sort_unstable_by(|a, b| {
            (b.0 == rdf_type)
                .cmp(&(a.0 == rdf_type))
                .then_with(|| a.0.cmp(b.0))
                .then_with(|| term_cmp(a.1.term(), b.1.term()))
        });
        out.dedup();
    }

    /// Calls `f` with each subject's IRI and sorted triples, merging runs of
    /// subjects that share an IRI.
    fn for_each_group<'a>(
        &'a self,
        subjects: &[Subject],
        mut f: impl FnMut(&str, &[Pair<'a>]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut pairs = Vec::new();
        let mut i = 0;
        while i < subjects.len() {
            let iri = self.subject_iri(subjects[i]);
            let mut j = i + 1;
            while j < subjects.len() && self.subject_iri(subjects[j]) == iri {
                j += 1;
            }
            self.group(&subjects[i..j], &mut pairs);
            f(iri, &pairs)?;
            i = j;
        }
        Ok(())
    }

    /// Writes one named graph; returns its number of quads.
    fn write_unit<W: Write>(
        &self,
        unit: Unit,
        w: &mut WriterQuadSerializer<W>,
    ) -> std::io::Result<usize> {
        let graph = NamedNodeRef::new_unchecked(self.unit_iri(unit));
        let mut n = 0;
        self.for_each_group(&self.unit_subjects(unit), |subject, pairs| {
            let subject = NamedNodeRef::new_unchecked(subject);
            for (p, o) in pairs {
                let p = NamedNodeRef::new_unchecked(p);
                w.serialize_quad(QuadRef::new(subject, p, o.term(), graph))?;
            }
            n += pairs.len();
            Ok(())
        })?;
        Ok(n)
    }

    /// The number of quads of one named graph.
    fn count_unit(&self, unit: Unit) -> usize {
        let mut n = 0;
        self.for_each_group(&self.unit_subjects(unit), |_, pairs| {
            n += pairs.len();
            Ok(())
        })
        .expect("counting cannot fail");
        n
    }

    /// Writes the triples of a run of union subjects.
    fn write_union<W: Write>(
        &self,
        subjects: &[Subject],
        w: &mut WriterQuadSerializer<W>,
    ) -> std::io::Result<()> {
        self.for_each_group(subjects, |subject, pairs| {
            let subject = NamedNodeRef::new_unchecked(subject);
            for (p, o) in pairs {
                let p = NamedNodeRef::new_unchecked(p);
                w.serialize_triple(TripleRef::new(subject, p, o.term()))?;
            }
            Ok(())
        })
    }

    /// Every quad, owned: the documents' graphs in the order of their IRIs,
    /// then the entities graph and the ontology's, each sorted by subject
    /// (rdf:type first), predicate and object.
    pub fn quads(&self) -> Vec<Quad> {
        self.quads_by_graph().collect()
    }

    /// The named graphs written, in their order.
    pub fn graph_names(&self) -> Vec<NamedOrBlankNode> {
        self.units()
            .into_iter()
            .map(|u| NamedNode::new_unchecked(self.unit_iri(u)).into())
            .collect()
    }

    /// [`Rdf::quads`] made one graph at a time, as they are asked for:
    /// what is held at once is one graph's quads.
    pub fn quads_by_graph(&self) -> impl Iterator<Item = Quad> + '_ {
        self.units().into_iter().flat_map(|u| self.unit_quads(u))
    }

    /// The quads of one document's graph only, one document at a time
    /// (what `extract` streams).
    pub fn document_quads(&self) -> impl Iterator<Item = Quad> + '_ {
        self.doc_order
            .iter()
            .flat_map(|&d| self.unit_quads(Unit::Doc(d)))
    }

    /// Writes the documents' graphs only, in the order of their IRIs.
    pub fn write_documents<W: Write>(
        &self,
        w: &mut WriterQuadSerializer<W>,
    ) -> std::io::Result<usize> {
        let mut n = 0;
        for &d in &self.doc_order {
            n += self.write_unit(Unit::Doc(d), w)?;
        }
        Ok(n)
    }

    /// The quads of one named graph, owned.
    fn unit_quads(&self, unit: Unit) -> Vec<Quad> {
        let mut out = Vec::new();
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(self.unit_iri(unit)));
        self.for_each_group(&self.unit_subjects(unit), |subject, pairs| {
            let subject = NamedNode::new_unchecked(subject);
            for (p, o) in pairs {
                out.push(Quad::new(
                    subject.clone(),
                    NamedNode::new_unchecked(*p),
                    o.term().into_owned(),
                    graph.clone(),
                ));
            }
            Ok(())
        })
        .expect("collecting cannot fail");
        out
    }
}

/// Every quad of the graph: the documents' graphs one after the other, in
/// the order of their IRIs, then the entities graph and the ontology's,
/// each sorted and without duplicates.
pub fn quads(graph: &KnowledgeGraph, ontology: &Ontology, iris: &Iris) -> Vec<Quad> {
    Rdf::new(graph, ontology, iris).quads()
}
/// Writes quads (grouped by graph, then by subject, as [`Rdf`] makes
/// them) as compact JSON-LD: an `@context` with the prefixes of the
/// Turtle output, each named graph an object with its `@graph`, IRIs as
/// compact IRIs (`id:iraq`, `sg:attacks`), `rdf:type` as `@type`, plain
/// strings as JSON strings, other literals with their `@type` or
/// `@language` and their lexical form kept.
pub fn write_jsonld<W: Write>(
    quads: impl Iterator<Item = Quad>,
    base: &str,
    mut out: W,
) -> std::io::Result<W> {
    let prefixes = prefixes(base);
    let compact = |iri: &str| -> String {
        let best = prefixes
            .iter()
            .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns.as_str()))
            .max_by_key(|(_, ns)| ns.len());
        match best {
            Some((p, ns)) if !iri[ns.len()..].starts_with("//") => {
                format!("{p}:{}", &iri[ns.len()..])
            }
            _ => iri.to_string(),
        }
    };
    let json = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let object = |t: &Term| -> String {
        match t {
            Term::NamedNode(n) => format!("{{\"@id\":{}}}", json(&compact(n.as_str()))),
            Term::BlankNode(b) => format!("{{\"@id\":{}}}", json(&format!("_:{}", b.as_str()))),
            Term::Literal(l) => match l.language() {
                Some(lang) => format!(
                    "{{\"@value\":{},\"@language\":{}}}",
                    json(l.value()),
                    json(lang)
                ),
                None if l.datatype() == oxigraph::model::vocab::xsd::STRING => json(l.value()),
                None => format!(
                    "{{\"@value\":{},\"@type\":{}}}",
                    json(l.value()),
                    json(&compact(l.datatype().as_str()))
                ),
            },
            #[allow(unreachable_patterns)]
            other => json(&other.to_string()),
        }
    };
    out.write_all(b"{\"@context\":{")?;
    for (i, (p, ns)) in prefixes.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "{}:{}", json(p), json(ns))?;
    }
    out.write_all(b"},\n\"@graph\":[")?;
    // One subject's predicates and objects, in order, written when the
    // subject or the graph changes.
    let mut graph: Option<GraphName> = None;
    let mut subject: Option<NamedOrBlankNode> = None;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut first_graph = true;
    let mut first_subject = true;
    let flush = |out: &mut W,
                 subject: &NamedOrBlankNode,
                 pairs: &mut Vec<(String, String)>,
                 first: &mut bool|
     -> std::io::Result<()> {
        if !*first {
            out.write_all(b",")?;
        }
        *first = false;
        let id = match subject {
            NamedOrBlankNode::NamedNode(n) => compact(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        write!(out, "\n{{\"@id\":{}", json(&id))?;
        let mut i = 0;
        while i < pairs.len() {
            let mut j = i + 1;
            while j < pairs.len() && pairs[j].0 == pairs[i].0 {
                j += 1;
            }
            write!(out, ",{}:[", json(&pairs[i].0))?;
            for (k, (_, v)) in pairs[i..j].iter().enumerate() {
                if k > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(v.as_bytes())?;
            }
            out.write_all(b"]")?;
            i = j;
        }
        out.write_all(b"}")?;
        pairs.clear();
        Ok(())
    };
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.as_str();
    for q in quads {
        if graph.as_ref() != Some(&q.graph_name) {
            if let Some(s) = subject.take() {
                flush(&mut out, &s, &mut pairs, &mut first_subject)?;
            }
            if graph.is_some() {
                out.write_all(b"]}")?;
            }
            if !first_graph {
                out.write_all(b",")?;
            }
            first_graph = false;
            let name = match &q.graph_name {
                GraphName::NamedNode(n) => compact(n.as_str()),
                GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
                GraphName::DefaultGraph => String::new(),
            };
            write!(out, "\n{{\"@id\":{},\"@graph\":[", json(&name))?;
            first_subject = true;
            graph = Some(q.graph_name.clone());
        }
        if subject.as_ref() != Some(&q.subject) {
            if let Some(s) = subject.take() {
                flush(&mut out, &s, &mut pairs, &mut first_subject)?;
            }
            subject = Some(q.subject.clone());
        }
        if q.predicate.as_str() == rdf_type {
            if let Term::NamedNode(n) = &q.object {
                pairs.push(("@type".to_string(), json(&compact(n.as_str()))));
                continue;
            }
        }
        pairs.push((compact(q.predicate.as_str()), object(&q.object)));
    }
    if let Some(s) = subject.take() {
        flush(&mut out, &s, &mut pairs, &mut first_subject)?;
    }
    if graph.is_some() {
        out.write_all(b"]}")?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(out)
}

/// A confidence as a canonical xsd:decimal, two places at most: "0.8",
/// "0.85", "1.0" (what a store keeps and gives back).
fn decimal(x: f32) -> String {
    let text = format!("{x:.2}");
    let trimmed = text.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

/// A total order on terms without formatting them: named nodes, then
/// blank nodes, then literals (by value, datatype, language).
pub fn term_cmp(a: TermRef<'_>, b: TermRef<'_>) -> Ordering {
    let rank = |t: &TermRef<'_>| match t {
        TermRef::NamedNode(_) => 0,
        TermRef::BlankNode(_) => 1,
        TermRef::Literal(_) => 2,
        #[allow(unreachable_patterns)]
        _ => 3,
    };
    match (a, b) {
        (TermRef::NamedNode(x), TermRef::NamedNode(y)) => x.as_str().cmp(y.as_str()),
        (TermRef::BlankNode(x), TermRef::BlankNode(y)) => x.as_str().cmp(y.as_str()),
        (TermRef::Literal(x), TermRef::Literal(y)) => x
            .value()
            .cmp(y.value())
            .then_with(|| x.datatype().as_str().cmp(y.datatype().as_str()))
            .then_with(|| x.language().cmp(&y.language())),
        (x, y) => rank(&x)
            .cmp(&rank(&y))
            .then_with(|| x.to_string().cmp(&y.to_string())),
    }
}

/// Subject, rdf:type first, predicate, object.
pub fn triple_cmp(a: TripleRef<'_>, b: TripleRef<'_>) -> Ordering {
    let is_type = |p: NamedNodeRef<'_>| p == rdf::TYPE;
    term_cmp(a.subject.into(), b.subject.into())
        .then_with(|| is_type(b.predicate).cmp(&is_type(a.predicate)))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| term_cmp(a.object, b.object))
}

/// The triples of the union of all graphs, sorted by subject so that a
/// Turtle writer groups them; borrowed from the quads.
pub fn union_triples(quads: &[Quad]) -> Vec<TripleRef<'_>> {
    let mut triples: Vec<TripleRef<'_>> = quads
        .iter()
        .map(|q| TripleRef::new(&q.subject, &q.predicate, &q.object))
        .collect();
    triples.sort_unstable_by(|a, b| triple_cmp(*a, *b));
    triples.dedup();
    triples
}

/// Documents or subjects per parallel task when writing.
pub const DEFAULT_CHUNK: usize = 32;

/// Writes the graph in one syntax (see [`write_many`]). Returns the writer
/// and the number of quads.
pub fn write_graph<W: Write + Send>(
    syntax: Syntax,
    graph: &KnowledgeGraph,
    ontology: &Ontology,
    iris: &Iris,
    base: &str,
    writer: W,
) -> std::io::Result<(W, usize)> {
    let (mut writers, n) = write_many(
        &[syntax],
        graph,
        ontology,
        iris,
        base,
        vec![writer],
        DEFAULT_CHUNK,
    )?;
    Ok((writers.pop().expect("one writer in, one out"), n))
}

/// Writes the graph in several syntaxes: a dataset syntax gets each
/// document's graph in turn, a graph syntax the union sorted by subject.
/// The bytes equal those of [`write`] on [`quads`]. Returns the writers and
/// the number of quads. N-Quads, N-Triples, Turtle and TriG are written in
/// chunks of `chunk` documents or subjects ([`DEFAULT_CHUNK`] unless a test
/// says otherwise) on every thread of the current rayon pool and
/// concatenated in order (the prefixes kept once): the bytes are the same
/// whatever the chunk size or thread count. RDF/XML and JSON-LD are
/// written on one thread.
pub fn write_many<W: Write + Send>(
    syntaxes: &[Syntax],
    graph: &KnowledgeGraph,
    ontology: &Ontology,
    iris: &Iris,
    base: &str,
    writers: Vec<W>,
    chunk: usize,
) -> std::io::Result<(Vec<W>, usize)> {
    use rayon::prelude::*;
    let chunk = chunk.max(1);
    let rdf = Rdf::new(graph, ontology, iris);
    // The union's subjects, sorted by the first graph syntax that needs
    // them while the dataset syntaxes are already being written.
    let union = std::sync::OnceLock::new();
    // The syntaxes are written at the same time: one's writing thread
    // copies into the kernel while the others serialize.
    let written: Vec<std::io::Result<(W, Option<usize>)>> = syntaxes
        .par_iter()
        .zip(writers.into_par_iter())
        .map(|(&syntax, out)| write_one(&rdf, syntax, base, chunk, &union, out))
        .collect();
    let mut done = Vec::with_capacity(written.len());
    let mut quads = None;
    for result in written {
        let (out, n) = result?;
        quads = quads.or(n);
        done.push(out);
    }
    let n = match quads {
        Some(n) => n,
        None => rdf.units().par_iter().map(|&u| rdf.count_unit(u)).sum(),
    };
    Ok((done, n))
}

/// Writes one syntax: the documents' graphs for a dataset syntax (and
/// their number of quads), the union's subjects for a graph syntax.
fn write_one<W: Write + Send>(
    rdf: &Rdf<'_>,
    syntax: Syntax,
    base: &str,
    chunk: usize,
    union: &std::sync::OnceLock<Vec<Subject>>,
    out: W,
) -> std::io::Result<(W, Option<usize>)> {
    let parallel = matches!(
        syntax,
        Syntax::NQuads | Syntax::NTriples | Syntax::Turtle | Syntax::TriG
    );
    if syntax == Syntax::JsonLd {
        let mut n = 0;
        let out = write_jsonld(rdf.quads_by_graph().inspect(|_| n += 1), base, out)?;
        return Ok((out, Some(n)));
    }
    if syntax.format().supports_datasets() {
        let units = rdf.units();
        if parallel {
            let (out, n) = write_in_chunks(out, &units, chunk, |part, buffer| {
                let mut w = serializer(syntax, base)?.for_writer(buffer);
                let mut n = 0;
                for &u in part {
                    n += rdf.write_unit(u, &mut w)?;
                }
                Ok((w.finish()?, n))
            })?;
            Ok((out, Some(n)))
        } else {
            let mut w = serializer(syntax, base)?.for_writer(out);
            let mut n = 0;
            for u in units {
                n += rdf.write_unit(u, &mut w)?;
            }
            Ok((w.finish()?, Some(n)))
        }
    } else {
        let subjects = union.get_or_init(|| rdf.union_subjects());
        if parallel {
            let (out, _) = write_in_chunks(out, subjects, chunk, |part, buffer| {
                let mut w = serializer(syntax, base)?.for_writer(buffer);
                rdf.write_union(part, &mut w)?;
                Ok((w.finish()?, 0))
            })?;
            Ok((out, None))
        } else {
            let mut w = serializer(syntax, base)?.for_writer(out);
            rdf.write_union(subjects, &mut w)?;
            Ok((w.finish()?, None))
        }
    }
}

/// Serializes `units` in chunks on the rayon pool while one thread writes
/// the finished chunks in order: writing (a copy into the kernel) overlaps
/// serializing. `serialize` returns a chunk's bytes and a count, summed.
fn write_in_chunks<W: Write + Send, T: Sync>(
    out: W,
    units: &[T],
    chunk: usize,
    serialize: impl Fn(&[T], Vec<u8>) -> std::io::Result<(Vec<u8>, usize)> + Sync,
) -> std::io::Result<(W, usize)> {
    use rayon::prelude::*;
    use std::sync::Mutex;
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(1);
    // Written buffers go back to a pool: no fresh pages for every chunk.
    let pool: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let pool = &pool;
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> std::io::Result<W> {
            let mut out = out;
            let mut prelude = false;
            for window in receive {
                for mut bytes in window {
                    write_part(&mut out, &bytes, &mut prelude)?;
                    bytes.clear();
                    pool.lock().expect("the pool is never poisoned").push(bytes);
                }
            }
            Ok(out)
        });
        let take = || {
            pool.lock()
                .expect("the pool is never poisoned")
                .pop()
                .unwrap_or_default()
        };
        let mut n = 0;
        let mut failed = None;
        for window in units.chunks(chunk * WINDOW) {
            let parts = window
                .par_chunks(chunk)
                .map(|part| serialize(part, take()))
                .collect::<std::io::Result<Vec<(Vec<u8>, usize)>>>();
            let parts = match parts {
                Ok(parts) => parts,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            };
            n += parts.iter().map(|(_, k)| k).sum::<usize>();
            // The writer has stopped only on an error, which it returns.
            if send
                .send(parts.into_iter().map(|(b, _)| b).collect())
                .is_err()
            {
                break;
            }
        }
        drop(send);
        let out = writer.join().expect("the writer thread does not panic")?;
        match failed {
            Some(e) => Err(e),
            None => Ok((out, n)),
        }
    })
}

/// Chunks a parallel window holds: enough to keep every thread busy, few
/// enough to bound the memory of the written bytes waiting their turn.
const WINDOW: usize = 16;

/// Appends one chunk's bytes. Each chunk's serializer opens with the
/// prefixes (`@prefix` lines): the first chunk with any triple keeps them,
/// the others drop them, so the chunks concatenate to one document. A
/// chunk's own lines never start with `@`.
fn write_part(out: &mut impl Write, bytes: &[u8], prelude: &mut bool) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    if !*prelude {
        *prelude = true;
        return out.write_all(bytes);
    }
    let mut body = bytes;
    while body.first() == Some(&b'@') {
        let end = body
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |i| i + 1);
        body = &body[end..];
    }
    out.write_all(body)
}

fn serializer(syntax: Syntax, base: &str) -> std::io::Result<RdfSerializer> {
    let mut serializer = RdfSerializer::from_format(syntax.format());
    if matches!(syntax, Syntax::Turtle | Syntax::TriG | Syntax::RdfXml) {
        for (prefix, iri) in prefixes(base) {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        }
    }
    Ok(serializer)
}

/// Writes quads in a syntax: a dataset syntax keeps the graphs, a graph
/// syntax gets the union.
pub fn write<W: Write>(
    syntax: Syntax,
    quads: &[Quad],
    base: &str,
    writer: W,
) -> std::io::Result<W> {
    if syntax == Syntax::JsonLd {
        return write_jsonld(quads.iter().cloned(), base, writer);
    }
    let mut w = serializer(syntax, base)?.for_writer(writer);
    if syntax.format().supports_datasets() {
        for q in quads {
            w.serialize_quad(q)?;
        }
    } else {
        for t in union_triples(quads) {
            w.serialize_triple(t)?;
        }
    }
    w.finish()
}
