//! PyO3 bridge: the Python module `bridgemark_pyo3`, a thin layer over `bridgemark-core`.
//!
//! Builds `bridgemark.ExtractionResult` in native code and raises the classes of
//! `bridgemark.errors` (through `error_from_code`, in [`to_pyerr`] only). The GIL is
//! released (`Python::detach`) while the core extracts and while `spin` spins.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use bridgemark_core::{Config, ExtractionError, ExtractionResult, catch_panic, probe};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList};

static RESULT_CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static ERROR_FROM_CODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The one place where a core error becomes a Python exception.
fn to_pyerr(py: Python<'_>, err: ExtractionError) -> PyErr {
    match ERROR_FROM_CODE
        .import(py, "bridgemark.errors", "error_from_code")
        .and_then(|f| f.call1((err.kind.code(), err.message)))
    {
        Ok(exc) => PyErr::from_value(exc),
        Err(import_failed) => import_failed,
    }
}

/// Converts a core result into `bridgemark.ExtractionResult` (dict and lists built here;
/// the metadata keys are interned once per interpreter, PyO3's idiom for repeated keys).
fn to_python(py: Python<'_>, r: ExtractionResult) -> PyResult<Py<PyAny>> {
    let meta = PyDict::new(py);
    let m = r.metadata;
    if let Some(v) = m.title {
        meta.set_item(intern!(py, "title"), v)?;
    }
    if !m.authors.is_empty() {
        meta.set_item(intern!(py, "authors"), m.authors)?;
    }
    if let Some(v) = m.created {
        meta.set_item(intern!(py, "created"), v)?;
    }
    if let Some(v) = m.modified {
        meta.set_item(intern!(py, "modified"), v)?;
    }
    if let Some(v) = m.page_count {
        meta.set_item(intern!(py, "page_count"), v)?;
    }
    if let Some(v) = m.word_count {
        meta.set_item(intern!(py, "word_count"), v)?;
    }
    if !m.comments.is_empty() {
        meta.set_item(intern!(py, "comments"), m.comments)?;
    }
    let tables = PyList::new(py, r.tables)?;
    let class = RESULT_CLASS.import(py, "bridgemark.result", "ExtractionResult")?;
    Ok(class
        .call1((r.content, r.mime_type, meta, tables))?
        .unbind())
}

/// Runs core work with the GIL released and converts its outcome.
fn run_detached(
    py: Python<'_>,
    work: impl FnOnce() -> bridgemark_core::Result<ExtractionResult> + Send + std::panic::UnwindSafe,
) -> PyResult<Py<PyAny>> {
    match py.detach(|| catch_panic(work)) {
        Ok(r) => to_python(py, r),
        Err(e) => Err(to_pyerr(py, e)),
    }
}

