//! The extractor on arbitrary text: any bytes that decode as a document
//! are read, and the extraction passes the checks the graph relies on.
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
    let Ok(text) = stratagraph::ingest::decode(data) else {
        return;
    };
    let ex = extractor();
    let out = ex.extract(&text);
    if let Err(fault) = ex.check(&out, &text) {
        panic!("extraction fails its checks: {fault}");
    }
});
