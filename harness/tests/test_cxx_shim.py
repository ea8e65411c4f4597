"""pybind11 over the cxx C++ API: what that path alone could get wrong.

The cross-bridge tests (parity, errors, probes) cover the shared contract; these cover
the pybind11 bridge's own machinery: the error code and message carried through a
cxx ``rust::Error`` (``"<code>:<message>"``, with ``\\`` and NUL escaped), the explicit
MIME type versus detection, path conversion, the password's presence flag, the
``bridgemark.Config`` → ``bridgemark::Config`` conversion (with PyO3's errors), the
metadata dict's keys and order, Rust panics, keyword names and GIL release.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import bridgemark
from bridgemark import corpus
from conftest import GENERATED, documents, file_id, outcome

SHARED = corpus.shared_corpus_dir()
#: Encrypted PDF of the shared corpus and its password.
PROTECTED_PDF = ("unstructured/password.pdf", "password")


@pytest.fixture(scope="module")
def pybind11():
    return bridgemark.load("pybind11")


@pytest.fixture
def generated_docx():
    return GENERATED / corpus.generated_name(100)


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


def test_rust_panic_is_internal_error_not_abort(pybind11):
    too_big = 2**63 + 1  # fits usize, cannot be allocated: the core panics, never aborts
    with pytest.raises(bridgemark.InternalError, match="cannot allocate"):
        pybind11.make_result(too_big, 0)
    with pytest.raises(bridgemark.InternalError, match="cannot allocate"):
        pybind11.leak(too_big)


@pytest.mark.parametrize("message", ["x", "", "back\\slash\\0", "nul\0inside", "héllo ✓"])
def test_panic_probe_message_crosses_cxx_unchanged(pybind11, reference, message):
    got = outcome(pybind11.panic, message)
    assert got == (bridgemark.InternalError, f"internal error (Rust panic): {message}")
    assert got == outcome(reference.panic, message)


def _config(**fields):
    """A ``bridgemark.Config`` holding values its annotations do not allow (frozen: no checks)."""
    config = bridgemark.Config()
    for name, value in fields.items():
        object.__setattr__(config, name, value)
    return config


class NotAConfig:
    max_decompressed_bytes = 1


BAD_CONFIGS = {
    "negative_u64": _config(max_decompressed_bytes=-1),
    "u64_overflow": _config(max_zip_entries=2**64),
    "negative_u32": _config(max_xml_depth=-1),
    "u32_overflow": _config(max_pages=2**32),
    "c_long_overflow": _config(max_xml_depth=2**64),
    "float": _config(max_decompressed_bytes=1.0),
    "str": _config(max_pages="1"),
    "none_field": _config(max_xml_depth=None),
    "not_a_config": 5,
    "missing_field": NotAConfig(),
}


@pytest.mark.parametrize("config", BAD_CONFIGS.values(), ids=BAD_CONFIGS)
def test_bad_config_raises_pyo3s_python_error(pybind11, reference, generated_docx, config):
    got = outcome(lambda: pybind11.extract_file(generated_docx, config=config))
    assert isinstance(got, tuple) and got[0] in (OverflowError, TypeError, AttributeError)
    assert got == outcome(lambda: reference.extract_file(generated_docx, config=config))
    data = generated_docx.read_bytes()
    assert outcome(lambda: pybind11.extract_bytes(data, config=config)) == got


INDEX_LIKE = {
    "bool": _config(max_decompressed_bytes=True),
    "index": _config(max_xml_depth=type("Depth", (), {"__index__": lambda self: 3})()),
    "u64_max": _config(max_decompressed_bytes=2**64 - 1, max_zip_entries=2**64 - 1),
    "u32_max": _config(max_xml_depth=2**32 - 1, max_pages=2**32 - 1),
    "zero": _config(max_zip_entries=0),
}


@pytest.mark.parametrize("config", INDEX_LIKE.values(), ids=INDEX_LIKE)
def test_config_accepts_what_pyo3_accepts(pybind11, reference, generated_docx, config):
    got = outcome(lambda: pybind11.extract_file(generated_docx, config=config))
    assert got == outcome(lambda: reference.extract_file(generated_docx, config=config))


@pytest.mark.parametrize("password", [5, b"pw", "\udcff"], ids=["int", "bytes", "surrogate"])
def test_bad_password_raises_pyo3s_python_error(pybind11, reference, generated_docx, password):
    got = outcome(lambda: pybind11.extract_file(generated_docx, password=password))
    assert isinstance(got, tuple) and got[0] in (TypeError, UnicodeEncodeError)
    assert got == outcome(lambda: reference.extract_file(generated_docx, password=password))


@pytest.mark.skipif(SHARED is None, reason="../shared/corpus not present")
@pytest.mark.parametrize("password", [None, "", "password", "pässword", "password "])
def test_empty_password_is_a_password_not_none(pybind11, reference, password):
    path = SHARED / PROTECTED_PDF[0]
    got = outcome(lambda: pybind11.extract_file(path, password))
    assert got == outcome(lambda: reference.extract_file(path, password))
    assert outcome(lambda: pybind11.extract_bytes(path.read_bytes(), None, password)) == got
    if password is None:
        assert got == (bridgemark.PasswordRequiredError, "encrypted PDF: a password is required")
    elif password != PROTECTED_PDF[1]:
        assert got[0] is bridgemark.PasswordRequiredError and "not correct" in got[1]


@pytest.mark.skipif(SHARED is None, reason="../shared/corpus not present")
def test_password_and_config_pass_positionally_and_by_keyword(pybind11, reference):
    path = SHARED / PROTECTED_PDF[0]
    password, config = PROTECTED_PDF[1], bridgemark.Config(max_pages=1)
    expected = reference.extract_file(path, password, config)
    data = path.read_bytes()
    assert pybind11.extract_file(path, password, config) == expected
    assert pybind11.extract_file(path=path, password=password, config=config) == expected
    assert pybind11.extract_bytes(data, None, password, config) == expected
    assert pybind11.extract_bytes(data=data, mime_type="application/pdf", password=password, config=config) == expected
    limited = bridgemark.Config(max_pages=0)
    assert outcome(pybind11.extract_file, path, password, limited) == outcome(reference.extract_file, path, password, limited)


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
            bridge.extract_file(path=tmp_path / "missing.docx", password=None, config=None)
        with pytest.raises(bridgemark.UnsupportedFormatError):
            bridge.extract_bytes(data=b"x", mime_type=None, password="", config=bridgemark.Config())
        with pytest.raises(bridgemark.InternalError):
            bridge.panic(message="x")


@pytest.mark.parametrize("path", documents(), ids=file_id)
def test_metadata_holds_only_set_keys_in_pyo3s_order(pybind11, reference, path):
    got = outcome(pybind11.extract_file, path)
    if isinstance(got, bridgemark.ExtractionResult):
        assert list(got.metadata) == list(reference.extract_file(path).metadata)
        assert all(v not in (None, []) for v in got.metadata.values())


def test_probe_result_carries_word_count_and_comments(pybind11, reference):
    got = pybind11.make_result(600, 1)
    assert got == reference.make_result(600, 1)
    assert list(got.metadata) == [
        "title", "authors", "created", "modified", "page_count", "word_count", "comments",
    ]
    assert (got.metadata["word_count"], got.metadata["comments"]) == (100, ["a comment"])


def test_spin_releases_the_gil(pybind11):
    spinner = threading.Thread(target=pybind11.spin, args=(200_000_000,))
    spinner.start()
    ticks = 0
    while spinner.is_alive():
        ticks += 1
    spinner.join()
    assert ticks > 1_000  # with the GIL held, this thread would barely run while it spins
