"""kreuzberg 4.10.4 as a peer: ``extract_file_sync`` with its result cache off.

``ExtractionConfig(use_cache=False)``: with the cache on, a repeated call times a cache
lookup, not an extraction. Its ``ExtractionResult`` already has ``content`` and
``metadata`` (a dict with ``page_count`` among others), so it is returned as it is.
"""

from __future__ import annotations

import os

from kreuzberg import ExtractionConfig, PdfConfig, extract_file_sync

_CONFIG = ExtractionConfig(use_cache=False)


#: File types this peer reads; the harness measures it on those only.
SUFFIXES: tuple[str, ...] = (".docx", ".pdf")


def extract_file(path: str | os.PathLike, password: str | None = None, config: object = None):
    """Extracts ``path`` with kreuzberg (``password`` goes to its PDF options)."""
    if password is None:
        return extract_file_sync(str(path), config=_CONFIG)
    with_password = ExtractionConfig(use_cache=False, pdf_options=PdfConfig(passwords=[password]))
    return extract_file_sync(str(path), config=with_password)
