//! `bm_time_extract_file`: the direct-Rust baseline timed inside the caller's process
//! (`bridgemark_core::timing`), for the harness's paired extraction samples. Not a
//! bridge call: one call runs the core's loop and returns only a duration.

use crate::extract::{bytes, os_path};
use crate::limits::{bm_config, to_core};
use crate::status::{bm_status, run};

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
