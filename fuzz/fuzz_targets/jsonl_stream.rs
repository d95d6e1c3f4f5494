//! The JSON Lines stream reader (`extract --jsonl`) on arbitrary input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stratagraph::extract::Extractor;
use stratagraph::ontology::Ontology;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ontology");
        Extractor::new(Ontology::load(&dir, &[]).expect("the ontology loads"))
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = stratagraph::build::extract_stream(
        extractor(),
        "https://w3id.org/stratagraph/id/",
        data,
        std::io::sink(),
    );
});
