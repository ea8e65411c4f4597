"""The pure-Python baseline: the Rust core's DOCX rules written with the standard library
only (``zipfile`` + ``xml.etree.ElementTree``), with the same functions as every bridge
(``bridgemark.load("pure_python")``).

Known differences from the core (the report lists them): DOCX only (PDF and CFB input
raise ``UnsupportedFormatError``); the body only: no headers, footers, notes, comments
or SmartArt text; no ``w:caps``, ``w:sym``, Symbol-font or deleted-paragraph-mark
handling; each part is parsed into a tree instead of streamed; malformed-XML messages
carry ElementTree's wording; there is no decompressed-size or entry-count limit. The probes are plain Python functions: their cost is that of a
Python-level call, the reference a native bridge is compared with.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import time
import xml.etree.ElementTree as ET
import zipfile
from posixpath import join, normpath

from bridgemark.config import MAX_FILE_BYTES, Config
from bridgemark.errors import (
    CorruptDocumentError,
    InternalError,
    LimitExceededError,
    PasswordRequiredError,
    UnsupportedFormatError,
)
from bridgemark.result import ExtractionResult

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DEFAULT = Config()
_SKIPPED = frozenset("del moveFrom instrText delText Fallback pPr rPr sectPr tblPr tcPr trPr".split())
_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_CORE_PROPERTIES = "/core-properties"
_REL_EXTENDED_PROPERTIES = "/extended-properties"
_leaked: list[bytearray] = []


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _parse(part: str, xml: str) -> ET.Element:
    try:
        return ET.fromstring(xml)
    except ET.ParseError as e:
        raise CorruptDocumentError(f"malformed XML in {part}: {e}") from None


class _Package:
    """A ZIP package with case-insensitive part names."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as e:
            raise CorruptDocumentError(f"not a readable ZIP archive: {e}") from None
        self.names = {n.lstrip("/").lower(): n for n in self.zip.namelist()}

    def read(self, name: str) -> str | None:
        """Part ``name`` as text, ``None`` when absent; the core's rules (``package.rs``): an
        encrypted entry is ``PasswordRequiredError``, a method other than stored or deflate
        ``CorruptDocumentError``."""
        real = self.names.get(name.lower())
        if real is None:
            return None
        info = self.zip.getinfo(real)
        if info.flag_bits & 0x1:
            raise PasswordRequiredError(f"part {name} is encrypted (ZIP encryption)")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CorruptDocumentError(f"part {name} uses unsupported compression method {info.compress_type}")
        try:
            raw = self.zip.read(real)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise CorruptDocumentError(f"cannot inflate part {name}: {e}") from None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise CorruptDocumentError(f"part {name} is not valid UTF-8: {e}") from None

    def target(self, suffix: str) -> str | None:
        """Part named by the package relationship whose type ends with ``suffix``."""
        rels = self.read("_rels/.rels")
        for rel in _parse("_rels/.rels", rels).iter() if rels else ():
            if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith(suffix):
                if rel.get("TargetMode") != "External":
                    return normpath(join("/", rel.get("Target", ""))).lstrip("/")
        return None


