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
fn shards_merge_to_the_whole_build() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let o = stratagraph(dir.path(), &["build", "corpus", "--out", "whole", "-q"]);
    assert_eq!(o.status.code(), Some(0));
    let mut docs = BTreeSet::new();
    let mut parts = Vec::new();
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
                "-f",
                "nquads",
                "-q",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let part = std::fs::read_to_string(dir.path().join(&out).join("graph.nq")).unwrap();
        for l in part.lines() {
            if l.contains("ontology#fileName> \"") {
                assert!(docs.insert(l.to_string()), "a document in two shards: {l}");
            }
        }
        parts.push(format!("{out}/graph.nq"));
    }
    assert_eq!(docs.len(), 15, "every document in one shard");
    let mut args = vec!["merge", "--out", "merged", "-q"];
    args.extend(parts.iter().map(String::as_str));
    let o = stratagraph(dir.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_outputs(dir.path(), "whole", "merged");
    let o = stratagraph(dir.path(), &["build", "corpus", "--shard", "5/4"]);
    assert_eq!(o.status.code(), Some(2), "a bad shard is a usage error");
}

/// The three outputs of two runs are the same bytes.
fn same_outputs(dir: &std::path::Path, a: &str, b: &str) {
    for f in ["graph.nq", "graph.ttl", "candidates.tsv"] {
        let x = std::fs::read_to_string(dir.join(a).join(f)).unwrap();
        let y = std::fs::read_to_string(dir.join(b).join(f)).unwrap();
        if x != y {
            let first = x
                .lines()
                .zip(y.lines())
                .find(|(l, m)| l != m)
                .map(|(l, m)| format!("\n  {a}: {l}\n  {b}: {m}"))
                .unwrap_or_else(|| format!("{} vs {} lines", x.lines().count(), y.lines().count()));
            panic!("{f} of {a} and {b} differ:{first}");
        }
    }
}

/// Documents of the corpus plus three naming one new group in two
/// spellings, mentioned unequally often (the label is decided by the
/// mentions of all parts, not by the first part).
fn varied_corpus(dir: &std::path::Path) -> Vec<(String, String)> {
    corpus(dir);
    let extra = [
        (
            "v/a.txt",
            "The Al-Zarqa Defence Brigade attacked Baghdad. The Al-Zarqa Defence Brigade also attacked Erbil.",
        ),
        (
            "v/b.txt",
            "Iran supports the Al Zarqa Defence Brigade, said an official in Baghdad.",
        ),
        (
            "v/c.txt",
            "The Al Zarqa Defence Brigade fought ISIS near Mosul. Later the Al Zarqa Defence Brigade withdrew.",
        ),
    ];
    for (path, text) in extra {
        let path = dir.join("corpus").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut docs = Vec::new();
    let mut stack = vec![dir.join("corpus")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir.join("corpus")).unwrap();
                let text = std::fs::read_to_string(&p).unwrap();
                docs.push((rel.to_string_lossy().into_owned(), text));
            }
        }
    }
    docs.sort();
    docs
}

/// Each document's graph depends on that document alone: for random
/// partitions of a corpus, each part built alone (as a folder, or
/// streamed through `extract --jsonl`) and the parts merged give the whole
/// build's outputs byte for byte, whatever the spellings and classes the
/// parts hold of one new name.
#[test]
fn any_partition_merged_equals_the_whole_build() {
    let dir = tempfile::tempdir().unwrap();
    let docs = varied_corpus(dir.path());
    let o = stratagraph(dir.path(), &["build", "corpus", "--out", "whole", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let whole = std::fs::read_to_string(dir.path().join("whole/graph.nq")).unwrap();
    assert!(
        whole.contains("Al-Zarqa Defence Brigade") && whole.contains("Al Zarqa Defence Brigade"),
        "both spellings are found"
    );
    // A fixed linear congruential sequence: the same partitions every run.
    let mut state: u64 = 0x5eed;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for round in 0..3 {
        let k = 2 + round;
        let mut parts: Vec<Vec<&(String, String)>> = vec![Vec::new(); k];
        for doc in &docs {
            parts[next() % k].push(doc);
        }
        let mut outputs = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() {
                continue;
            }
            let name = format!("r{round}p{i}");
            if i % 2 == 0 {
                // A folder holding the part's files at their paths.
                for (rel, text) in part {
                    let path = dir.path().join(&name).join(rel);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(path, text).unwrap();
                }
                let out = format!("{name}.out");
                let o = stratagraph(
                    dir.path(),
                    &["build", &name, "--out", &out, "-f", "nquads", "-q"],
                );
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                outputs.push(format!("{out}/graph.nq"));
            } else {
                let lines: String = part
                    .iter()
                    .map(|(rel, text)| {
                        serde_json::json!({"id": rel, "text": text}).to_string() + "\n"
                    })
                    .collect();
                let o = stratagraph_stdin(dir.path(), &["extract", "--jsonl"], &lines);
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                let out = format!("{name}.nq");
                std::fs::write(dir.path().join(&out), &o.stdout).unwrap();
                outputs.push(out);
            }
        }
        let merged = format!("merged{round}");
        let mut args = vec!["merge", "--out", &merged, "-q"];
        args.extend(outputs.iter().map(String::as_str));
        let o = stratagraph(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        same_outputs(dir.path(), "whole", &merged);
    }
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
