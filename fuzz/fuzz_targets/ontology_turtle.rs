//! The ontology loader on arbitrary Turtle: an error or an ontology,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("user.ttl");
    std::fs::write(&path, data).expect("written");
    let _ = stratagraph::ontology::Ontology::from_files(&[path]);
});
