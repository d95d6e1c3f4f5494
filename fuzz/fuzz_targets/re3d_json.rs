//! The re3d reader (`eval --re3d`) on arbitrary files: the input is cut
//! in three at its first two NUL bytes, for documents.json,
//! entities.json and relations.json.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let dir = tempfile::tempdir().expect("a temporary directory");
    for name in ["documents.json", "entities.json", "relations.json"] {
        std::fs::write(dir.path().join(name), parts.next().unwrap_or(b"")).expect("written");
    }
    let _ = stratagraph::eval::re3d::read(dir.path());
});
