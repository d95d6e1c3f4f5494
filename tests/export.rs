//! Every export format, opened by the tool it is meant for: Graphviz for
//! DOT, xmllint for SVG, GraphML and GEXF, NetworkX for GraphML, GEXF and
//! node-link JSON, a CSV reader for the Neo4j files.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const FORMATS: &[&str] = &[
    "dot",
    "svg",
    "graphml",
    "gexf",
    "neo4j",
    "cypher",
    "cytoscape",
    "networkx",
];

/// Exports every format from `dir/out`, returning the entity and
/// relation counts the exporter reported.
fn export_all(dir: &Path, extra: &[&str]) -> (usize, usize) {
    let mut counts = None;
    for f in FORMATS {
        let mut args = vec!["export", "--format", f];
        args.extend_from_slice(extra);
        let o = stratagraph(dir, &args);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stderr(&o));
        let err = stderr(&o);
        let nums: Vec<usize> = err
            .split(['(', ' ', ','])
            .filter_map(|w| w.parse().ok())
            .collect();
        let these = (nums[0], nums[1]);
        assert_eq!(
            *counts.get_or_insert(these),
            these,
            "every format exports the same graph"
        );
    }
    counts.unwrap()
}

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed by this test (.ci/run installs it): {e}"))
}

fn check_readers(out: &Path, nodes: usize, edges: usize, probe: Option<(&str, &str)>) {
    let o = run(
        "dot",
        &[
            "-Tsvg",
            out.join("graph.dot").to_str().unwrap(),
            "-o",
            out.join("dot.svg").to_str().unwrap(),
        ],
    );
    assert!(
        o.status.success(),
        "dot reads our DOT: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for xml in ["dot.svg", "graph.svg", "graph.graphml", "graph.gexf"] {
        let o = run("xmllint", &["--noout", out.join(xml).to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{xml} is well-formed XML: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let script = root().join("tests/readers/networkx_reads.py");
    let (n, e) = (nodes.to_string(), edges.to_string());
    let mut args = vec![script.to_str().unwrap(), out.to_str().unwrap(), &n, &e];
    if let Some((id, label)) = probe {
        args.push(id);
        args.push(label);
    }
    let o = run("python3", &args);
    assert!(
        o.status.success(),
        "NetworkX reads GraphML, GEXF and node-link: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let cy: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("graph.cyjs")).unwrap()).unwrap();
    // A stylesheet beside the elements: every class present is styled.
    let sheet = cy["style"].as_array().expect("a style array");
    for n in cy["elements"]["nodes"].as_array().unwrap() {
        let selector = format!("node.{}", n["classes"].as_str().unwrap());
        assert!(
            sheet
                .iter()
                .any(|r| r["selector"] == selector && r["style"]["background-color"].is_string()),
            "{selector} unstyled"
        );
    }
    assert_eq!(cy["elements"]["nodes"].as_array().unwrap().len(), nodes);
    assert_eq!(cy["elements"]["edges"].as_array().unwrap().len(), edges);
    let mut r = csv::Reader::from_path(out.join("neo4j/nodes.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "id:ID",
            "iri",
            "name",
            "class",
            "aliases:string[]",
            "wikidata",
            "documents:int",
            "first_date",
            ":LABEL"
        ]
    );
    assert_eq!(r.records().count(), nodes);
    let mut r = csv::Reader::from_path(out.join("neo4j/relationships.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "property",
            "evidence:int",
            "confidence:float",
            "first_date",
            "example"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), edges);
    // Neo4j's convention for relationship types: UPPER_SNAKE_CASE.
    for row in &rows {
        assert!(
            row[2].chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{row:?}"
        );
    }
}

#[test]
fn every_format_of_the_seeds_opens_in_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    let o = stratagraph(
        dir.path(),
        &["build", seeds.to_str().unwrap(), "--out", "out", "-q"],
    );
    assert_eq!(o.status.code(), Some(0));
    let (nodes, edges) = export_all(dir.path(), &[]);
    assert!(nodes > 50 && edges > 40, "{nodes} {edges}");
    check_readers(
        &dir.path().join("out"),
        nodes,
        edges,
        Some(("popular-mobilization-forces", "Popular Mobilization Forces")),
    );
    let dot = std::fs::read_to_string(dir.path().join("out/graph.dot")).unwrap();
    assert!(
        dot.contains("\"popular-mobilization-forces\" -> \"united-states\" [label=\"attacks\""),
        "{dot}"
    );
    assert!(
        dot.contains("legend [shape=plaintext") && dot.contains("<TABLE"),
        "a legend, one node sfdp cannot scatter"
    );
    // The same core attributes in every format: the entity's IRI and the
    // relation's confidence.
    let out = dir.path().join("out");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let iri = "https://w3id.org/stratagraph/id/popular-mobilization-forces";
    for f in [
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.cyjs",
        "graph.cypher",
        "neo4j/nodes.csv",
    ] {
        let text = read(f);
        assert!(text.contains(iri), "{f} names the IRI");
        assert!(
            text.contains("confidence") || f == "neo4j/nodes.csv",
            "{f} gives the confidence"
        );
    }
    assert!(read("neo4j/relationships.csv").contains("confidence:float"));
    assert!(
        dot.contains("confidence 0."),
        "the DOT tooltip gives the confidence"
    );
}

#[test]
fn filters_cut_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    stratagraph(
        dir.path(),
        &["build", seeds.to_str().unwrap(), "--out", "out", "-q"],
    );
    let count = |args: &[&str]| -> (usize, usize) {
        let mut all = vec!["export", "--format", "networkx", "--out", "f.json"];
        all.extend_from_slice(args);
        let o = stratagraph(dir.path(), &all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("f.json")).unwrap()).unwrap();
        (
            v["nodes"].as_array().unwrap().len(),
            v["edges"].as_array().unwrap().len(),
        )
    };
    let all = count(&[]);
    let attacks = count(&["--property", "attacks"]);
    assert_eq!(attacks.1, 3);
    assert!(attacks.0 <= 6 && attacks.0 >= 3, "{attacks:?}");
    let ego = count(&["--ego", "PMF", "--depth", "1"]);
    assert!(ego.0 < all.0 && ego.0 >= 4, "{ego:?}");
    let states = count(&["--class", "State"]);
    assert!(states.0 >= 5 && states.0 < all.0);
    let doc = count(&["--doc", "003_c50906b3062e8aed.txt"]);
    // One document's entities and relations, a small part of the whole.
    assert!(
        doc.1 <= 3 && doc.0 <= 12 && doc.0 * 4 < all.0,
        "{doc:?} of {all:?}"
    );
    // A document named by its path is the same document.
    let by_path = count(&["--doc", "seeds/003_c50906b3062e8aed.txt"]);
    assert_eq!(by_path, doc);
    let o = stratagraph(
        dir.path(),
        &["export", "--format", "dot", "--ego", "Nobody"],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = stratagraph(
        dir.path(),
        &[
            "export",
            "--format",
            "dot",
            "--ego",
            "Popular Mobilizaton Forces",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean \"Popular Mobilization Forces\""),
        "{}",
        stderr(&o)
    );
    // A typo names the nearest choice and writes nothing (exit 1), rather
    // than an empty export.
    for (args, hint) in [
        (["--class", "Stat"], "did you mean \"State\""),
        (["--property", "atacks"], "did you mean \"attacks\""),
        (["--doc", "nosuch.txt"], "003_c50906b3062e8aed.txt"),
    ] {
        let mut all = vec!["export", "--format", "dot", "--out", "typo.dot"];
        all.extend_from_slice(&args);
        let o = stratagraph(dir.path(), &all);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(hint), "{}", stderr(&o));
        assert!(!dir.path().join("typo.dot").exists());
    }
}

/// Names from texts hold everything a format might choke on.
#[test]
fn hostile_names_survive_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "Quote\"Back\\slash Brigade",
        "Less<Than & More> Brigade",
        "Tick`Tock' Brigade",
        "Ctl\u{1}Char Brigade",
        "Kata\u{2019}ib \u{00C9}t\u{00E9} \u{0627}\u{0644}\u{062D}\u{0634}\u{062F} Brigade",
        "=cmd|' /C calc'!A0 Brigade",
    ];
    let mut ttl = String::from(
        "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n",
    );
    let mut text = String::new();
    for (i, n) in names.iter().enumerate() {
        let escaped = n
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\u{1}', "\\u0001");
        ttl.push_str(&format!(
            "<urn:x:h{i}> a sg:ArmedGroup ; skos:prefLabel \"{escaped}\" .\n"
        ));
        text.push_str(&format!("The {n} attacked Baghdad. "));
    }
    // A name from an ontology may hold a line break; the text names it by an alias.
    ttl.push_str("<urn:x:nl> a sg:ArmedGroup ; skos:prefLabel \"New\\nLine Brigade\" ; skos:altLabel \"Newline Brigade\" .\n");
    text.push_str("The Newline Brigade attacked Baghdad. ");
    text.push_str("The Quote\"Back\\slash Brigade attacked the Less<Than & More> Brigade.\n");
    std::fs::write(dir.path().join("mine.ttl"), ttl).unwrap();
    std::fs::write(dir.path().join("doc.txt"), text).unwrap();
    let o = stratagraph(
        dir.path(),
        &[
            "build",
            "doc.txt",
            "--ontology",
            "mine.ttl",
            "--out",
            "out",
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (nodes, edges) = export_all(dir.path(), &["--ontology", "mine.ttl"]);
    assert_eq!(
        nodes,
        names.len() + 2,
        "every hostile name, the line break and Baghdad"
    );
    assert!(edges >= names.len());
    let out = dir.path().join("out");
    check_readers(&out, nodes, edges, None);
    // The names come back intact where the format allows.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("graph.json")).unwrap()).unwrap();
    let labels: Vec<&str> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    for n in names.iter().chain(&["New\nLine Brigade"]) {
        assert!(labels.contains(n), "{n:?} in {labels:?}");
    }
    let mut r = csv::Reader::from_path(out.join("neo4j/nodes.csv")).unwrap();
    let csv_names: Vec<String> = r.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert!(
        csv_names.iter().any(|n| n == "=cmd|' /C calc'!A0 Brigade"),
        "intact for Neo4j: {csv_names:?}"
    );
    let o = stratagraph(
        dir.path(),
        &[
            "export",
            "--format",
            "neo4j",
            "--out",
            "safe",
            "--spreadsheet-safe",
            "--ontology",
            "mine.ttl",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let mut r = csv::Reader::from_path(dir.path().join("safe/nodes.csv")).unwrap();
    let safe: Vec<String> = r.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert!(
        safe.iter().any(|n| n == "'=cmd|' /C calc'!A0 Brigade"),
        "neutralised: {safe:?}"
    );
    let cypher = std::fs::read_to_string(out.join("graph.cypher")).unwrap();
    assert!(
        cypher.contains(r#"name: "Quote\"Back\\slash Brigade""#),
        "{cypher}"
    );
    assert!(cypher.contains(r#"Ctl\u0001Char Brigade"#), "{cypher}");
}

/// A long sentence behind a relation makes a tooltip cut to 1,000
/// characters with a marker, and Graphviz reads the file.
#[test]
fn long_sentences_are_cut_in_dot() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("NATO trains the Iraqi Security Forces in Baghdad");
    for i in 0..300 {
        text.push_str(&format!(", and clause {i} goes on"));
    }
    text.push('.');
    std::fs::write(dir.path().join("long.txt"), &text).unwrap();
    let o = stratagraph(dir.path(), &["build", "long.txt", "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = stratagraph(dir.path(), &["export", "--format", "dot"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dot = std::fs::read_to_string(dir.path().join("out/graph.dot")).unwrap();
    let tooltip = dot
        .lines()
        .find(|l| l.contains("-> ") && l.contains("trains"))
        .and_then(|l| l.split("tooltip=\"").nth(1))
        .expect("the trains edge has a tooltip");
    assert!(tooltip.contains('\u{2026}'), "{tooltip}");
    assert!(tooltip.chars().count() < 1100, "{}", tooltip.len());
    if let Ok(o) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .arg(dir.path().join("out/graph.dot"))
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}
