//! The one error type of the core, and its stable numeric codes.
//!
//! Every binding converts [`ExtractionError`] to its bridge's error in exactly one
//! place, keyed by [`ErrorKind`]: the numbers are part of the C ABI (`bm_status`)
//! and of `bridgemark.errors` on the Python side, so they never change meaning.

use std::fmt;
use std::io;

/// Stable error codes shared by every bridge (`0` is success on the C ABI).
///
/// Python class for each kind (see `harness/bridgemark/errors.py`):
/// `NotFound` → `FileNotFoundError`, `IsADirectory` → `IsADirectoryError`,
/// `PermissionDenied` → `PermissionError`, `Io` → `OSError`,
/// `UnsupportedFormat` → `UnsupportedFormatError`, `Corrupt` → `CorruptDocumentError`,
/// `PasswordRequired` → `PasswordRequiredError`, `LimitExceeded` → `LimitExceededError`,
/// `InvalidArgument` → `ValueError`, `Internal` → `InternalError` (a caught panic).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NotFound = 1,
    IsADirectory = 2,
    PermissionDenied = 3,
    Io = 4,
    UnsupportedFormat = 5,
    Corrupt = 6,
    PasswordRequired = 7,
    LimitExceeded = 8,
    InvalidArgument = 9,
    Internal = 10,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::NotFound,
        ErrorKind::IsADirectory,
        ErrorKind::PermissionDenied,
        ErrorKind::Io,
        ErrorKind::UnsupportedFormat,
        ErrorKind::Corrupt,
        ErrorKind::PasswordRequired,
        ErrorKind::LimitExceeded,
        ErrorKind::InvalidArgument,
        ErrorKind::Internal,
    ];

    /// The stable numeric code (`1..=10`).
    pub const fn code(self) -> u32 {
        self as u32
    }
}

/// A failed extraction: a kind (what the caller may branch on) and a message
/// naming the problem (what a person reads). Same kind and message on every bridge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractionError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ExtractionError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::UnsupportedFormat, message)
    }
    pub fn corrupt(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Corrupt, message)
    }
    pub fn limit(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::LimitExceeded, message)
    }
    pub fn password(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::PasswordRequired, message)
    }
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// An I/O error on `path`, classified the way Python classifies `OSError`s.
    ///
    /// An OS error of no kind of its own is `Io` with the message `[Errno N] strerror: path`,
    /// Python's own form, from which `bridgemark.errors.error_from_code` builds
    /// `OSError(N, …)`: Python then picks the subclass (`NotADirectoryError` for ENOTDIR, …).
    /// `InvalidInput` without an OS error (a NUL byte in the path) is `InvalidArgument`.
    pub fn io(err: &io::Error, path: &str) -> Self {
        let kind = match err.kind() {
            io::ErrorKind::NotFound => ErrorKind::NotFound,
            io::ErrorKind::IsADirectory => ErrorKind::IsADirectory,
            io::ErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
            io::ErrorKind::InvalidInput if err.raw_os_error().is_none() => {
                ErrorKind::InvalidArgument
            }
            _ => ErrorKind::Io,
        };
        let reason = match (kind, err.raw_os_error()) {
            (ErrorKind::NotFound, _) => "no such file or directory".to_owned(),
            (ErrorKind::IsADirectory, _) => "is a directory".to_owned(),
            (ErrorKind::PermissionDenied, _) => "permission denied".to_owned(),
            (ErrorKind::Io, Some(errno)) => {
                let text = err.to_string();
                let suffix = format!(" (os error {errno})");
                format!(
                    "[Errno {errno}] {}",
                    text.strip_suffix(&suffix).unwrap_or(&text)
                )
            }
            _ => err.to_string(),
        };
        Self::new(kind, format!("{reason}: {path}"))
    }

    /// Turns a caught panic payload into an [`ErrorKind::Internal`] error.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_owned());
        Self::internal(format!("internal error (Rust panic): {what}"))
    }
}

impl fmt::Display for ExtractionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExtractionError {}

/// Result alias of the core.
pub type Result<T> = std::result::Result<T, ExtractionError>;

/// Runs `f`, turning a panic into an [`ErrorKind::Internal`] error: every binding
/// calls the core through this, so no panic ever unwinds into a foreign frame.
pub fn catch_panic<T>(f: impl FnOnce() -> Result<T> + std::panic::UnwindSafe) -> Result<T> {
    std::panic::catch_unwind(f)
        .unwrap_or_else(|payload| Err(ExtractionError::from_panic(payload.as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_os_error_of_no_kind_of_its_own_carries_its_errno_in_pythons_form() {
        let e = ExtractionError::io(
            &io::Error::from_raw_os_error(libc::ENOTDIR),
            "/etc/passwd/x.docx",
        );
        assert_eq!(e.kind, ErrorKind::Io);
        assert_eq!(e.message, "[Errno 20] Not a directory: /etc/passwd/x.docx");
        let einval = ExtractionError::io(&io::Error::from_raw_os_error(libc::EINVAL), "p");
        assert_eq!(einval.kind, ErrorKind::Io); // the OS said EINVAL: an OSError, as Python's read()
        let nul = ExtractionError::io(&io::Error::from(io::ErrorKind::InvalidInput), "p");
        assert_eq!(nul.kind, ErrorKind::InvalidArgument); // std's own check (a NUL byte): ValueError
    }

    #[test]
    fn codes_are_stable_and_dense() {
        let codes: Vec<u32> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes, (1..=10).collect::<Vec<_>>());
    }

    #[test]
    fn io_errors_are_classified_like_python_oserrors() {
        let nf = io::Error::from(io::ErrorKind::NotFound);
        let e = ExtractionError::io(&nf, "/x/y.docx");
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.message, "no such file or directory: /x/y.docx");
    }

    #[test]
    fn catch_panic_turns_a_panic_into_internal_error() {
        let r: Result<()> = catch_panic(|| panic!("deliberate"));
        assert_eq!(r.unwrap_err().kind, ErrorKind::Internal);
        assert_eq!(catch_panic(|| Ok(3)), Ok(3));
    }

    #[test]
    fn panic_payload_becomes_internal_error_with_message() {
        let payload: Box<dyn std::any::Any + Send> = Box::new("boom");
        let e = ExtractionError::from_panic(payload.as_ref());
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(e.message.contains("boom"));
    }
}
