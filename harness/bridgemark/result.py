"""The one result type every bridge returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """Text, type, metadata and tables of one document, identical on every bridge.

    Attributes:
        content: the text a reader sees; blocks separated by ``"\\n"``, table cells by ``"\\t"``.
        mime_type: the detected MIME type (from the bytes, never the file name).
        metadata: only the keys that are set: ``title: str``, ``authors: list[str]``,
            ``created: str`` and ``modified: str`` (ISO-8601 as stored), ``page_count: int``.
        tables: every table in document order, as rows of cell strings
            (``list[list[list[str]]]``; rows may differ in length).

    Each bridge builds it in its natural place (PyO3 and pybind11 in native code,
    ctypes and cffi in Python from the C structs); that cost is part of what is measured.
    """

    content: str
    mime_type: str
    metadata: dict
    tables: list