/// The core config from a password and a `bridgemark.Config` (or `None`: the defaults).
fn to_config(password: Option<String>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Config> {
    let mut config = Config {
        password,
        ..Config::DEFAULT
    };
    if let Some(l) = limits {
        config.max_decompressed_bytes = l.getattr("max_decompressed_bytes")?.extract()?;
        config.max_zip_entries = l.getattr("max_zip_entries")?.extract()?;
        config.max_xml_depth = l.getattr("max_xml_depth")?.extract()?;
        config.max_pages = l.getattr("max_pages")?.extract()?;
    }
    Ok(config)
}

/// `str | bytes | os.PathLike` → the path, as `os.fsencode` reads it: a str in the
/// filesystem encoding (surrogateescape), bytes unchanged (PyO3's `PathBuf` refuses
/// bytes). `TypeError` (`PyOS_FSPath`'s) for anything else; a NUL byte is left to the
/// core, which reports it as on every bridge.
fn os_path(path: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    // SAFETY: `PyOS_FSPath` borrows a valid object and returns a new reference or NULL
    // with an exception set; the thread is attached.
    let fspath =
        unsafe { Bound::from_owned_ptr_or_err(path.py(), pyo3::ffi::PyOS_FSPath(path.as_ptr())) }?;
    match fspath.cast::<PyBytes>() {
        Ok(raw) => Ok(PathBuf::from(OsStr::from_bytes(raw.as_bytes()))),
        Err(_) => fspath.extract(), // a str: PyUnicode_EncodeFSDefault
    }
}

/// extract_file(path: str | bytes | os.PathLike, password: str | None = None, config: Config | None = None) -> ExtractionResult
///
/// Reads and extracts the document at `path`. Raises the `bridgemark.errors` classes
/// (`FileNotFoundError`, `UnsupportedFormatError`, `CorruptDocumentError`,
/// `PasswordRequiredError`, `LimitExceededError`, …).
#[pyfunction]
#[pyo3(signature = (path, password=None, config=None))]
fn extract_file(
    py: Python<'_>,
    path: &Bound<'_, PyAny>,
    password: Option<String>,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let path = os_path(path)?;
    let config = to_config(password, config)?;
    run_detached(py, move || bridgemark_core::extract_file(&path, &config))
}

/// extract_bytes(data: bytes, mime_type: str | None = None, password: str | None = None, config: Config | None = None) -> ExtractionResult
///
/// Extracts the document in `data` (format detected from the bytes unless `mime_type` names it).
#[pyfunction]
#[pyo3(signature = (data, mime_type=None, password=None, config=None))]
fn extract_bytes(
    py: Python<'_>,
    data: &[u8],
    mime_type: Option<&str>,
    password: Option<String>,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let config = to_config(password, config)?;
    run_detached(py, move || {
        bridgemark_core::extract_bytes(data, mime_type, &config)
    })
}

/// noop() -> None: the bare call.
#[pyfunction]
fn noop() {
    probe::noop()
}

/// add(a: int, b: int) -> int: i64 addition, wrapping.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    probe::add(a, b)
}

/// echo(s: str) -> str: a copy of `s` made in Rust.
#[pyfunction]
fn echo(s: &str) -> String {
    probe::echo(s)
}

/// make_result(n_chars: int, n_tables: int) -> ExtractionResult: conversion without extraction.
#[pyfunction]
fn make_result(py: Python<'_>, n_chars: usize, n_tables: usize) -> PyResult<Py<PyAny>> {
    match catch_panic(|| Ok(probe::make_result(n_chars, n_tables))) {
        Ok(r) => to_python(py, r),
        Err(e) => Err(to_pyerr(py, e)),
    }
}

/// spin(ns: int) -> None: busy-waits `ns` nanoseconds with the GIL released.
#[pyfunction]
fn spin(py: Python<'_>, ns: u64) {
    py.detach(|| probe::spin(ns))
}

/// core_clock_ns(on: bool) -> int: ns this module's core spent in `extract_file` calls
/// started while its clock was on, since the previous call; resets the sum and turns the clock
/// on or off (`bridgemark_core::clock`, off at import).
#[pyfunction]
fn core_clock_ns(on: bool) -> u64 {
    bridgemark_core::clock::take(on)
}

/// leak(n_bytes: int) -> None: leaks `n_bytes` bytes on purpose (leak-detector control);
/// `InternalError` when they cannot be allocated.
#[pyfunction]
fn leak(py: Python<'_>, n_bytes: usize) -> PyResult<()> {
    catch_panic(|| {
        probe::leak(n_bytes);
        Ok(())
    })
    .map_err(|e| to_pyerr(py, e))
}

/// panic(message: str) -> None: test-only; the core panics, Python sees `InternalError`.
#[pyfunction]
fn panic(py: Python<'_>, message: &str) -> PyResult<()> {
    catch_panic(|| probe::panic(message)).map_err(|e| to_pyerr(py, e))
}

#[pymodule]
fn bridgemark_pyo3(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract_file, m)?)?;
    m.add_function(wrap_pyfunction!(extract_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(noop, m)?)?;
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(echo, m)?)?;
    m.add_function(wrap_pyfunction!(make_result, m)?)?;
    m.add_function(wrap_pyfunction!(spin, m)?)?;
    m.add_function(wrap_pyfunction!(core_clock_ns, m)?)?;
    m.add_function(wrap_pyfunction!(leak, m)?)?;
    m.add_function(wrap_pyfunction!(panic, m)?)?;
    Ok(())
}
