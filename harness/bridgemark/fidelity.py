"""The fidelity suite: every expectation the shared corpus states about a document,
checked against one extractor's output.

Sources (``../shared/corpus``): each ``<source>/EXPECTED.json`` (kinds ``exact``,
``exact_trimmed``, ``exact_paragraph_join``, ``contains``, ``contains_any``,
``not_contains``, ``paragraphs``, ``first_chars``, ``count``, ``error``,
``error_or_password``, ``no_crash``, ``meta``), pandoc's expected trees for
``pandoc/docx/*.docx`` (the ``Str`` tokens of ``*.native``: kind ``words``), and
pypdf's expected texts (``pypdf/*.txt``: kind ``words``).

Comparison rules: line endings are normalised to ``\\n`` on both sides; ``words``
passes when at least :data:`WORD_RECALL` of the reference's words (whitespace-split,
counted with multiplicity) occur in the output. Expectations this project declines are
listed with their reason in :data:`DECLINED`, the one place where that is decided.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Fraction of reference words that must occur in the output for a ``words`` expectation.
WORD_RECALL = 0.95

#: (file relative to the corpus, kind) -> why this project does not hold itself to it.
DECLINED: dict[tuple[str, str], str] = {
    ("pandoc/docx/paragraph_insertion_deletion.docx", "words"): (
        "pandoc inserts a space where a deleted paragraph mark joins two paragraphs; "
        "Word (and bridgemark) join them directly (' splitParagraph.')"
    ),
    ("pandoc/docx/drop_cap.docx", "words"): "a drop cap is a separate frame paragraph in Word; bridgemark keeps it as its own paragraph",
    ("poi/58067.docx", "exact_paragraph_join"): (
        "POI keeps a paragraph whose mark was deleted as its own line; accepting the deletion "
        "joins it to the next paragraph, as Word, pandoc and bridgemark do"
    ),
    ("pypdf-sample-files/habibi.pdf", "contains"): (
        "pdfium 8149 returns this file's Arabic in visual order ('يبيبَح'), pypdfium2 over the "
        "same library gives the same text; logical reordering (bidi) is not done"
    ),
}

#: Passwords that EXPECTED.json describes in words instead of giving literally.
PASSWORD_OVERRIDES: dict[str, str] = {
    "tika/testPassword4Spaces.pdf": "    ",
}


@dataclass(frozen=True, slots=True)
class Case:
    """One expectation about one file.

    Attributes:
        file: path relative to the shared corpus, e.g. ``"poi/capitalized.docx"``.
        kind: the expectation kind (see the module docstring).
        expected: its value, as stated by the source.
        password: the password to open the file with (``None``: none).
    """

    file: str
    kind: str
    expected: Any
    password: str | None = None

    @property
    def id(self) -> str:
        return f"{self.file}::{self.kind}"

    @property
    def declined(self) -> str | None:
        """Why this expectation is declined, or ``None`` when it is held."""
        return DECLINED.get((self.file, self.kind))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of a case: ``passed`` and a short ``detail`` for the report."""

    case: Case
    passed: bool
    detail: str = ""


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _java_literal(literal: str) -> str:
    """Decodes a concatenation of Java string literals (``"a" + "b\\u20AC"``)."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', literal)
    raw = "".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape")
    return raw.encode("utf-16", "surrogatepass").decode("utf-16")


def _password(file: str, entry: dict) -> str | None:
    if file in PASSWORD_OVERRIDES:
        return PASSWORD_OVERRIDES[file]
    meta = entry.get("meta") or {}
    if "user_password_java_literal" in meta:
        return _java_literal(meta["user_password_java_literal"])
    return meta.get("user_password")


_HELD_KINDS = (
    "exact", "exact_trimmed", "exact_paragraph_join", "contains", "contains_any", "not_contains",
    "paragraphs", "first_chars", "count", "error", "error_or_password", "no_crash", "meta",
)


_NATIVE_TOKEN = re.compile(r'Str "((?:[^"\\]|\\.)*)"|\b(Space|SoftBreak|LineBreak|Para|Plain|Header|Cell|Note)\b')
_HASKELL_ESCAPE = re.compile(r"\\(?:(\d+)|&|(.))")


def _haskell_unescape(text: str) -> str:
    """Decodes a Haskell string body: ``\\8364`` is a code point, ``\\&`` separates nothing."""
    return _HASKELL_ESCAPE.sub(lambda m: chr(int(m[1])) if m[1] else (m[2] or ""), text)


def _pandoc_words(native: Path) -> str:
    """The words of a pandoc native tree: adjacent ``Str`` tokens glued, split at spaces,
    breaks and block boundaries."""
    words, current = [], ""
    for m in _NATIVE_TOKEN.finditer(native.read_text(encoding="utf-8")):
        if m[1] is not None:
            current += _haskell_unescape(m[1])
        elif current:
            words.append(current)
            current = ""
    return " ".join(words + [current] if current else words)


def _pandoc_reference(docx: Path) -> Path | None:
    """The native tree matching this project's policies: accepted changes, no comments."""
    for suffix in ("_accept", "_no_comments", ""):
        candidate = docx.with_name(f"{docx.stem}{suffix}.native")
        if candidate.exists():
            return candidate
    return None


