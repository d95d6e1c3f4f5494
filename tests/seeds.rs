//! End to end on the seed documents: build with the real binary, then ask
//! the contract queries through oxigraph and check what an analyst relies on.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::*;
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

const ID: &str = "https://w3id.org/stratagraph/id/";
const SG: &str = "https://w3id.org/stratagraph/ontology#";

struct Built {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
    store: Store,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = stratagraph(
            dir.path(),
            &[
                "build",
                seeds().to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "-f",
                "turtle",
                "-f",
                "nquads",
                "-f",
                "jsonld",
            ],
        );
        assert!(o.status.success(), "build failed: {}", stderr(&o));
        let store = store_from(&out.join("graph.nq"), RdfFormat::NQuads);
        Built {
            _dir: dir,
            out,
            store,
        }
    })
}

fn relations() -> Vec<(String, String, String, String, String, String)> {
    let query = std::fs::read_to_string(root().join("tests/contract/relations.rq")).unwrap();
    select(&built().store, &query)
        .iter()
        .map(|row| {
            let v: Vec<String> = row.iter().map(value).collect();
            (
                v[0].clone(),
                v[1].clone(),
                v[2].clone(),
                v[3].clone(),
                v[4].clone(),
                v[5].clone(),
            )
        })
        .collect()
}

#[test]
fn the_contract_relations_include_what_the_seeds_state() {
    let rows = relations();
    let has = |s: &str, p: &str, o: &str| {
        rows.iter().find(|r| {
            r.1 == format!("{ID}{s}") && r.2 == format!("{SG}{p}") && r.3 == format!("{ID}{o}")
        })
    };
    let expected = [
        ("popular-mobilization-forces", "attacks", "united-states"),
        ("nato-mission-iraq", "trains", "iraqi-security-forces"),
        ("euam-iraq", "partOf", "european-union"),
        ("euam-iraq", "operatesIn", "baghdad"),
        (
            "abu-mahdi-al-muhandis",
            "leads",
            "popular-mobilization-forces",
        ),
        ("loyalist-factions", "alignedWith", "iran"),
    ];
    let mut missing = Vec::new();
    for (s, p, o) in expected {
        match has(s, p, o) {
            Some(row) => assert!(!row.4.is_empty(), "{s} {p} {o} has no quote"),
            None => missing.push(format!("{s} {p} {o}")),
        }
    }
    assert!(missing.is_empty(), "missing relations: {missing:?}");
    let attack = has("popular-mobilization-forces", "attacks", "united-states").unwrap();
    assert_eq!(attack.5, "2020", "the attack's date");
    assert!(
        attack.4.contains("repeatedly targeted by PMF forces"),
        "quote: {}",
        attack.4
    );
}

