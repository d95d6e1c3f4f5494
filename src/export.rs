//! Exports for Graphviz and graph tools. The graph is read back from a
//! build's RDF (or a store) with SPARQL into a petgraph graph, filtered,
//! and written by one writer per format. Every writer escapes names for its
//! own syntax: names come from texts and are untrusted.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::store::Store;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::error::{Error, Result};
use crate::ontology::Ontology;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// SVG drawn by Graphviz (dot, or sfdp beyond 150 nodes).
    Svg,
    /// GraphML (NetworkX, Gephi, yEd, Cytoscape).
    Graphml,
    /// GEXF 1.3 (Gephi), dates as spells.
    Gexf,
    /// Neo4j admin-import CSVs: nodes.csv and relationships.csv.
    Neo4j,
    /// A Cypher script with values passed as parameters.
    Cypher,
    /// Cytoscape.js elements JSON.
    Cytoscape,
    /// NetworkX node-link JSON.
    Networkx,
}

impl Format {
    /// The file written when `--out` is a directory or not given.
    pub fn default_name(self) -> &'static str {
        match self {
            Format::Dot => "graph.dot",
            Format::Svg => "graph.svg",
            Format::Graphml => "graph.graphml",
            Format::Gexf => "graph.gexf",
            Format::Neo4j => "neo4j",
            Format::Cypher => "graph.cypher",
            Format::Cytoscape => "graph.cyjs",
            Format::Networkx => "graph.json",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    /// The entity's key: the end of its IRI.
    pub id: String,
    pub iri: String,
    pub label: String,
    pub class: String,
    pub aliases: BTreeSet<String>,
    pub wikidata: Option<String>,
    pub documents: BTreeSet<String>,
    pub first_date: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edge {
    pub property: String,
    pub evidence: usize,
    /// The highest confidence of the rules that found it.
    pub confidence: Option<f64>,
    pub documents: BTreeSet<String>,
    pub first_date: Option<String>,
    pub example: Option<String>,
}

/// The graph to export, in a stable order: nodes by id, edges by (source,
/// property, target).
pub type ExportGraph = DiGraph<Node, Edge>;

/// Which part of the graph to export.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub classes: Vec<String>,
    pub properties: Vec<String>,
    pub ego: Option<String>,
    pub depth: usize,
    pub min_evidence: usize,
    pub doc: Option<String>,
    /// Drop entities with no relation left.
    pub connected_only: bool,
}

fn rows(store: &Store, query: &str, vars: &[&str]) -> Result<Vec<Vec<String>>> {
    Ok(crate::query::select(store, query, vars)?
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| crate::query::lexical(t.as_ref()))
                .collect()
        })
        .collect())
}

fn local(iri: &str) -> String {
    iri.rsplit(['#', '/']).next().unwrap_or(iri).to_string()
}

/// Reads the entities and relations of a built graph.
pub fn read(store: &Store) -> Result<ExportGraph> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for r in rows(
        store,
        "SELECT DISTINCT ?e ?label ?class ?file WHERE { ?e sg:mentionedIn ?d ; rdfs:label ?label ; a ?class . \
         ?d sg:fileName ?file . FILTER(STRSTARTS(STR(?class), STR(sg:))) }",
        &["e", "label", "class", "file"],
    )? {
        let n = nodes.entry(r[0].clone()).or_insert_with(|| Node {
            id: local(&r[0]),
            iri: r[0].clone(),
            label: r[1].clone(),
            class: local(&r[2]),
            ..Node::default()
        });
        n.documents.insert(r[3].clone());
    }
    for r in rows(
        store,
        "SELECT DISTINCT ?e ?alt WHERE { ?e sg:mentionedIn ?d ; skos:altLabel ?alt }",
        &["e", "alt"],
    )? {
        if let Some(n) = nodes.get_mut(&r[0]) {
            n.aliases.insert(r[1].clone());
        }
    }
    for r in rows(
        store,
        "SELECT DISTINCT ?e ?same WHERE { ?e sg:mentionedIn ?d ; owl:sameAs ?same }",
        &["e", "same"],
    )? {
        if let Some(n) = nodes.get_mut(&r[0]) {
            if r[1].starts_with("http://www.wikidata.org/entity/") {
                n.wikidata = Some(local(&r[1]));
            }
        }
    }
    let mut edges: BTreeMap<(String, String, String), Edge> = BTreeMap::new();
    for r in rows(
        store,
        "SELECT DISTINCT ?s ?p ?o ?ev ?file ?quote ?date ?conf WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; \
         prov:wasDerivedFrom ?ev . ?ev sg:document/sg:fileName ?file ; sg:quote ?quote . OPTIONAL { ?st sg:date ?date } \
         OPTIONAL { ?ev sg:confidence ?conf } } \
         ORDER BY ?s ?p ?o ?file ?ev",
        &["s", "p", "o", "ev", "file", "quote", "date", "conf"],
    )? {
        if !nodes.contains_key(&r[0]) || !nodes.contains_key(&r[2]) {
            continue;
        }
        let e = edges.entry((r[0].clone(), local(&r[1]), r[2].clone())).or_default();
        e.property = local(&r[1]);
        e.evidence += 1;
        e.documents.insert(r[4].clone());
        if e.example.is_none() {
            e.example = Some(r[5].clone());
        }
        if !r[6].is_empty() && e.first_date.as_ref().is_none_or(|d| r[6] < *d) {
            e.first_date = Some(r[6].clone());
        }
        if let Ok(c) = r[7].parse::<f64>() {
            if e.confidence.is_none_or(|x| c > x) {
                e.confidence = Some(c);
            }
        }
    }
    let mut g = ExportGraph::new();
    let mut index: HashMap<String, NodeIndex> = HashMap::new();
    for (iri, n) in nodes {
        index.insert(iri, g.add_node(n));
    }
    for ((s, _, o), e) in edges {
        let (si, oi) = (index[&s], index[&o]);
        if let Some(d) = &e.first_date {
            for n in [si, oi] {
                let node = &mut g[n];
                if node.first_date.as_ref().is_none_or(|x| d < x) {
                    node.first_date = Some(d.clone());
                }
            }
        }
        g.add_edge(si, oi, e);
    }
    Ok(g)
}

