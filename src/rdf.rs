//! The graph as RDF: one named graph per document, holding the document's
//! node, the entities it mentions and the relations it states, each as a
//! plain triple and as a reified `rdf:Statement` derived from an evidence
//! node. Quads are sorted before writing, so the same graph always gives
//! the same bytes.

use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use std::cmp::Ordering;
use std::collections::HashMap;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, Term, TermRef, TripleRef,
};

use crate::error::{Error, Result};
use crate::graph::{DocumentInfo, EntityNode, Evidence, KnowledgeGraph, RelationEdge};
use crate::iri;
use crate::ontology::{Ontology, OWL, PROV, RDF, RDFS, SG, SKOS, XSD};

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

fn sg(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SG}{local}"))
}

fn ns(prefix: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{prefix}{local}"))
}

fn string(s: &str) -> Term {
    Literal::new_simple_literal(s).into()
}

fn integer(n: usize) -> Term {
    Literal::new_typed_literal(n.to_string(), ns(XSD, "integer")).into()
}

/// Every quad of the graph, sorted and without duplicates.
/// Every quad of the graph, sorted and without duplicates: the documents'
/// graphs one after the other, in the order of their IRIs.
pub fn quads(graph: &KnowledgeGraph, ontology: &Ontology, iris: &Iris) -> Vec<Quad> {
    let mut out = Vec::new();
    for_each_document(graph, ontology, iris, |quads| {
        out.extend(quads);
        Ok(())
    })
    .expect("collecting quads cannot fail");
    out
}

/// Calls `f` with each document's named graph, sorted, in the order of the
/// documents' IRIs: the same quads as [`quads`], never all at once.
/// Returns the number of quads.
pub fn for_each_document(
    graph: &KnowledgeGraph,
    ontology: &Ontology,
    iris: &Iris,
    mut f: impl FnMut(Vec<Quad>) -> std::io::Result<()>,
) -> std::io::Result<usize> {
    let doc_nodes: Vec<NamedNode> = graph.documents.iter().map(|d| iris.document(d)).collect();
    // What each document's graph holds.
    let mut entities: Vec<Vec<&EntityNode>> = vec![Vec::new(); graph.documents.len()];
    for (_, entity) in graph.entities() {
        for &doc in entity.mentions.keys() {
            entities[doc as usize].push(entity);
        }
    }
    type Stated<'g> = (
        &'g EntityNode,
        &'g RelationEdge,
        &'g EntityNode,
        &'g Evidence,
    );
    let mut stated: Vec<Vec<Stated<'_>>> = vec![Vec::new(); graph.documents.len()];
    for (s, edge, o) in graph.relations() {
        for ev in &edge.evidence {
            stated[ev.doc as usize].push((s, edge, o, ev));
        }
    }
    let mut order: Vec<usize> = (0..graph.documents.len()).collect();
    order.sort_by(|&a, &b| doc_nodes[a].as_str().cmp(doc_nodes[b].as_str()));
    let mut count = 0;
    for index in order {
        let mut quads = document_quads(
            graph,
            ontology,
            iris,
            &doc_nodes,
            index,
            &entities[index],
            &stated[index],
        );
        // One graph: the triples' order is the quads' order.
        quads.sort_unstable_by(|a, b| {
            let (a, b) = (a.as_ref(), b.as_ref());
            triple_cmp(
                TripleRef::new(a.subject, a.predicate, a.object),
                TripleRef::new(b.subject, b.predicate, b.object),
            )
        });
        quads.dedup();
        count += quads.len();
        f(quads)?;
    }
    Ok(count)
}

