//! The core clock: how long the core's own [`crate::extract_file`] calls take inside a
//! caller's loop, timed in Rust around the extraction alone.
//!
//! The direct-Rust baseline ([`crate::timing`]) times the core in a tight loop of its own:
//! every call finds the caches, branch predictors and allocator as the previous call of the
//! same work left them. Inside a bridge's loop the same work runs between the bridge's own
//! (argument and result conversion, the interpreter, freeing the previous result); the
//! harness's interleave suite reads this clock to tell what that costs the core from what
//! the bridge itself costs. Off by default; while off, an extraction pays one relaxed atomic
//! load. While on, each timed call pays two monotonic-clock reads, about 32 ns each on the
//! project's VM (a loop of 10^7 `Instant::now()` + `elapsed()` pairs: 64 ns per pair,
//! 2026-11-30), about one of them inside the interval it measures.
//!
//! Each binary that links the core has its own clock (the PyO3 module, the C ABI cdylib, the
//! cxx staticlib inside the pybind11 module): every binding exposes [`take`] over its own as
//! `core_clock_ns`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);
static TOTAL_NS: AtomicU64 = AtomicU64::new(0);

/// Returns the nanoseconds (monotonic clock) summed over the [`crate::extract_file`] calls
/// that started while the clock was on, since the previous `take`, resets that sum to 0, and
/// turns the clock on (`on`) or off. Calls on several threads add to one sum.
pub fn take(on: bool) -> u64 {
    ON.store(on, Relaxed);
    TOTAL_NS.swap(0, Relaxed)
}

/// Runs `work`, adding its duration to the clock's sum when the clock is on.
#[inline]
pub(crate) fn timed<T>(work: impl FnOnce() -> T) -> T {
    if !ON.load(Relaxed) {
        return work();
    }
    let start = Instant::now();
    let out = work();
    TOTAL_NS.fetch_add(start.elapsed().as_nanos() as u64, Relaxed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_clock_sums_extractions_only_while_on_and_take_resets_it() {
        let missing = Path::new("/nonexistent/bridgemark-clock.docx");
        take(false);
        let _ = crate::extract_file(missing, &crate::Config::DEFAULT);
        assert_eq!(take(true), 0, "an extraction while off is not timed");
        let _ = crate::extract_file(missing, &crate::Config::DEFAULT);
        assert!(take(false) > 0, "an extraction while on is");
        assert_eq!(take(false), 0, "take reset the sum");
    }
}
