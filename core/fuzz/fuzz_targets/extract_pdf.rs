//! Fuzz target: `extract_bytes` on the PDF path (libpdfium from `$BRIDGEMARK_PDFIUM`).
//! Every outcome must be `Ok` or a typed error; a panic or crash (ours or pdfium's) is a finding.
#![no_main]

use bridgemark_core::{Config, detect, extract_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = Config { max_pages: 64, ..Config::DEFAULT };
    let _ = extract_bytes(data, Some(detect::PDF), &config);
});
