"""Same errors everywhere: the same exception type and message on every bridge."""

from __future__ import annotations

import zipfile

import pytest

import bridgemark
from bridgemark import corpus
from conftest import GENERATED, outcome


@pytest.fixture
def generated_docx():
    return GENERATED / corpus.generated_name(100)

BAD_BYTES = {
    "empty": b"",
    "text": b"just some text, not a document",
    "truncated_zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00garbage",
    "cfb_not_encrypted": bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504,
}


@pytest.fixture
def zip_without_main_part(tmp_path):
    path = tmp_path / "nomain.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.mark.parametrize("name", BAD_BYTES)
def test_bad_bytes_raise_the_reference_error(bridge, reference, name):
    got = outcome(bridge.extract_bytes, BAD_BYTES[name])
    assert isinstance(got, tuple) and issubclass(got[0], bridgemark.ExtractionError)
    assert got == outcome(reference.extract_bytes, BAD_BYTES[name])


def test_missing_file_is_file_not_found(bridge, tmp_path):
    missing = tmp_path / "missing.docx"
    with pytest.raises(FileNotFoundError, match="no such file or directory"):
        bridge.extract_file(missing)
    with pytest.raises(FileNotFoundError):
        bridge.extract_file(str(missing))


def test_directory_is_a_directory_error(bridge, tmp_path):
    with pytest.raises(IsADirectoryError):
        bridge.extract_file(tmp_path)


def test_corrupt_file_is_corrupt_document_error(bridge, reference, tmp_path):
    path = tmp_path / "corrupt.docx"
    path.write_bytes(BAD_BYTES["truncated_zip"])
    with pytest.raises(bridgemark.CorruptDocumentError):
        bridge.extract_file(path)
    assert outcome(bridge.extract_file, path) == outcome(reference.extract_file, path)


def test_zip_without_main_part_is_unsupported(bridge, zip_without_main_part):
    with pytest.raises(bridgemark.UnsupportedFormatError, match="not an OOXML package"):
        bridge.extract_file(zip_without_main_part)


def test_unknown_mime_type_is_unsupported(bridge):
    with pytest.raises(bridgemark.UnsupportedFormatError, match="image/png"):
        bridge.extract_bytes(b"PK\x03\x04", "image/png")


LIMITS = {
    "depth": bridgemark.Config(max_xml_depth=3),
    "entries": bridgemark.Config(max_zip_entries=2),
    "inflated_bytes": bridgemark.Config(max_decompressed_bytes=100),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_exceeding_a_limit_is_limit_exceeded_with_the_same_message(bridge, reference, limit, generated_docx):
    config = LIMITS[limit]
    got = outcome(lambda: bridge.extract_file(generated_docx, config=config))
    assert isinstance(got, tuple) and got[0] is bridgemark.LimitExceededError
    assert got == outcome(lambda: reference.extract_file(generated_docx, config=config))
    assert outcome(lambda: bridge.extract_bytes(generated_docx.read_bytes(), config=config)) == got


def test_default_config_equals_no_config(bridge, generated_docx):
    assert bridge.extract_file(generated_docx, config=bridgemark.Config()) == bridge.extract_file(generated_docx)


def test_page_limit_applies_to_pdf(bridge, reference):
    shared = corpus.shared_corpus_dir()
    if shared is None:
        pytest.skip("../shared/corpus not present")
    path = shared / "pdfium" / "page_tree_empty_node.pdf"
    got = outcome(lambda: bridge.extract_file(path, config=bridgemark.Config(max_pages=1)))
    assert isinstance(got, tuple) and got[0] is bridgemark.LimitExceededError
    assert got == outcome(lambda: reference.extract_file(path, config=bridgemark.Config(max_pages=1)))


def test_a_rust_panic_is_internal_error_not_a_crash(bridge):
    with pytest.raises(bridgemark.InternalError, match=r"^internal error \(Rust panic\): deliberate$"):
        bridge.panic("deliberate")
    assert bridge.add(1, 1) == 2  # the bridge still works afterwards


def test_error_from_code_maps_every_core_code():
    for code, cls in bridgemark.errors.ERROR_CLASSES.items():
        exc = bridgemark.error_from_code(code, "m")
        assert type(exc) is cls and str(exc) == "m"
    assert isinstance(bridgemark.error_from_code(999, "m"), bridgemark.InternalError)
