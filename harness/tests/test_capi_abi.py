"""C-ABI–specific behaviour of the bridges over ``libbridgemark`` (ctypes, cffi ABI/API, capi).

Parity with the other bridges is tested elsewhere; here: the header's status codes are
``bridgemark.errors``' codes, the cdef derived from the header is complete, the probes
are native callables (equal wrapper depth), errors carry the core's message on every
path, and the library is found through ``BRIDGEMARK_LIB``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types

import pytest

import bridgemark
from bridgemark.errors import ERROR_CLASSES, CorruptDocumentError, UnsupportedFormatError

C_ABI_BRIDGES = ("ctypes", "cffi_abi", "cffi_api", "capi")
NATIVE_PROBES = ("noop", "add", "spin", "leak")


@pytest.fixture(params=C_ABI_BRIDGES)
def bridge(request):
    try:
        return bridgemark.load(request.param)
    except ImportError as exc:  # not built: `make build-capi`
        pytest.skip(f"{request.param} not built: {exc}")


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


def test_results_survive_their_native_free(bridge):
    first = bridge.make_result(100, 2)
    second = bridge.make_result(100, 2)
    assert first == second and first.tables[1][2][0] == "t1r2c0"
    assert first.metadata == {
        "title": "probe",
        "authors": ["bridgemark"],
        "created": "2026-01-01T00:00:00Z",
        "modified": "2026-01-02T00:00:00Z",
        "page_count": 1,
    }


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
