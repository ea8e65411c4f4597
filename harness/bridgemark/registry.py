"""The binding registry: ``bridgemark.load(name)`` returns a bridge by its DESIGN.md name.

Every bridge is a module-like object with the same functions:

- ``extract_file(path: str | bytes | os.PathLike, password: str | None = None,
  config: Config | None = None) -> ExtractionResult``
- ``extract_bytes(data: bytes, mime_type: str | None = None, password: str | None = None,
  config: Config | None = None) -> ExtractionResult``
  (``config=None`` means the core's defaults, with no conversion cost)
- probes: ``noop() -> None``, ``add(a: int, b: int) -> int`` (i64, wrapping),
  ``echo(s: str) -> str``, ``make_result(n_chars: int, n_tables: int) -> ExtractionResult``,
  ``spin(ns: int) -> None`` (busy-waits ``ns`` nanoseconds, GIL released),
  ``leak(n_bytes: int) -> None`` (leaks ``n_bytes`` on purpose; ``InternalError`` when
  they cannot be allocated),
  ``panic(message: str) -> None`` (test-only: always raises ``InternalError``).
- the core clock (an instrument, not a probe): ``core_clock_ns(on: bool) -> int``, the ns the
  bridge's own copy of the core spent in ``extract_file`` calls started while its clock was on,
  since the previous call; it resets the sum and turns the clock on or off (off at import).
  Each bridge links its own copy of the core, so each reads its own (``bridgemark_core::clock``).

For the probes a bridge hands out its native callables themselves wherever the bridge
allows it (equal wrapper depth): :data:`WRAPPER_DEPTH` states, per bridge, how many
Python-level frames stand between the caller and native code.

Every bridge takes the path as ``os.fsencode`` does (``str``, ``bytes`` or
``os.PathLike``) and raises ``TypeError`` for an argument of the wrong type (ctypes'
three native probes excepted: ctypes raises ``ctypes.ArgumentError`` there). An integer
out of its C range still differs: ``OverflowError`` on pyo3, capi and cffi, ``TypeError``
on pybind11 (its integer caster), silently wrapped by ctypes (so ``spin(-1)`` on ctypes
spins for 2**64 - 1 ns).
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Bridges in report order: the C-API floor first, then the bridges under study.
BRIDGES: tuple[str, ...] = ("capi", "pyo3", "pybind11", "cffi_api", "cffi_abi", "ctypes")
#: The C-API floor: a hand-written CPython extension over the C ABI, the least a Python→native call costs.
FLOOR = "capi"
#: Everything ``load`` knows: the bridges plus the pure-Python baseline (DOCX only).
IMPLEMENTATIONS: tuple[str, ...] = BRIDGES + ("pure_python",)
#: Other extractors measured on the same files (extraction time, fidelity); not bridges.
PEERS: tuple[str, ...] = ("kreuzberg", "pypdfium2")

_MODULES: dict[str, str] = {
    "capi": "bridgemark_capi",
    "pyo3": "bridgemark_pyo3",
    "pybind11": "bridgemark_pybind11",
    "cffi_api": "bridgemark_cffi_api",
    "cffi_abi": "bridgemark_cffi_abi",
    "ctypes": "bridgemark_ctypes",
    "pure_python": "bridgemark.pure_python",
    "kreuzberg": "bridgemark.peers.kreuzberg_peer",
    "pypdfium2": "bridgemark.peers.pypdfium2_peer",
}

#: Python frames between the caller and native code: (probes noop/add/spin, extraction/echo/make_result/leak).
WRAPPER_DEPTH: dict[str, tuple[int, int]] = {
    "capi": (0, 0),
    "pyo3": (0, 0),
    "pybind11": (0, 0),
    "cffi_api": (0, 1),
    "cffi_abi": (0, 1),
    "ctypes": (0, 1),
    "pure_python": (1, 1),
}


def load(name: str) -> ModuleType:
    """Imports and returns the bridge called ``name`` (one of :data:`IMPLEMENTATIONS` or :data:`PEERS`).

    Raises:
        KeyError: ``name`` is not a known bridge.
        ImportError: the bridge is not built (run ``make build``).
    """
    try:
        module = _MODULES[name]
    except KeyError:
        raise KeyError(f"unknown bridge {name!r}; known: {', '.join(IMPLEMENTATIONS + PEERS)}") from None
    return importlib.import_module(module)
