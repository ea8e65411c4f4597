//! bridgemark-core: the one piece of Rust work every bridge hands to Python.
//!
//! The core knows no bridge. Entry points: [`extract_file`] and [`extract_bytes`]
//! return an [`ExtractionResult`] or an [`ExtractionError`] (kind + message);
//! [`probe`] holds the calls that isolate a bridge's own cost; [`timing`] the timed
//! loops of the direct-Rust baseline; [`clock`] the core's own time inside a caller's loop.

pub mod clock;
pub mod detect;
pub mod docx;
pub mod error;
pub mod file;
pub mod limits;
pub mod metadata;
mod package;
pub mod pdf;
pub mod probe;
pub mod result;
pub mod timing;
mod xml;
mod zipdir;

use std::path::Path;

pub use error::{ErrorKind, ExtractionError, Result, catch_panic};
pub use limits::Config;
pub use result::{ExtractionResult, Metadata, Table};

use detect::Container;

/// Reads the file at `path` and extracts it (format detected from its bytes).
///
/// Errors: `NotFound`, `IsADirectory`, `PermissionDenied`, `Io` for the read,
/// `UnsupportedFormat` for a file that is not regular (FIFO, device, socket), `LimitExceeded`
/// above [`file::MAX_FILE_BYTES`] ([`file::read`]); then as [`extract_bytes`].
///
/// Timed by the [`clock`] while it is on.
pub fn extract_file(path: &Path, config: &Config) -> Result<ExtractionResult> {
    clock::timed(|| {
        let bytes = file::read(path)?;
        extract_bytes(&bytes, None, config)
    })
}

/// Extracts the document in `bytes`.
///
/// `mime`, when given, names the format instead of detection (a type we do not
/// read is `UnsupportedFormat`); otherwise the format is detected from the bytes.
/// Errors: `UnsupportedFormat`, `Corrupt`, `PasswordRequired`, `LimitExceeded`.
pub fn extract_bytes(
    bytes: &[u8],
    mime: Option<&str>,
    config: &Config,
) -> Result<ExtractionResult> {
    let container = match mime {
        None => detect::sniff(bytes),
        Some(detect::DOCX) => Container::Zip,
        Some(detect::PDF) => Container::Pdf,
        Some(other) => {
            return Err(ExtractionError::unsupported(format!(
                "unsupported MIME type: {other}"
            )));
        }
    };
    match container {
        Container::Zip => docx::extract(bytes, config),
        Container::Pdf => pdf::extract(bytes, config),
        Container::Cfb if detect::memfind(bytes, ENCRYPTED_PACKAGE_UTF16).is_some() => {
            Err(ExtractionError::password(
                "encrypted OOXML document (CFB EncryptedPackage): a password is required",
            ))
        }
        Container::Cfb => Err(ExtractionError::unsupported(
            "OLE2/CFB container (legacy binary Office format) is not supported",
        )),
        Container::Unknown if bytes.is_empty() => {
            Err(ExtractionError::unsupported("empty input (0 bytes)"))
        }
        Container::Unknown => Err(ExtractionError::unsupported(
            "unrecognised format: neither a ZIP (OOXML) nor a PDF document",
        )),
    }
}

/// `EncryptedPackage` as a UTF-16LE CFB directory entry name.
const ENCRYPTED_PACKAGE_UTF16: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_not_found() {
        let err = extract_file(Path::new("/nonexistent/x.docx"), &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }

    #[test]
    fn directory_is_a_directory_error() {
        let err = extract_file(Path::new("/"), &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, ErrorKind::IsADirectory);
    }

    #[test]
    fn text_and_empty_input_are_unsupported() {
        for input in [&b""[..], b"just text"] {
            let err = extract_bytes(input, None, &Config::DEFAULT).unwrap_err();
            assert_eq!(err.kind, ErrorKind::UnsupportedFormat);
        }
    }

    #[test]
    fn truncated_zip_is_corrupt() {
        let err = extract_bytes(b"PK\x03\x04garbage", None, &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Corrupt);
    }
}
