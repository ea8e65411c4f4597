//! cxx bridge: `bridgemark-core` as plain data and functions C++ can call.
//!
//! Thin glue only: every function below calls the core function of the same name
//! (under [`catch_panic`] where it can fail) and converts its result to the shared
//! structs; the extraction settings arrive as a password and a shared [`ffi::Limits`]
//! and become the core's [`Config`] in [`to_config`]. The C++ API
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
    /// true (the core's `Option<String>`); `authors` and `comments` empty = absent;
    /// `page_count` and `word_count` -1 = absent (otherwise 0..=u32::MAX). Dates are
    /// ISO-8601 as stored in the document.
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
        word_count: i64,
        /// Text of each comment, in document order (kept out of `content`).
        comments: Vec<String>,
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

    /// The resource limits of the core's `Config` (its password travels beside them, as a
    /// `&str` and a presence flag). Defaults: `bridgemark::Config` in the C++ API.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Limits {
        /// Total bytes inflated from the ZIP parts read.
        max_decompressed_bytes: u64,
        /// Entries a ZIP container may declare.
        max_zip_entries: u64,
        /// Deepest XML element nesting.
        max_xml_depth: u32,
        /// Pages read from a paged document.
        max_pages: u32,
    }

    // ---- Rust functions exposed to C++ (namespace bridgemark::ffi). ----
    // `Result` ones throw `rust::Error` carrying "<code>:<escaped message>" (see the crate doc);
    // each runs under `catch_panic`, so a Rust panic is an `Internal` error (code 10), never an abort.

    extern "Rust" {
        /// Reads and extracts the file at `path` (raw OS path bytes, not necessarily UTF-8).
        /// `password` is used only when `has_password` (the core's `Option<String>`).
        fn extract_file(
            path: &[u8],
            password: &str,
            has_password: bool,
            limits: &Limits,
        ) -> Result<ExtractionResult>;
        /// Extracts the document in `data`; the format is detected from the bytes unless
        /// `has_mime`, in which case `mime` names it (an empty `mime` is then an error, as in
        /// the core). Password and limits as in `extract_file`.
        fn extract_bytes(
            data: &[u8],
            mime: &str,
            has_mime: bool,
            password: &str,
            has_password: bool,
            limits: &Limits,
        ) -> Result<ExtractionResult>;
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
        /// This library's core clock (`bridgemark_core::clock::take`): ns of `extract_file`
        /// calls started while it was on, since the previous call; resets, turns it on or off.
        fn core_clock_ns(on: bool) -> u64;
        /// Probe: leaks `n_bytes` bytes on purpose. Fails (Internal) only on a size overflow.
        fn leak(n_bytes: usize) -> Result<()>;
        /// Probe (test-only): the core panics with `message`; always fails (Internal,
        /// "internal error (Rust panic): <message>").
        fn panic(message: &str) -> Result<()>;
    }

    // ---- C++ items used from Rust: only for the tests (the C++ API calls Rust, not the reverse). ----

    unsafe extern "C++" {
        include!("bridgemark.hpp");

        /// The limits of a default-constructed `bridgemark::Config`: the tests check them
        /// against the core's `Config::DEFAULT`.
        #[allow(dead_code)] // called by the tests only
        fn default_limits() -> Limits;
    }
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
    let count = |n: Option<u32>| n.map_or(-1, i64::from);
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
            page_count: count(m.page_count),
            word_count: count(m.word_count),
            comments: m.comments,
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

/// The core's `Config` from a password (when `has_password`) and the limits. The default
/// path (no password) allocates nothing.
fn to_config(password: &str, has_password: bool, limits: &ffi::Limits) -> Config {
    Config {
        password: has_password.then(|| password.to_owned()),
        max_decompressed_bytes: limits.max_decompressed_bytes,
        max_zip_entries: limits.max_zip_entries,
        max_xml_depth: limits.max_xml_depth,
        max_pages: limits.max_pages,
    }
}

