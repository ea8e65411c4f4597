"""Same work, every bridge: equal results (or equal errors) on every corpus file."""

from __future__ import annotations

import json

import pytest

import bridgemark
from bridgemark import corpus, fidelity
from conftest import GENERATED, documents, file_id, outcome

FILES = documents()
SHARED = corpus.shared_corpus_dir()
#: (file, password) of every encrypted document of the shared corpus.
PROTECTED = sorted({(c.file, c.password) for c in fidelity.cases(SHARED) if c.password is not None}) if SHARED else []


def test_corpus_is_present():
    assert len([p for p in FILES if p.is_relative_to(GENERATED)]) == len(corpus.SIZES), "run `make corpus`"


@pytest.mark.parametrize("path", FILES, ids=file_id)
def test_extract_file_equals_reference_on_every_bridge(bridge, reference, path):
    expected = outcome(reference.extract_file, path)
    assert outcome(bridge.extract_file, path) == expected


@pytest.mark.parametrize("path", FILES, ids=file_id)
def test_extract_bytes_equals_extract_file(bridge, path):
    assert outcome(bridge.extract_bytes, path.read_bytes()) == outcome(bridge.extract_file, path)


@pytest.mark.parametrize(("name", "password"), PROTECTED, ids=[f for f, _ in PROTECTED])
def test_password_opens_the_same_document_on_every_bridge(bridge, reference, name, password):
    path = SHARED / name
    opened = outcome(lambda: bridge.extract_file(path, password=password))
    assert opened == outcome(lambda: reference.extract_file(path, password=password))
    assert isinstance(opened, bridgemark.ExtractionResult)
    assert outcome(lambda: bridge.extract_bytes(path.read_bytes(), None, password)) == opened


@pytest.mark.parametrize(("name", "password"), [p for p in PROTECTED if p[1]], ids=[f for f, pw in PROTECTED if pw])
def test_missing_or_wrong_password_is_password_required(bridge, name, password):
    with pytest.raises(bridgemark.PasswordRequiredError, match="password is required"):
        bridge.extract_file(SHARED / name)
    with pytest.raises(bridgemark.PasswordRequiredError, match="not correct"):
        bridge.extract_file(SHARED / name, password=password + "x")


def _expected_errors():
    shared = corpus.shared_corpus_dir()
    if shared is None:
        return []
    cases = []
    for manifest in sorted(shared.glob("*/EXPECTED.json")):
        for name, entry in json.loads(manifest.read_text())["files"].items():
            if "error" in entry and name.endswith(".docx"):
                cases.append(manifest.parent / name)
    return cases


@pytest.mark.parametrize("path", _expected_errors(), ids=file_id)
def test_documents_expected_to_fail_raise_a_typed_extraction_error(bridge, path):
    with pytest.raises(bridgemark.ExtractionError) as info:
        bridge.extract_file(path)
    assert str(info.value), "the message must name the problem"


@pytest.mark.parametrize("size", corpus.SIZES)
def test_pure_python_baseline_matches_the_core_on_generated_files(reference, size):
    path = GENERATED / corpus.generated_name(size)
    assert bridgemark.load("pure_python").extract_file(path) == reference.extract_file(path)


def test_seed_files_extract_on_every_bridge(bridge):
    shared = corpus.shared_corpus_dir()
    if shared is None:
        pytest.skip("../shared/corpus not present")
    for name in corpus.SEED_FILES:
        result = bridge.extract_file(shared / name)
        assert isinstance(result, bridgemark.ExtractionResult)
        assert result.content.strip()