/// The edit distance between two short names, ignoring case.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An error for a value of `option` that is none of `choices`: the
/// nearest choice, if one is near, and the choices.
fn unknown(option: &str, (what, whats): (&str, &str), value: &str, choices: &[String]) -> Error {
    let near = choices
        .iter()
        .map(|c| (edit_distance(value, c), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 3))
        .min();
    let hint = near.map_or(String::new(), |(_, c)| format!(" (did you mean {c:?}?)"));
    let mut listed: Vec<&str> = choices.iter().map(String::as_str).take(30).collect();
    if choices.len() > listed.len() {
        listed.push("...");
    }
    Error::NoMatch(format!(
        "{option} {value:?}: no such {what}{hint}; the {whats} are: {}",
        listed.join(", ")
    ))
}

/// Checks a filter's names against the ontology and the graph: a class or
/// property the ontology does not define, or a document the graph does not
/// hold, is a typo, not an empty export.
pub fn check_filter(g: &ExportGraph, f: &Filter, ontology: &Ontology) -> Result<()> {
    let classes: Vec<String> = ontology.classes.iter().map(|c| c.local.clone()).collect();
    for c in &f.classes {
        if !classes.iter().any(|k| k.eq_ignore_ascii_case(c)) {
            return Err(unknown("--class", ("class", "classes"), c, &classes));
        }
    }
    let properties: Vec<String> = ontology
        .properties
        .iter()
        .map(|p| p.local.clone())
        .collect();
    for p in &f.properties {
        if !properties.iter().any(|k| k.eq_ignore_ascii_case(p)) {
            return Err(unknown(
                "--property",
                ("property", "properties"),
                p,
                &properties,
            ));
        }
    }
    if let Some(d) = &f.doc {
        let documents: BTreeSet<String> = g
            .node_weights()
            .flat_map(|n| n.documents.iter().cloned())
            .collect();
        if !documents.contains(d) {
            let documents: Vec<String> = documents.into_iter().collect();
            return Err(unknown("--doc", ("document", "documents"), d, &documents));
        }
    }
    Ok(())
}