fn extract_file(
    path: &[u8],
    password: &str,
    has_password: bool,
    limits: &ffi::Limits,
) -> BridgeResult<ffi::ExtractionResult> {
    let path = os_path(path)?;
    let config = to_config(password, has_password, limits);
    Ok(catch_panic(|| {
        bridgemark_core::extract_file(path, &config).map(to_ffi)
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

fn extract_bytes(
    data: &[u8],
    mime: &str,
    has_mime: bool,
    password: &str,
    has_password: bool,
    limits: &ffi::Limits,
) -> BridgeResult<ffi::ExtractionResult> {
    let mime = has_mime.then_some(mime);
    let config = to_config(password, has_password, limits);
    Ok(catch_panic(|| {
        bridgemark_core::extract_bytes(data, mime, &config).map(to_ffi)
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

fn core_clock_ns(on: bool) -> u64 {
    bridgemark_core::clock::take(on)
}

fn leak(n_bytes: usize) -> BridgeResult<()> {
    Ok(catch_panic(|| {
        probe::leak(n_bytes);
        Ok(())
    })?)
}

fn panic(message: &str) -> BridgeResult<()> {
    Ok(catch_panic(|| probe::panic(message))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bridgemark_core::{ErrorKind, Metadata};

    fn coded(kind: ErrorKind, message: &str) -> String {
        CodedError(ExtractionError::new(kind, message)).to_string()
    }

    /// The core's default limits as the shared struct.
    fn core_limits() -> ffi::Limits {
        let c = Config::DEFAULT;
        ffi::Limits {
            max_decompressed_bytes: c.max_decompressed_bytes,
            max_zip_entries: c.max_zip_entries,
            max_xml_depth: c.max_xml_depth,
            max_pages: c.max_pages,
        }
    }

    /// A minimal DOCX (stored ZIP): one paragraph "hello", nested 5 elements deep.
    fn tiny_docx() -> Vec<u8> {
        use std::io::Write;
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
            ),
            (
                "word/document.xml",
                r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>"#,
            ),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            zip.start_file(name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
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
        let err = extract_file(b"/nonexistent/x.docx", "", false, &core_limits()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "1:no such file or directory: /nonexistent/x.docx"
        );
    }

    #[test]
    fn path_bytes_need_not_be_utf8() {
        let err = extract_file(b"/nonexistent/\xff.docx", "", false, &core_limits()).unwrap_err();
        assert_eq!(err.0.kind, ErrorKind::NotFound);
        assert_eq!(
            err.0.message,
            "no such file or directory: /nonexistent/\u{fffd}.docx"
        );
    }

    #[test]
    fn detect_and_explicit_empty_mime_differ() {
        let limits = core_limits();
        let detected = extract_bytes(b"garbage", "", false, "", false, &limits)
            .unwrap_err()
            .0;
        assert_eq!(
            detected,
            bridgemark_core::extract_bytes(b"garbage", None, &Config::DEFAULT).unwrap_err()
        );
        let named = extract_bytes(b"garbage", "", true, "", false, &limits)
            .unwrap_err()
            .0;
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
        assert_eq!(m.word_count, i64::from(core.metadata.word_count.unwrap()));
        assert_eq!(m.comments, core.metadata.comments);
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
        assert!(!m.has_created && !m.has_modified && m.authors.is_empty() && m.comments.is_empty());
        assert_eq!((m.page_count, m.word_count), (-1, -1));
    }

    #[test]
    fn counts_keep_full_u32_range() {
        let core = bridgemark_core::ExtractionResult {
            metadata: Metadata {
                page_count: Some(u32::MAX),
                word_count: Some(0),
                ..Metadata::default()
            },
            ..Default::default()
        };
        let m = to_ffi(core).metadata;
        assert_eq!((m.page_count, m.word_count), (i64::from(u32::MAX), 0));
    }

    #[test]
    fn comments_move_across_in_order() {
        let comments = vec!["first".to_owned(), String::new(), "✓ third".to_owned()];
        let core = bridgemark_core::ExtractionResult {
            metadata: Metadata {
                comments: comments.clone(),
                ..Metadata::default()
            },
            ..Default::default()
        };
        assert_eq!(to_ffi(core).metadata.comments, comments);
    }

    #[test]
    fn cxx_config_defaults_are_the_cores() {
        assert_eq!(ffi::default_limits(), core_limits());
    }

    #[test]
    fn no_password_and_default_limits_make_the_default_config() {
        assert_eq!(to_config("ignored", false, &core_limits()), Config::DEFAULT);
    }

    #[test]
    fn password_and_limits_reach_the_config() {
        let limits = ffi::Limits {
            max_decompressed_bytes: u64::MAX,
            max_zip_entries: 0,
            max_xml_depth: u32::MAX,
            max_pages: 1,
        };
        let config = to_config("    ", true, &limits);
        assert_eq!(config.password.as_deref(), Some("    "));
        assert_eq!(
            (
                config.max_decompressed_bytes,
                config.max_zip_entries,
                config.max_xml_depth,
                config.max_pages
            ),
            (u64::MAX, 0, u32::MAX, 1)
        );
        assert_eq!(to_config("", true, &limits).password.as_deref(), Some(""));
    }

    #[test]
    fn limits_are_enforced_like_the_core() {
        let docx = tiny_docx();
        let ok = extract_bytes(&docx, "", false, "", false, &core_limits()).unwrap();
        assert_eq!(ok.content, "hello");
        let shallow = ffi::Limits {
            max_xml_depth: 3,
            ..core_limits()
        };
        let err = extract_bytes(&docx, "", false, "", false, &shallow)
            .unwrap_err()
            .0;
        assert_eq!(err.kind, ErrorKind::LimitExceeded);
        let core = Config {
            max_xml_depth: 3,
            ..Config::DEFAULT
        };
        assert_eq!(
            err,
            bridgemark_core::extract_bytes(&docx, None, &core).unwrap_err()
        );
    }

    #[test]
    fn limits_and_password_reach_the_file_path_too() {
        let path = std::env::temp_dir().join(format!("bridgemark-cxx-{}.docx", std::process::id()));
        std::fs::write(&path, tiny_docx()).unwrap();
        let raw = path.to_str().unwrap().as_bytes();
        let shallow = ffi::Limits {
            max_xml_depth: 3,
            ..core_limits()
        };
        let got = extract_file(raw, "pw", true, &shallow)
            .map(|r| r.content)
            .map_err(|e| e.0);
        let default = extract_file(raw, "", false, &core_limits())
            .map(|r| r.content)
            .map_err(|e| e.0);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got.unwrap_err().kind, ErrorKind::LimitExceeded);
        assert_eq!(default.unwrap(), "hello");
    }

    #[test]
    fn panic_probe_is_internal_error_with_the_cores_message() {
        let err = panic("x").unwrap_err().0;
        assert_eq!(
            err,
            ExtractionError::internal("internal error (Rust panic): x")
        );
        assert_eq!(
            panic("a\\b\0").unwrap_err().to_string(),
            "10:internal error (Rust panic): a\\\\b\\0"
        );
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
