//! The extractor on arbitrary text: any bytes that decode as a document
//! are read, and the extraction passes the checks the graph relies on.
#![no_main]

mod common;

use common::extractor;
use libfuzzer_sys::fuzz_target;

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