/// Keeps the part of the graph the filter asks for, in the same order.
pub fn filter(g: &ExportGraph, f: &Filter) -> Result<ExportGraph> {
    let mut keep_node: Vec<bool> = g
        .node_indices()
        .map(|n| {
            let node = &g[n];
            (f.classes.is_empty()
                || f.classes
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(&node.class)))
                && f.doc.as_ref().is_none_or(|d| node.documents.contains(d))
        })
        .collect();
    if let Some(name) = &f.ego {
        let wanted = crate::eval::normalize(name);
        let centre = g
            .node_indices()
            .find(|&n| {
                let node = &g[n];
                node.id == crate::iri::key(name)
                    || node.iri == *name
                    || std::iter::once(&node.label)
                        .chain(&node.aliases)
                        .any(|a| crate::eval::normalize(a) == wanted)
            })
            .ok_or_else(|| {
                let names: Vec<String> = g.node_weights().map(|n| n.label.clone()).collect();
                unknown("--ego", ("entity", "entities"), name, &names)
            })?;
        let mut depth: HashMap<NodeIndex, usize> = HashMap::from([(centre, 0)]);
        let mut queue = VecDeque::from([centre]);
        while let Some(n) = queue.pop_front() {
            let d = depth[&n];
            if d == f.depth {
                continue;
            }
            for m in g
                .neighbors_directed(n, Direction::Outgoing)
                .chain(g.neighbors_directed(n, Direction::Incoming))
            {
                if let std::collections::hash_map::Entry::Vacant(slot) = depth.entry(m) {
                    slot.insert(d + 1);
                    queue.push_back(m);
                }
            }
        }
        for n in g.node_indices() {
            keep_node[n.index()] &= depth.contains_key(&n);
        }
    }
    let keep_edge = |e: &Edge| {
        (f.properties.is_empty()
            || f.properties
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&e.property)))
            && e.evidence >= f.min_evidence
            && f.doc.as_ref().is_none_or(|d| e.documents.contains(d))
    };
    let edge_filtered = !f.properties.is_empty() || f.min_evidence > 1 || f.connected_only;
    let mut incident = vec![false; g.node_count()];
    for e in g.edge_references() {
        if keep_edge(e.weight()) && keep_node[e.source().index()] && keep_node[e.target().index()] {
            incident[e.source().index()] = true;
            incident[e.target().index()] = true;
        }
    }
    let mut out = ExportGraph::new();
    let mut map: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    for n in g.node_indices() {
        if keep_node[n.index()] && (!edge_filtered || incident[n.index()]) {
            map.insert(n, out.add_node(g[n].clone()));
        }
    }
    for e in g.edge_references() {
        if let (Some(&s), Some(&t)) = (map.get(&e.source()), map.get(&e.target())) {
            if keep_edge(e.weight()) {
                out.add_edge(s, t, e.weight().clone());
            }
        }
    }
    Ok(out)
}

/// Removes characters no text format keeps well: controls other than tab
/// and newline, and the code points XML 1.0 forbids.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|&c| c != '\u{FFFE}' && c != '\u{FFFF}')
        .collect()
}

/// The longest label and tooltip in a DOT file, in characters.
const DOT_LABEL: usize = 200;
const DOT_TOOLTIP: usize = 1000;

