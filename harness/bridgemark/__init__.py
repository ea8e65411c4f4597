"""bridgemark: one Rust extraction core, every Rust↔Python bridge, measured side by side.

``bridgemark.load(name)`` returns a bridge (see :mod:`bridgemark.registry`); every
bridge returns :class:`ExtractionResult` and raises the classes of :mod:`bridgemark.errors`.
"""

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
from bridgemark.registry import BRIDGES, IMPLEMENTATIONS, WRAPPER_DEPTH, load
from bridgemark.result import ExtractionResult

__all__ = [
    "BRIDGES",
    "IMPLEMENTATIONS",
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
