"""C-ABI–specific behaviour of the bridges over ``libbridgemark`` (ctypes, cffi ABI/API, capi).

Parity with the other bridges is tested elsewhere; here: the header's status codes are
``bridgemark.errors``' codes, the cdef derived from the header is complete, the probes
are native callables (equal wrapper depth), errors carry the core's message on every
path, the library is found through ``BRIDGEMARK_LIB``, and ``password``/``config`` are
marshalled as PyO3 does (same signatures, same exceptions for bad values; NULL reaches
the C ABI when both are ``None``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types

import pytest

import bridgemark
from bridgemark import Config, corpus
from bridgemark.errors import (
    ERROR_CLASSES,
    CorruptDocumentError,
    InternalError,
    LimitExceededError,
    PasswordRequiredError,
    UnsupportedFormatError,
)

C_ABI_BRIDGES = ("ctypes", "cffi_abi", "cffi_api", "capi")
#: Probes handed out as native callables (``leak`` checks a status: a Python function on ctypes/cffi).
NATIVE_PROBES = ("noop", "add", "spin")
#: Encrypted PDFs of the shared corpus and their passwords.
PASSWORD_PDFS = {
    "pypdf/libreoffice-writer-password.pdf": "openpassword",
    "unstructured/password.pdf": "password",
    "tika/testPassword4Spaces.pdf": "    ",
}


@pytest.fixture(params=C_ABI_BRIDGES)
def bridge(request):
    try:
        return bridgemark.load(request.param)
    except ImportError as exc:  # not built: `make build-capi`
        pytest.skip(f"{request.param} not built: {exc}")


@pytest.fixture(scope="module")
def reference():
    """PyO3: the bridge whose signatures and conversions the C-ABI bridges follow."""
    try:
        return bridgemark.load("pyo3")
    except ImportError as exc:
        pytest.skip(f"pyo3 not built: {exc}")


def shared(rel: str) -> str:
    """A shared-corpus file, or skips the test when the corpus is not here."""
    root = corpus.shared_corpus_dir()
    if root is None or not (root / rel).is_file():
        pytest.skip(f"shared corpus file {rel} not available")
    return str(root / rel)


def outcome(fn, *args, **kwargs):
    """``fn(...)``'s result, or ``(exception type, message)`` when it raises."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the exception *is* the outcome under test
        return (type(e), str(e))


@pytest.fixture(scope="module")
def cffi_helpers():
    return pytest.importorskip("_bridgemark_cffi")


def test_cdef_from_header_has_every_export_and_no_directive(cffi_helpers):
    cdef = cffi_helpers.cdef()
    assert not any(line.lstrip().startswith("#") for line in cdef.splitlines())
    exported = set(re.findall(r"\b(bm_[a-z_]+)\(", cffi_helpers.HEADER.read_text()))
    assert exported <= set(re.findall(r"\b(bm_[a-z_]+)\(", cdef))
    assert "typedef uint32_t bm_status;" in cdef and "typedef enum bm_status bm_status;" not in cdef


def test_header_status_codes_are_the_python_error_codes():
    cffi = pytest.importorskip("bridgemark_cffi_abi")
    codes = {name: getattr(cffi.lib, name) for name in dir(cffi.lib) if name.startswith("BM_")}
    assert codes.pop("BM_OK") == 0
    assert sorted(codes.values()) == sorted(ERROR_CLASSES)
    assert codes["BM_NOT_FOUND"] == 1 and codes["BM_INTERNAL"] == 10


def test_status_describe_names_every_code():
    cffi = pytest.importorskip("bridgemark_cffi_abi")
    def describe(code: int) -> bytes:
        text = cffi.lib.bm_status_describe(code)
        return cffi.ffi.unpack(text.ptr, text.len)

    assert describe(0) == b"ok"
    assert describe(6) == b"corrupt document"
    assert describe(99) == b"unknown status"


def test_probes_are_native_callables(bridge):
    for name in NATIVE_PROBES:
        probe = getattr(bridge, name)
        assert not isinstance(probe, types.FunctionType), f"{name} is a Python function: one frame too many"


def test_nul_byte_in_path_is_value_error_from_the_core(bridge):
    with pytest.raises(ValueError, match="NUL byte"):
        bridge.extract_file("/tmp/a\0b.docx")


