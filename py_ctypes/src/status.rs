//! Status codes, the thread-local last error, and the panic boundary every export goes through.

use std::cell::RefCell;
use std::panic::UnwindSafe;

use bridgemark_core::{ErrorKind, ExtractionError, catch_panic};

use crate::result::bm_str;

/// Outcome of a fallible `bm_` call: `BM_OK` (0) or one of the core's `ErrorKind`
/// codes (1..10, same numbers, never reused). On a non-zero status the out-parameter
/// is left untouched and `bm_last_error()` holds the message.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum bm_status {
    /// Success; the out-parameter was written.
    BM_OK = 0,
    /// The file does not exist (Python: `FileNotFoundError`).
    BM_NOT_FOUND = 1,
    /// The path names a directory (Python: `IsADirectoryError`).
    BM_IS_A_DIRECTORY = 2,
    /// The file may not be read (Python: `PermissionError`).
    BM_PERMISSION_DENIED = 3,
    /// Any other I/O error (Python: `OSError`).
    BM_IO = 4,
    /// Not a format bridgemark reads (Python: `UnsupportedFormatError`).
    BM_UNSUPPORTED_FORMAT = 5,
    /// A supported format that cannot be read (Python: `CorruptDocumentError`).
    BM_CORRUPT = 6,
    /// Encrypted document (Python: `PasswordRequiredError`).
    BM_PASSWORD_REQUIRED = 7,
    /// A resource limit would be exceeded (Python: `LimitExceededError`).
    BM_LIMIT_EXCEEDED = 8,
    /// Bad argument: NULL pointer, NUL byte in a path, invalid UTF-8 (Python: `ValueError`).
    BM_INVALID_ARGUMENT = 9,
    /// A bug in the library: a caught Rust panic (Python: `InternalError`).
    BM_INTERNAL = 10,
}

impl bm_status {
    /// The status for a core error kind: the same number.
    pub const fn from_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::NotFound => Self::BM_NOT_FOUND,
            ErrorKind::IsADirectory => Self::BM_IS_A_DIRECTORY,
            ErrorKind::PermissionDenied => Self::BM_PERMISSION_DENIED,
            ErrorKind::Io => Self::BM_IO,
            ErrorKind::UnsupportedFormat => Self::BM_UNSUPPORTED_FORMAT,
            ErrorKind::Corrupt => Self::BM_CORRUPT,
            ErrorKind::PasswordRequired => Self::BM_PASSWORD_REQUIRED,
            ErrorKind::LimitExceeded => Self::BM_LIMIT_EXCEEDED,
            ErrorKind::InvalidArgument => Self::BM_INVALID_ARGUMENT,
            ErrorKind::Internal => Self::BM_INTERNAL,
        }
    }

    /// A fixed, human-readable name of the status (not the call's message).
    const fn describe(self) -> &'static str {
        match self {
            Self::BM_OK => "ok",
            Self::BM_NOT_FOUND => "no such file or directory",
            Self::BM_IS_A_DIRECTORY => "is a directory",
            Self::BM_PERMISSION_DENIED => "permission denied",
            Self::BM_IO => "I/O error",
            Self::BM_UNSUPPORTED_FORMAT => "unsupported format",
            Self::BM_CORRUPT => "corrupt document",
            Self::BM_PASSWORD_REQUIRED => "password required",
            Self::BM_LIMIT_EXCEEDED => "limit exceeded",
            Self::BM_INVALID_ARGUMENT => "invalid argument",
            Self::BM_INTERNAL => "internal error",
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records `err` as this thread's last error and returns its status.
pub(crate) fn fail(err: ExtractionError) -> bm_status {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = err.message);
    bm_status::from_kind(err.kind)
}

/// The panic boundary of every status-returning export: runs `work` under the core's
/// `catch_panic`, writes `*out` only on success, records the message on failure.
pub(crate) fn run<T>(
    out: *mut T,
    work: impl FnOnce() -> bridgemark_core::Result<T> + UnwindSafe,
) -> bm_status {
    if out.is_null() {
        return fail(ExtractionError::invalid_argument("out-parameter is NULL"));
    }
    match catch_panic(work) {
        Ok(value) => {
            // SAFETY: `out` is non-NULL and, by the documented contract, writable.
            unsafe { out.write(value) };
            bm_status::BM_OK
        }
        Err(err) => fail(err),
    }
}

