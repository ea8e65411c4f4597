//! cxx bridge: `bridgemark-core` as plain data and functions C++ can call.
//!
//! Thin glue only: every function below calls the core function of the same name
//! (with [`Config::DEFAULT`], under [`catch_panic`] where it can fail) and converts its
//! result to the shared structs. The C++ API
//! over it is `include/bridgemark.hpp` (implemented in `src/bridgemark.cc`, compiled
//! into this crate's staticlib by `build.rs`); the pybind11 module wraps that API.
//!
//! Errors: cxx turns an `Err` into a C++ `rust::Error` whose only payload is the
//! error's `Display` text. [`CodedError`] writes that text as `"<code>:<message>"`:
//! `<code>` is the core's [`ErrorKind`] number (1..=10, decimal) and `<message>` the
//! core's message with `\` written `\\` and NUL written `\0` (a C string cannot hold a
//! NUL, and a path may contain one). `bridgemark.cc` decodes it into a
//! `bridgemark::Error` with the same code and exactly the core's message.

use std::fmt;
use std::path::Path;

use bridgemark_core::{Config, ExtractionError, catch_panic, probe};

#[cxx::bridge(namespace = "bridgemark::ffi")]
mod ffi {
    // ---- Shared structs: the core's result as plain data (moved, never copied, into C++). ----

    /// One table row: the texts of its cells.
    #[derive(Debug)]
    struct Row {
        cells: Vec<String>,
    }

    /// One table: its rows in order (rows may differ in length).
    #[derive(Debug)]
    struct Table {
        rows: Vec<Row>,
    }

    /// Document metadata. Absence: a string is present only when its `has_*` flag is
    /// true (the core's `Option<String>`); `authors` empty = absent; `page_count` -1 = absent
    /// (otherwise 0..=u32::MAX). Dates are ISO-8601 as stored in the document.
    #[derive(Debug)]
    struct Metadata {
        title: String,
        has_title: bool,
        authors: Vec<String>,
        created: String,
        has_created: bool,
        modified: String,
        has_modified: bool,
        page_count: i64,
    }

    /// Text, detected MIME type, metadata and tables of one document (`bridgemark.ExtractionResult`).
    #[derive(Debug)]
    struct ExtractionResult {
        /// The text a reader sees: blocks separated by `\n`, table cells by `\t` (UTF-8).
        content: String,
        mime_type: String,
        metadata: Metadata,
        /// Every table in document order.
        tables: Vec<Table>,
    }

    // ---- Rust functions exposed to C++ (namespace bridgemark::ffi). ----
    // `Result` ones throw `rust::Error` carrying "<code>:<escaped message>" (see the crate doc);
    // each runs under `catch_panic`, so a Rust panic is an `Internal` error (code 10), never an abort.

    extern "Rust" {
        /// Reads and extracts the file at `path` (raw OS path bytes, not necessarily UTF-8).
        fn extract_file(path: &[u8]) -> Result<ExtractionResult>;
        /// Extracts the document in `data`; the format is detected from the bytes unless
        /// `has_mime`, in which case `mime` names it (an empty `mime` is then an error, as in the core).
        fn extract_bytes(data: &[u8], mime: &str, has_mime: bool) -> Result<ExtractionResult>;
        /// Probe: does nothing.
        fn noop();
        /// Probe: `a + b`, wrapping on overflow.
        fn add(a: i64, b: i64) -> i64;
        /// Probe: an owned copy of `s`.
        fn echo(s: &str) -> String;
        /// Probe: a result of `n_chars` ASCII characters and `n_tables` 3 × 3 tables, no extraction.
        /// Fails (Internal) only on a size overflow.
        fn make_result(n_chars: usize, n_tables: usize) -> Result<ExtractionResult>;
        /// Probe: busy-waits `ns` nanoseconds.
        fn spin(ns: u64);
        /// Probe: leaks `n_bytes` bytes on purpose. Fails (Internal) only on a size overflow.
        fn leak(n_bytes: usize) -> Result<()>;
    }

    // ---- C++ items used from Rust: none (the C++ API calls Rust, never the reverse). ----
}

/// A core error on its way through cxx's `Result`: displays as `"<code>:<escaped message>"`.
#[derive(Debug)]
pub struct CodedError(pub ExtractionError);

