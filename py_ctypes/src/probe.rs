//! The probes of `bridgemark_core::probe`, one export each, doing the same work as
//! every other bridge and nothing more (plus the panic boundary every export has).

use std::ffi::c_char;
use std::ptr;

use bridgemark_core::{ExtractionError, probe};

use crate::extract::bytes;
use crate::result::{OwnedResult, bm_result};
use crate::status::{bm_status, run, run_infallible, run_status};

/// An owned UTF-8 byte buffer (not NUL-terminated) handed to the caller, who frees
/// it with `bm_buf_free`. `len` is in bytes; `ptr` is never NULL in a buffer the
/// library returns (an empty buffer still has a non-NULL `ptr`).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug)]
pub struct bm_buf {
    pub ptr: *mut c_char,
    pub len: usize,
}

/// Frees the buffer `*buf` returned by `bm_echo` and resets `*buf` to `{NULL, 0}`.
/// `buf == NULL` and `buf->ptr == NULL` are accepted (no-op), so a second free of the
/// same slot is harmless. Takes a pointer, not the struct by value: libffi-based
/// callers (ctypes, cffi ABI mode) pass structs by value slowly.
///
/// # Safety
/// `buf` is NULL or points to a `bm_buf` that is `{NULL, _}` or was filled by `bm_echo`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_buf_free(buf: *mut bm_buf) {
    // SAFETY: the caller's contract.
    let Some(buf) = (unsafe { buf.as_mut() }) else {
        return;
    };
    if buf.ptr.is_null() {
        return;
    }
    let (ptr, len) = (buf.ptr.cast::<u8>(), buf.len);
    *buf = bm_buf {
        ptr: ptr::null_mut(),
        len: 0,
    };
    run_infallible(|| {
        // SAFETY: `ptr`/`len` came from `Box<[u8]>::into_raw` in `bm_echo`.
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(ptr, len)) });
    });
}

/// The bare call: does nothing (the bridge's fixed cost).
#[unsafe(no_mangle)]
pub extern "C" fn bm_noop() {
    run_infallible(probe::noop)
}

/// Returns `a + b`, wrapping on overflow (scalar marshalling).
#[unsafe(no_mangle)]
pub extern "C" fn bm_add(a: i64, b: i64) -> i64 {
    run_infallible(|| probe::add(a, b))
}

/// Copies the UTF-8 string `ptr[0..len]` (per-byte marshalling, both directions).
///
/// On `BM_OK`, `*out` receives an owned copy the caller frees with `bm_buf_free`;
/// on `BM_INVALID_ARGUMENT` (not UTF-8, or NULL with `len > 0`) `*out` is untouched.
///
/// # Safety
/// `ptr` points to `len` readable bytes; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_echo(ptr: *const c_char, len: usize, out: *mut bm_buf) -> bm_status {
    run(out, || {
        let raw = unsafe { bytes(ptr.cast(), len, "string") }?;
        let s = std::str::from_utf8(raw)
            .map_err(|_| ExtractionError::invalid_argument("string is not valid UTF-8"))?;
        let copy = Box::into_raw(probe::echo(s).into_boxed_str().into_boxed_bytes());
        Ok(bm_buf {
            ptr: copy.cast(),
            len: copy.len(),
        })
    })
}

/// Builds a result of `n_chars` ASCII characters and `n_tables` 3×3 tables with every
/// metadata field set, without extraction (result-conversion cost). On `BM_OK`, `*out`
/// receives a result the caller frees with `bm_result_free`.
///
/// # Safety
/// `out` is a writable `bm_result *` slot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_make_result(
    n_chars: usize,
    n_tables: usize,
    out: *mut *mut bm_result,
) -> bm_status {
    run(out, || {
        Ok(OwnedResult::into_raw(probe::make_result(n_chars, n_tables)))
    })
}

/// Busy-waits `ns` nanoseconds on the calling thread.
#[unsafe(no_mangle)]
pub extern "C" fn bm_spin(ns: u64) {
    run_infallible(|| probe::spin(ns))
}

/// Allocates `n_bytes` bytes, touches them and never frees them (leak-detector control).
///
/// Returns `BM_OK`, or `BM_INTERNAL` when `n_bytes` cannot be allocated (the core's
/// caught panic; `bm_last_error()` = "internal error (Rust panic): leak(N): cannot
/// allocate that much"), as every other bridge raises `InternalError` for it.
#[unsafe(no_mangle)]
pub extern "C" fn bm_leak(n_bytes: usize) -> bm_status {
    run_status(|| {
        probe::leak(n_bytes);
        Ok(())
    })
}

/// Test-only: makes the core panic with the UTF-8 message `ptr[0..len]` and returns
/// `BM_INTERNAL` with `bm_last_error()` = "internal error (Rust panic): <message>",
/// proving that no panic unwinds into C. `BM_INVALID_ARGUMENT` when the message is
/// not UTF-8 (or NULL with `len > 0`).
///
/// # Safety
/// `ptr` points to `len` readable bytes (or is NULL with `len == 0`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_panic(ptr: *const c_char, len: usize) -> bm_status {
    run_status(|| {
        let raw = unsafe { bytes(ptr.cast(), len, "message") }?;
        let message = std::str::from_utf8(raw)
            .map_err(|_| ExtractionError::invalid_argument("message is not valid UTF-8"))?;
        probe::panic(message)
    })
}