/// One document's named graph: its node, the description of each entity
/// it names, and each relation it states with its statement and evidence.
fn document_quads(
    graph: &KnowledgeGraph,
    ontology: &Ontology,
    iris: &Iris,
    doc_nodes: &[NamedNode],
    index: usize,
    entities: &[&EntityNode],
    stated: &[(&EntityNode, &RelationEdge, &EntityNode, &Evidence)],
) -> Vec<Quad> {
    let mut out: Vec<Quad> = Vec::new();
    let rdf_type = ns(RDF, "type");
    let doc = &graph.documents[index];
    let g = GraphName::NamedNode(doc_nodes[index].clone());
    {
        let d = NamedOrBlankNode::NamedNode(doc_nodes[index].clone());
        let mut add = |p: NamedNode, o: Term| out.push(Quad::new(d.clone(), p, o, g.clone()));
        add(rdf_type.clone(), sg("Document").into());
        add(sg("fileName"), string(&doc.file_name));
        add(sg("path"), string(&doc.rel_path));
        add(sg("byteLength"), integer(doc.byte_len));
    }
    let doc_index = index as u32;
    for entity in entities {
        let e = NamedOrBlankNode::NamedNode(iris.entity(&entity.key));
        let class = NamedNode::new_unchecked(ontology.classes[entity.class].iri.clone());
        let mut add = |p: NamedNode, o: Term| out.push(Quad::new(e.clone(), p, o, g.clone()));
        add(rdf_type.clone(), class.clone().into());
        add(ns(RDFS, "label"), string(&entity.label));
        add(ns(SKOS, "prefLabel"), string(&entity.label));
        for alias in &entity.aliases {
            add(ns(SKOS, "altLabel"), string(alias));
        }
        for surface in entity.surface.get(&doc_index).into_iter().flatten() {
            add(ns(SKOS, "altLabel"), string(surface));
        }
        for same in &entity.same_as {
            if let Ok(n) = NamedNode::new(same.clone()) {
                add(ns(OWL, "sameAs"), n.into());
            }
        }
        add(sg("mentionedIn"), doc_nodes[index].clone().into());
    }
    for &(s, edge, o, ev) in stated {
        let property = &ontology.properties[edge.property];
        let p = NamedNode::new_unchecked(property.iri.clone());
        let s_node = iris.entity(&s.key);
        let o_node = iris.entity(&o.key);
        let doc = &graph.documents[ev.doc as usize];
        let g = GraphName::NamedNode(doc_nodes[ev.doc as usize].clone());
        let hash = iri::fnv1a(&[
            doc.rel_path.as_bytes(),
            &ev.sentence.start.to_le_bytes(),
            &ev.cue.start.to_le_bytes(),
            s.key.as_bytes(),
            property.local.as_bytes(),
            o.key.as_bytes(),
        ]);
        let st = NamedOrBlankNode::NamedNode(iris.node(&format!("statement/{hash:016x}")));
        let evn = iris.node(&format!("evidence/{hash:016x}"));
        let evs = NamedOrBlankNode::NamedNode(evn.clone());
        out.push(Quad::new(
            s_node.clone(),
            p.clone(),
            o_node.clone(),
            g.clone(),
        ));
        let mut add = |subject: &NamedOrBlankNode, pred: NamedNode, obj: Term| {
            out.push(Quad::new(subject.clone(), pred, obj, g.clone()))
        };
        add(&st, rdf_type.clone(), ns(RDF, "Statement").into());
        add(&st, ns(RDF, "subject"), s_node.clone().into());
        add(&st, ns(RDF, "predicate"), p.clone().into());
        add(&st, ns(RDF, "object"), o_node.clone().into());
        add(&st, ns(PROV, "wasDerivedFrom"), evn.clone().into());
        if let Some(when) = ev.when {
            let lexical = when.to_string();
            let literal = match when.xsd_datatype() {
                Some(dt) => Literal::new_typed_literal(lexical, ns(XSD, dt)),
                None => Literal::new_typed_literal(lexical, NamedNode::new_unchecked(EDTF)),
            };
            add(&st, sg("date"), literal.into());
        }
        add(&evs, rdf_type.clone(), sg("Evidence").into());
        add(
            &evs,
            sg("document"),
            doc_nodes[ev.doc as usize].clone().into(),
        );
        add(&evs, sg("quote"), string(&ev.quote));
        add(&evs, sg("byteStart"), integer(ev.sentence.start));
        add(&evs, sg("byteEnd"), integer(ev.sentence.end));
        add(&evs, sg("subjectText"), string(&ev.subject_text));
        add(
            &evs,
            sg("subjectSpan"),
            string(&format!("{}-{}", ev.subject.start, ev.subject.end)),
        );
        add(&evs, sg("objectText"), string(&ev.object_text));
        add(
            &evs,
            sg("objectSpan"),
            string(&format!("{}-{}", ev.object.start, ev.object.end)),
        );
        for (entry, rule, entry_p, rule_p) in [
            (
                &ev.subject_entry,
                ev.subject_rule,
                "subjectEntry",
                "subjectRule",
            ),
            (
                &ev.object_entry,
                ev.object_rule,
                "objectEntry",
                "objectRule",
            ),
        ] {
            if let Some(iri) = entry {
                add(
                    &evs,
                    sg(entry_p),
                    NamedNode::new_unchecked(iri.clone()).into(),
                );
            }
            add(&evs, sg(rule_p), string(rule));
        }
        add(&evs, sg("cueText"), string(&ev.cue_text));
        add(
            &evs,
            sg("cueSpan"),
            string(&format!("{}-{}", ev.cue.start, ev.cue.end)),
        );
        if let Some(phrase) = &ev.cue_phrase {
            add(&evs, sg("cuePhrase"), string(phrase));
        }
        add(&evs, sg("rule"), string(ev.rule.id()));
        add(
            &evs,
            sg("confidence"),
            Literal::new_typed_literal(format!("{:.2}", ev.confidence), ns(XSD, "decimal")).into(),
        );
        if let Some(modal) = &ev.modality {
            add(&evs, sg("modality"), string(modal));
        }
        if let Some(speaker) = &ev.attributed_to {
            add(
                &evs,
                ns(PROV, "wasAttributedTo"),
                iris.entity(speaker).into(),
            );
        }
    }
    out
}

