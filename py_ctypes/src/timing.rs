//! `bm_time_extract_file`, `bm_time_probe`: the direct-Rust baseline timed inside the
//! caller's process (`bridgemark_core::timing`), for the harness's paired samples. Not
//! bridge calls: one call runs the core's loop and returns only a duration.
//! `bm_core_clock_ns`: this library's core clock (`bridgemark_core::clock`).

use bridgemark_core::ExtractionError;
use bridgemark_core::timing::Probe;

use crate::extract::{bytes, os_path};
use crate::limits::{bm_config, to_core};
use crate::status::{bm_status, run, run_infallible};

/// Extracts the file at `path` `loops` times in Rust (each result dropped, nothing
/// handed out) and writes the elapsed monotonic-clock nanoseconds of the whole loop to
/// `*elapsed_ns`.
///
/// `path`/`path_len` and `config` as in `bm_extract_file`. Errors: those of
/// `bm_extract_file` for the first failing extraction (then `*elapsed_ns` is untouched).
///
/// # Safety
/// `path` points to `path_len` readable bytes; `config` is NULL or a valid `bm_config`;
/// `elapsed_ns` is a writable `uint64_t *` slot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_time_extract_file(
    path: *const u8,
    path_len: usize,
    config: *const bm_config,
    loops: u64,
    elapsed_ns: *mut u64,
) -> bm_status {
    run(elapsed_ns, || {
        let raw = unsafe { bytes(path, path_len, "path") }?;
        let config = unsafe { to_core(config) }?;
        bridgemark_core::timing::time_extract_file(&os_path(raw), &config, loops)
    })
}

/// Runs the probe named `case` (UTF-8: `noop`, `add`, `echo:N[:ALPHABET]`,
/// `make_result:C:T`, `spin:N`, as the harness names its cases) `loops` times in Rust and
/// writes the elapsed monotonic-clock nanoseconds of the whole loop to `*elapsed_ns`.
/// Errors: `BM_INVALID_ARGUMENT` for an unknown case (then `*elapsed_ns` is untouched).
///
/// # Safety
/// `case` points to `case_len` readable bytes; `elapsed_ns` is a writable `uint64_t *` slot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_time_probe(
    case: *const u8,
    case_len: usize,
    loops: u64,
    elapsed_ns: *mut u64,
) -> bm_status {
    run(elapsed_ns, || {
        let raw = unsafe { bytes(case, case_len, "case") }?;
        let probe = std::str::from_utf8(raw)
            .ok()
            .and_then(Probe::parse)
            .ok_or_else(|| ExtractionError::invalid_argument("unknown probe case"))?;
        Ok(probe.time(loops))
    })
}

/// Returns the monotonic-clock nanoseconds this library's core spent extracting files
/// (`bm_extract_file`, and each extraction of `bm_time_extract_file`) in extractions that
/// started while its clock was on, since the previous `bm_core_clock_ns` call; resets that
/// sum to 0 and turns the clock on (`on`) or off (off at load). While on, each extraction
/// also pays two clock reads (about 32 ns each). Never fails.
#[unsafe(no_mangle)]
pub extern "C" fn bm_core_clock_ns(on: bool) -> u64 {
    run_infallible(|| bridgemark_core::clock::take(on))
}
