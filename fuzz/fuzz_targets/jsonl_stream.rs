//! The JSON Lines stream reader (`extract --jsonl`) on arbitrary input.
#![no_main]

mod common;

use common::extractor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stratagraph::build::extract_stream(
        extractor(),
        "https://w3id.org/stratagraph/id/",
        data,
        std::io::sink(),
    );
});