#[test]
fn both_contract_queries_answer_for_every_seed() {
    let mention_query = std::fs::read_to_string(root().join("tests/contract/mentions.rq")).unwrap();
    let mentions: BTreeSet<String> = select(&built().store, &mention_query)
        .iter()
        .map(|r| value(&r[0]))
        .collect();
    let related: BTreeSet<String> = relations().into_iter().map(|r| r.0).collect();
    let seeds: BTreeSet<String> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(seeds.len(), 5);
    assert_eq!(mentions, seeds, "documents with mentions");
    // Every seed whose gold annotation states a relation has relation rows.
    // (The gold of 000, an abstract page, lists none: a relation there would
    // be a false one.)
    let stated: BTreeSet<String> = std::fs::read_dir(root().join("tests/gold/seeds"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|text| serde_json::from_str::<serde_json::Value>(&text).unwrap())
        .filter(|gold| gold["relations"].as_array().is_some_and(|r| !r.is_empty()))
        .map(|gold| gold["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stated.len(), 4);
    assert_eq!(related, stated, "documents with relations");
}

#[test]
fn mentions_carry_class_label_and_aliases() {
    let query = std::fs::read_to_string(root().join("tests/contract/mentions.rq")).unwrap();
    let rows = select(&built().store, &query);
    let names: BTreeSet<(String, String, String)> = rows
        .iter()
        .filter(|r| value(&r[0]).starts_with("001_"))
        .map(|r| (value(&r[1]), value(&r[2]), value(&r[3])))
        .collect();
    let pmf = format!("{ID}popular-mobilization-forces");
    let armed = format!("{SG}ArmedGroup");
    for name in ["Popular Mobilization Forces", "PMF", "PMFs"] {
        assert!(
            names.contains(&(pmf.clone(), armed.clone(), name.to_string())),
            "PMF named {name}"
        );
    }
}

/// The JSON-LD is compact (an `@context` of the Turtle prefixes, compact
/// IRIs) and holds the same quads as the N-Quads, read by oxigraph's
/// JSON-LD parser.
#[test]
fn json_ld_is_compact_and_holds_the_nquads() {
    let out = &built().out;
    let text = std::fs::read_to_string(out.join("graph.jsonld")).unwrap();
    assert!(
        text.starts_with("{\"@context\":{\"sg\":"),
        "{}",
        &text[..200]
    );
    assert!(text.contains("\"sg:mentionedIn\":"), "compact IRIs");
    let set = |path: &str, format: RdfFormat| -> BTreeSet<String> {
        parse(&out.join(path), format)
            .into_iter()
            .map(|q| q.to_string())
            .collect()
    };
    let jsonld = set(
        "graph.jsonld",
        RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
    );
    let nquads = set("graph.nq", RdfFormat::NQuads);
    assert!(nquads.len() > 1000);
    assert_eq!(jsonld, nquads);
}

#[test]
fn turtle_and_nquads_hold_the_same_triples() {
    let out = &built().out;
    let turtle: BTreeSet<String> = parse(&out.join("graph.ttl"), RdfFormat::Turtle)
        .into_iter()
        .map(|q| q.to_string())
        .collect();
    let nquads: BTreeSet<String> =
        in_default_graph(parse(&out.join("graph.nq"), RdfFormat::NQuads))
            .into_iter()
            .map(|q| q.to_string())
            .collect();
    assert!(turtle.len() > 500, "only {} triples", turtle.len());
    assert_eq!(turtle, nquads);
}

/// A document's graph holds what the document says (its node, its
/// mentions, its statements and their evidence); each entity is described
/// once, in the entities graph; the ontology has its own graph; and no
/// triple is in two graphs, so the union a query sees is a set.
#[test]
fn documents_say_what_they_say_and_entities_are_described_once() {
    let quads = parse(&built().out.join("graph.nq"), RdfFormat::NQuads);
    let graphs: BTreeSet<String> = quads.iter().map(|q| q.graph_name.to_string()).collect();
    let entities = "<https://w3id.org/stratagraph/entities>";
    let ontology = "<https://w3id.org/stratagraph/ontology>";
    assert_eq!(graphs.len(), 7, "{graphs:?}");
    assert!(graphs.contains(entities) && graphs.contains(ontology));
    let docs: Vec<&String> = graphs
        .iter()
        .filter(|g| g.starts_with(&format!("<{ID}doc/")))
        .collect();
    assert_eq!(docs.len(), 5, "{graphs:?}");
    let mut home: std::collections::HashMap<String, String> = Default::default();
    for q in &quads {
        let triple = format!("{} {} {}", q.subject, q.predicate, q.object);
        let g = q.graph_name.to_string();
        if let Some(other) = home.insert(triple.clone(), g.clone()) {
            assert_eq!(other, g, "{triple} is in two graphs");
        }
        let subject = q.subject.to_string();
        let own = ["doc/", "mention/", "statement/", "evidence/"]
            .iter()
            .any(|k| subject.starts_with(&format!("<{ID}{k}")));
        if g.starts_with(&format!("<{ID}doc/")) && !own {
            // An entity in a document's graph: only that it is mentioned there.
            assert_eq!(
                (q.predicate.as_str(), q.object.to_string()),
                (
                    "https://w3id.org/stratagraph/ontology#mentionedIn",
                    g.clone()
                ),
                "{triple} in {g}"
            );
        }
        if q.predicate.as_str() == "http://www.w3.org/2000/01/rdf-schema#label"
            && subject.starts_with(&format!("<{ID}"))
        {
            assert_eq!(g, entities, "{triple}: labels are in the entities graph");
        }
    }
    let pmf_labels = quads
        .iter()
        .filter(|q| {
            q.subject.to_string() == format!("<{ID}popular-mobilization-forces>")
                && q.predicate.as_str() == "http://www.w3.org/2000/01/rdf-schema#label"
        })
        .count();
    assert_eq!(
        pmf_labels, 1,
        "PMF, named in several documents, has one label"
    );
}

#[test]
fn turtle_is_grouped_by_subject_with_prefixes() {
    let ttl = std::fs::read_to_string(built().out.join("graph.ttl")).unwrap();
    assert!(ttl.starts_with("@prefix"), "prefixes first");
    assert!(
        ttl.contains("id:popular-mobilization-forces a sg:ArmedGroup ;"),
        "grouped subjects"
    );
}

/// The seeds' graph conforms to the SHACL shapes of ontology/shapes.ttl
/// (pyshacl, which .ci/run installs); a Person training a Place, and a
/// Person that is also a Mission, do not.
#[test]
fn the_graph_conforms_to_the_shapes_and_faults_are_caught() {
    let out = &built().out;
    let script = root().join("tests/readers/shacl_validate.py");
    let shapes = root().join("ontology/shapes.ttl");
    let validate = |extra: Option<&str>| -> (bool, String) {
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(&script).arg(out.join("graph.ttl")).arg(&shapes);
        let dir = tempfile::tempdir().unwrap();
        if let Some(ttl) = extra {
            let path = dir.path().join("fault.ttl");
            std::fs::write(&path, ttl).unwrap();
            cmd.arg(path);
        }
        let o = cmd
            .output()
            .expect("python3 with pyshacl is needed by this test (.ci/run installs it)");
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "the validator failed: {report}"
        );
        (o.status.success(), report)
    };
    let (conforms, report) = validate(None);
    assert!(conforms, "{report}");
    let prefix = "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n@prefix id: <https://w3id.org/stratagraph/id/> .\n";
    let (conforms, report) = validate(Some(&format!(
        "{prefix}id:qassem-soleimani sg:trains id:baghdad .\n"
    )));
    assert!(!conforms && report.contains("sg:Actor"), "{report}");
    let (conforms, report) = validate(Some(&format!(
        "{prefix}id:qassem-soleimani a sg:Mission .\n"
    )));
    assert!(!conforms && report.contains("disjoint"), "{report}");
}
