//! The store, the query command, the example questions and the SPARQL
//! endpoint, through the real binary. The store is the backend the binary
//! was built with: N-Quads files by default (`cargo test --release`),
//! RocksDB with `cargo test --release --features rocksdb`; `.ci/run` runs
//! both. The tests of the file backend's own files are in `mod files`.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::*;

/// A store admits one process at a time: tests sharing the seeded store
/// take turns.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Builds the seeds into `dir/out` and the store `dir/store`, quietly or
/// with the build's report on stderr.
fn run_build(dir: &Path, quiet: bool) -> std::process::Output {
    let seeds = seeds();
    let mut args = vec![
        "build",
        seeds.to_str().unwrap(),
        "--out",
        "out",
        "--store",
        "store",
    ];
    if quiet {
        args.push("-q");
    }
    stratagraph(dir, &args)
}

/// Builds the seeds into `dir/out` and the store `dir/store`.
fn build_store(dir: &Path) {
    let o = run_build(dir, true);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The seeds built once into a store, shared by the tests.
fn seeded() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        build_store(dir.path());
        dir
    })
}

fn csv_rows(dir: &Path, args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["query", "--results", "csv"];
    all.extend_from_slice(args);
    let o = stratagraph(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{:?}: {}", args, stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The quads of the named graphs of the store in `dir/store`.
fn store_quads(dir: &Path) -> usize {
    csv_rows(
        dir,
        &[
            "--store",
            "store",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        ],
    )[0][0]
        .parse()
        .unwrap()
}

/// What each example question must answer on the seeds: a row holding
/// all these values.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "01-who-trains-or-advises-isf.rq",
        &[
            "NATO Mission Iraq",
            "https://w3id.org/stratagraph/ontology#trains",
        ],
    ),
    ("02-missions-in-baghdad.rq", &["EUAM Iraq"]),
    (
        "03-armed-groups-aligned-with-iran.rq",
        &["loyalist factions", "alignedWith"],
    ),
    (
        "04-attacks.rq",
        &["Popular Mobilization Forces", "United States", "2020"],
    ),
    (
        "05-documents-stating-a-relation.rq",
        &["001_7f4608e7184e77cd.txt", "2"],
    ),
    (
        "06-tied-to-us-and-iran.rq",
        &["Popular Mobilization Forces"],
    ),
    (
        "07-everything-one-actor-does.rq",
        &["trains", "Iraqi Security Forces"],
    ),
    (
        "08-evidence-behind-a-relation.rq",
        &["verb.active", "this mission", "train"],
    ),
    ("09-entities-by-documents.rq", &["Iraq", "State", "4"]),
    (
        "10-single-document-relations.rq",
        &[
            "Abu Mahdi al-Muhandis",
            "leads",
            "Popular Mobilization Forces",
        ],
    ),
    ("11-relations-by-property-label.rq", &["trains"]),
];

#[test]
fn every_example_question_answers_on_the_seeds() {
    let _turn = turn();
    let dir = seeded();
    let examples = root().join("examples/queries");
    let mut files: Vec<String> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rq"))
        .collect();
    files.sort();
    let expected: BTreeMap<&str, &[&str]> = EXPECTED.iter().copied().collect();
    assert!(files.len() >= 10, "at least ten questions");
    for file in &files {
        let want = expected
            .get(file.as_str())
            .unwrap_or_else(|| panic!("{file} has no expected answer in this test"));
        let path = examples.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{file} opens with a comment saying what it asks"
        );
        let rows = csv_rows(
            dir.path(),
            &["--store", "store", "--file", path.to_str().unwrap()],
        );
        assert!(
            rows.iter()
                .any(|r| want.iter().all(|w| r.iter().any(|c| c == w))),
            "{file}: no row holds {want:?}: {rows:?}"
        );
    }
}

#[test]
fn build_outputs_answer_without_a_store() {
    let _turn = turn();
    let dir = seeded();
    let rows = csv_rows(
        dir.path(),
        &[
            "--graph",
            "out/graph.nq",
            "SELECT ?s WHERE { ?s sg:attacks <https://w3id.org/stratagraph/id/united-states> }",
        ],
    );
    assert!(
        rows.iter()
            .any(|r| r[0].ends_with("popular-mobilization-forces")),
        "{rows:?}"
    );
}

