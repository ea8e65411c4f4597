"""Fixtures shared by the tests: every test that takes ``bridge`` runs on every bridge."""

from __future__ import annotations

from pathlib import Path

import pytest

import bridgemark
from bridgemark import corpus

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "build" / "corpus"
#: The bridge whose results the others are compared with (any would do: all must agree).
REFERENCE = "pyo3"


def outcome(fn, *args):
    """``fn(*args)``'s result, or ``(exception type, message)`` when it raises."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - the exception *is* the outcome under test
        return (type(e), str(e))


@pytest.fixture(params=bridgemark.BRIDGES)
def bridge(request):
    """Each bridge in turn (a bridge that is not built fails the test: `make test` builds all)."""
    return bridgemark.load(request.param)


@pytest.fixture(scope="session")
def reference():
    return bridgemark.load(REFERENCE)


def documents() -> list[Path]:
    """Generated corpus (``make corpus``), every shared-corpus DOCX, then every PDF."""
    return corpus.docx_files(GENERATED) + corpus.pdf_files()


def file_id(path: Path) -> str:
    shared = corpus.shared_corpus_dir()
    return str(path.relative_to(shared)) if shared and path.is_relative_to(shared) else path.name
