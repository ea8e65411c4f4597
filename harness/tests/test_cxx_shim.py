"""pybind11 over the cxx C++ API: what that path alone could get wrong.

The cross-bridge tests (parity, errors, probes) cover the shared contract; these cover
the pybind11 bridge's own machinery: the error code and message carried through a
cxx ``rust::Error`` (``"<code>:<message>"``, with ``\\`` and NUL escaped), the explicit
MIME type versus detection, path conversion, Rust panics, keyword names and GIL release.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import bridgemark
from bridgemark import corpus
from conftest import outcome


@pytest.fixture(scope="module")
def pybind11():
    return bridgemark.load("pybind11")


@pytest.mark.parametrize(
    "path",
    [
        "/nonexistent/dir/x.docx",
        "/nonexistent/back\\slash\\0.docx",  # backslashes (and a literal "\0") survive the escaping
        "/nonexistent/nul\0inside.docx",  # a NUL in the message survives (what() would cut it)
        "/nonexistent/\udcff-undecodable.docx",  # a non-UTF-8 path byte, as os.fsencode gives it
        "/nonexistent/héllo ✓.docx",
    ],
)
def test_error_code_and_message_cross_cxx_unchanged(pybind11, reference, path):
    got = outcome(pybind11.extract_file, path)
    assert isinstance(got, tuple)
    assert got == outcome(reference.extract_file, path)


def test_every_error_class_reaches_python(pybind11, reference, tmp_path):
    cases = {
        FileNotFoundError: (pybind11.extract_file, tmp_path / "missing.docx"),
        IsADirectoryError: (pybind11.extract_file, tmp_path),
        ValueError: (pybind11.extract_file, "nul\0byte"),
        bridgemark.UnsupportedFormatError: (pybind11.extract_bytes, b"plain text"),
        bridgemark.CorruptDocumentError: (pybind11.extract_bytes, b"PK\x03\x04truncated"),
    }
    for cls, (fn, arg) in cases.items():
        with pytest.raises(cls) as caught:
            fn(arg)
        assert type(caught.value) is cls


def test_empty_mime_type_is_not_detection(pybind11, reference):
    named = outcome(pybind11.extract_bytes, b"PK\x03\x04", "")
    assert named == (bridgemark.UnsupportedFormatError, "unsupported MIME type: ")
    assert named == outcome(reference.extract_bytes, b"PK\x03\x04", "")
    assert outcome(pybind11.extract_bytes, b"PK\x03\x04", None) == outcome(reference.extract_bytes, b"PK\x03\x04")


def test_path_accepts_str_and_pathlike_but_not_bytes(pybind11, tmp_path):
    missing = tmp_path / "missing.docx"

    class FsPath:
        def __fspath__(self):
            return str(missing)

    for path in (missing, str(missing), FsPath()):
        with pytest.raises(FileNotFoundError, match="missing.docx"):
            pybind11.extract_file(path)
    for wrong in (bytes(missing), 3, None):
        with pytest.raises(TypeError):
            pybind11.extract_file(wrong)


def test_rust_panic_is_internal_error_not_abort(pybind11):
    too_big = 2**63 + 1  # fits usize, exceeds isize::MAX: Rust panics with "capacity overflow"
    with pytest.raises(bridgemark.InternalError, match="capacity overflow"):
        pybind11.make_result(too_big, 0)
    with pytest.raises(bridgemark.InternalError, match="capacity overflow"):
        pybind11.leak(too_big)


def test_keyword_names_match_the_reference(pybind11, reference, tmp_path):
    for bridge in (pybind11, reference):
        assert bridge.add(a=1, b=2) == 3
        assert bridge.echo(s="x") == "x"
        assert bridge.make_result(n_chars=3, n_tables=0).content == "lor"
        assert bridge.spin(ns=0) is None
        assert bridge.leak(n_bytes=0) is None
        with pytest.raises(bridgemark.UnsupportedFormatError):
            bridge.extract_bytes(data=b"x", mime_type="text/plain")
        with pytest.raises(FileNotFoundError):
            bridge.extract_file(path=tmp_path / "missing.docx")


def test_metadata_holds_only_set_keys(pybind11, reference):
    for path in sorted(Path(corpus.shared_corpus_dir() or "/nonexistent").rglob("*.docx"))[:20]:
        got = outcome(pybind11.extract_file, path)
        if isinstance(got, bridgemark.ExtractionResult):
            assert list(got.metadata) == list(reference.extract_file(path).metadata)
            assert all(v not in (None, []) for v in got.metadata.values())


def test_spin_releases_the_gil(pybind11):
    spinner = threading.Thread(target=pybind11.spin, args=(200_000_000,))
    spinner.start()
    ticks = 0
    while spinner.is_alive():
        ticks += 1
    spinner.join()
    assert ticks > 1_000  # with the GIL held, this thread would barely run while it spins
