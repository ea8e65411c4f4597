"""Hostile documents, generated deterministically into ``<corpus>/hostile/`` by
``make corpus``: every one must give a typed ``ExtractionError`` (or, where marked, a
clean extraction) on every bridge, within seconds and bounded memory — never a crash,
a hang or an expansion.

:data:`EXPECTED` maps each file name to the exception class name it must raise
(``None``: it must extract). Real broken documents of ``../shared/corpus`` (its
``error`` entries) are tested beside these.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _zip(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx(document_xml: bytes | str) -> bytes:
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/document.xml": document_xml})


def _body(inner: str, prolog: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document {_W}><w:body>{inner}</w:body></w:document>'


def _docx_with_parts(body: str, rels: list[tuple[str, str, str]], parts: dict[str, str]) -> bytes:
    """A DOCX of main part ``_body(body)``, relationships ``(id, type suffix, target)`` of
    ``word/document.xml`` and more ``parts`` (name → XML)."""
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    doc_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(f'<Relationship Id="{i}" Type="{base}{t}" Target="{target}"/>' for i, t, target in rels)
                + "</Relationships>")
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/document.xml": _body(body),
                 "word/_rels/document.xml.rels": doc_rels, **parts})


def _nested_tables_in_headers(n_headers: int = 8, levels: int = 83, cell: int = 400_000) -> bytes:
    """``n_headers`` header parts, each of tables nested ``levels`` deep around a ``cell``-byte
    cell: each header alone stays just under the nested-table copy budget (32 MiB)."""
    r = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sections = "".join(f'<w:p><w:pPr><w:sectPr {r}><w:headerReference w:type="default" r:id="h{i}"/></w:sectPr></w:pPr></w:p>'
                       for i in range(n_headers))
    header = (f"<w:hdr {_W}>" + "<w:tbl><w:tr><w:tc>" * levels + f"<w:p><w:r><w:t>{'A' * cell}</w:t></w:r></w:p>"
              + "</w:tc></w:tr></w:tbl>" * levels + "</w:hdr>")
    return _docx_with_parts(sections, [(f"h{i}", "header", f"header{i}.xml") for i in range(n_headers)],
                            {f"word/header{i}.xml": header for i in range(n_headers)})


def _comments(n: int) -> bytes:
    """A DOCX whose comments part holds ``n`` empty comments."""
    return _docx_with_parts("<w:p/>", [("c", "comments", "comments.xml")],
                            {"word/comments.xml": f"<w:comments {_W}>" + "<w:comment/>" * n + "</w:comments>"})


def _zip_bomb(declared_gib: int = 1) -> bytes:
    """A DOCX whose main part inflates to ``declared_gib`` GiB of spaces (about 1 MiB on disk)."""
    head = _body("<w:p><w:r><w:t>").encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunks = [compressor.compress(head)]
    block = b" " * (1 << 20)
    chunks += [compressor.compress(block) for _ in range(declared_gib << 10)]
    chunks.append(compressor.flush())
    raw = b"".join(chunks)
    size = len(head) + (declared_gib << 30)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
    base = out.getvalue()
    # zipfile cannot store pre-compressed data: the bomb entry is written by hand. Its CRC
    # is left 0: the size limit must stop the reader long before a CRC could be checked.
    return _append_raw_entry(base, "word/document.xml", raw, size, 0)


def _entry_headers_set(archive: bytes, name: str, *, flags: int = 0, method: int | None = None) -> bytes:
    """``archive`` with entry ``name``'s general-purpose ``flags`` bits set and, if given, its
    compression ``method`` replaced, in its local and central headers (found by the name
    right after their fixed parts: 30 and 46 bytes); the data stay as they were."""
    import struct

    out, key = bytearray(archive), name.encode()
    at = archive.find(key)
    while at >= 0:
        for signature, fixed, bits_at in ((0x04034B50, 30, 6), (0x02014B50, 46, 8)):
            header = at - fixed
            if header >= 0 and struct.unpack_from("<I", out, header)[0] == signature:
                struct.pack_into("<H", out, header + bits_at, struct.unpack_from("<H", out, header + bits_at)[0] | flags)
                if method is not None:
                    struct.pack_into("<H", out, header + bits_at + 2, method)
        at = archive.find(key, at + 1)
    return bytes(out)


def _append_raw_entry(archive: bytes, name: str, raw: bytes, size: int, crc: int) -> bytes:
    """Rebuilds ``archive`` with one more deflated entry whose compressed bytes are ``raw``."""
    import struct

    src = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    central = []
    for info in src.infolist() + [None]:
        offset = out.tell()
        if info is None:
            fname, data, method, csize, usize, entry_crc = name.encode(), raw, 8, len(raw), size, crc
        else:
            fname, data = info.filename.encode(), zlib.compress(src.read(info.filename))[2:-4]
            method, csize, usize, entry_crc = 8, len(data), info.file_size, info.CRC
        zip64 = usize >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, usize, csize) if zip64 else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (csize, usize)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0x21, entry_crc, *sizes, len(fname), len(extra)))
        out.write(fname + extra + data)
        cextra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset) if zip64 else b""
        coffset = 0xFFFFFFFF if zip64 else offset
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0x21, entry_crc, *sizes,
                                   len(fname), len(cextra), 0, 0, 0, 0, coffset) + fname + cextra)
    cd_offset = out.tell()
    for c in central:
        out.write(c)
    cd_size = out.tell() - cd_offset
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_offset, 0))
    return out.getvalue()


def _many_entries(n: int = 100_000) -> bytes:
    parts: dict[str, bytes | str] = {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS,
                                     "word/document.xml": _body("<w:p/>")}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), data)
        for i in range(n):
            z.writestr(zipfile.ZipInfo(f"x/{i}", date_time=_EPOCH), b"")
    return out.getvalue()


_LAUGHS = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
_DOCTYPES = {
    "external-entity.docx": ('<!DOCTYPE w:document [<!ENTITY ext SYSTEM "file:///etc/passwd">]>', "&ext;"),
    "billion-laughs.docx": (f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{_LAUGHS}]>', "&l9;"),
    "network-entity.docx": ('<!DOCTYPE w:document [<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]>', "&net;"),
}


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body


def _pdf_document(objects: list[bytes]) -> bytes:
    """A well-formed PDF (header, objects ``1 0 obj`` …, xref table, trailer with ``/Root 1 0 R``)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


