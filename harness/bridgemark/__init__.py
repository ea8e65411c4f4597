"""bridgemark: one Rust extraction core, every Rust↔Python bridge, measured side by side.

``bridgemark.load(name)`` returns a bridge (see :mod:`bridgemark.registry`); every
bridge returns :class:`ExtractionResult` and raises the classes of :mod:`bridgemark.errors`.
"""

import importlib.util as _util
import os as _os
from pathlib import Path as _Path

from bridgemark.config import Config
from bridgemark.errors import (
    CorruptDocumentError,
    ExtractionError,
    InternalError,
    LimitExceededError,
    PasswordRequiredError,
    UnsupportedFormatError,
    error_from_code,
)
from bridgemark.registry import BRIDGES, IMPLEMENTATIONS, PEERS, WRAPPER_DEPTH, load
from bridgemark.result import ExtractionResult



def _default_pdfium() -> None:
    """Points ``BRIDGEMARK_PDFIUM`` (unless set) at the ``libpdfium.so`` that the
    installed ``pypdfium2_raw`` package ships, found without importing it: the core
    loads it on the first PDF (``core/src/pdf.rs``)."""
    spec = _util.find_spec("pypdfium2_raw")
    for location in (spec.submodule_search_locations or []) if spec else []:
        library = _Path(location) / "libpdfium.so"
        if library.is_file():
            _os.environ.setdefault("BRIDGEMARK_PDFIUM", str(library))
            return


_default_pdfium()

__all__ = [
    "BRIDGES",
    "IMPLEMENTATIONS",
    "PEERS",
    "WRAPPER_DEPTH",
    "Config",
    "CorruptDocumentError",
    "ExtractionError",
    "ExtractionResult",
    "InternalError",
    "LimitExceededError",
    "PasswordRequiredError",
    "UnsupportedFormatError",
    "error_from_code",
    "load",
]
