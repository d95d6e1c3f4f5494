//! The gold file reader (`eval --gold`) on an arbitrary file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("doc.json"), data).expect("written");
    let _ = stratagraph::eval::read_gold(dir.path());
});
