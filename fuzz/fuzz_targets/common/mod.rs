//! What the fuzz targets share: one extractor over the project's ontology,
//! built once per process.

use std::sync::OnceLock;

use stratagraph::extract::Extractor;
use stratagraph::ontology::Ontology;

pub fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ontology");
        Extractor::new(Ontology::load(&dir, &[]).expect("the ontology loads"))
    })
}
