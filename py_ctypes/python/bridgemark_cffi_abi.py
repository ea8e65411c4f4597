"""cffi ABI-mode bridge (``bridgemark.load("cffi_abi")``): ``ffi.dlopen`` of ``libbridgemark.so``.

The cdef comes from the committed header (:func:`_bridgemark_cffi.cdef`). The probes
``noop``, ``add``, ``spin`` are the cffi functions themselves (``lib.bm_noop``, …);
``extract_file``, ``extract_bytes``, ``echo``, ``make_result``, ``leak`` and ``panic`` are the shared Python
marshalling of :mod:`_bridgemark_cffi`. cffi releases the GIL around every C call.
The library is ``$BRIDGEMARK_LIB`` or the first ``libbridgemark.so`` on ``sys.path``.
"""

from __future__ import annotations

from cffi import FFI

import _bridgemark_cffi
from _bridgemark_args import core_clock
from _bridgemark_lib import find_library

__all__ = ["extract_file", "extract_bytes", "noop", "add", "echo", "make_result", "spin", "core_clock_ns", "leak", "panic"]

ffi = FFI()
ffi.cdef(_bridgemark_cffi.cdef())
lib = ffi.dlopen(find_library())

noop = lib.bm_noop
add = lib.bm_add
spin = lib.bm_spin
core_clock_ns = core_clock(lib.bm_core_clock_ns)  # an instrument, not a probe: its bool checked first
extract_file, extract_bytes, echo, make_result, leak, panic = _bridgemark_cffi.bind(ffi, lib)
