//! The endpoint's HTTP request reader on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stratagraph::serve::parse_request_for_fuzzing(data);
});
