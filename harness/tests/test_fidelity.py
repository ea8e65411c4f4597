"""Fidelity: every expectation of the shared corpus, one test each, on the reference bridge.

Parity (test_parity.py) proves the other bridges return the same results. Declined
expectations are listed with their reason in ``bridgemark.fidelity.DECLINED`` and run
as strict xfails, so one that starts passing is noticed.
"""

from __future__ import annotations

import pytest

from bridgemark import corpus, fidelity

SHARED = corpus.shared_corpus_dir()
CASES = fidelity.cases(SHARED) if SHARED else []


def _param(case: fidelity.Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.declined)] if case.declined else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.skipif(SHARED is None, reason="../shared/corpus not present")
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_expectation_holds(reference, case):
    verdict = fidelity.check(case, lambda path, pw: reference.extract_file(path, password=pw), SHARED)
    assert verdict.passed, verdict.detail


def test_every_declined_expectation_exists():
    ids = {(c.file, c.kind) for c in CASES}
    assert not SHARED or set(fidelity.DECLINED) <= ids


def test_pandoc_words_glue_adjacent_strings_and_unescape(tmp_path):
    native = tmp_path / "x.native"
    native.write_text('[Para [Str "costs",Space,Emph [Str "\\8364\\&10"],Str ",",SoftBreak,Str "ok"]]')
    assert fidelity._pandoc_words(native) == "costs €10, ok"


def test_java_password_literal_is_decoded():
    assert fidelity._java_literal('"a\\u20AC" + "\\uD83D\\uDE00 \\\\"') == "a€😀 \\"


def test_pdf_text_comparisons_ignore_whitespace():
    case = fidelity.Case("x/y.pdf", "exact", "Hello, world!\r\nGoodbye")
    assert fidelity._check_text(case, "Hello, world!\n Goodbye", {})[0]
    docx = fidelity.Case("x/y.docx", "exact", "a b")
    assert not fidelity._check_text(docx, "a  b", {})[0]
