"""ctypes bridge (``bridgemark.load("ctypes")``): the C ABI of ``libbridgemark.so`` through ctypes.

The probes ``noop``, ``add``, ``spin`` are the ctypes function objects
themselves (``argtypes``/``restype`` set, no Python frame between caller and C).
``extract_file``, ``extract_bytes``, ``echo``, ``make_result``, ``leak`` and ``panic`` are
Python: they marshal the arguments, check the status, build
:class:`bridgemark.result.ExtractionResult` from the ``bm_result`` structs and free them;
that code is part of what this bridge costs. ``core_clock_ns`` (an instrument, not a probe)
checks its argument in Python first (:func:`_bridgemark_args.core_clock`).
``password``/``config`` become a ``bm_config`` only when one is given (else NULL: the
core's defaults), checked by :mod:`_bridgemark_args` as PyO3 checks them.
ctypes releases the GIL around every foreign call (``CDLL``), extraction and ``spin`` included.
ctypes converts ints without range checks: a negative ``n_bytes``/``ns``/``n_chars`` wraps
to a huge unsigned value (the other bridges raise ``OverflowError``), a property of ctypes.
A wrong argument type is a ``TypeError`` as on every bridge, except for the three native
probes, where ctypes itself raises ``ctypes.ArgumentError`` (kept: wrapping them in Python
would change the bare-call cost this bridge is measured for).
The library is ``$BRIDGEMARK_LIB`` or the first ``libbridgemark.so`` on ``sys.path``.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, Structure, c_bool, c_char, c_char_p, c_int64, c_size_t, c_uint32, c_uint64

from _bridgemark_args import core_clock, data_bytes, limits, path_bytes, utf8
from _bridgemark_lib import find_library
from bridgemark.config import Config
from bridgemark.errors import error_from_code
from bridgemark.result import ExtractionResult

__all__ = ["extract_file", "extract_bytes", "noop", "add", "echo", "make_result", "spin", "core_clock_ns", "leak", "panic"]


# --- the structs of include/bridgemark.h (ptr fields as POINTER(c_char): slicing gives bytes) ---


class bm_str(Structure):
    """UTF-8, not NUL-terminated; a NULL ``ptr`` is "absent"."""

    _fields_ = (("ptr", POINTER(c_char)), ("len", c_size_t))


class bm_metadata(Structure):
    _fields_ = (
        ("title", bm_str),
        ("authors", POINTER(bm_str)),
        ("n_authors", c_size_t),
        ("created", bm_str),
        ("modified", bm_str),
        ("page_count", c_int64),  # -1 = absent
        ("word_count", c_int64),  # -1 = absent
        ("comments", POINTER(bm_str)),
        ("n_comments", c_size_t),
    )


class bm_row(Structure):
    _fields_ = (("cells", POINTER(bm_str)), ("n_cells", c_size_t))


class bm_table(Structure):
    _fields_ = (("rows", POINTER(bm_row)), ("n_rows", c_size_t))


class bm_result(Structure):
    _fields_ = (
        ("content", bm_str),
        ("mime_type", bm_str),
        ("metadata", bm_metadata),
        ("tables", POINTER(bm_table)),
        ("n_tables", c_size_t),
    )


class bm_config(Structure):
    """Password (``ptr`` NULL = none) and limits of one extraction; borrowed by the call."""

    _fields_ = (
        ("password", bm_str),
        ("max_decompressed_bytes", c_uint64),
        ("max_zip_entries", c_uint64),
        ("max_xml_depth", c_uint32),
        ("max_pages", c_uint32),
    )


class bm_buf(Structure):
    """An owned buffer filled by ``bm_echo``; freed with ``bm_buf_free(&buf)``."""

    _fields_ = (("ptr", POINTER(c_char)), ("len", c_size_t))


_lib = ctypes.CDLL(find_library())


def _fn(name: str, argtypes: tuple, restype):
    """Returns ``_lib.<name>`` with its signature set."""
    f = getattr(_lib, name)
    f.argtypes = argtypes
    f.restype = restype
    return f


_result_p, _config_p = POINTER(bm_result), POINTER(bm_config)
# A POINTER(T) argtype takes a T instance by reference (callers pass the out-slot or the
# bm_config itself) and None as NULL.
_extract_file = _fn("bm_extract_file", (c_char_p, c_size_t, _config_p, POINTER(_result_p)), c_uint32)
_extract_bytes = _fn(
    "bm_extract_bytes", (c_char_p, c_size_t, c_char_p, c_size_t, _config_p, POINTER(_result_p)), c_uint32
)
_make_result = _fn("bm_make_result", (c_size_t, c_size_t, POINTER(_result_p)), c_uint32)
_result_free = _fn("bm_result_free", (_result_p,), None)
_echo = _fn("bm_echo", (c_char_p, c_size_t, POINTER(bm_buf)), c_uint32)
_buf_free = _fn("bm_buf_free", (POINTER(bm_buf),), None)
_last_error = _fn("bm_last_error", (), bm_str)
_panic = _fn("bm_panic", (c_char_p, c_size_t), c_uint32)
_leak = _fn("bm_leak", (c_size_t,), c_uint32)
_time_extract_file = _fn("bm_time_extract_file", (c_char_p, c_size_t, _config_p, c_uint64, POINTER(c_uint64)), c_uint32)
_time_probe = _fn("bm_time_probe", (c_char_p, c_size_t, c_uint64, POINTER(c_uint64)), c_uint32)
_default = _fn("bm_config_default", (), bm_config)()
#: The core's limits (``Config::DEFAULT``), used when a password comes without a config.
_DEFAULT_LIMITS = tuple(
    getattr(_default, name) for name in ("max_decompressed_bytes", "max_zip_entries", "max_xml_depth", "max_pages")
)
_char_p = POINTER(c_char)

noop = _fn("bm_noop", (), None)
add = _fn("bm_add", (c_int64, c_int64), c_int64)
spin = _fn("bm_spin", (c_uint64,), None)
core_clock_ns = core_clock(_fn("bm_core_clock_ns", (c_bool,), c_uint64))
_encode = str.encode  # echo's str check: TypeError for anything but a str, at a method call's cost


def _error(status: int) -> Exception:
    """The exception for a failed call (reads this thread's last error at once)."""
    message = _last_error()
    return error_from_code(status, message.ptr[: message.len].decode())


def _type_error(exc: ctypes.ArgumentError) -> TypeError:
    """ctypes' ``ArgumentError`` for a bad argument type (``argument 1: TypeError: wrong type``)
    as the ``TypeError`` every other bridge raises (caught only on the failing path: free)."""
    return TypeError(str(exc))


def _to_python(r: bm_result) -> ExtractionResult:
    """Copies a ``bm_result`` into an :class:`ExtractionResult` (metadata keys only when set)."""
    m = r.metadata
    metadata = {}
    if m.title.ptr:
        metadata["title"] = m.title.ptr[: m.title.len].decode()
    if m.n_authors:
        metadata["authors"] = [a.ptr[: a.len].decode() for a in m.authors[: m.n_authors]]
    if m.created.ptr:
        metadata["created"] = m.created.ptr[: m.created.len].decode()
    if m.modified.ptr:
        metadata["modified"] = m.modified.ptr[: m.modified.len].decode()
    if m.page_count >= 0:
        metadata["page_count"] = m.page_count
    if m.word_count >= 0:
        metadata["word_count"] = m.word_count
    if m.n_comments:
        metadata["comments"] = [c.ptr[: c.len].decode() for c in m.comments[: m.n_comments]]
    tables = [
        [[c.ptr[: c.len].decode() for c in row.cells[: row.n_cells]] for row in t.rows[: t.n_rows]]
        for t in r.tables[: r.n_tables]
    ]
    content, mime_type = r.content, r.mime_type
    return ExtractionResult(
        content.ptr[: content.len].decode(), mime_type.ptr[: mime_type.len].decode(), metadata, tables
    )


def _config(password: str | None, config) -> bm_config:
    """The ``bm_config`` for ``password`` and a ``bridgemark.Config`` (``None``: the core's
    limits). The password is copied into a ctypes buffer that the struct keeps alive
    (``_objects``); a pointer cast from ``bytes`` would not keep the bytes alive."""
    raw = None if password is None else utf8(password)
    c = bm_config(bm_str(), *(_DEFAULT_LIMITS if config is None else limits(config)))
    if raw is not None:
        buf = ctypes.create_string_buffer(raw, len(raw))  # no NUL: bm_str has a length
        c.password = bm_str(ctypes.cast(buf, _char_p), len(raw))
    return c


def extract_file(
    path: str | bytes | os.PathLike, password: str | None = None, config: Config | None = None
) -> ExtractionResult:
    """Reads and extracts the document at ``path`` (GIL released during the C call).

    Raises the ``bridgemark.errors`` classes (``FileNotFoundError``, ``CorruptDocumentError``,
    ``PasswordRequiredError``, ``LimitExceededError``, …).
    """
    raw = path_bytes(path)
    settings = None if password is None and config is None else _config(password, config)
    out = _result_p()
    try:
        status = _extract_file(raw, len(raw), settings, out)
        if status:
            raise _error(status)
        return _to_python(out.contents)
    finally:
        _result_free(out)


def extract_bytes(
    data: bytes, mime_type: str | None = None, password: str | None = None, config: Config | None = None
) -> ExtractionResult:
    """Extracts the document in ``data`` (format detected unless ``mime_type`` names it; GIL released)."""
    data = data_bytes(data)
    mime = None if mime_type is None else utf8(mime_type)
    settings = None if password is None and config is None else _config(password, config)
    out = _result_p()
    try:
        try:
            status = _extract_bytes(data, len(data), mime, 0 if mime is None else len(mime), settings, out)
        except ctypes.ArgumentError as exc:
            raise _type_error(exc) from None
        if status:
            raise _error(status)
        return _to_python(out.contents)
    finally:
        _result_free(out)


def echo(s: str) -> str:
    """Returns a copy of ``s`` made in Rust (UTF-8 both ways). ``TypeError`` unless ``s`` is a ``str``."""
    raw = _encode(s)
    buf = bm_buf()
    try:
        status = _echo(raw, len(raw), buf)
        if status:
            raise _error(status)
        return buf.ptr[: buf.len].decode()
    finally:
        _buf_free(buf)


def make_result(n_chars: int, n_tables: int) -> ExtractionResult:
    """Converts a result of ``n_chars`` characters and ``n_tables`` 3×3 tables built in Rust (no extraction)."""
    out = _result_p()
    try:
        try:
            status = _make_result(n_chars, n_tables, out)
        except ctypes.ArgumentError as exc:
            raise _type_error(exc) from None
        if status:
            raise _error(status)
        return _to_python(out.contents)
    finally:
        _result_free(out)


def leak(n_bytes: int) -> None:
    """Leaks ``n_bytes`` bytes on purpose (leak-detector control); ``InternalError`` when
    they cannot be allocated."""
    try:
        status = _leak(n_bytes)
    except ctypes.ArgumentError as exc:
        raise _type_error(exc) from None
    if status:
        raise _error(status)


def panic(message: str) -> None:
    """Test-only: the core panics with ``message``; raises ``InternalError``, never aborts."""
    raw = utf8(message)
    status = _panic(raw, len(raw))
    if status:
        raise _error(status)


def time_extract_file(path: str | bytes | os.PathLike, loops: int) -> int:
    """The direct-Rust baseline inside this process (not a bridge call, not in ``__all__``).

    ``bm_time_extract_file``: the core extracts ``path`` ``loops`` times in Rust, dropping
    every result; returns the elapsed ns of the whole loop (one ctypes call per loop, no
    result crosses the boundary). The harness's extraction suite alternates it with the
    bridge's own samples in every worker (:func:`bridgemark.worker.timing_record`).

    Raises:
        ExtractionError (or ``OSError`` subclass): that of the first failing extraction.
    """
    raw, elapsed = path_bytes(path), c_uint64()
    status = _time_extract_file(raw, len(raw), None, loops, elapsed)
    if status:
        raise _error(status)
    return elapsed.value


def time_probe(case: str, loops: int) -> int:
    """A probe looped in Rust inside this process (not a bridge call, not in ``__all__``).

    ``bm_time_probe``: the probe named ``case`` (``noop``, ``add``, ``echo:N[:ALPHABET]``,
    ``make_result:C:T``, ``spin:N``: the calls suite's names) runs ``loops`` times in Rust;
    returns the elapsed ns of the whole loop. The calls suite alternates it with the bridge's
    samples of the same probe.

    Raises:
        ValueError: an unknown case.
    """
    raw, elapsed = case.encode(), c_uint64()
    status = _time_probe(raw, len(raw), loops, elapsed)
    if status:
        raise _error(status)
    return elapsed.value