class _Body:
    """The core's walk (``core/src/docx.rs``) over an element tree: blocks separated by
    ``\\n``, cells by ``\\t``, rows by ``\\n``, tables also collected."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.sinks: list[list] = [["", 0]]  # [text, blocks started]
        self.tables: list[list[list[str]]] = []
        self.open_tables: list[tuple[int, list, list]] = []  # (slot, rows, current row)
        self.tags: list[str] = []

    def _start_block(self) -> None:
        sink = self.sinks[-1]
        if sink[1]:
            sink[0] += "\n"
        sink[1] += 1

    def walk(self, element: ET.Element, depth: int = 1) -> None:
        if depth > self.max_depth:
            raise LimitExceededError(f"XML nests deeper than the limit of {self.max_depth} elements")
        name = _local(element.tag)
        if name in _SKIPPED:
            return
        in_run = bool(self.tags) and self.tags[-1] == "r"
        tag = name if name in ("r", "tbl", "tr", "tc") else ""
        if name == "p":
            self._start_block()
        elif name == "t" and in_run:
            tag = "t"
        elif name == "tab" and in_run:
            self.sinks[-1][0] += "\t"
        elif name in ("br", "cr") and in_run:
            self.sinks[-1][0] += "\n"
        elif name == "tbl":
            self._start_block()
            self.open_tables.append((len(self.tables), [], []))
            self.tables.append([])
        elif name == "tc":
            self.sinks.append(["", 0])
        self.tags.append(tag)
        if tag == "t" and element.text:
            self.sinks[-1][0] += element.text
        for child in element:
            self.walk(child, depth + 1)
            if tag == "t" and child.tail:
                self.sinks[-1][0] += child.tail
        self.tags.pop()
        self._end(tag)

    def _end(self, tag: str) -> None:
        if tag == "tc":
            cell = self.sinks.pop()[0]
            if self.open_tables:
                self.open_tables[-1][2].append(cell)
        elif tag == "tr" and self.open_tables:
            slot, rows, row = self.open_tables.pop()
            rows.append(row)
            self.open_tables.append((slot, rows, []))
        elif tag == "tbl":
            slot, rows, _ = self.open_tables.pop()
            self.sinks[-1][0] += "\n".join("\t".join(row) for row in rows)
            self.tables[slot] = rows


def _metadata(core: str | None, extended: str | None) -> dict:
    """title, authors, created, modified from the core properties and page_count,
    word_count from the extended properties (keys set only when present)."""
    meta: dict = {}
    for el in _children(extended):
        name, value = _local(el.tag), (el.text or "").strip()
        if name in ("Pages", "Words") and value.isdigit():
            meta["page_count" if name == "Pages" else "word_count"] = int(value)
    for el in _children(core):
        value = (el.text or "").strip()
        name = _local(el.tag)
        if not value:
            continue
        if name == "title":
            meta["title"] = value
        elif name == "creator":
            authors = [a.strip() for a in value.split(";") if a.strip()]
            if authors:
                meta["authors"] = authors
        elif name in ("created", "modified"):
            meta[name] = value
    return {k: meta[k] for k in ("title", "authors", "created", "modified", "page_count", "word_count") if k in meta}


def _children(xml: str | None) -> list[ET.Element]:
    """Top-level elements of a property part; none when absent or malformed."""
    if xml is None:
        return []
    try:
        return list(ET.fromstring(xml))
    except ET.ParseError:
        return []


def extract_bytes(
    data: bytes, mime_type: str | None = None, password: str | None = None, config: Config | None = None
) -> ExtractionResult:
    """Extracts a DOCX from ``data``; raises the ``bridgemark.errors`` classes.

    ``password`` is accepted for signature parity and unused (DOCX only); of ``config``
    only ``max_xml_depth`` applies."""
    if not isinstance(data, bytes):
        raise TypeError(f"'{type(data).__name__}' object is not an instance of 'bytes'")
    depth = (config or _DEFAULT).max_xml_depth
    if mime_type not in (None, DOCX_MIME):
        raise UnsupportedFormatError(f"unsupported MIME type: {mime_type}")
    if not data:
        raise UnsupportedFormatError("empty input (0 bytes)")
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise UnsupportedFormatError("pure_python reads DOCX (ZIP) input only")
    package = _Package(data)
    main = package.target(_REL_OFFICE_DOCUMENT)
    if main is None:
        raise UnsupportedFormatError("ZIP archive is not an OOXML package (no officeDocument relationship)")
    xml = package.read(main)
    if xml is None:
        raise CorruptDocumentError(f"main document part {main} named in _rels/.rels is missing")
    body = _Body(depth)
    body.walk(_parse(main, xml))
    core = package.target(_REL_CORE_PROPERTIES)
    extended = package.target(_REL_EXTENDED_PROPERTIES)
    metadata = _metadata(package.read(core) if core else None, package.read(extended) if extended else None)
    return ExtractionResult(body.sinks[0][0], DOCX_MIME, metadata, body.tables)


def extract_file(
    path: str | bytes | os.PathLike, password: str | None = None, config: Config | None = None
) -> ExtractionResult:
    """Reads ``path`` (:func:`read_file`) and extracts it; ``OSError`` subclasses propagate as
    Python raises them."""
    return extract_bytes(read_file(path), None, password, config)


def read_file(path: str | bytes | os.PathLike) -> bytes:
    """The bytes of the regular file at ``path``, as the core reads one (``bridgemark_core::file::read``):
    opened non-blocking (a FIFO returns at once), refused unless regular, at most
    :data:`bridgemark.config.MAX_FILE_BYTES`.

    Raises:
        OSError: the system's (``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``, …).
        UnsupportedFormatError: a FIFO, a device or a socket.
        LimitExceededError: a file above ``MAX_FILE_BYTES``.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode, size = (st := os.fstat(fd)).st_mode, st.st_size
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(mode):
            what = ("a FIFO" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
                    else "a block device" if stat.S_ISBLK(mode) else "a socket")
            raise UnsupportedFormatError(f"not a regular file ({what}): {os.fsdecode(path)}")
        data = b""
        if size <= MAX_FILE_BYTES:  # by its size, then by what it gave (a /proc file says 0 bytes)
            with os.fdopen(fd, "rb", closefd=False) as f:
                data = f.read(MAX_FILE_BYTES + 1)
        if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
            raise LimitExceededError(f"file larger than {MAX_FILE_BYTES} bytes: {os.fsdecode(path)}")
        return data
    finally:
        os.close(fd)


def noop() -> None:
    """The bare Python-level call."""


def add(a: int, b: int) -> int:
    """``a + b`` wrapped to i64, as the core's ``add``."""
    return ((a + b + 2**63) % 2**64) - 2**63


def echo(s: str) -> str:
    """Returns ``s`` (Python strings are immutable: no copy is needed)."""
    return s


_PROBE_TEXT = "lorem ipsum dolor sit amet, consectetur adipiscing elit\n"


def make_result(n_chars: int, n_tables: int) -> ExtractionResult:
    """The core's ``probe::make_result`` built in Python."""
    content = (_PROBE_TEXT * (n_chars // len(_PROBE_TEXT) + 1))[:n_chars]
    tables = [[[f"t{t}r{r}c{c}" for c in range(3)] for r in range(3)] for t in range(n_tables)]
    metadata = {
        "title": "probe",
        "authors": ["bridgemark"],
        "created": "2026-01-01T00:00:00Z",
        "modified": "2026-01-02T00:00:00Z",
        "page_count": 1,
        "word_count": n_chars // 6,
        "comments": ["a comment"],
    }
    return ExtractionResult(content, "text/plain", metadata, tables)


def spin(ns: int) -> None:
    """Busy-waits ``ns`` nanoseconds holding the GIL (pure Python cannot release it)."""
    deadline = time.perf_counter_ns() + ns
    while time.perf_counter_ns() < deadline:
        pass


def panic(message: str) -> None:
    """The core's test-only panic probe: raises ``InternalError`` as every bridge does."""
    raise InternalError(f"internal error (Rust panic): {message}")


def leak(n_bytes: int) -> None:
    """Keeps ``n_bytes`` bytes alive forever (the leak-detector control)."""
    _leaked.append(bytearray(b"\xa5" * n_bytes))