/// A total order on terms without formatting them: named nodes, then
/// blank nodes, then literals (by value, datatype, language).
fn term_cmp(a: TermRef<'_>, b: TermRef<'_>) -> Ordering {
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
fn triple_cmp(a: TripleRef<'_>, b: TripleRef<'_>) -> Ordering {
    let is_type = |p: NamedNodeRef<'_>| p == rdf::TYPE;
    term_cmp(a.subject.into(), b.subject.into())
        .then_with(|| is_type(b.predicate).cmp(&is_type(a.predicate)))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| term_cmp(a.object, b.object))
}

fn graph_cmp(a: GraphNameRef<'_>, b: GraphNameRef<'_>) -> Ordering {
    match (a, b) {
        (GraphNameRef::DefaultGraph, GraphNameRef::DefaultGraph) => Ordering::Equal,
        (GraphNameRef::DefaultGraph, _) => Ordering::Less,
        (_, GraphNameRef::DefaultGraph) => Ordering::Greater,
        (GraphNameRef::NamedNode(x), GraphNameRef::NamedNode(y)) => x.as_str().cmp(y.as_str()),
        (x, y) => x.to_string().cmp(&y.to_string()),
    }
}

/// Sorts quads by graph, subject, predicate (rdf:type first) and object,
/// and drops duplicates. Compares in place: no key is formatted.
pub fn sort_quads(quads: &mut Vec<Quad>) {
    let cmp = |a: &Quad, b: &Quad| {
        let (a, b) = (a.as_ref(), b.as_ref());
        graph_cmp(a.graph_name, b.graph_name).then_with(|| {
            triple_cmp(
                TripleRef::new(a.subject, a.predicate, a.object),
                TripleRef::new(b.subject, b.predicate, b.object),
            )
        })
    };
    quads.sort_unstable_by(cmp);
    quads.dedup();
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

/// Writes the graph in a syntax without holding all of it as quads (see
/// [`write_many`]). Returns the number of quads.
pub fn write_graph<W: Write>(
    syntax: Syntax,
    graph: &KnowledgeGraph,
    ontology: &Ontology,
    iris: &Iris,
    base: &str,
    writer: W,
) -> std::io::Result<(W, usize)> {
    let (mut writers, n) = write_many(&[syntax], graph, ontology, iris, base, vec![writer])?;
    Ok((writers.pop().expect("one writer in, one out"), n))
}

/// Writes the graph in several syntaxes at once, making each document's
/// quads once: a dataset syntax gets each document's graph in turn; a graph
/// syntax gets the union, collected as triples of interned terms (each
/// distinct term stored once) and sorted by subject. The bytes equal those
/// of [`write`] on [`quads`]. Returns the writers and the number of quads.
pub fn write_many<W: Write>(
    syntaxes: &[Syntax],
    graph: &KnowledgeGraph,
    ontology: &Ontology,
    iris: &Iris,
    base: &str,
    writers: Vec<W>,
) -> std::io::Result<(Vec<W>, usize)> {
    let mut datasets = Vec::new();
    let mut graphs = Vec::new();
    for (i, (&syntax, w)) in syntaxes.iter().zip(writers).enumerate() {
        if syntax.format().supports_datasets() {
            datasets.push((i, serializer(syntax, base)?.for_writer(w)));
        } else {
            graphs.push((i, syntax, w));
        }
    }
    let mut ids: HashMap<Term, u32> = HashMap::new();
    let mut triples: Vec<[u32; 3]> = Vec::new();
    let union = !graphs.is_empty();
    let n = for_each_document(graph, ontology, iris, |quads| {
        for (_, w) in datasets.iter_mut() {
            for q in &quads {
                w.serialize_quad(q)?;
            }
        }
        if union {
            for q in quads {
                let mut intern = |t: Term| -> u32 {
                    let next = ids.len() as u32;
                    *ids.entry(t).or_insert(next)
                };
                let s = intern(q.subject.into());
                let p = intern(q.predicate.into());
                let o = intern(q.object);
                triples.push([s, p, o]);
            }
        }
        Ok(())
    })?;
    let mut done: Vec<(usize, W)> = Vec::new();
    for (i, w) in datasets {
        done.push((i, w.finish()?));
    }
    if union {
        let mut table: Vec<Option<Term>> = vec![None; ids.len()];
        for (t, id) in ids {
            table[id as usize] = Some(t);
        }
        let table: Vec<Term> = table
            .into_iter()
            .map(|t| t.expect("every id has a term"))
            .collect();
        let mut by_order: Vec<u32> = (0..table.len() as u32).collect();
        by_order.sort_unstable_by(|&a, &b| {
            term_cmp(table[a as usize].as_ref(), table[b as usize].as_ref())
        });
        let mut rank = vec![0u32; table.len()];
        for (r, &id) in by_order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        let type_id = table
            .iter()
            .position(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == rdf::TYPE));
        triples.sort_unstable_by_key(|t| {
            let not_type = Some(t[1] as usize) != type_id;
            (
                rank[t[0] as usize],
                not_type,
                rank[t[1] as usize],
                rank[t[2] as usize],
            )
        });
        triples.dedup();
        for (i, syntax, w) in graphs {
            let mut w = serializer(syntax, base)?.for_writer(w);
            for &[s, p, o] in &triples {
                let subject = match &table[s as usize] {
                    Term::NamedNode(n) => NamedOrBlankNodeRef::NamedNode(n.as_ref()),
                    Term::BlankNode(b) => NamedOrBlankNodeRef::BlankNode(b.as_ref()),
                    other => unreachable!("a subject is a node, not {other}"),
                };
                let Term::NamedNode(predicate) = &table[p as usize] else {
                    unreachable!("a predicate is an IRI")
                };
                w.serialize_triple(TripleRef::new(
                    subject,
                    predicate.as_ref(),
                    table[o as usize].as_ref(),
                ))?;
            }
            done.push((i, w.finish()?));
        }
    }
    done.sort_by_key(|(i, _)| *i);
    Ok((done.into_iter().map(|(_, w)| w).collect(), n))
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
