//! Timed loops of the core's own work, no bridge involved: the direct-Rust baseline.
//!
//! The bench binary (`bridgemark-bench`) runs them in a process of its own; the C ABI
//! exports [`time_extract_file`] (`bm_bench_extract_file`) so that the harness can time
//! the same work inside each bridge's worker process, alternating with that bridge's
//! samples (a paired design: the machine's state — frequency, neighbours' load on the
//! shared caches — is then the same for both numbers of a pair).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use crate::error::Result;
use crate::limits::Config;

/// Runs `f` `loops` times; returns the elapsed ns (monotonic clock: `CLOCK_MONOTONIC` on
/// Linux, as Python's `time.perf_counter_ns`).
#[inline(always)]
pub fn time_loop<F: FnMut()>(f: &mut F, loops: u64) -> u64 {
    let start = Instant::now();
    for _ in 0..loops {
        f();
    }
    start.elapsed().as_nanos() as u64
}

/// Extracts the file at `path` `loops` times (every result kept alive through
/// `black_box`, then dropped, as a bridge drops it after converting it) and returns
/// the elapsed ns of the whole loop.
///
/// Errors: the first failing extraction's error (the loop stops there).
pub fn time_extract_file(path: &Path, config: &Config, loops: u64) -> Result<u64> {
    let mut outcome = Ok(());
    let elapsed = time_loop(
        &mut || {
            if outcome.is_ok() {
                match crate::extract_file(black_box(path), config) {
                    Ok(r) => drop(black_box(r)),
                    Err(e) => outcome = Err(e),
                }
            }
        },
        loops,
    );
    outcome.map(|()| elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn time_extract_file_reports_the_first_error_not_a_time() {
        let err = time_extract_file(
            Path::new("/nonexistent/bridgemark.docx"),
            &Config::DEFAULT,
            3,
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }

    #[test]
    fn time_loop_runs_the_closure_loops_times() {
        let mut calls = 0;
        time_loop(&mut || calls += 1, 5);
        assert_eq!(calls, 5);
    }
}