/// A DOT double-quoted string.
pub fn dot_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in printable(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A DOT string for text shown to a reader (a label, a tooltip), cut to
/// `max` characters with a marker: Graphviz refuses strings over 16 KB,
/// and a sentence from a text may be long.
pub fn dot_text(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return dot_string(s);
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    dot_string(&(cut + "\u{2026}"))
}

/// Text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in printable(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A Cypher string literal.
pub fn cypher_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Cypher identifier (label, relationship type): back-quoted.
pub fn cypher_name(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// The (shape, colour) of a class, from the ontology's styles, the most
/// specific styled ancestor winning.
fn style(ontology: &Ontology, class: &str) -> (String, String) {
    let Some(id) = ontology.class_by_local(class) else {
        return ("ellipse".into(), "#eeeeee".into());
    };
    let mut best: Option<(usize, &crate::ontology::Class)> = None;
    for (i, c) in ontology.classes.iter().enumerate() {
        if ontology.classes[id]
            .ancestors
            .intersects(crate::ontology::ClassSet::default().with(i))
            && c.shape.is_some()
        {
            let depth = (0..ontology.classes.len())
                .filter(|&j| {
                    c.ancestors
                        .intersects(crate::ontology::ClassSet::default().with(j))
                })
                .count();
            if best.is_none_or(|(d, _)| depth > d) {
                best = Some((depth, c));
            }
        }
    }
    match best {
        Some((_, c)) => (
            c.shape.clone().unwrap_or_else(|| "ellipse".into()),
            c.color.clone().unwrap_or_else(|| "#eeeeee".into()),
        ),
        None => ("ellipse".into(), "#eeeeee".into()),
    }
}

/// Our own DOT: nodes shaped and coloured by class with a legend, edges
/// labelled by property with one evidence sentence as tooltip.
pub fn write_dot(g: &ExportGraph, ontology: &Ontology, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "digraph stratagraph {{")?;
    writeln!(
        w,
        "  graph [overlap=false, splines=true, fontname=\"Helvetica\", rankdir=LR];"
    )?;
    writeln!(
        w,
        "  node [style=filled, fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(
        w,
        "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];"
    )?;
    let classes: BTreeSet<&str> = g.node_weights().map(|n| n.class.as_str()).collect();
    for n in g.node_indices() {
        let node = &g[n];
        let (shape, color) = style(ontology, &node.class);
        writeln!(
            w,
            "  {} [label={}, shape={}, fillcolor={}, tooltip={}];",
            dot_string(&node.id),
            dot_text(&node.label, DOT_LABEL),
            dot_string(&shape),
            dot_string(&color),
            dot_text(
                &format!(
                    "{} ({}), {} documents",
                    node.label,
                    node.class,
                    node.documents.len()
                ),
                DOT_TOOLTIP
            )
        )?;
    }
    for e in g.edge_references() {
        let edge = e.weight();
        writeln!(
            w,
            "  {} -> {} [label={}, tooltip={}, penwidth={:.1}];",
            dot_string(&g[e.source()].id),
            dot_string(&g[e.target()].id),
            dot_string(&edge.property),
            dot_text(
                &format!(
                    "{} (evidence {}{})",
                    edge.example.as_deref().unwrap_or(""),
                    edge.evidence,
                    edge.confidence
                        .map(|c| format!(", confidence {c}"))
                        .unwrap_or_default()
                ),
                DOT_TOOLTIP
            ),
            1.0 + (edge.evidence as f64).ln().min(3.0)
        )?;
    }
    // The legend is one node whose label is a table (an HTML-like label):
    // a layout engine without clusters (sfdp) cannot scatter its entries
    // among the entities.
    let mut rows = String::new();
    for c in &classes {
        let (shape, color) = style(ontology, c);
        rows.push_str(&format!(
            "<TR><TD BGCOLOR=\"{}\" WIDTH=\"16\"></TD><TD ALIGN=\"LEFT\">{} ({})</TD></TR>",
            xml_escape(&color),
            xml_escape(c),
            xml_escape(&shape)
        ));
    }
    writeln!(
        w,
        "  legend [shape=plaintext, style=\"\", fontsize=9, label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"2\" COLOR=\"#999999\"><TR><TD COLSPAN=\"2\"><B>classes</B></TD></TR>{rows}</TABLE>>];"
    )?;
    writeln!(w, "}}")
}

fn joined(set: &BTreeSet<String>) -> String {
    set.iter().map(String::as_str).collect::<Vec<_>>().join("|")
}

pub fn write_graphml(g: &ExportGraph, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">"
    )?;
    for (id, target, name, ty) in [
        ("label", "node", "label", "string"),
        ("iri", "node", "iri", "string"),
        ("class", "node", "class", "string"),
        ("aliases", "node", "aliases", "string"),
        ("wikidata", "node", "wikidata", "string"),
        ("documents", "node", "documents", "int"),
        ("first_date", "node", "first_date", "string"),
        ("property", "edge", "property", "string"),
        ("evidence", "edge", "evidence", "int"),
        ("confidence", "edge", "confidence", "double"),
        ("edge_first_date", "edge", "first_date", "string"),
        ("example", "edge", "example", "string"),
    ] {
        writeln!(
            w,
            "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        )?;
    }
    writeln!(w, "  <graph id=\"stratagraph\" edgedefault=\"directed\">")?;
    for n in g.node_weights() {
        writeln!(w, "    <node id=\"{}\">", xml_escape(&n.id))?;
        writeln!(
            w,
            "      <data key=\"label\">{}</data>",
            xml_escape(&n.label)
        )?;
        writeln!(w, "      <data key=\"iri\">{}</data>", xml_escape(&n.iri))?;
        writeln!(
            w,
            "      <data key=\"class\">{}</data>",
            xml_escape(&n.class)
        )?;
        writeln!(
            w,
            "      <data key=\"aliases\">{}</data>",
            xml_escape(&joined(&n.aliases))
        )?;
        if let Some(q) = &n.wikidata {
            writeln!(w, "      <data key=\"wikidata\">{}</data>", xml_escape(q))?;
        }
        writeln!(
            w,
            "      <data key=\"documents\">{}</data>",
            n.documents.len()
        )?;
        if let Some(d) = &n.first_date {
            writeln!(w, "      <data key=\"first_date\">{}</data>", xml_escape(d))?;
        }
        writeln!(w, "    </node>")?;
    }
    for (i, e) in g.edge_references().enumerate() {
        let edge = e.weight();
        writeln!(
            w,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml_escape(&g[e.source()].id),
            xml_escape(&g[e.target()].id)
        )?;
        writeln!(
            w,
            "      <data key=\"property\">{}</data>",
            xml_escape(&edge.property)
        )?;
        writeln!(w, "      <data key=\"evidence\">{}</data>", edge.evidence)?;
        if let Some(c) = edge.confidence {
            writeln!(w, "      <data key=\"confidence\">{c}</data>")?;
        }
        if let Some(d) = &edge.first_date {
            writeln!(
                w,
                "      <data key=\"edge_first_date\">{}</data>",
                xml_escape(d)
            )?;
        }
        if let Some(x) = &edge.example {
            writeln!(w, "      <data key=\"example\">{}</data>", xml_escape(x))?;
        }
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}

/// A date of the graph ("2020", "2020-01", "2017/..", "2003/2008") as a
/// GEXF spell (start, end), days filled in.
fn spell(date: &str) -> Option<(String, Option<String>)> {
    let day = |d: &str, end: bool| -> Option<String> {
        let parts: Vec<&str> = d.split('-').collect();
        let ok = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if ok(y, 4) => Some(if end {
                format!("{y}-12-31")
            } else {
                format!("{y}-01-01")
            }),
            [y, m] if ok(y, 4) && ok(m, 2) => Some(if end {
                format!("{y}-{m}-28")
            } else {
                format!("{y}-{m}-01")
            }),
            [y, m, d] if ok(y, 4) && ok(m, 2) && ok(d, 2) => Some(format!("{y}-{m}-{d}")),
            _ => None,
        }
    };
    match date.split_once('/') {
        Some((a, "..")) => Some((day(a, false)?, None)),
        Some((a, b)) => Some((day(a, false)?, Some(day(b, true)?))),
        None => Some((day(date, false)?, None)),
    }
}

pub fn write_gexf(g: &ExportGraph, ontology: &Ontology, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">"
    )?;
    writeln!(w, "  <meta><creator>stratagraph</creator></meta>")?;
    writeln!(
        w,
        "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">"
    )?;
    let node_attributes = [
        ("class", "string"),
        ("aliases", "string"),
        ("wikidata", "string"),
        ("documents", "integer"),
        ("iri", "string"),
    ];
    let edge_attributes = [
        ("property", "string"),
        ("evidence", "integer"),
        ("example", "string"),
        ("confidence", "double"),
    ];
    for (class, attributes) in [("node", &node_attributes[..]), ("edge", &edge_attributes)] {
        writeln!(w, "    <attributes class=\"{class}\">")?;
        for (i, (name, ty)) in attributes.iter().enumerate() {
            writeln!(
                w,
                "      <attribute id=\"{i}\" title=\"{name}\" type=\"{ty}\"/>"
            )?;
        }
        writeln!(w, "    </attributes>")?;
    }
    writeln!(w, "    <nodes>")?;
    for n in g.node_weights() {
        writeln!(
            w,
            "      <node id=\"{}\" label=\"{}\">",
            xml_escape(&n.id),
            xml_escape(&n.label)
        )?;
        writeln!(w, "        <attvalues>")?;
        writeln!(
            w,
            "          <attvalue for=\"0\" value=\"{}\"/>",
            xml_escape(&n.class)
        )?;
        writeln!(
            w,
            "          <attvalue for=\"1\" value=\"{}\"/>",
            xml_escape(&joined(&n.aliases))
        )?;
        writeln!(
            w,
            "          <attvalue for=\"2\" value=\"{}\"/>",
            xml_escape(n.wikidata.as_deref().unwrap_or(""))
        )?;
        writeln!(
            w,
            "          <attvalue for=\"3\" value=\"{}\"/>",
            n.documents.len()
        )?;
        writeln!(
            w,
            "          <attvalue for=\"4\" value=\"{}\"/>",
            xml_escape(&n.iri)
        )?;
        writeln!(w, "        </attvalues>")?;
        if let Some((start, _)) = n.first_date.as_deref().and_then(spell) {
            writeln!(w, "        <spells><spell start=\"{start}\"/></spells>")?;
        }
        // The class's colour and shape, as the DOT export draws them.
        let (shape, color) = style(ontology, &n.class);
        let (r, gr, b) = rgb(&color);
        writeln!(w, "        <viz:color r=\"{r}\" g=\"{gr}\" b=\"{b}\"/>")?;
        writeln!(w, "        <viz:shape value=\"{}\"/>", viz_shape(&shape))?;
        writeln!(w, "      </node>")?;
    }
    writeln!(w, "    </nodes>")?;
    writeln!(w, "    <edges>")?;
    for (i, e) in g.edge_references().enumerate() {
        let edge = e.weight();
        writeln!(
            w,
            "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" label=\"{}\" weight=\"{}\">",
            xml_escape(&g[e.source()].id),
            xml_escape(&g[e.target()].id),
            xml_escape(&edge.property),
            edge.evidence
        )?;
        writeln!(w, "        <attvalues>")?;
        writeln!(
            w,
            "          <attvalue for=\"0\" value=\"{}\"/>",
            xml_escape(&edge.property)
        )?;
        writeln!(
            w,
            "          <attvalue for=\"1\" value=\"{}\"/>",
            edge.evidence
        )?;
        writeln!(
            w,
            "          <attvalue for=\"2\" value=\"{}\"/>",
            xml_escape(edge.example.as_deref().unwrap_or(""))
        )?;
        if let Some(c) = edge.confidence {
            writeln!(w, "          <attvalue for=\"3\" value=\"{c}\"/>")?;
        }
        writeln!(w, "        </attvalues>")?;
        if let Some((start, end)) = edge.first_date.as_deref().and_then(spell) {
            match end {
                Some(end) => writeln!(
                    w,
                    "        <spells><spell start=\"{start}\" end=\"{end}\"/></spells>"
                )?,
                None => writeln!(w, "        <spells><spell start=\"{start}\"/></spells>")?,
            }
        }
        writeln!(w, "      </edge>")?;
    }
    writeln!(w, "    </edges>")?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")
}

