"""Resource limits of one extraction, passed through every bridge."""

from __future__ import annotations

from dataclasses import dataclass

#: Largest file ``extract_file`` reads, in bytes (256 MiB; ``bridgemark_core::file::MAX_FILE_BYTES``,
#: not a :class:`Config` field yet): a bigger one raises ``LimitExceededError`` (pure_python reads it here).
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Config:
    """Limits on what one document may cost; the defaults are the core's
    (``bridgemark_core::Config::DEFAULT``). Exceeding one raises ``LimitExceededError``.

    Attributes:
        max_decompressed_bytes: bytes inflated from the ZIP parts read (default 128 MiB).
        max_zip_entries: entries a ZIP container may declare (default 10,000).
        max_xml_depth: deepest XML element nesting (default 256).
        max_pages: pages read from a paged document (default 100,000).
    """

    max_decompressed_bytes: int = 128 * 1024 * 1024
    max_zip_entries: int = 10_000
    max_xml_depth: int = 256
    max_pages: int = 100_000
