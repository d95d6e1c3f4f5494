//! Throughput of each stage on the five seeds, concatenated (44 KB):
//! sentences, mentions and relations (the whole extractor), the graph,
//! and RDF writing. Run with `cargo bench --bench stages`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stratagraph::extract::Extractor;
use stratagraph::graph::KnowledgeGraph;
use stratagraph::ingest::{self, Document};
use stratagraph::ontology::Ontology;
use stratagraph::rdf::{self, Iris, Syntax};
use stratagraph::text::Splitter;

fn seeds() -> Vec<Document> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ingest::discover(&[root.join("seeds")])
        .expect("the seeds are there")
        .0
        .iter()
        .map(|s| ingest::read(s).expect("the seeds are text"))
        .collect()
}

fn stages(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ontology = Ontology::load(&root.join("ontology"), &[]).expect("the ontology loads");
    let extractor = Extractor::new(ontology.clone());
    let docs = seeds();
    let bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes));
    g.measurement_time(Duration::from_secs(5));

    let splitter = Splitter::new(&ontology.lexicon.abbreviations);
    g.bench_function("sentences", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(splitter.prepare(black_box(&d.text)));
            }
        })
    });
    g.bench_function("extract (mentions + relations)", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(extractor.extract(black_box(&d.text)));
            }
        })
    });
    let extractions: Vec<_> = docs.iter().map(|d| extractor.extract(&d.text)).collect();
    g.bench_function("graph", |b| {
        b.iter(|| {
            let mut graph = KnowledgeGraph::new();
            for (d, x) in docs.iter().zip(&extractions) {
                graph.add_document(&extractor, d, x);
            }
            black_box(graph)
        })
    });
    let mut graph = KnowledgeGraph::new();
    for (d, x) in docs.iter().zip(&extractions) {
        graph.add_document(&extractor, d, x);
    }
    let iris = Iris::new(rdf::DEFAULT_BASE).expect("the default base is an IRI");
    g.bench_function("rdf quads", |b| {
        b.iter(|| black_box(rdf::quads(&graph, &ontology, &iris)))
    });
    let quads = rdf::quads(&graph, &ontology, &iris);
    // One core, like the other stages (the writer would use every core).
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    for syntax in [Syntax::NQuads, Syntax::Turtle] {
        g.bench_function(format!("stream {syntax:?} (quads + write)"), |b| {
            b.iter(|| {
                one.install(|| {
                    black_box(
                        rdf::write_graph(
                            syntax,
                            &graph,
                            &ontology,
                            &iris,
                            rdf::DEFAULT_BASE,
                            Vec::new(),
                        )
                        .expect("writes"),
                    )
                })
            })
        });
        g.bench_function(format!("write {syntax:?}"), |b| {
            b.iter(|| {
                black_box(
                    rdf::write(syntax, &quads, rdf::DEFAULT_BASE, Vec::new()).expect("writes"),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