fn node_json(n: &Node) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("id".into(), n.id.clone().into());
    m.insert("label".into(), n.label.clone().into());
    m.insert("class".into(), n.class.clone().into());
    m.insert("iri".into(), n.iri.clone().into());
    m.insert(
        "aliases".into(),
        n.aliases.iter().cloned().collect::<Vec<_>>().into(),
    );
    if let Some(q) = &n.wikidata {
        m.insert("wikidata".into(), q.clone().into());
    }
    m.insert("documents".into(), n.documents.len().into());
    if let Some(d) = &n.first_date {
        m.insert("first_date".into(), d.clone().into());
    }
    m
}

fn edge_json(e: &Edge) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("property".into(), e.property.clone().into());
    m.insert("evidence".into(), e.evidence.into());
    if let Some(c) = e.confidence {
        m.insert("confidence".into(), c.into());
    }
    if let Some(d) = &e.first_date {
        m.insert("first_date".into(), d.clone().into());
    }
    if let Some(x) = &e.example {
        m.insert("example".into(), x.clone().into());
    }
    m
}

/// NetworkX node-link JSON (`networkx.node_link_graph(data, edges="edges")`).
pub fn write_networkx(g: &ExportGraph, w: &mut dyn Write) -> std::io::Result<()> {
    let nodes: Vec<serde_json::Value> = g.node_weights().map(|n| node_json(n).into()).collect();
    let edges: Vec<serde_json::Value> = g
        .edge_references()
        .map(|e| {
            let mut m = edge_json(e.weight());
            m.insert("source".into(), g[e.source()].id.clone().into());
            m.insert("target".into(), g[e.target()].id.clone().into());
            m.into()
        })
        .collect();
    let value = serde_json::json!({
        "directed": true, "multigraph": true, "graph": {"name": "stratagraph"},
        "nodes": nodes, "edges": edges,
    });
    serde_json::to_writer_pretty(&mut *w, &value)?;
    writeln!(w)
}

