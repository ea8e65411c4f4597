"""The error classes every bridge raises, and the one table from core error codes to them.

The codes are ``bridgemark_core::ErrorKind`` (Rust), ``bm_status`` (C ABI) and
``bridgemark::Error::code()`` (C++): stable numbers, never reused. Every binding
turns a failed call into an exception through :func:`error_from_code` and nowhere else.
"""

from __future__ import annotations

import re


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
    library never makes an older Python side crash. Code 4 (``OSError``) with a message
    ``[Errno N] …`` gives ``OSError(N, …)``, which Python makes the errno's subclass.
    """
    cls = ERROR_CLASSES.get(code)
    if cls is None:
        return InternalError(f"unknown error code {code}: {message}")
    if cls is OSError and (m := _ERRNO.match(message)):
        return OSError(int(m[1]), m[2])  # Python picks the subclass: NotADirectoryError for ENOTDIR, …
    return cls(message)


#: ``[Errno N] rest``: the core's message for an OS error of no kind of its own (code 4).
_ERRNO = re.compile(r"\[Errno (\d+)\] (.*)", re.DOTALL)