#[test]
fn rebuilding_replaces_documents_and_remove_drops_one() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        build_store(dir.path());
    }
    let once = store_quads(dir.path());
    let o = run_build(dir.path(), false);
    assert!(stderr(&o).contains("7 graphs replaced"), "{}", stderr(&o));
    assert_eq!(
        store_quads(dir.path()),
        once,
        "a rebuild adds no duplicates"
    );

    let o = stratagraph(
        dir.path(),
        &["remove", "003_c50906b3062e8aed.txt", "--store", "store"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = csv_rows(
        dir.path(),
        &[
            "--store",
            "store",
            "SELECT ?f WHERE { ?d a sg:Document ; sg:fileName ?f }",
        ],
    );
    assert_eq!(docs.len(), 4);
    assert!(!docs.iter().any(|r| r[0].starts_with("003_")));
    // The merged descriptions follow: an entity only 003 named is gone,
    // an alias the others use stays; every label is stated once.
    let described = |name: &str| -> usize {
        csv_rows(
            dir.path(),
            &[
                "--store",
                "store",
                &format!("SELECT ?e WHERE {{ {{ ?e rdfs:label {name:?} }} UNION {{ ?e skos:altLabel {name:?} }} }}"),
            ],
        )
        .len()
    };
    assert_eq!(described("International Crisis Group"), 0);
    assert_eq!(described("Popular Mobilisation Committee"), 1);
    let labels = csv_rows(
        dir.path(),
        &[
            "--store",
            "store",
            "SELECT ?l WHERE { <https://w3id.org/stratagraph/id/popular-mobilization-forces> rdfs:label ?l }",
        ],
    );
    assert_eq!(labels.len(), 1, "{labels:?}");
    // A path as the user has it, below the folder the build read.
    let o = stratagraph(
        dir.path(),
        &[
            "remove",
            "seeds/002_ec333fca77737ee6.txt",
            "--store",
            "store",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = stratagraph(dir.path(), &["remove", "nothing.txt", "--store", "store"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn load_reads_rdf_files_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.ttl"),
        "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n<urn:x:a> sg:attacks <urn:x:b> .\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.ttl"),
        "@prefix sg: <urn:x#> .\n\n<urn:x:a> sg:p \"open .\n",
    )
    .unwrap();
    let o = stratagraph(dir.path(), &["load", "a.ttl", "a.ttl", "--store", "store"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = csv_rows(
        dir.path(),
        &[
            "--store",
            "store",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s sg:attacks ?o }",
        ],
    );
    assert_eq!(rows[0][0], "1", "loading a file twice replaces its graph");
    let o = stratagraph(dir.path(), &["load", "bad.ttl", "--store", "store"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.ttl:3:"), "{}", stderr(&o));
    // A bad file among good ones changes nothing: not even the good
    // file's graph, which it would replace.
    std::fs::write(
        dir.path().join("a.ttl"),
        "@prefix sg: <https://w3id.org/stratagraph/ontology#> .\n<urn:x:a> sg:attacks <urn:x:c>, <urn:x:d> .\n",
    )
    .unwrap();
    let o = stratagraph(
        dir.path(),
        &["load", "a.ttl", "bad.ttl", "--store", "store"],
    );
    assert_eq!(o.status.code(), Some(2));
    let rows = csv_rows(
        dir.path(),
        &["--store", "store", "SELECT ?o WHERE { ?s sg:attacks ?o }"],
    );
    assert_eq!(
        rows,
        vec![vec!["urn:x:b".to_string()]],
        "the store as it was"
    );
}

#[test]
fn query_errors_give_line_and_column_and_timeouts_cancel() {
    let _turn = turn();
    let dir = seeded();
    let o = stratagraph(
        dir.path(),
        &["query", "--store", "store", "SELECT ?x WHERE {\n  ?x a \n}"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("at 3:"),
        "line and column: {}",
        stderr(&o)
    );
    let o = stratagraph(
        dir.path(),
        &[
            "query",
            "--store",
            "store",
            "--timeout",
            "0.5",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("timeout"), "{}", stderr(&o));
}

#[test]
fn construct_writes_turtle_and_ask_answers() {
    let _turn = turn();
    let dir = seeded();
    let o = stratagraph(
        dir.path(),
        &[
            "query",
            "--store",
            "store",
            "CONSTRUCT { ?s sg:attacks ?o } WHERE { ?s sg:attacks ?o }",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let turtle = String::from_utf8(o.stdout).unwrap();
    let parsed = parse_bytes(
        turtle.as_bytes(),
        oxigraph::io::RdfFormat::Turtle,
        "CONSTRUCT output",
    );
    assert_eq!(parsed.len(), 3, "{turtle}");
    let o = stratagraph(
        dir.path(),
        &[
            "query",
            "--store",
            "store",
            "--results",
            "json",
            "ASK { ?s sg:trains ?o }",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["boolean"], true);
}

/// Sends one HTTP request and returns (status, content type, body).
fn http(port: u16, request: &str) -> (u16, String, String) {
    let (head, _, ct, body) = http_head(port, request.as_bytes());
    (head, ct, body)
}

/// The status, the head, the content type and the body of a response.
fn http_head(port: u16, request: &[u8]) -> (u16, String, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A server may answer (and close) before it has read all we send.
    let _ = s.write_all(request);
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let ct = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or("")
        .to_string();
    (status, head.to_string(), ct, body.to_string())
}

/// Starts `serve` on the store in `dir` on a free loopback port: the
/// child, its port and its standard error (the access log) after the
/// line that names the address.
fn serve(
    dir: &Path,
    args: &[&str],
) -> (
    std::process::Child,
    u16,
    BufReader<std::process::ChildStderr>,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stratagraph"))
        .current_dir(dir)
        .env("STRATAGRAPH_ONTOLOGY", root().join("ontology"))
        .args(["serve", "--store", "store", "--bind", "127.0.0.1:0"])
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    log.read_line(&mut line).unwrap();
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (child, port, log)
}

#[test]
fn the_endpoint_speaks_the_sparql_protocol() {
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    let examples = root().join("examples/queries");
    let (mut child, port, mut log) = serve(dir.path(), &["--examples", examples.to_str().unwrap()]);

    let q = "SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20sg%3Aattacks%20%3Fo%20%7D";
    let (status, ct, body) = http(
        port,
        &format!("GET /sparql?query={q} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(ct, "application/sparql-results+json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 3);

    let form = format!("query={q}");
    let (status, ct, body) = http(
        port,
        &format!(
            "POST /sparql HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/csv"));
    assert!(body.contains("popular-mobilization-forces"), "{body}");

    let query = "ASK { ?s sg:trains ?o }";
    let (status, _, body) = http(
        port,
        &format!(
            "POST /sparql HTTP/1.1\r\nHost: localhost\r\nAccept: application/sparql-results+xml\r\nContent-Type: application/sparql-query\r\nContent-Length: {}\r\n\r\n{query}",
            query.len()
        ),
    );
    assert_eq!(status, 200);
    assert!(body.contains("<boolean>true</boolean>"), "{body}");

    // A GET without a query describes the service (SPARQL 1.1 Service
    // Description), as Turtle oxigraph reads.
    let (status, ct, body) = http(port, "GET /sparql HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 200, "{body}");
    assert!(ct.starts_with("text/turtle"), "{ct}");
    let described = parse_bytes(
        body.as_bytes(),
        oxigraph::io::RdfFormat::Turtle,
        "the service description",
    );
    assert!(
        described.iter().any(|q| q.object.to_string()
            == "<http://www.w3.org/ns/sparql-service-description#SPARQL11Query>"),
        "{body}"
    );

    // CONSTRUCT in the dataset syntaxes too, read back by oxigraph.
    let construct = "CONSTRUCT { ?s sg:attacks ?o } WHERE { ?s sg:attacks ?o }";
    for (media, format) in [
        ("application/n-quads", oxigraph::io::RdfFormat::NQuads),
        ("application/trig", oxigraph::io::RdfFormat::TriG),
    ] {
        let (status, ct, body) = http(
            port,
            &format!(
                "POST /sparql HTTP/1.1\r\nHost: localhost\r\nAccept: {media}\r\nContent-Type: application/sparql-query\r\nContent-Length: {}\r\n\r\n{construct}",
                construct.len()
            ),
        );
        assert_eq!((status, ct.as_str()), (200, media), "{body}");
        let quads = parse_bytes(body.as_bytes(), format, media);
        assert_eq!(quads.len(), 3, "{body}");
    }

    let update = "DROP ALL";
    let (status, _, _) = http(
        port,
        &format!(
            "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-update\r\nContent-Length: {}\r\n\r\n{update}",
            update.len()
        ),
    );
    assert_eq!(status, 403, "read-only");
    let (status, _, body) = http(
        port,
        "GET /sparql?query=SELEC HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(status, 400);
    assert!(body.contains("syntax"), "{body}");
    let (status, ct, body) = http(port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"));
    assert!(
        body.contains("Which missions operate in Baghdad?"),
        "the example questions are offered"
    );

    // Hardening: no CORS for every site, a foreign Host refused (DNS
    // rebinding), limits before the body, exact statuses.
    let (status, head, _, _) = http_head(port, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 200);
    assert!(!head.contains("Access-Control-Allow-Origin"), "{head}");
    let (status, _, _) = http(port, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assert_eq!(status, 403);
    let (status, head, _, _) =
        http_head(port, b"DELETE /sparql HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET, POST"), "{head}");
    let (status, _, _) = http(
        port,
        "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nContent-Length: 5000000\r\n\r\n",
    );
    assert_eq!(status, 413);
    let (status, _, body) = http(
        port,
        "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nContent-Length: -1\r\n\r\n",
    );
    assert_eq!(status, 400, "{body}");
    let mut long = b"GET /sparql?query=".to_vec();
    long.extend(std::iter::repeat_n(b'a', 200_000));
    long.extend(b" HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(http_head(port, &long).0, 414);
    let mut many = b"GET / HTTP/1.1\r\nHost: localhost\r\n".to_vec();
    for i in 0..500 {
        many.extend(format!("X-{i}: y\r\n").as_bytes());
    }
    many.extend(b"\r\n");
    assert_eq!(http_head(port, &many).0, 431);
    let (status, _, _) = http(
        port,
        &format!("GET /sparql?query={q} HTTP/1.1\r\nHost: localhost\r\nAccept: image/png\r\n\r\n"),
    );
    assert_eq!(status, 406);
    let (status, ct, _) = http(
        port,
        &format!("GET /sparql?query={q} HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv;q=0.5, application/sparql-results+xml\r\n\r\n"),
    );
    assert_eq!(
        (status, ct.as_str()),
        (200, "application/sparql-results+xml")
    );
    let (status, _, _) = http(
        port,
        "GET /sparql?query=DROP%20ALL HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(status, 403, "an update sent as a query is refused as one");

    // The protocol's dataset: default-graph-uri names the default graph.
    let count = "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D";
    let doc = "https%3A%2F%2Fw3id.org%2Fstratagraph%2Fid%2Fdoc%2F003_c50906b3062e8aed.txt";
    let n = |extra: &str| -> u64 {
        let (status, _, body) = http(
            port,
            &format!("GET /sparql?query={count}{extra} HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv\r\n\r\n"),
        );
        assert_eq!(status, 200, "{body}");
        body.lines().nth(1).unwrap().trim().parse().unwrap()
    };
    let (all, one) = (n(""), n(&format!("&default-graph-uri={doc}")));
    assert!(one > 0 && one < all, "{one} of {all}");

    // Readers beside the server: query and export read the served store;
    // a build into it says what to do, exits 2 and changes nothing.
    let o = stratagraph(
        dir.path(),
        &[
            "query",
            "--store",
            "store",
            "--results",
            "csv",
            "ASK { ?s sg:attacks ?o }",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("true"));
    let o = stratagraph(
        dir.path(),
        &[
            "export",
            "--store",
            "store",
            "--format",
            "dot",
            "--out",
            "served.dot",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("served.dot").is_file());
    let o = run_build(dir.path(), true);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("being read (a serve, query or export is running)"),
        "{}",
        stderr(&o)
    );
    let (status, _, body) = http(
        port,
        &format!("GET /sparql?query={q} HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv\r\n\r\n"),
    );
    assert_eq!(status, 200, "still served after the refused build: {body}");
    child.kill().unwrap();
    child.wait().unwrap();
    // The access log: one line a request, with its status.
    let mut rest = String::new();
    log.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("127.0.0.1 GET /sparql 200 "), "{rest}");
    assert!(rest.contains(" 405 "), "{rest}");
}

/// A folder that is not a store is named as such, for every command that
/// reads one, and nothing is created in it.
#[test]
fn a_folder_that_is_not_a_store_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    std::fs::write(dir.path().join("notes/a.txt"), "mine").unwrap();
    for args in [
        vec!["query", "--store", "notes", "ASK { ?s ?p ?o }"],
        vec![
            "export", "--store", "notes", "--format", "dot", "--out", "g.dot",
        ],
        vec!["remove", "a.txt", "--store", "notes"],
    ] {
        let o = stratagraph(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a Stratagraph store"),
            "{}",
            stderr(&o)
        );
        let entries: Vec<_> = std::fs::read_dir(dir.path().join("notes"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(entries, ["a.txt"], "{args:?} wrote into the folder");
    }
}

/// `FROM` names the default graph: one document's graph, not the union.
#[test]
fn from_names_the_default_graph() {
    // A store of its own: RocksDB lets one process at a time open one.
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    let count = |args: &[&str]| -> usize { csv_rows(dir.path(), args)[0][0].parse().unwrap() };
    let doc = "https://w3id.org/stratagraph/id/doc/003_c50906b3062e8aed.txt";
    for source in [["--store", "store"], ["--graph", "out/graph.nq"]] {
        let all = count(&[
            source[0],
            source[1],
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        ]);
        let one = count(&[
            source[0],
            source[1],
            &format!("SELECT (COUNT(*) AS ?n) FROM <{doc}> WHERE {{ ?s ?p ?o }}"),
        ]);
        let in_graph = count(&[
            source[0],
            source[1],
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc}> {{ ?s ?p ?o }} }}"),
        ]);
        assert!(one > 0 && one < all, "{source:?}: {one} of {all}");
        assert_eq!(one, in_graph, "{source:?}");
    }
}

/// The processor time a process has used, in clock ticks (Linux).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// A query that passes its timeout stops: the endpoint answers 503 and
/// uses no processor time for it after. Connections past the cap get 503.
#[test]
fn a_timed_out_query_stops_working() {
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    let (mut child, port, _log) = serve(dir.path(), &["--timeout", "1"]);
    let cartesian = "SELECT%20*%20WHERE%20%7B%20%3Fa%20%3Fb%20%3Fc%20.%20%3Fd%20%3Fe%20%3Ff%20.%20%3Fg%20%3Fh%20%3Fi%20%7D";
    let (status, _, _) = http(
        port,
        &format!("GET /sparql?query={cartesian} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    );
    assert_eq!(status, 503);
    if let Some(before) = cpu_ticks(child.id()) {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let after = cpu_ticks(child.id()).unwrap();
        // 1.5 s of a busy core is about 150 ticks.
        assert!(
            after - before < 30,
            "{} ticks after the timeout",
            after - before
        );
    }
    // Connections past the cap are told 503 at once, not queued.
    let idle: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (status, _, _) = http(port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 503);
    drop(idle);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (status, _, _) = http(port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 200, "served again once they close");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// rdflib's answers on `graph.nq` read as a set union, each sorted, by
/// query path.
fn rdflib_rows(
    dir: &Path,
    queries: &[std::path::PathBuf],
) -> std::collections::BTreeMap<String, Vec<Vec<String>>> {
    let script = root().join("tests/readers/rdflib_answers.py");
    let o = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir.join("out/graph.nq"))
        .args(queries)
        .output()
        .expect("python3 is needed by this test (.ci/run installs it with rdflib)");
    assert!(
        o.status.success(),
        "rdflib: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut answers: std::collections::BTreeMap<String, Vec<Vec<String>>> =
        serde_json::from_slice(&o.stdout).unwrap();
    for rows in answers.values_mut() {
        rows.sort();
    }
    answers
}

/// The default graph is a set: every example query, and a plain triple
/// pattern, answer on the store and on `graph.nq` what rdflib answers on
/// the same N-Quads read as a set union; DESCRIBE gives each triple once.
#[test]
fn answers_equal_rdflibs_on_the_set_union() {
    let _turn = turn();
    let dir = seeded();
    let plain = dir.path().join("plain.rq");
    std::fs::write(
        &plain,
        "SELECT ?s ?l WHERE { ?s rdfs:label ?l . ?s sg:mentionedIn ?d }",
    )
    .unwrap();
    let mut queries: Vec<std::path::PathBuf> = std::fs::read_dir(root().join("examples/queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    queries.sort();
    queries.push(plain);
    let answers = rdflib_rows(dir.path(), &queries);
    for q in &queries {
        let want = &answers[q.to_str().unwrap()];
        for source in [["--store", "store"], ["--graph", "out/graph.nq"]] {
            let mut args = source.to_vec();
            args.extend(["--file", q.to_str().unwrap()]);
            let mut got = csv_rows(dir.path(), &args);
            got.sort();
            assert_eq!(&got, want, "{} with {}", q.display(), source[0]);
        }
    }
    let o = stratagraph(
        dir.path(),
        &[
            "query",
            "--store",
            "store",
            "--format",
            "ntriples",
            "DESCRIBE <https://w3id.org/stratagraph/id/popular-mobilization-forces>",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let distinct: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
    assert!(lines.len() > 10, "{text}");
    assert_eq!(lines.len(), distinct.len(), "each triple once: {text}");
}

/// The page at `/` in a real browser (headless Chromium, whose DOM after
/// the page's script ran is read back): a query given in the address runs
/// and shows its rows as a table with IRIs as links and the row count; an
/// example question runs the same; CONSTRUCT shows Turtle; a syntax error
/// shows its line and column. Skipped, with a message, where no Chromium
/// is installed (.ci/run installs it).
#[test]
fn the_query_page_shows_results_in_a_browser() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("skipped: no Chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    let examples = root().join("examples/queries");
    let (mut child, port, _log) = serve(dir.path(), &["--examples", examples.to_str().unwrap()]);
    let page = |query: &str| -> String {
        let mut encoded = String::new();
        for b in query.bytes() {
            if b.is_ascii_alphanumeric() {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        let profile = tempfile::tempdir().unwrap();
        let o = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--virtual-time-budget=10000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--dump-dom")
            .arg(format!("http://127.0.0.1:{port}/?query={encoded}"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let dom = page("SELECT ?s ?o WHERE { ?s sg:attacks ?o }");
    assert!(dom.contains("<span id=\"info\">3 rows, "), "{dom}");
    assert!(
        dom.contains("<a href=\"https://w3id.org/stratagraph/id/united-states\">"),
        "{dom}"
    );
    let example = std::fs::read_to_string(examples.join("04-attacks.rq")).unwrap();
    let dom = page(&example);
    assert!(dom.contains("<table id=\"results\">"), "{dom}");
    assert!(dom.contains("4 rows, "), "{dom}");
    let dom = page("CONSTRUCT { ?s sg:attacks ?o } WHERE { ?s sg:attacks ?o }");
    assert!(dom.contains("<pre id=\"turtle\">"), "{dom}");
    assert!(dom.contains("sg:attacks"), "{dom}");
    let dom = page("SELEC ?s");
    assert!(dom.contains("<pre id=\"error\">"), "{dom}");
    assert!(dom.contains("1:"), "the line and column: {dom}");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// The answers of every example question on the store are those on the
/// build's `graph.nq` read into memory, row for row: in the default
/// build for a store of N-Quads files, with `--features rocksdb` for
/// RocksDB, so the two backends answer alike.
#[test]
fn example_answers_on_the_store_are_those_on_the_builds_graph() {
    let _turn = turn();
    let dir = seeded();
    let mut queries: Vec<std::path::PathBuf> = std::fs::read_dir(root().join("examples/queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    queries.sort();
    assert!(queries.len() >= 10);
    for q in &queries {
        let rows = |source: [&str; 2]| {
            let mut rows = csv_rows(
                dir.path(),
                &[source[0], source[1], "--file", q.to_str().unwrap()],
            );
            rows.sort();
            rows
        };
        let on_store = rows(["--store", "store"]);
        assert!(!on_store.is_empty() || q.ends_with("10-single-document-relations.rq"));
        assert_eq!(
            on_store,
            rows(["--graph", "out/graph.nq"]),
            "{}",
            q.display()
        );
    }
}

/// A store says which backend made it (`stratagraph.store`); a build of
/// the other kind names the directory and the build that reads it, for
/// every command, and changes nothing in it. A RocksDB store from before
/// markers (its `CURRENT` file, no marker) counts as RocksDB.
#[test]
fn a_store_of_the_other_backend_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    build_store(dir.path());
    let marker = std::fs::read_to_string(dir.path().join("store/stratagraph.store")).unwrap();
    let (mine, other, hint) = if cfg!(feature = "rocksdb") {
        (
            "rocksdb",
            "nquads-files",
            "built without the `rocksdb` feature",
        )
    } else {
        ("nquads-files", "rocksdb", "--features rocksdb")
    };
    assert!(marker.contains(&format!("backend: {mine}\n")), "{marker}");

    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(
        foreign.join("stratagraph.store"),
        format!("A Stratagraph store: do not edit or remove this file.\nbackend: {other}\n"),
    )
    .unwrap();
    let legacy = dir.path().join("legacy");
    std::fs::create_dir(&legacy).unwrap();
    std::fs::write(legacy.join("CURRENT"), "MANIFEST-000005\n").unwrap();
    std::fs::write(
        dir.path().join("a.ttl"),
        "<urn:x:a> <urn:x:p> <urn:x:b> .\n",
    )
    .unwrap();
    let seeds = seeds();
    let mut stores = vec!["foreign"];
    if !cfg!(feature = "rocksdb") {
        stores.push("legacy");
    }
    for store in stores {
        let before = listing(&dir.path().join(store));
        for args in [
            vec!["query", "--store", store, "ASK { ?s ?p ?o }"],
            vec![
                "export", "--store", store, "--format", "dot", "--out", "g.dot",
            ],
            vec!["remove", "a.txt", "--store", store],
            vec!["load", "a.ttl", "--store", store],
            vec![
                "build",
                seeds.to_str().unwrap(),
                "--out",
                "o",
                "--store",
                store,
            ],
            vec!["serve", "--store", store, "--bind", "127.0.0.1:0"],
        ] {
            let o = stratagraph(dir.path(), &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(
                stderr(&o).contains(store) && stderr(&o).contains(hint),
                "{args:?}: {}",
                stderr(&o)
            );
        }
        let mut after = listing(&dir.path().join(store));
        after.retain(|n| n != "stratagraph.lock");
        assert_eq!(after, before, "{store} changed");
    }
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The default backend: a store of N-Quads files, one a graph.
#[cfg(not(feature = "rocksdb"))]
mod files {
    use super::*;

    /// The graph files of the store in `dir/store`: file name and the
    /// graph its header names.
    fn graph_files(dir: &Path) -> BTreeMap<String, String> {
        listing(&dir.join("store/graphs"))
            .into_iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join("store/graphs").join(&name)).unwrap();
                let graph = text
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("# stratagraph graph "))
                    .unwrap_or_else(|| panic!("{name}: no header"))
                    .to_string();
                (name, graph)
            })
            .collect()
    }

    /// One file per graph, named after it, its header naming it; a
    /// rebuild rewrites them through temporary files that do not stay,
    /// byte for byte the same; removing a document removes its file.
    #[test]
    fn each_graph_is_a_file_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        build_store(dir.path());
        let files = graph_files(dir.path());
        let graphs: Vec<&str> = files.values().map(String::as_str).collect();
        assert_eq!(files.len(), 7, "{files:?}");
        for g in [
            "<https://w3id.org/stratagraph/entities>",
            "<https://w3id.org/stratagraph/ontology>",
            "<https://w3id.org/stratagraph/id/doc/003_c50906b3062e8aed.txt>",
        ] {
            assert!(graphs.contains(&g), "{g} in {graphs:?}");
        }
        assert!(
            files
                .keys()
                .any(|n| n.starts_with("003_c50906b3062e8aed.txt.") && n.ends_with(".nq")),
            "{files:?}"
        );
        // Every file's quads are of its graph, and all of them are the
        // build's graph.nq.
        let mut in_files = 0;
        for (name, graph) in &files {
            let quads = parse(
                &dir.path().join("store/graphs").join(name),
                oxigraph::io::RdfFormat::NQuads,
            );
            assert!(quads.iter().all(|q| &q.graph_name.to_string() == graph));
            in_files += quads.len();
        }
        let built = parse(
            &dir.path().join("out/graph.nq"),
            oxigraph::io::RdfFormat::NQuads,
        );
        assert_eq!(in_files, built.len());
        let bytes = |dir: &Path| -> Vec<Vec<u8>> {
            listing(&dir.join("store/graphs"))
                .iter()
                .map(|n| std::fs::read(dir.join("store/graphs").join(n)).unwrap())
                .collect()
        };
        let first = bytes(dir.path());
        build_store(dir.path());
        assert_eq!(graph_files(dir.path()), files, "the same files, no others");
        assert_eq!(bytes(dir.path()), first, "the same bytes");

        let o = stratagraph(
            dir.path(),
            &["remove", "003_c50906b3062e8aed.txt", "--store", "store"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let after = graph_files(dir.path());
        assert_eq!(after.len(), 6, "{after:?}");
        assert!(!after.values().any(|g| g.contains("003_")), "{after:?}");
        assert!(!after.keys().any(|n| n.starts_with("003_")), "{after:?}");
    }

    /// A writer killed mid-write leaves a temporary file beside the old
    /// graph: readers ignore it (the old graph answers), the next writer
    /// removes it and says so.
    #[test]
    fn an_interrupted_write_is_ignored_then_removed() {
        let dir = tempfile::tempdir().unwrap();
        build_store(dir.path());
        let before = store_quads(dir.path());
        let graphs = dir.path().join("store/graphs");
        let (name, _) = graph_files(dir.path())
            .into_iter()
            .find(|(n, _)| n.starts_with("001_"))
            .unwrap();
        let whole = std::fs::read(graphs.join(&name)).unwrap();
        let half = graphs.join(".stratagraph-Xy12ab.tmp");
        std::fs::write(&half, &whole[..whole.len() / 2]).unwrap();
        assert_eq!(store_quads(dir.path()), before, "a reader ignores it");
        assert!(half.exists(), "a reader leaves it");
        let o = stratagraph(
            dir.path(),
            &["remove", "004_c1a067d014552421.txt", "--store", "store"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(".stratagraph-Xy12ab.tmp, left by an interrupted write"),
            "{}",
            stderr(&o)
        );
        assert!(!half.exists(), "the writer removes it");
        assert!(
            !listing(&graphs).iter().any(|n| n.starts_with('.')),
            "{:?}",
            listing(&graphs)
        );
        assert!(store_quads(dir.path()) < before);
        assert_eq!(std::fs::read(graphs.join(&name)).unwrap(), whole);
    }

    /// A damaged graph file (cut mid-line, or under another graph's
    /// name) stops every reader with the file's name, not a wrong answer.
    #[test]
    fn a_damaged_graph_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        build_store(dir.path());
        let graphs = dir.path().join("store/graphs");
        let files = graph_files(dir.path());
        let name = files.keys().find(|n| n.starts_with("002_")).unwrap();
        let path = graphs.join(name);
        let whole = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 20]).unwrap();
        let o = stratagraph(
            dir.path(),
            &["query", "--store", "store", "ASK { ?s ?p ?o }"],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let lines = whole.lines().count();
        assert!(
            stderr(&o).contains(&format!("{name}:{lines}:")),
            "the file, line and column: {}",
            stderr(&o)
        );
        std::fs::write(&path, &whole).unwrap();
        let other = files.keys().find(|n| n.starts_with("004_")).unwrap();
        std::fs::rename(graphs.join(other), graphs.join("copy.0000000000000000.nq")).unwrap();
        let o = stratagraph(
            dir.path(),
            &["query", "--store", "store", "ASK { ?s ?p ?o }"],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("copy.0000000000000000.nq: holds graph"),
            "{}",
            stderr(&o)
        );
    }

    /// Any graph name makes a file: long IRIs, IRIs full of slashes,
    /// queries and non-ASCII, a blank node, the default graph. Loading
    /// them again replaces them; every quad reads back.
    #[test]
    fn any_graph_name_makes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("https://example.org/{}", "a/".repeat(400));
        let nq = format!(
            "<urn:x:s> <urn:x:p> \"1\" <{long}> .\n\
             <urn:x:s> <urn:x:p> \"2\" <https://example.org/../x?q=%2F&r=\u{e9}#frag> .\n\
             <urn:x:s> <urn:x:p> \"3\" <urn:x:.hidden> .\n\
             <urn:x:s> <urn:x:p> \"4\" _:g1 .\n\
             <urn:x:s> <urn:x:p> \"5\" .\n"
        );
        std::fs::write(dir.path().join("odd.nq"), &nq).unwrap();
        for _ in 0..2 {
            let o = stratagraph(dir.path(), &["load", "odd.nq", "--store", "store"]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
        let files = graph_files(dir.path());
        for name in files.keys() {
            assert!(name.len() < 100 && !name.starts_with('.'), "{name}");
        }
        let graphs: Vec<&str> = files.values().map(String::as_str).collect();
        for g in [
            format!("<{long}>"),
            "<https://example.org/../x?q=%2F&r=\u{e9}#frag>".to_string(),
            "_:g1".to_string(),
            "default".to_string(),
        ] {
            assert!(graphs.contains(&g.as_str()), "{g} in {graphs:?}");
        }
        let rows = csv_rows(
            dir.path(),
            &[
                "--store",
                "store",
                "SELECT ?o WHERE { GRAPH ?g { <urn:x:s> <urn:x:p> ?o } }",
            ],
        );
        let mut got: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        got.sort();
        assert_eq!(got, ["1", "2", "3", "4"], "once each, after two loads");
    }
}

/// The `rocksdb` feature's backend.
#[cfg(feature = "rocksdb")]
mod rocksdb {
    use super::*;

    /// A bulk load killed mid-way leaves `bulk-*.sst` files in the store
    /// that belong to no database file: the next writer removes them and
    /// says so, readers leave them, and the store answers as before.
    #[test]
    fn a_killed_loads_sorted_runs_are_removed_by_the_next_writer() {
        let _turn = turn();
        let dir = tempfile::tempdir().unwrap();
        build_store(dir.path());
        let store = dir.path().join("store");
        let leftover = store.join("bulk-123456789.sst");
        std::fs::write(&leftover, vec![0u8; 4096]).unwrap();
        let before = store_quads(dir.path());
        assert!(leftover.exists(), "a reader leaves it");
        let o = stratagraph(
            dir.path(),
            &["remove", "004_c1a067d014552421.txt", "--store", "store"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("bulk-123456789.sst, left by an interrupted load"),
            "{}",
            stderr(&o)
        );
        assert!(!leftover.exists());
        assert_ne!(store_quads(dir.path()), before, "the removal took effect");
        assert!(!listing(&store).iter().any(|n| n.starts_with("bulk-")));
    }
}