/// "#8dd3c7" as (141, 211, 199); grey for anything else.
fn rgb(color: &str) -> (u8, u8, u8) {
    let hex = color.trim_start_matches('#');
    let part = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    match (hex.len(), part(0), part(2), part(4)) {
        (6, Some(r), Some(g), Some(b)) => (r, g, b),
        _ => (0xee, 0xee, 0xee),
    }
}

/// GEXF's node shapes (disc, square, triangle, diamond) for Graphviz's.
fn viz_shape(shape: &str) -> &'static str {
    match shape {
        "box" | "square" | "rect" | "rectangle" | "component" | "folder" | "tab" => "square",
        "triangle" | "invtriangle" | "house" | "invhouse" => "triangle",
        "diamond" | "Mdiamond" | "parallelogram" => "diamond",
        _ => "disc",
    }
}

/// Cytoscape.js's node shapes for Graphviz's.
fn cytoscape_shape(shape: &str) -> &'static str {
    match shape {
        "box" | "square" | "rect" | "rectangle" | "component" | "folder" | "tab" => {
            "round-rectangle"
        }
        "triangle" | "house" => "triangle",
        "invtriangle" | "invhouse" => "vee",
        "diamond" | "Mdiamond" => "diamond",
        "hexagon" => "hexagon",
        "octagon" => "octagon",
        "parallelogram" => "rhomboid",
        _ => "ellipse",
    }
}

/// Cytoscape.js elements, with a stylesheet beside them (`style`): nodes
/// coloured and shaped by class as the DOT export draws them, labelled;
/// edges labelled by property, arrowed.
pub fn write_cytoscape(
    g: &ExportGraph,
    ontology: &Ontology,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let nodes: Vec<serde_json::Value> = g
        .node_weights()
        .map(|n| serde_json::json!({ "data": node_json(n), "classes": n.class }))
        .collect();
    let edges: Vec<serde_json::Value> = g
        .edge_references()
        .enumerate()
        .map(|(i, e)| {
            let mut m = edge_json(e.weight());
            m.insert("id".into(), format!("e{i}").into());
            m.insert("source".into(), g[e.source()].id.clone().into());
            m.insert("target".into(), g[e.target()].id.clone().into());
            serde_json::json!({ "data": m, "classes": e.weight().property })
        })
        .collect();
    let mut sheet = vec![
        serde_json::json!({ "selector": "node", "style": {
            "label": "data(label)", "font-size": 10, "text-valign": "center" } }),
        serde_json::json!({ "selector": "edge", "style": {
            "label": "data(property)", "font-size": 8, "curve-style": "bezier",
            "target-arrow-shape": "triangle", "width": "mapData(evidence, 1, 20, 1, 6)" } }),
    ];
    let classes: BTreeSet<&str> = g.node_weights().map(|n| n.class.as_str()).collect();
    for class in classes {
        let (shape, color) = style(ontology, class);
        sheet.push(serde_json::json!({
            "selector": format!("node.{class}"),
            "style": { "background-color": color, "shape": cytoscape_shape(&shape) }
        }));
    }
    let value = serde_json::json!({
        "elements": { "nodes": nodes, "edges": edges },
        "style": sheet,
    });
    serde_json::to_writer_pretty(&mut *w, &value)?;
    writeln!(w)
}