/// The panic boundary of the status-returning exports without an out-parameter.
pub(crate) fn run_status(
    work: impl FnOnce() -> bridgemark_core::Result<()> + UnwindSafe,
) -> bm_status {
    match catch_panic(work) {
        Ok(()) => bm_status::BM_OK,
        Err(err) => fail(err),
    }
}

/// The panic boundary of the exports that cannot fail: a panic is recorded as the
/// last error and `T::default()` is returned instead of unwinding into C.
pub(crate) fn run_infallible<T: Default>(work: impl FnOnce() -> T + UnwindSafe) -> T {
    catch_panic(|| Ok(work())).unwrap_or_else(|err| {
        fail(err);
        T::default()
    })
}

/// Message of the last failed `bm_` call on the calling thread (UTF-8, not
/// NUL-terminated; `len == 0` when no call has failed yet).
///
/// Borrowed from the library: valid until the next `bm_` call on the same thread;
/// copy it before calling again. Never NULL, never freed by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn bm_last_error() -> bm_str {
    LAST_ERROR.with(|slot| bm_str::borrowed(slot.borrow().as_str()))
}

/// A fixed description of `status` ("ok", "corrupt document", …): static storage,
/// never freed. An unknown code gives "unknown status".
#[unsafe(no_mangle)]
pub extern "C" fn bm_status_describe(status: u32) -> bm_str {
    let text = ErrorKind::ALL
        .iter()
        .map(|&k| bm_status::from_kind(k))
        .chain([bm_status::BM_OK])
        .find(|s| *s as u32 == status)
        .map_or("unknown status", bm_status::describe);
    bm_str::borrowed(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_equal_core_codes() {
        for kind in ErrorKind::ALL {
            assert_eq!(bm_status::from_kind(kind) as u32, kind.code(), "{kind:?}");
        }
        assert_eq!(bm_status::BM_OK as u32, 0);
    }

    #[test]
    fn describe_covers_every_code_and_unknown() {
        assert_eq!(bm_status_describe(0).as_str(), Some("ok"));
        assert_eq!(bm_status_describe(6).as_str(), Some("corrupt document"));
        assert_eq!(bm_status_describe(10).as_str(), Some("internal error"));
        assert_eq!(bm_status_describe(11).as_str(), Some("unknown status"));
    }

    #[test]
    fn panic_becomes_internal_status_and_out_is_untouched() {
        let mut out = 7_i32;
        let status = run(&mut out, || -> bridgemark_core::Result<i32> {
            panic!("deliberate")
        });
        assert_eq!(status, bm_status::BM_INTERNAL);
        assert_eq!(out, 7);
        assert!(bm_last_error().as_str().unwrap().contains("deliberate"));
    }

    #[test]
    fn status_only_calls_report_ok_errors_and_panics() {
        assert_eq!(run_status(|| Ok(())), bm_status::BM_OK);
        let status = run_status(|| Err(ExtractionError::limit("too deep")));
        assert_eq!(status, bm_status::BM_LIMIT_EXCEEDED);
        assert_eq!(bm_last_error().as_str(), Some("too deep"));
        assert_eq!(run_status(|| panic!("kaboom")), bm_status::BM_INTERNAL);
        assert_eq!(
            bm_last_error().as_str(),
            Some("internal error (Rust panic): kaboom")
        );
    }

    #[test]
    fn infallible_panic_returns_default() {
        assert_eq!(run_infallible(|| -> i64 { panic!("boom") }), 0);
        assert!(bm_last_error().as_str().unwrap().contains("boom"));
    }

    #[test]
    fn null_out_is_invalid_argument() {
        let status = run(std::ptr::null_mut::<i32>(), || Ok(1));
        assert_eq!(status, bm_status::BM_INVALID_ARGUMENT);
        assert_eq!(bm_last_error().as_str(), Some("out-parameter is NULL"));
    }
}
