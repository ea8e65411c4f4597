//! bridgemark-capi: the C ABI over `bridgemark-core` (rustls-ffi style), for ctypes,
//! cffi (ABI and API mode) and the hand-written CPython C-API floor.
//!
//! Rules every export follows (stated again in the generated `include/bridgemark.h`):
//! names are `bm_<noun>_<verb>` (`bm_<verb>` for the probes); fallible calls return a
//! [`bm_status`] whose non-zero values are the core's `ErrorKind` codes; out-parameters
//! come last and are written only on `BM_OK`; the message of a failure is read with
//! [`bm_last_error`]; every pointer handed out has exactly one `*_free` function that
//! accepts NULL; no panic crosses the boundary (each export runs under `catch_panic`).
//!
//! Modules: [`status`] (codes, last error, panic boundary), [`result`] (the C view of
//! `ExtractionResult`), [`limits`] (the C view of `Config`), [`extract`] (the two entry
//! points), [`probe`] (the probes), [`timing`] (the in-process direct-Rust baseline).

pub mod extract;
pub mod limits;
pub mod probe;
pub mod result;
pub mod status;
pub mod timing;

pub use extract::{bm_extract_bytes, bm_extract_file};
pub use limits::{bm_config, bm_config_default};
pub use probe::{
    bm_add, bm_buf, bm_buf_free, bm_echo, bm_leak, bm_make_result, bm_noop, bm_panic, bm_spin,
};
pub use result::{bm_metadata, bm_result, bm_result_free, bm_row, bm_str, bm_table};
pub use status::{bm_last_error, bm_status, bm_status_describe};
pub use timing::{bm_core_clock_ns, bm_time_extract_file, bm_time_probe};

#[cfg(test)]
mod tests;