def cases(corpus: Path) -> list[Case]:
    """Every expectation found under ``corpus``, in a stable order."""
    found: list[Case] = []
    for manifest in sorted(corpus.glob("*/EXPECTED.json")):
        source = manifest.parent.name
        for name, entry in json.loads(manifest.read_text(encoding="utf-8"))["files"].items():
            file = f"{source}/{name}"
            password = _password(file, entry)
            for kind in _HELD_KINDS:
                if kind in entry:
                    found.append(Case(file, kind, entry[kind], password))
    for docx in sorted((corpus / "pandoc" / "docx").glob("*.docx")):
        native = _pandoc_reference(docx)
        if native is not None:
            found.append(Case(f"pandoc/docx/{docx.name}", "words", _pandoc_words(native)))
    for txt in sorted((corpus / "pypdf").glob("*.txt")):
        pdf = txt.with_name(txt.name.split(".")[0] + ".pdf")
        if pdf.exists():
            found.append(Case(f"pypdf/{pdf.name}", "words", txt.read_text(encoding="utf-8")))
    return found


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_text(case: Case, text: str, meta: dict) -> tuple[bool, str]:
    kind, expected = case.kind, case.expected
    if case.file.endswith(".pdf") and kind in ("exact", "contains", "contains_any", "first_chars"):
        text = _squash(text)
        expected = [_squash(e) for e in expected] if isinstance(expected, list) else _squash(expected)
    if kind == "exact":
        return text.rstrip("\n") == _normalise(expected).rstrip("\n"), f"got {text[:80]!r}"
    if kind == "exact_trimmed":
        return text.strip() == _normalise(expected).strip(), f"got {text.strip()[:80]!r}"
    if kind == "exact_paragraph_join":
        return text.rstrip("\n") == _normalise(expected).rstrip("\n"), f"got {text[:80]!r}"
    if kind == "contains":
        wanted = json.loads(expected) if isinstance(expected, str) else expected
        missing = [w for w in wanted if _normalise(w) not in text]
        return not missing, f"missing {missing[:3]}"
    if kind == "contains_any":
        return any(_normalise(w) in text for w in expected), "none present"
    if kind == "not_contains":
        present = [w for w in expected if w in text]
        return not present, f"present {present}"
    if kind == "paragraphs":
        return _in_order([_normalise(p) for p in expected], text), f"got {_paragraphs(text)[:4]}"
    if kind == "first_chars":
        return text.startswith(_normalise(expected)), f"got {text[:20]!r}"
    if kind == "count":
        wrong = {s: text.count(s) for s, n in expected.items() if text.count(s) != n}
        return not wrong, f"counts {wrong}"
    if kind == "no_crash":
        return True, ""
    if kind == "meta":
        pages = expected.get("pages")
        if pages is not None and meta.get("page_count") != pages:
            return False, f"page_count {meta.get('page_count')} != {pages}"
        return True, ""
    if kind == "words":
        reference = Counter(expected.split())
        got = Counter(text.split())
        found = sum(min(n, got[w]) for w, n in reference.items())
        recall = found / max(1, sum(reference.values()))
        return recall >= WORD_RECALL, f"word recall {recall:.3f}"
    if kind in ("error", "error_or_password"):
        return False, "extracted without error"
    raise ValueError(f"unknown expectation kind {kind!r}")


def _in_order(wanted: list[str], text: str) -> bool:
    """Each wanted paragraph occurs in ``text`` as a whole block, in the given order."""
    position = 0
    for paragraph in wanted:
        match = re.compile(r"(?:^|\n)" + re.escape(paragraph) + r"(?:\n|$)").search(text, position)
        if match is None:
            return False
        position = match.end() - 1
    return True


def check(case: Case, extract: Callable[[Path, str | None], Any], corpus: Path) -> Verdict:
    """Runs ``extract(path, password)`` on the case's file and judges the outcome.

    ``extract`` returns an object with ``content`` and ``metadata`` (an
    ``ExtractionResult`` or an adapter for a peer library) or raises. For ``error``
    kinds any exception passes except a non-``Exception`` (a crash is not an error).
    """
    try:
        result = extract(corpus / case.file, case.password)
    except Exception as e:  # noqa: BLE001 - an exception is the outcome being judged
        if case.kind in ("error", "error_or_password"):
            return Verdict(case, True, f"{type(e).__name__}: {e}")
        return Verdict(case, False, f"raised {type(e).__name__}: {e}")
    passed, detail = _check_text(case, _normalise(result.content), dict(result.metadata))
    return Verdict(case, passed, "" if passed else detail)


def summarise(verdicts: list[Verdict]) -> dict[str, dict[str, int]]:
    """Per kind: ``{"passed": n, "failed": n, "declined": n}`` (declined counted apart)."""
    table: dict[str, dict[str, int]] = {}
    for v in verdicts:
        row = table.setdefault(v.case.kind, {"passed": 0, "failed": 0, "declined": 0})
        if v.case.declined:
            row["declined"] += 1
        else:
            row["passed" if v.passed else "failed"] += 1
    return dict(sorted(table.items()))