impl fmt::Display for CodedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.0.kind.code())?;
        for part in self.0.message.split_inclusive(['\\', '\0']) {
            match part.as_bytes().last() {
                Some(b'\\') => write!(f, "{}\\\\", &part[..part.len() - 1])?,
                Some(b'\0') => write!(f, "{}\\0", &part[..part.len() - 1])?,
                _ => f.write_str(part)?,
            }
        }
        Ok(())
    }
}

impl From<ExtractionError> for CodedError {
    fn from(err: ExtractionError) -> Self {
        Self(err)
    }
}

/// Result of a fallible bridge function.
type BridgeResult<T> = Result<T, CodedError>;

/// Moves a core result into the shared struct (strings are moved, not copied).
fn to_ffi(r: bridgemark_core::ExtractionResult) -> ffi::ExtractionResult {
    let m = r.metadata;
    let (title, has_title) = present(m.title);
    let (created, has_created) = present(m.created);
    let (modified, has_modified) = present(m.modified);
    ffi::ExtractionResult {
        content: r.content,
        mime_type: r.mime_type,
        metadata: ffi::Metadata {
            title,
            has_title,
            authors: m.authors,
            created,
            has_created,
            modified,
            has_modified,
            page_count: m.page_count.map_or(-1, i64::from),
        },
        tables: r
            .tables
            .into_iter()
            .map(|t| ffi::Table {
                rows: t.into_iter().map(|cells| ffi::Row { cells }).collect(),
            })
            .collect(),
    }
}

/// `Option<String>` as (value, present).
fn present(value: Option<String>) -> (String, bool) {
    match value {
        Some(v) => (v, true),
        None => (String::new(), false),
    }
}

fn extract_file(path: &[u8]) -> BridgeResult<ffi::ExtractionResult> {
    let path = os_path(path)?;
    Ok(catch_panic(|| {
        bridgemark_core::extract_file(path, &Config::DEFAULT).map(to_ffi)
    })?)
}

/// Raw OS path bytes as a `Path`: any bytes on Unix; elsewhere they must be UTF-8.
fn os_path(bytes: &[u8]) -> Result<&Path, ExtractionError> {
    #[cfg(unix)]
    {
        Ok(Path::new(
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes),
        ))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes)
            .map(Path::new)
            .map_err(|_| ExtractionError::invalid_argument("path is not valid UTF-8"))
    }
}

fn extract_bytes(data: &[u8], mime: &str, has_mime: bool) -> BridgeResult<ffi::ExtractionResult> {
    let mime = has_mime.then_some(mime);
    Ok(catch_panic(|| {
        bridgemark_core::extract_bytes(data, mime, &Config::DEFAULT).map(to_ffi)
    })?)
}

fn noop() {
    probe::noop()
}

fn add(a: i64, b: i64) -> i64 {
    probe::add(a, b)
}

fn echo(s: &str) -> String {
    probe::echo(s)
}

fn make_result(n_chars: usize, n_tables: usize) -> BridgeResult<ffi::ExtractionResult> {
    Ok(catch_panic(|| {
        Ok(to_ffi(probe::make_result(n_chars, n_tables)))
    })?)
}

fn spin(ns: u64) {
    probe::spin(ns)
}

