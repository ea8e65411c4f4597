"""The error classes every bridge raises, and the one table from core error codes to them.

The codes are ``bridgemark_core::ErrorKind`` (Rust), ``bm_status`` (C ABI) and
``bridgemark::Error::code()`` (C++): stable numbers, never reused. Every binding
turns a failed call into an exception through :func:`error_from_code` and nowhere else.
"""

from __future__ import annotations


class ExtractionError(Exception):
    """Base class of every document error raised by bridgemark (not I/O errors)."""


class UnsupportedFormatError(ExtractionError):
    """The bytes are not a format bridgemark reads (text, legacy .doc, empty input, …)."""


class CorruptDocumentError(ExtractionError):
    """The document claims a supported format but cannot be read (bad ZIP, malformed XML, …)."""


class PasswordRequiredError(ExtractionError):
    """The document is encrypted and no (or a wrong) password was given."""


class LimitExceededError(ExtractionError):
    """Reading the document would exceed a resource limit (size, entries, XML depth, pages)."""


class InternalError(ExtractionError):
    """A bug inside the native core (a caught Rust panic); never a crash of the interpreter."""


#: Core error code -> Python exception class (``bridgemark_core::ErrorKind`` order).
ERROR_CLASSES: dict[int, type[Exception]] = {
    1: FileNotFoundError,
    2: IsADirectoryError,
    3: PermissionError,
    4: OSError,
    5: UnsupportedFormatError,
    6: CorruptDocumentError,
    7: PasswordRequiredError,
    8: LimitExceededError,
    9: ValueError,
    10: InternalError,
}


def error_from_code(code: int, message: str) -> Exception:
    """Returns the exception instance for core error ``code`` (1–10) with ``message``.

    An unknown code gives an :class:`InternalError` naming it, so a newer native
    library never makes an older Python side crash.
    """
    cls = ERROR_CLASSES.get(code)
    if cls is None:
        return InternalError(f"unknown error code {code}: {message}")
    return cls(message)