/// A spreadsheet would run a cell opening with = + - @ as a formula.
pub fn neutralise(s: &str, on: bool) -> String {
    if on && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Neo4j admin-import files: nodes.csv and relationships.csv in `dir`.
pub fn write_neo4j(g: &ExportGraph, dir: &Path, spreadsheet_safe: bool) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let nodes = dir.join("nodes.csv");
    let rels = dir.join("relationships.csv");
    let cell = |s: &str| neutralise(&printable(s), spreadsheet_safe);
    crate::build::write_atomically(&nodes, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record([
            "id:ID",
            "iri",
            "name",
            "class",
            "aliases:string[]",
            "wikidata",
            "documents:int",
            "first_date",
            ":LABEL",
        ])?;
        for n in g.node_weights() {
            let aliases: Vec<String> = n.aliases.iter().map(|a| a.replace(';', ",")).collect();
            c.write_record([
                cell(&n.id),
                cell(&n.iri),
                cell(&n.label),
                n.class.clone(),
                cell(&aliases.join(";")),
                n.wikidata.clone().unwrap_or_default(),
                n.documents.len().to_string(),
                n.first_date.clone().unwrap_or_default(),
                format!("Entity;{}", n.class),
            ])?;
        }
        c.flush()
    })?;
    crate::build::write_atomically(&rels, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record([
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "property",
            "evidence:int",
            "confidence:float",
            "first_date",
            "example",
        ])?;
        for e in g.edge_references() {
            let edge = e.weight();
            c.write_record([
                cell(&g[e.source()].id),
                cell(&g[e.target()].id),
                relationship_type(&edge.property),
                edge.property.clone(),
                edge.evidence.to_string(),
                edge.confidence.map(|c| c.to_string()).unwrap_or_default(),
                edge.first_date.clone().unwrap_or_default(),
                cell(edge.example.as_deref().unwrap_or("")),
            ])?;
        }
        c.flush()
    })?;
    Ok(vec![nodes, rels])
}

/// A relationship type as Neo4j names them, UPPER_SNAKE_CASE, from a
/// property's camelCase local name: "operatesIn" is `OPERATES_IN`.
pub fn relationship_type(property: &str) -> String {
    let mut out = String::with_capacity(property.len() + 4);
    let mut previous_lower = false;
    for c in property.chars() {
        if c.is_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_uppercase());
    }
    out
}

/// A Cypher script for cypher-shell: the values travel as parameters
/// (`:param`), the statements only name labels and types, back-quoted.
pub fn write_cypher(g: &ExportGraph, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        w,
        "// Stratagraph export. Run with: cypher-shell -f graph.cypher"
    )?;
    writeln!(
        w,
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;"
    )?;
    let mut by_class: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
    for n in g.node_weights() {
        by_class.entry(&n.class).or_default().push(n);
    }
    for (class, nodes) in by_class {
        let items: Vec<String> = nodes
            .iter()
            .map(|n| {
                let aliases: Vec<String> = n.aliases.iter().map(|a| cypher_string(a)).collect();
                format!(
                    "{{id: {}, name: {}, iri: {}, aliases: [{}], wikidata: {}, documents: {}}}",
                    cypher_string(&n.id),
                    cypher_string(&n.label),
                    cypher_string(&n.iri),
                    aliases.join(", "),
                    // Absent, not "": `SET e += n` leaves a null property out.
                    n.wikidata
                        .as_deref()
                        .map_or("null".to_string(), cypher_string),
                    n.documents.len()
                )
            })
            .collect();
        writeln!(w, ":param nodes => [{}];", items.join(", "))?;
        writeln!(
            w,
            "UNWIND $nodes AS n MERGE (e:Entity {{id: n.id}}) SET e += n, e:{};",
            cypher_name(class)
        )?;
    }
    let mut by_property: BTreeMap<&str, Vec<(&Node, &Node, &Edge)>> = BTreeMap::new();
    for e in g.edge_references() {
        by_property.entry(&e.weight().property).or_default().push((
            &g[e.source()],
            &g[e.target()],
            e.weight(),
        ));
    }
    for (property, edges) in by_property {
        let items: Vec<String> = edges
            .iter()
            .map(|(s, t, e)| {
                format!(
                    "{{source: {}, target: {}, evidence: {}, confidence: {}, example: {}}}",
                    cypher_string(&s.id),
                    cypher_string(&t.id),
                    e.evidence,
                    e.confidence.map_or("null".to_string(), |c| c.to_string()),
                    e.example
                        .as_deref()
                        .map_or("null".to_string(), cypher_string)
                )
            })
            .collect();
        writeln!(w, ":param edges => [{}];", items.join(", "))?;
        writeln!(
            w,
            "UNWIND $edges AS r MATCH (a:Entity {{id: r.source}}), (b:Entity {{id: r.target}}) \
             MERGE (a)-[x:{}]->(b) SET x.property = {}, x.evidence = r.evidence, x.confidence = r.confidence, x.example = r.example;",
            cypher_name(&relationship_type(property)),
            cypher_string(property)
        )?;
    }
    Ok(())
}

