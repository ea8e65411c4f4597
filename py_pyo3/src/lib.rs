//! PyO3 bridge: the Python module `bridgemark_pyo3`, a thin layer over `bridgemark-core`.
//!
//! Builds `bridgemark.ExtractionResult` in native code and raises the classes of
//! `bridgemark.errors` (through `error_from_code`, in [`to_pyerr`] only). The GIL is
//! released (`Python::detach`) while the core extracts and while `spin` spins.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use bridgemark_core::{Config, ExtractionError, ExtractionResult, catch_panic, probe};
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

static RESULT_CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static ERROR_FROM_CODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The one place where a core error becomes a Python exception.
fn to_pyerr(py: Python<'_>, err: ExtractionError) -> PyErr {
    match ERROR_FROM_CODE
        .import(py, "bridgemark.errors", "error_from_code")
        .and_then(|f| f.call1((err.kind.code(), py_str(py, &err.message)?)))
    {
        Ok(exc) => PyErr::from_value(exc),
        Err(failed) => failed,
    }
}

/// `s` as a Python `str`, or the `MemoryError` CPython set when it cannot be allocated.
///
/// The conversions below check every allocation. PyO3's own constructors (`PyString::new`,
/// `PyList::new`, `PyDict::new`) panic on a null object instead ("panics if out of memory"
/// is their design: PyO3 issue #1081), which reaches Python as `PanicException`, or aborts the
/// process when the panic cannot allocate either, where every other bridge raises
/// `MemoryError`. Same CPython calls as those constructors (`PyUnicode_FromStringAndSize`,
/// `PyList_New` + `PyList_SET_ITEM`, `PyDict_New`), so the cost is PyO3's.
fn py_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyString>> {
    PyString::from_bytes(py, s.as_bytes())
}

/// A `list` of `items`, each converted by `convert`; `MemoryError` as in [`py_str`].
fn py_list<'py, T>(
    py: Python<'py>,
    items: Vec<T>,
    mut convert: impl FnMut(T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let len = ffi::Py_ssize_t::try_from(items.len())?;
    // SAFETY: `PyList_New` returns a new reference, or NULL with an exception set.
    let list = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyList_New(len))?.cast_into_unchecked::<PyList>()
    };
    for (i, item) in (0..len).zip(items) {
        // SAFETY: slot `i` < `len` of a new list is empty; `PyList_SET_ITEM` steals the new
        // reference. Slots left empty by an error are NULL, which the list's dealloc skips.
        unsafe { ffi::PyList_SET_ITEM(list.as_ptr(), i, convert(item)?.into_ptr()) };
    }
    Ok(list)
}

/// A `list[str]`; `MemoryError` as in [`py_str`].
fn py_strings<'py>(py: Python<'py>, strings: Vec<String>) -> PyResult<Bound<'py, PyList>> {
    py_list(py, strings, |s| Ok(py_str(py, &s)?.into_any()))
}

/// Converts a core result into `bridgemark.ExtractionResult` (dict and lists built here;
/// the metadata keys are interned once per interpreter, PyO3's idiom for repeated keys);
/// `MemoryError` when Python cannot allocate it (see [`py_str`]).
fn to_python(py: Python<'_>, r: ExtractionResult) -> PyResult<Py<PyAny>> {
    // SAFETY: `PyDict_New` returns a new reference, or NULL with an exception set.
    let meta = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyDict_New())?.cast_into_unchecked::<PyDict>()
    };
    let m = r.metadata;
    if let Some(v) = m.title {
        meta.set_item(intern!(py, "title"), py_str(py, &v)?)?;
    }
    if !m.authors.is_empty() {
        meta.set_item(intern!(py, "authors"), py_strings(py, m.authors)?)?;
    }
    if let Some(v) = m.created {
        meta.set_item(intern!(py, "created"), py_str(py, &v)?)?;
    }
    if let Some(v) = m.modified {
        meta.set_item(intern!(py, "modified"), py_str(py, &v)?)?;
    }
    if let Some(v) = m.page_count {
        meta.set_item(intern!(py, "page_count"), v)?;
    }
    if let Some(v) = m.word_count {
        meta.set_item(intern!(py, "word_count"), v)?;
    }
    if !m.comments.is_empty() {
        meta.set_item(intern!(py, "comments"), py_strings(py, m.comments)?)?;
    }
    let tables = py_list(py, r.tables, |rows| {
        Ok(py_list(py, rows, |cells| Ok(py_strings(py, cells)?.into_any()))?.into_any())
    })?;
    let content = py_str(py, &r.content)?;
    let mime_type = py_str(py, &r.mime_type)?;
    let class = RESULT_CLASS.import(py, "bridgemark.result", "ExtractionResult")?;
    Ok(class.call1((content, mime_type, meta, tables))?.unbind())
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
    password: Option<&Bound<'_, PyAny>>,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    // The path first, then the password, as every bridge checks them.
    let path = os_path(path)?;
    let config = to_config(password.map(|p| p.extract()).transpose()?, config)?;
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

/// echo(s: str) -> str: a copy of `s` made in Rust (converted back as results are).
#[pyfunction]
fn echo<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyString>> {
    py_str(py, &probe::echo(s))
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