def test_path_may_be_bytes_or_pathlike(bridge, tmp_path):
    missing = tmp_path / "missing.docx"
    for path in (missing, os.fsencode(missing)):
        with pytest.raises(FileNotFoundError, match=f"no such file or directory: {missing}"):
            bridge.extract_file(path)


def test_consecutive_errors_each_carry_their_own_message(bridge):
    with pytest.raises(UnsupportedFormatError, match="empty input"):
        bridge.extract_bytes(b"")
    with pytest.raises(CorruptDocumentError):
        bridge.extract_bytes(b"PK\x03\x04garbage")
    with pytest.raises(UnsupportedFormatError, match="unsupported MIME type: text/plain"):
        bridge.extract_bytes(b"x", mime_type="text/plain")


def test_echo_round_trips_utf8_of_every_size(bridge):
    for text in ("", "a", "héllo ✓ \U0001f600", "x" * (1 << 20)):
        assert bridge.echo(text) == text


def test_results_survive_their_native_free(bridge, reference):
    first = bridge.make_result(100, 2)
    second = bridge.make_result(100, 2)
    assert first == second and first.tables[1][2][0] == "t1r2c0"
    assert first.metadata == {
        "title": "probe",
        "authors": ["bridgemark"],
        "created": "2026-01-01T00:00:00Z",
        "modified": "2026-01-02T00:00:00Z",
        "page_count": 1,
        "word_count": 16,
        "comments": ["a comment"],
    }
    assert list(first.metadata) == list(reference.make_result(100, 2).metadata)  # key order too


def test_none_default_and_positional_or_keyword_arguments_agree(bridge):
    path = shared("kreuzberg/lorem_ipsum.docx")
    data = open(path, "rb").read()
    expected = bridge.extract_file(path)
    assert bridge.extract_file(path, None, None) == expected
    assert bridge.extract_file(path=path, password=None, config=Config()) == expected
    assert bridge.extract_bytes(data, None, None, None) == expected
    assert bridge.extract_bytes(data=data, mime_type=None, password="unused", config=Config()) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.extract_file(),
        lambda m: m.extract_file("x", None, None, None),
        lambda m: m.extract_file("x", pat="y"),
        lambda m: m.extract_file("x", path="y"),
        lambda m: m.extract_bytes(b"", data=b""),
        lambda m: m.extract_bytes(b"", mime_type=5),
        lambda m: m.extract_file("x", password=5),
        lambda m: m.extract_file("x", password="\udc80"),
        lambda m: m.panic(b"x"),
    ],
    ids=[
        "missing", "too-many", "unknown-kw", "twice", "bytes-twice", "mime-int", "password-int", "surrogate", "panic-bytes"
    ],
)
def test_bad_calls_raise_what_pyo3_raises(bridge, reference, call):
    got, expected = outcome(call, bridge), outcome(call, reference)
    assert isinstance(expected, tuple) and got == expected


@pytest.mark.parametrize(
    "limits",
    [
        {"max_xml_depth": -1},
        {"max_xml_depth": 2**32},
        {"max_pages": 2**70},
        {"max_decompressed_bytes": -1},
        {"max_zip_entries": 2**64},
        {"max_pages": "x"},
        {"max_xml_depth": 1.5},
    ],
    ids=str,
)
def test_out_of_range_config_raises_what_pyo3_raises_never_wraps(bridge, reference, limits):
    path = shared("kreuzberg/lorem_ipsum.docx")
    config = Config(**limits)
    got = outcome(bridge.extract_file, path, config=config)
    expected = outcome(reference.extract_file, path, config=config)
    assert expected[0] in (OverflowError, TypeError)
    assert got == expected
    assert outcome(bridge.extract_bytes, b"", config=config) == expected


def test_config_that_is_not_a_config_is_attribute_error(bridge, reference):
    got = outcome(bridge.extract_file, "/nonexistent.docx", config="deep")
    assert got == outcome(reference.extract_file, "/nonexistent.docx", config="deep")
    assert got[0] is AttributeError


def test_limits_reach_the_core(bridge, reference):
    path = shared("kreuzberg/lorem_ipsum.docx")
    for config in (Config(max_xml_depth=3), Config(max_zip_entries=2), Config(max_decompressed_bytes=10)):
        got = outcome(bridge.extract_file, path, config=config)
        assert got[0] is LimitExceededError
        assert got == outcome(reference.extract_file, path, config=config)
        assert outcome(bridge.extract_bytes, open(path, "rb").read(), config=config) == got


