"""Where the C ABI's shared library is: shared by the ctypes and cffi ABI-mode bridges."""

from __future__ import annotations

import os
import sys

#: File name of the cdylib built from ``py_ctypes`` (copied into build/lib by ``make build-capi``).
LIBRARY_NAME = "libbridgemark.dylib" if sys.platform == "darwin" else "libbridgemark.so"


def find_library() -> str:
    """Returns the path of ``libbridgemark``: ``$BRIDGEMARK_LIB`` when set, else the
    first ``sys.path`` entry holding :data:`LIBRARY_NAME`.

    Raises:
        ImportError: neither is found (run ``make build-capi``).
    """
    explicit = os.environ.get("BRIDGEMARK_LIB")
    if explicit:
        return explicit
    for entry in sys.path:
        candidate = os.path.join(entry or os.curdir, LIBRARY_NAME)
        if os.path.isfile(candidate):
            return os.path.abspath(candidate)
    raise ImportError(f"{LIBRARY_NAME} is not on sys.path and BRIDGEMARK_LIB is not set (run `make build-capi`)")
