//! Parallel builds give the same bytes as serial ones, and shards union to
//! the whole.

mod common;

use std::collections::BTreeSet;

use common::*;

/// A small corpus: the seeds, three times over under different names.
fn corpus(dir: &std::path::Path) {
    for copy in 0..3 {
        let sub = dir.join(format!("corpus/c{copy}"));
        std::fs::create_dir_all(&sub).unwrap();
        for e in std::fs::read_dir(seeds()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), sub.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn one_thread_or_many_give_byte_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    for threads in ["1", "4"] {
        let o = stratagraph(
            dir.path(),
            &[
                "build",
                "corpus",
                "--out",
                &format!("out{threads}"),
                "-j",
                threads,
                "-q",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for f in ["graph.ttl", "graph.nq", "candidates.tsv"] {
        let a = std::fs::read(dir.path().join("out1").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("out4").join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 4 threads");
    }
}

#[test]
fn shards_union_to_the_whole_build() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let o = stratagraph(dir.path(), &["build", "corpus", "--out", "whole", "-q"]);
    assert_eq!(o.status.code(), Some(0));
    let lines = |path: std::path::PathBuf| -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    };
    let mut whole = lines(dir.path().join("whole/graph.nq"));
    whole.sort();
    let mut shards = Vec::new();
    let mut docs = BTreeSet::new();
    for i in 1..=4 {
        let out = format!("shard{i}");
        let o = stratagraph(
            dir.path(),
            &[
                "build",
                "corpus",
                "--out",
                &out,
                "--shard",
                &format!("{i}/4"),
                "-q",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let part = lines(dir.path().join(&out).join("graph.nq"));
        for l in &part {
            if l.contains("ontology#fileName") {
                assert!(docs.insert(l.clone()), "a document in two shards: {l}");
            }
        }
        shards.extend(part);
    }
    shards.sort();
    assert_eq!(docs.len(), 15, "every document in one shard");
    assert!(
        shards == whole,
        "the shards' N-Quads sorted equal the whole build's"
    );
    let o = stratagraph(dir.path(), &["build", "corpus", "--shard", "5/4"]);
    assert_eq!(o.status.code(), Some(2), "a bad shard is a usage error");
}

/// The streaming writer gives the same bytes as writing all quads at once.
#[test]
fn streaming_rdf_equals_the_whole_dataset_written_at_once() {
    use stratagraph::rdf::{self, Iris, Syntax};
    let ontology = stratagraph::ontology::Ontology::load(&root().join("ontology"), &[]).unwrap();
    let ex = stratagraph::extract::Extractor::new(ontology);
    let (graph, _) = stratagraph::build::extract_corpus(&ex, &[seeds()]).unwrap();
    let iris = Iris::new(rdf::DEFAULT_BASE).unwrap();
    let quads = rdf::quads(&graph, &ex.ontology, &iris);
    for syntax in [
        Syntax::Turtle,
        Syntax::NQuads,
        Syntax::NTriples,
        Syntax::TriG,
        Syntax::RdfXml,
        Syntax::JsonLd,
    ] {
        let whole = rdf::write(syntax, &quads, rdf::DEFAULT_BASE, Vec::new()).unwrap();
        let (streamed, n) = rdf::write_graph(
            syntax,
            &graph,
            &ex.ontology,
            &iris,
            rdf::DEFAULT_BASE,
            Vec::new(),
        )
        .unwrap();
        assert_eq!(n, quads.len());
        assert!(whole == streamed, "{syntax:?} differs");
    }
    // Several syntaxes in one pass give the same bytes as one at a time.
    let syntaxes = [Syntax::Turtle, Syntax::NQuads, Syntax::TriG];
    let (many, _) = rdf::write_many(
        &syntaxes,
        &graph,
        &ex.ontology,
        &iris,
        rdf::DEFAULT_BASE,
        vec![Vec::new(); 3],
        rdf::DEFAULT_CHUNK,
    )
    .unwrap();
    for (syntax, bytes) in syntaxes.iter().zip(many) {
        let alone = rdf::write(*syntax, &quads, rdf::DEFAULT_BASE, Vec::new()).unwrap();
        assert!(
            alone == bytes,
            "{syntax:?} differs when written with others"
        );
    }
    // Written in chunks of any size, on one thread or several, the chunks
    // concatenate to the same bytes (the prefixes once, at the top).
    let all = [
        Syntax::Turtle,
        Syntax::NQuads,
        Syntax::NTriples,
        Syntax::TriG,
    ];
    for threads in [1, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for chunk in [1, 2, 7] {
            let (chunked, n) = pool
                .install(|| {
                    rdf::write_many(
                        &all,
                        &graph,
                        &ex.ontology,
                        &iris,
                        rdf::DEFAULT_BASE,
                        vec![Vec::new(); all.len()],
                        chunk,
                    )
                })
                .unwrap();
            assert_eq!(n, quads.len());
            for (syntax, bytes) in all.iter().zip(chunked) {
                let whole = rdf::write(*syntax, &quads, rdf::DEFAULT_BASE, Vec::new()).unwrap();
                assert!(
                    whole == bytes,
                    "{syntax:?} in chunks of {chunk} on {threads} threads differs"
                );
            }
        }
    }
}