fn leak(n_bytes: usize) -> BridgeResult<()> {
    Ok(catch_panic(|| {
        probe::leak(n_bytes);
        Ok(())
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bridgemark_core::{ErrorKind, Metadata};

    fn coded(kind: ErrorKind, message: &str) -> String {
        CodedError(ExtractionError::new(kind, message)).to_string()
    }

    #[test]
    fn error_text_is_code_colon_message() {
        assert_eq!(
            coded(ErrorKind::NotFound, "no such file or directory: /x"),
            "1:no such file or directory: /x"
        );
        assert_eq!(coded(ErrorKind::Internal, ""), "10:");
        assert_eq!(coded(ErrorKind::Corrupt, "a: b: c"), "6:a: b: c");
    }

    #[test]
    fn error_text_escapes_backslash_and_nul_only() {
        assert_eq!(
            coded(ErrorKind::InvalidArgument, "bad: a\0b"),
            "9:bad: a\\0b"
        );
        assert_eq!(coded(ErrorKind::Io, r"C:\dir\0"), r"4:C:\\dir\\0");
        assert_eq!(coded(ErrorKind::Io, "\0\\\0"), "4:\\0\\\\\\0");
        assert_eq!(coded(ErrorKind::Io, "héllo ✓"), "4:héllo ✓");
    }

    #[test]
    fn every_kind_keeps_its_number() {
        for kind in ErrorKind::ALL {
            let text = coded(kind, "m");
            assert_eq!(text, format!("{}:m", kind.code()));
        }
    }

    #[test]
    fn missing_file_error_carries_not_found_code_and_core_message() {
        let err = extract_file(b"/nonexistent/x.docx").unwrap_err();
        assert_eq!(
            err.to_string(),
            "1:no such file or directory: /nonexistent/x.docx"
        );
    }

    #[test]
    fn path_bytes_need_not_be_utf8() {
        let err = extract_file(b"/nonexistent/\xff.docx").unwrap_err();
        assert_eq!(err.0.kind, ErrorKind::NotFound);
        assert_eq!(
            err.0.message,
            "no such file or directory: /nonexistent/\u{fffd}.docx"
        );
    }

    #[test]
    fn detect_and_explicit_empty_mime_differ() {
        let detected = extract_bytes(b"garbage", "", false).unwrap_err().0;
        assert_eq!(
            detected,
            bridgemark_core::extract_bytes(b"garbage", None, &Config::DEFAULT).unwrap_err()
        );
        let named = extract_bytes(b"garbage", "", true).unwrap_err().0;
        assert_eq!(
            named,
            ExtractionError::unsupported("unsupported MIME type: ")
        );
    }

    #[test]
    fn result_fields_move_across_unchanged() {
        let r = make_result(100, 2).unwrap();
        let core = probe::make_result(100, 2);
        assert_eq!(r.content, core.content);
        assert_eq!(r.mime_type, "text/plain");
        let m = &r.metadata;
        assert_eq!((m.title.as_str(), m.has_title), ("probe", true));
        assert_eq!(m.authors, vec!["bridgemark".to_owned()]);
        assert_eq!(
            (m.created.as_str(), m.has_created),
            ("2026-01-01T00:00:00Z", true)
        );
        assert_eq!(
            (m.modified.as_str(), m.has_modified),
            ("2026-01-02T00:00:00Z", true)
        );
        assert_eq!(m.page_count, 1);
        let tables: Vec<Vec<Vec<String>>> = r
            .tables
            .iter()
            .map(|t| t.rows.iter().map(|row| row.cells.clone()).collect())
            .collect();
        assert_eq!(tables, core.tables);
    }

    #[test]
    fn absent_metadata_is_flagged_and_empty_value_stays_present() {
        let core = bridgemark_core::ExtractionResult {
            metadata: Metadata {
                title: Some(String::new()),
                ..Metadata::default()
            },
            ..Default::default()
        };
        let m = to_ffi(core).metadata;
        assert_eq!((m.title.as_str(), m.has_title), ("", true));
        assert!(!m.has_created && !m.has_modified && m.authors.is_empty());
        assert_eq!(m.page_count, -1);
    }

    #[test]
    fn page_count_keeps_full_u32_range() {
        let core = bridgemark_core::ExtractionResult {
            metadata: Metadata {
                page_count: Some(u32::MAX),
                ..Metadata::default()
            },
            ..Default::default()
        };
        assert_eq!(to_ffi(core).metadata.page_count, i64::from(u32::MAX));
    }

    #[test]
    fn ragged_and_empty_tables_keep_their_shape() {
        let table = vec![
            vec!["a".to_owned()],
            vec![],
            vec!["b".to_owned(), "c".to_owned()],
        ];
        let core = bridgemark_core::ExtractionResult {
            tables: vec![table.clone(), vec![]],
            ..Default::default()
        };
        let tables = to_ffi(core).tables;
        assert_eq!(tables.len(), 2);
        assert_eq!(
            tables[0]
                .rows
                .iter()
                .map(|r| r.cells.clone())
                .collect::<Vec<_>>(),
            table
        );
        assert!(tables[1].rows.is_empty());
    }

    #[test]
    fn probes_match_the_core() {
        noop();
        assert_eq!(add(i64::MAX, 1), i64::MIN);
        assert_eq!(echo("héllo ✓"), "héllo ✓");
        spin(1_000);
        leak(16).unwrap();
    }
}
