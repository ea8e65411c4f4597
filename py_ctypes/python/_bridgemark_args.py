"""Python arguments → C ABI values for the ctypes and cffi bridges, checked the way PyO3
converts them (same exception class and message), so that a bad ``password``,
``config`` or ``message`` fails alike on every bridge and never wraps silently.

Only the non-default paths come here: with ``password=None`` and ``config=None`` the
bridges pass NULL for the ``bm_config *`` without calling anything of this module.
"""

from __future__ import annotations

import os
import sys
from operator import index

_U32_MAX = (1 << 32) - 1
_U64_MAX = (1 << 64) - 1
_C_LONG_MIN, _C_LONG_MAX = -(1 << 63), (1 << 63) - 1  # PyO3 reads a u32 through a C long (LP64)


def utf8(value: object) -> bytes:
    """The UTF-8 bytes of ``value``, which must be a ``str`` (PyO3's ``&str``/``String``).

    Raises:
        TypeError: ``value`` is not a ``str``.
        UnicodeEncodeError: ``value`` holds lone surrogates.
    """
    if not isinstance(value, str):
        raise TypeError(f"'{type(value).__name__}' object is not an instance of 'str'")
    return value.encode()


_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()


def data_bytes(value: object) -> bytes:
    """``value``, which must be ``bytes`` (PyO3's ``&[u8]`` from ``PyBytes``), as an exact ``bytes``:
    the C ABI gets its buffer and ``len()`` of it, so a subclass is copied through its buffer
    (``memoryview``) and its own ``__len__`` never reaches C (a subclass claiming 2**30 bytes made
    the C ABI read past a 100 KB buffer: SIGSEGV).

    Raises:
        TypeError: ``value`` is not ``bytes`` (a ``list`` or ``bytearray`` included, as on PyO3).
    """
    if type(value) is bytes:
        return value
    if isinstance(value, bytes):
        return bytes(memoryview(value))
    raise TypeError(f"'{type(value).__name__}' object is not an instance of 'bytes'")


def path_bytes(path: object) -> bytes:
    """``path`` (``str``, ``bytes`` or ``os.PathLike`` of either) as the exact ``bytes`` the C ABI
    reads, as ``PyUnicode_FSConverter`` gives them to the C-API bridges: a ``str`` encoded by
    ``str.encode`` itself in the file system encoding (a subclass's own ``encode`` is not called)
    and a ``bytes`` subclass copied (see :func:`data_bytes`).

    Raises:
        TypeError: not a path (``os.fspath``'s error).
        UnicodeEncodeError: a ``str`` the file system encoding cannot encode.
    """
    path = os.fspath(path)
    if isinstance(path, str):
        return str.encode(path, _FS_ENCODING, _FS_ERRORS)
    return data_bytes(path)


def core_clock(c_clock):
    """``core_clock_ns(on: bool) -> int`` over the C ABI's ``bm_core_clock_ns`` (``c_clock``, as
    ctypes or cffi gives it), ``on`` checked as PyO3 checks a ``bool``: ``TypeError`` for any
    other type (ctypes and cffi would take an int or anything truthy). Not a probe: never timed.
    """

    def core_clock_ns(on: bool) -> int:
        if not isinstance(on, bool):
            raise TypeError(f"'{type(on).__name__}' object is not an instance of 'bool'")
        return c_clock(on)

    return core_clock_ns


def _u64(value: object) -> int:
    """``value`` as a u64, or PyO3's ``TypeError``/``OverflowError``."""
    n = index(value)  # TypeError: "'str' object cannot be interpreted as an integer"
    if n < 0:
        raise OverflowError("can't convert negative int to unsigned")
    if n > _U64_MAX:
        raise OverflowError("int too big to convert")
    return n


def _u32(value: object) -> int:
    """``value`` as a u32, or PyO3's ``TypeError``/``OverflowError``."""
    n = index(value)
    if not _C_LONG_MIN <= n <= _C_LONG_MAX:
        raise OverflowError("Python int too large to convert to C long")
    if not 0 <= n <= _U32_MAX:
        raise OverflowError("out of range integral type conversion attempted")
    return n


def limits(config: object) -> tuple[int, int, int, int]:
    """``(max_decompressed_bytes, max_zip_entries, max_xml_depth, max_pages)`` of a
    ``bridgemark.Config`` (any object with those attributes), range-checked for the
    C fields (u64, u64, u32, u32).

    Raises:
        AttributeError: an attribute is missing (``config`` is not a ``Config``).
        TypeError: a value is not an integer.
        OverflowError: a value is negative or too large for its C field.
    """
    return (
        _u64(config.max_decompressed_bytes),
        _u64(config.max_zip_entries),
        _u32(config.max_xml_depth),
        _u32(config.max_pages),
    )