@pytest.mark.parametrize("rel", sorted(PASSWORD_PDFS))
def test_password_pdf_needs_and_takes_its_password(bridge, reference, rel):
    path, password = shared(rel), PASSWORD_PDFS[rel]
    with pytest.raises(PasswordRequiredError):
        bridge.extract_file(path)
    assert outcome(bridge.extract_file, path, "wrong") == outcome(reference.extract_file, path, "wrong")
    opened = bridge.extract_file(path, password)
    assert opened.content and opened == reference.extract_file(path, password=password)
    assert bridge.extract_bytes(open(path, "rb").read(), password=password) == opened
    # a password built at run time (not interned) must stay alive through the call
    assert bridge.extract_file(path, "".join(list(password)), Config(max_pages=5)) == opened


def test_panic_probe_is_internal_error_with_pyo3_message(bridge, reference):
    for message in ("x", "", "héllo ✓"):
        with pytest.raises(InternalError) as got:
            bridge.panic(message)
        assert str(got.value) == f"internal error (Rust panic): {message}"
        assert outcome(reference.panic, message) == (InternalError, str(got.value))


def test_ctypes_passes_null_config_when_password_and_config_are_none(monkeypatch):
    module = pytest.importorskip("bridgemark_ctypes")
    seen = []
    real = module._extract_file

    def spy(path, n, config, out):
        seen.append(config)
        return real(path, n, config, out)

    monkeypatch.setattr(module, "_extract_file", spy)
    with pytest.raises(FileNotFoundError):
        module.extract_file("/nonexistent.docx")
    with pytest.raises(FileNotFoundError):
        module.extract_file("/nonexistent.docx", config=Config(max_pages=7))
    assert seen[0] is None and seen[1].max_pages == 7 and not seen[1].password.ptr


def test_ctypes_config_owns_a_copy_of_the_password():
    module = pytest.importorskip("bridgemark_ctypes")
    import ctypes

    for password in ("".join(["se", "cret", str(12345)]), ""):
        config = module._config(password, None)
        address = ctypes.cast(config.password.ptr, ctypes.c_void_p).value
        assert address and config.password.len == len(password.encode())

        def owned(objects) -> bool:  # ctypes' keep-alive tree of the struct
            values = objects.values() if isinstance(objects, dict) else ()
            return any(
                owned(v) or (isinstance(v, ctypes.Array) and ctypes.addressof(v) == address) for v in values
            )

        assert owned(config._objects), "the password buffer is not kept alive by the struct"


def test_cffi_passes_null_config_when_password_and_config_are_none(cffi_helpers):
    cffi = pytest.importorskip("bridgemark_cffi_abi")
    seen = []

    def spy(path, n, config, out):  # reads the config during the call: the password buffer dies after it
        pw = None if config == cffi.ffi.NULL else cffi.ffi.unpack(config.password.ptr, config.password.len)
        seen.append(None if config == cffi.ffi.NULL else (config.max_pages, pw))
        return cffi.lib.bm_extract_file(path, n, config, out)

    lib = types.SimpleNamespace(**{n: getattr(cffi.lib, n) for n in dir(cffi.lib) if n.startswith("bm_")})
    lib.bm_extract_file = spy
    extract_file = cffi_helpers.bind(cffi.ffi, lib)[0]
    for config in (None, Config(max_pages=7)):
        with pytest.raises(FileNotFoundError, match="no such file or directory: /nonexistent.docx"):
            extract_file("/nonexistent.docx", "pw", config) if config else extract_file("/nonexistent.docx")
    assert seen == [None, (7, b"pw")]


@pytest.mark.parametrize("module", ["bridgemark_ctypes", "bridgemark_cffi_abi"])
def test_library_is_found_through_bridgemark_lib(module):
    lib_module = pytest.importorskip("_bridgemark_lib")
    try:
        path = lib_module.find_library()
    except ImportError:
        pytest.skip("libbridgemark.so not built")
    env = dict(os.environ, BRIDGEMARK_LIB=path)
    code = f"import {module} as m; assert m.add(2, 3) == 5"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    env["BRIDGEMARK_LIB"] = "/nonexistent/libbridgemark.so"
    failed = subprocess.run([sys.executable, "-c", f"import {module}"], env=env, capture_output=True)
    assert failed.returncode != 0 and b"/nonexistent/libbridgemark.so" in failed.stderr