#: One page's text: 400 lines of 60 characters (about 24 KB of text per page).
_HEAVY_PAGE = b"BT /F1 10 Tf 12 TL 20 780 Td\n" + b"(" + b"x" * 60 + b") '\n" * 400 + b"ET\n"
#: Ten times :data:`_HEAVY_PAGE`: 50k pages of it take about 30 s of pdfium work on this
#: machine, ten times the budget, so the outcome does not depend on the machine's speed.
_HEAVIER_PAGE = _HEAVY_PAGE * 10


def _pdf_pages(n_pages: int, content: bytes, compress: bool = False) -> bytes:
    """A PDF of ``n_pages`` pages that all draw the one content stream ``content``
    (objects: catalog, page tree, font, content, then the pages)."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n_pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    return _pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content, compress),
        *[page] * n_pages,
    ])


def _rc4(key: bytes, data: bytes) -> bytes:
    """RC4 (the cipher of PDF's standard security handler, revision 2)."""
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


_PDF_PASSWORD_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _encrypted_pdf(user_password: bytes = b"secret") -> bytes:
    """A one-page PDF encrypted with RC4-40 (standard security handler, R2; PDF 1.7
    §7.6.3.3-4): opening it needs ``user_password``."""
    import hashlib

    def pad(pw: bytes) -> bytes:
        return (pw + _PDF_PASSWORD_PAD)[:32]

    doc_id, permissions = b"bridgemark-hostile", -44
    owner = _rc4(hashlib.md5(pad(b"owner")).digest()[:5], pad(user_password))
    key = hashlib.md5(pad(user_password) + owner + permissions.to_bytes(4, "little", signed=True) + doc_id).digest()[:5]
    content = _rc4(hashlib.md5(key + (4).to_bytes(3, "little") + b"\0\0").digest()[:10],
                   b"BT /F1 12 Tf 72 720 Td (secret text) Tj ET")
    encrypt = (b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
               % (owner.hex().encode(), _rc4(key, _PDF_PASSWORD_PAD).hex().encode(), permissions))
    out = _pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
        encrypt,
    ])
    return out.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>"
                       % (doc_id.hex().encode(), doc_id.hex().encode()))


def _encrypted_ooxml() -> bytes:
    """The start of an encrypted OOXML file as Office writes it: a CFB (OLE2) header and a
    directory sector naming ``EncryptionInfo`` and ``EncryptedPackage`` (the streams'
    content is not needed to recognise it)."""
    import struct

    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header = header.ljust(512, b"\0")

    def entry(name: str, kind: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)).ljust(128, b"\0")

    directory = entry("Root Entry", 5) + entry("EncryptionInfo", 2) + entry("EncryptedPackage", 2) + b"\0" * 128
    return header + directory


