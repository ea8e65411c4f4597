"""cffi API-mode bridge (``bridgemark.load("cffi_api")``): the compiled out-of-line module
``_bridgemark_cffi_api`` (built by ``build_cffi_api.py``, ``libbridgemark.a`` linked in statically).

The probes ``noop``, ``add``, ``spin`` are the compiled cffi functions themselves
(``lib.bm_noop``, …); ``extract_file``, ``extract_bytes``, ``echo``, ``make_result``,
``leak`` and ``panic`` are the shared Python marshalling of :mod:`_bridgemark_cffi`. cffi releases the GIL
around every C call.
"""

from __future__ import annotations

import _bridgemark_cffi
from _bridgemark_args import core_clock
from _bridgemark_cffi_api import ffi, lib

__all__ = ["extract_file", "extract_bytes", "noop", "add", "echo", "make_result", "spin", "core_clock_ns", "leak", "panic"]

noop = lib.bm_noop
add = lib.bm_add
spin = lib.bm_spin
core_clock_ns = core_clock(lib.bm_core_clock_ns)  # an instrument, not a probe: its bool checked first
extract_file, extract_bytes, echo, make_result, leak, panic = _bridgemark_cffi.bind(ffi, lib)
