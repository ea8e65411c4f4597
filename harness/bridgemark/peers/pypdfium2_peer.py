"""pypdfium2 5.15.2 as a peer: the same work as the core's PDF path, over the same pdfium.

Per page ``get_textpage().get_text_range()`` (``FPDFText_CountChars`` +
``FPDFText_GetText``, as ``core/src/pdf.rs``), pages joined by a form feed, ``\\r\\n``
turned into ``\\n``, and the same metadata read (title, author, dates, page count).
PDF only: other input raises whatever pypdfium2 raises.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pypdfium2 as pdfium


@dataclass(frozen=True, slots=True)
class Result:
    """What the harness reads of an extraction: text and metadata."""

    content: str
    metadata: dict


#: File types this peer reads; the harness measures it on those only.
SUFFIXES: tuple[str, ...] = (".pdf",)


def extract_file(path: str | os.PathLike, password: str | None = None, config: object = None) -> Result:
    """Text of every page of the PDF at ``path`` and its metadata."""
    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        pages = []
        for page in pdf:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            text_page.close()
            page.close()
        info = pdf.get_metadata_dict(skip_empty=True)
        metadata = {"page_count": len(pdf)} | {k.lower(): v for k, v in info.items() if k in ("Title", "Author")}
        return Result("\f".join(pages), metadata)
    finally:
        pdf.close()
