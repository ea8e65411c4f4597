//! `bm_extract_file`, `bm_extract_bytes`: the core's two entry points, each with an
//! optional `const bm_config *` (NULL = `Config::DEFAULT`, no password).

use std::borrow::Cow;
use std::ffi::c_char;
use std::path::Path;

use bridgemark_core::ExtractionError;

use crate::limits::{bm_config, to_core};
use crate::result::{OwnedResult, bm_result};
use crate::status::{bm_status, run};

/// Borrows `len` bytes at `ptr` (NULL is accepted only with `len == 0`).
///
/// # Safety
/// A non-NULL `ptr` points to `len` readable bytes that stay unchanged during the call.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> bridgemark_core::Result<&'a [u8]> {
    match (ptr.is_null(), len) {
        (true, 0) => Ok(&[]),
        (true, _) => Err(ExtractionError::invalid_argument(format!(
            "{what} is NULL but its length is {len}"
        ))),
        // SAFETY: the caller's contract.
        (false, _) => Ok(unsafe { std::slice::from_raw_parts(ptr, len) }),
    }
}

/// Reads and extracts the file at `path` (format detected from its bytes).
///
/// `path`/`path_len`: the path as raw OS bytes (not NUL-terminated; a NUL byte inside
/// gives `BM_INVALID_ARGUMENT`). `config`: password and limits, or NULL for the
/// defaults (`bm_config_default()`, no password); borrowed for the call only. On
/// `BM_OK`, `*out` receives a result the caller frees with `bm_result_free`; on any
/// other status `*out` is left untouched and `bm_last_error()` holds the message.
/// Errors: `BM_NOT_FOUND`, `BM_IS_A_DIRECTORY`, `BM_PERMISSION_DENIED`, `BM_IO`, then
/// as `bm_extract_bytes`.
///
/// # Safety
/// `path` points to `path_len` readable bytes; `config` is NULL or a valid
/// `bm_config`; `out` is a writable `bm_result *` slot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_extract_file(
    path: *const u8,
    path_len: usize,
    config: *const bm_config,
    out: *mut *mut bm_result,
) -> bm_status {
    run(out, || {
        let raw = unsafe { bytes(path, path_len, "path") }?;
        let config = unsafe { to_core(config) }?;
        bridgemark_core::extract_file(&os_path(raw), &config).map(OwnedResult::into_raw)
    })
}

/// The path for raw OS bytes: borrowed as-is on Unix.
#[cfg(unix)]
pub(crate) fn os_path(raw: &[u8]) -> Cow<'_, Path> {
    use std::os::unix::ffi::OsStrExt;
    Cow::Borrowed(Path::new(std::ffi::OsStr::from_bytes(raw)))
}

/// The path for raw bytes off Unix: must be UTF-8 (invalid sequences become U+FFFD).
#[cfg(not(unix))]
pub(crate) fn os_path(raw: &[u8]) -> Cow<'_, Path> {
    Cow::Owned(String::from_utf8_lossy(raw).into_owned().into())
}

/// Extracts the document in `data[0..len]`.
///
/// `mime`/`mime_len`: a UTF-8 MIME type naming the format, or NULL to detect it from
/// the bytes. `config`: password and limits, or NULL for the defaults
/// (`bm_config_default()`, no password); borrowed for the call only. On `BM_OK`,
/// `*out` receives a result the caller frees with `bm_result_free`; otherwise `*out`
/// is untouched and `bm_last_error()` holds the message. Errors:
/// `BM_UNSUPPORTED_FORMAT`, `BM_CORRUPT`, `BM_PASSWORD_REQUIRED` (encrypted, and the
/// password is missing or wrong), `BM_LIMIT_EXCEEDED`, `BM_INVALID_ARGUMENT` (NULL
/// with a non-zero length, MIME type or password not UTF-8).
///
/// # Safety
/// `data` points to `len` readable bytes, `mime` (when not NULL) to `mime_len`;
/// `config` is NULL or a valid `bm_config`; `out` is a writable `bm_result *` slot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bm_extract_bytes(
    data: *const u8,
    len: usize,
    mime: *const c_char,
    mime_len: usize,
    config: *const bm_config,
    out: *mut *mut bm_result,
) -> bm_status {
    run(out, || {
        let data = unsafe { bytes(data, len, "data") }?;
        let mime =
            if mime.is_null() {
                None
            } else {
                let raw = unsafe { bytes(mime.cast(), mime_len, "mime") }?;
                Some(std::str::from_utf8(raw).map_err(|_| {
                    ExtractionError::invalid_argument("MIME type is not valid UTF-8")
                })?)
            };
        let config = unsafe { to_core(config) }?;
        bridgemark_core::extract_bytes(data, mime, &config).map(OwnedResult::into_raw)
    })
}