def _generators() -> dict[str, tuple[Callable[[], bytes], str | None]]:
    """File name → (bytes generator, expected exception class name or ``None``)."""
    rng = random.Random(5)
    noise = bytes(rng.getrandbits(8) for _ in range(64 * 1024))
    valid = _docx(_body("<w:p><w:r><w:t>ok</w:t></w:r></w:p>"))
    gens: dict[str, tuple[Callable[[], bytes], str | None]] = {
        "zero-bytes.docx": (lambda: b"", "UnsupportedFormatError"),
        "random-bytes.docx": (lambda: noise, "UnsupportedFormatError"),
        "text-named.docx": (lambda: b"this is plain text, not a document\n" * 10, "UnsupportedFormatError"),
        "text-named.pdf": (lambda: b"this is plain text, not a document\n" * 10, "UnsupportedFormatError"),
        "truncated-zip.docx": (lambda: valid[: len(valid) // 2], "CorruptDocumentError"),
        "zip-without-main-part.docx": (lambda: _zip({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": _body("")}),
                                       "UnsupportedFormatError"),
        "rels-name-missing-part.docx": (lambda: _zip({"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS}),
                                        "CorruptDocumentError"),
        "zip-bomb-1gib.docx": (_zip_bomb, "LimitExceededError"),
        "zip-100k-entries.docx": (_many_entries, "LimitExceededError"),
        "deep-nesting-10000.docx": (lambda: _docx(_body("<w:p>" + "<w:r>" * 10_000 + "</w:r>" * 10_000 + "</w:p>")),
                                    "LimitExceededError"),
        "invalid-utf8.docx": (lambda: _docx(_body("<w:p><w:r><w:t>X</w:t></w:r></w:p>").encode().replace(b"X", b"\xff\xfe")),
                              "CorruptDocumentError"),
        "malformed-xml.docx": (lambda: _docx(_body("<w:p><w:r><w:t>unclosed</w:r></w:p>")), "CorruptDocumentError"),
        "text-run-50mb.docx": (lambda: _docx(_body("<w:p><w:r><w:t>" + "a" * (50 << 20) + "</w:t></w:r></w:p>")), None),
        "nested-tables-80.docx": (lambda: _docx(_body("<w:tbl><w:tr><w:tc>" * 80 + "<w:p><w:r><w:t>" + "a" * (1 << 20)
                                                      + "</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 80)),
                                  "LimitExceededError"),
        # Regression: 15M empty rows (a 154 KB file) took 1.4–4.3 GB and up to 30 s; the core
        # stops past limits::MAX_RESULT_OBJECTS tables, rows, cells and comments (1M).
        "table-rows-1200k.docx": (lambda: _docx(_body("<w:tbl>" + "<w:tr/>" * 1_200_000 + "</w:tbl>")),
                                  "LimitExceededError"),
        # Regression: the copy budget started again in each part, so 320 such headers (222 KB)
        # took over 4 GiB and aborted; 8 took 529 MiB. The budget now spans the document.
        "nested-tables-in-8-headers.docx": (_nested_tables_in_headers, "LimitExceededError"),
        # Regression: 10M empty comments (234 KB) took 1.9 GB and 22 s on ctypes; comments count
        # towards limits::MAX_RESULT_OBJECTS as tables, rows and cells do.
        "comments-1200k.docx": (lambda: _comments(1_200_000), "LimitExceededError"),
        "zip64-declares-512gib.docx": (lambda: _append_raw_entry(_zip({"[Content_Types].xml": _CONTENT_TYPES,
                                                                       "_rels/.rels": _RELS}),
                                                                  "word/document.xml", b"\x03\x00", 512 << 30, 0),
                                       "CorruptDocumentError"),
        # The core reads stored and deflated entries only, and no ZIP encryption (a password
        # is for PDF): an encrypted entry asks for one, any other method (99: WinZip AES) is corrupt.
        "zip-encrypted-entry.docx": (lambda: _entry_headers_set(valid, "word/document.xml", flags=0x1),
                                     "PasswordRequiredError"),
        "zip-method-99-entry.docx": (lambda: _entry_headers_set(valid, "word/document.xml", method=99),
                                     "CorruptDocumentError"),
        "garbage.pdf": (lambda: _pdf(noise), "CorruptDocumentError"),
        "encrypted-ooxml.docx": (_encrypted_ooxml, "PasswordRequiredError"),
        "encrypted-rc4.pdf": (_encrypted_pdf, "PasswordRequiredError"),
        "truncated.pdf": (lambda: _pdf(b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type"), "CorruptDocumentError"),
        # Regression: 50k pages drawing one heavy stream ran unbounded (pdfium parses it per
        # page): the page loop has a time budget (core limits::PDF_TIME_BUDGET). Regression
        # of the regression: with a 24 KB stream the run sat at the budget (about 3 s on a
        # quiet machine), so the outcome flipped with the load; the stream is now 10× heavier.
        "pdf-50k-pages-one-heavy-content.pdf": (lambda: _pdf_pages(50_000, _HEAVIER_PAGE), "LimitExceededError"),
        # One page of a 195 MB (inflated; 27 KB on disk) content stream: pdfium reads it in < 1 s.
        "pdf-one-page-200mb-content.pdf": (lambda: _pdf_pages(1, _HEAVY_PAGE * 8_000, compress=True), None),
    }
    for name, (doctype, ref) in _DOCTYPES.items():
        gens[name] = ((lambda d=doctype, r=ref: _docx(_body(f"<w:p><w:r><w:t>a{r}b</w:t></w:r></w:p>", d))), None)
    return gens


#: File name → exception class name it must raise (``None``: extracts cleanly).
EXPECTED: dict[str, str | None] = {name: expected for name, (_, expected) in _generators().items()}


def generate(out_dir: Path) -> list[Path]:
    """Writes every hostile document into ``out_dir`` (rewriting only those whose bytes
    changed, so a generator change reaches an old checkout); returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (make, _) in _generators().items():
        path = out_dir / name
        data = make()
        if not path.exists() or path.stat().st_size != len(data) or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths
