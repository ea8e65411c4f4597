//! Fuzz target: `extract_bytes` on the DOCX/ZIP path (any bytes, read as a DOCX).
//! Every outcome must be `Ok` or a typed error; a panic, abort or OOM is a finding.
#![no_main]

use bridgemark_core::{Config, detect, extract_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A tighter size limit than the default keeps libFuzzer's RSS limit out of the way.
    let config = Config { max_decompressed_bytes: 32 << 20, ..Config::DEFAULT };
    let _ = extract_bytes(data, Some(detect::DOCX), &config);
});
