//! Probes: calls that do a known amount of work (or none), exposed by every binding
//! under the same names, so the harness can isolate what the bridge itself costs.
//!
//! - [`noop`]: the bare call (fixed cost of crossing the bridge).
//! - [`add`]: scalar argument and return marshalling.
//! - [`echo`]: string in, string out (per-byte marshalling, both directions).
//! - [`make_result`]: result conversion without extraction (per-object cost).
//! - [`spin`]: busy work of a known duration (positive control for timing and GIL release).
//! - [`leak`]: deliberately leaks memory (positive control for the leak detector).
//! - [`panic`]: panics (test-only: proves every boundary turns a panic into an error).

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::result::{ExtractionResult, Metadata};

/// Does nothing; the cost of calling it is the bridge's fixed cost.
#[inline(never)]
pub fn noop() {}

/// Returns `a + b`, wrapping on overflow.
#[inline(never)]
pub fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// Returns an owned copy of `s` (UTF-8 in, UTF-8 out: one copy in Rust).
#[inline(never)]
pub fn echo(s: &str) -> String {
    s.to_owned()
}

/// Builds a result with `n_chars` characters of ASCII content and `n_tables`
/// tables of 3 × 3 cells, with every metadata field set; no extraction happens.
pub fn make_result(n_chars: usize, n_tables: usize) -> ExtractionResult {
    const TEXT: &[u8] = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let mut content = String::new();
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    // Panic (caught by every binding), never abort, when the sizes cannot be allocated.
    if content.try_reserve_exact(n_chars).is_err() || tables.try_reserve_exact(n_tables).is_err() {
        panic!("make_result({n_chars}, {n_tables}): cannot allocate that much");
    }
    content.extend(TEXT.iter().cycle().take(n_chars).map(|&b| b as char));
    tables.extend((0..n_tables).map(|t| {
        (0..3)
            .map(|r| (0..3).map(|c| format!("t{t}r{r}c{c}")).collect())
            .collect()
    }));
    ExtractionResult {
        content,
        mime_type: "text/plain".to_owned(),
        metadata: Metadata {
            title: Some("probe".to_owned()),
            authors: vec!["bridgemark".to_owned()],
            created: Some("2026-01-01T00:00:00Z".to_owned()),
            modified: Some("2026-01-02T00:00:00Z".to_owned()),
            page_count: Some(1),
            word_count: Some((n_chars / 6) as u32),
            comments: vec!["a comment".to_owned()],
        },
        tables,
    }
}

/// Busy-waits for `ns` nanoseconds on the calling thread (reads the monotonic clock).
#[inline(never)]
pub fn spin(ns: u64) {
    let deadline = Duration::from_nanos(ns);
    let start = Instant::now();
    while start.elapsed() < deadline {
        std::hint::spin_loop();
    }
}

/// Allocates `bytes` bytes, writes every byte (so they count in RSS) and never frees them.
///
/// Panics (never aborts) when `bytes` cannot be allocated.
#[inline(never)]
pub fn leak(bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_err() {
        panic!("leak({bytes}): cannot allocate that much");
    }
    block.resize(bytes, 0xA5);
    std::mem::forget(black_box(block));
}

/// Panics with `message`; test-only. Every binding calls it through
/// [`crate::catch_panic`], so the caller sees an `Internal` error, never an abort.
#[inline(never)]
pub fn panic(message: &str) -> crate::Result<()> {
    panic!("{message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_wraps_instead_of_panicking() {
        assert_eq!(add(2, 3), 5);
        assert_eq!(add(i64::MAX, 1), i64::MIN);
    }

    #[test]
    fn echo_returns_equal_string() {
        assert_eq!(echo("héllo ✓"), "héllo ✓");
    }

    #[test]
    fn make_result_has_requested_sizes() {
        let r = make_result(1000, 4);
        assert_eq!(r.content.chars().count(), 1000);
        assert_eq!(r.tables.len(), 4);
        assert_eq!(r.tables[3][2][1], "t3r2c1");
        assert_eq!(r.metadata.page_count, Some(1));
    }

    #[test]
    fn impossible_sizes_panic_instead_of_aborting() {
        // Regression: make_result(2**62, 0) and leak(2**62) aborted the process.
        assert!(std::panic::catch_unwind(|| make_result(1 << 62, 0)).is_err());
        assert!(std::panic::catch_unwind(|| leak(1 << 62)).is_err());
    }

    #[test]
    fn spin_takes_at_least_the_requested_time() {
        let t = Instant::now();
        spin(2_000_000);
        assert!(t.elapsed() >= Duration::from_nanos(2_000_000));
    }
}
