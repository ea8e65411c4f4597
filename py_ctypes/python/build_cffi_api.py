"""Builds the cffi API-mode module ``_bridgemark_cffi_api`` (out-of-line, compiled).

Usage: ``python build_cffi_api.py OUT_DIR STATIC_LIB`` — compiles against the committed
``include/bridgemark.h``, links ``STATIC_LIB`` (``libbridgemark.a``) plus
``-lpthread -ldl -lm`` and writes ``OUT_DIR/_bridgemark_cffi_api<EXT_SUFFIX>``.
Intermediate files go to ``OUT_DIR/../cffi_api``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from cffi import FFI

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _bridgemark_cffi  # noqa: E402  (next to this script)


def main(out_dir: str, static_lib: str) -> None:
    out, work = Path(out_dir), Path(out_dir).parent / "cffi_api"
    ffibuilder = FFI()
    ffibuilder.cdef(_bridgemark_cffi.cdef())
    ffibuilder.set_source(
        "_bridgemark_cffi_api",
        '#include "bridgemark.h"',
        include_dirs=[str(_bridgemark_cffi.HEADER.parent)],
        extra_objects=[static_lib],
        libraries=["pthread", "dl", "m"],
        extra_compile_args=["-O2"],
        # Keep the Rust staticlib's symbols out of the module's dynamic symbol table.
        extra_link_args=["-Wl,--exclude-libs,ALL"],
    )
    built = Path(ffibuilder.compile(tmpdir=str(work), verbose=False))
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(built, out / built.name)  # fresh mtime: make compares it


if __name__ == "__main__":
    main(*sys.argv[1:])