/// Draws DOT with Graphviz: `dot`, or `sfdp` for large graphs.
pub fn render_svg(dot: &[u8], nodes: usize, out: &Path) -> Result<()> {
    let program = if nodes > 150 { "sfdp" } else { "dot" };
    let mut child = std::process::Command::new(program)
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::Usage(format!(
                "--format svg needs Graphviz's {program} on PATH ({e}); install graphviz (apt-get install graphviz) \
                 or export --format dot"
            ))
        })?;
    {
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin
            .write_all(dot)
            .map_err(|e| Error::Other(format!("{program}: {e}")))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| Error::Other(format!("{program}: {e}")))?;
    if !output.status.success() {
        return Err(Error::Other(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    crate::build::write_atomically(out, |w| w.write_all(&output.stdout))
}

/// Reads the graph of a build output directory or file.
pub fn load_source(from: &Path) -> Result<Store> {
    let file = if from.is_dir() {
        from.join("graph.nq")
    } else {
        from.to_path_buf()
    };
    let store = Store::new().map_err(|e| Error::Other(e.to_string()))?;
    let mut loader = store.bulk_loader();
    loader
        .load_quads(crate::store::read_rdf(&[file])?)
        .map_err(|e| Error::Other(e.to_string()))?;
    loader.commit().map_err(|e| Error::Other(e.to_string()))?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_types_are_upper_snake_case() {
        assert_eq!(relationship_type("operatesIn"), "OPERATES_IN");
        assert_eq!(relationship_type("cooperatesWith"), "COOPERATES_WITH");
        assert_eq!(relationship_type("attacks"), "ATTACKS");
        assert_eq!(relationship_type("locatedIn"), "LOCATED_IN");
    }

    #[test]
    fn each_syntax_escapes_its_own_specials() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("plain", "\"plain\"", "plain", "\"plain\""),
            (
                "a\"b\\c",
                "\"a\\\"b\\\\c\"",
                "a&quot;b\\c",
                "\"a\\\"b\\\\c\"",
            ),
            (
                "<x & 'y'>",
                "\"<x & 'y'>\"",
                "&lt;x &amp; &apos;y&apos;&gt;",
                "\"<x & 'y'>\"",
            ),
            (
                "line\nbreak",
                "\"line\\nbreak\"",
                "line&#10;break",
                "\"line\\nbreak\"",
            ),
            ("ctl\u{1}", "\"ctl \"", "ctl ", "\"ctl\\u0001\""),
            ("`tick`", "\"`tick`\"", "`tick`", "\"`tick`\""),
        ];
        for &(raw, dot, xml, cypher) in cases {
            assert_eq!(dot_string(raw), dot, "DOT {raw:?}");
            assert_eq!(xml_escape(raw), xml, "XML {raw:?}");
            assert_eq!(cypher_string(raw), cypher, "Cypher {raw:?}");
        }
        assert_eq!(cypher_name("a`b"), "`a``b`");
    }

    #[test]
    fn dates_become_spells() {
        assert_eq!(spell("2020-01-03"), Some(("2020-01-03".into(), None)));
        assert_eq!(spell("2018"), Some(("2018-01-01".into(), None)));
        assert_eq!(spell("2017/.."), Some(("2017-01-01".into(), None)));
        assert_eq!(
            spell("2003/2008"),
            Some(("2003-01-01".into(), Some("2008-12-31".into())))
        );
        assert_eq!(spell("soon"), None);
    }

    #[test]
    fn formula_cells_are_neutralised_only_on_request() {
        assert_eq!(neutralise("=1+2", true), "'=1+2");
        assert_eq!(neutralise("@x", true), "'@x");
        assert_eq!(neutralise("=1+2", false), "=1+2");
        assert_eq!(neutralise("Iraq", true), "Iraq");
    }
}
