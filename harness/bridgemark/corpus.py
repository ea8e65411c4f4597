"""The documents bridgemark measures: the embedded default corpus and the shared real one.

The default corpus is generated here, deterministically (same bytes on every run and
machine), with python-docx: ``paragraphs-{1,10,100,1000}.docx``, each with text in
several scripts and tables (one per 20 paragraphs, at least one). The real documents of
``../shared/corpus`` are used when present (never copied into the repository).
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from datetime import datetime
from pathlib import Path

#: Paragraph counts of the generated files.
SIZES: tuple[int, ...] = (1, 10, 100, 1000)
#: The seed report's documents, relative to the shared corpus; always in the report.
SEED_FILES: tuple[str, ...] = ("kreuzberg/fake.docx", "kreuzberg/lorem_ipsum.docx")
#: The seed report's PDF, measured in quick runs too.
SEED_PDF = "kreuzberg/fake_memo.pdf"

_WORDS = (
    "bridge marshalling vectorcall extension module interpreter buffer ownership latency "
    "throughput allocation parser document paragraph table élan naïve Größe Ärger "
    "数据 文档 συνάρτηση документ"
).split()
_FIXED_DATE = datetime(2026, 1, 1, 12, 0, 0)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def shared_corpus_dir() -> Path | None:
    """The shared real-document corpus: ``$BRIDGEMARK_SHARED_CORPUS``, else ``../shared/corpus``
    beside the repository; ``None`` when neither exists."""
    env = os.environ.get("BRIDGEMARK_SHARED_CORPUS")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "corpus")
    return next((p for p in candidates if p.is_dir()), None)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + "."


def _document_bytes(n_paragraphs: int) -> bytes:
    """A DOCX with ``n_paragraphs`` paragraphs and ``max(1, n_paragraphs // 20)`` 3×4 tables."""
    import docx  # python-docx; imported here so the package imports without it

    rng = random.Random(n_paragraphs)
    doc = docx.Document()
    props = doc.core_properties
    props.title = f"bridgemark generated corpus: {n_paragraphs} paragraphs"
    props.author = "bridgemark"
    props.created = props.modified = _FIXED_DATE
    props.last_modified_by = "bridgemark"
    n_tables = max(1, n_paragraphs // 20)
    table_every = max(1, n_paragraphs // n_tables)
    for i in range(n_paragraphs):
        doc.add_paragraph(" ".join(_sentence(rng) for _ in range(rng.randint(1, 4))))
        if (i + 1) % table_every == 0 and len(doc.tables) < n_tables:
            table = doc.add_table(rows=3, cols=4)
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    cell.text = f"r{r}c{c} {rng.choice(_WORDS)}"
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrites a ZIP with fixed timestamps and entry order, so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def generated_name(n_paragraphs: int) -> str:
    """File name of the generated document with ``n_paragraphs`` paragraphs."""
    return f"paragraphs-{n_paragraphs}.docx"


def generate(out_dir: Path) -> list[Path]:
    """Writes the default corpus into ``out_dir`` (created if needed); returns the paths.

    Files are rewritten only when their bytes change, so repeated runs are cheap and
    leave timestamps alone.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in SIZES:
        path = out_dir / generated_name(n)
        data = _document_bytes(n)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


def pdf_files() -> list[Path]:
    """Every ``.pdf`` of the shared corpus (sorted by path); none when it is absent."""
    shared = shared_corpus_dir()
    return sorted(shared.rglob("*.pdf")) if shared is not None else []


def docx_files(generated_dir: Path) -> list[Path]:
    """Every DOCX to measure or test: the generated ones in ``generated_dir`` (sorted by
    size), then every ``.docx`` of the shared corpus (sorted by path), if present."""
    files = [Path(generated_dir) / generated_name(n) for n in SIZES]
    files = [p for p in files if p.exists()]
    shared = shared_corpus_dir()
    if shared is not None:
        files += sorted(shared.rglob("*.docx"))
    return files
