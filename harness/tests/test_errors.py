"""Same errors everywhere: the same exception type and message on every bridge."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import zipfile

import pytest

import bridgemark
from bridgemark import corpus
from conftest import GENERATED, outcome


@pytest.fixture
def generated_docx():
    return GENERATED / corpus.generated_name(100)

BAD_BYTES = {
    "empty": b"",
    "text": b"just some text, not a document",
    "truncated_zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00garbage",
    "cfb_not_encrypted": bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504,
}


@pytest.fixture
def zip_without_main_part(tmp_path):
    path = tmp_path / "nomain.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.mark.parametrize("name", BAD_BYTES)
def test_bad_bytes_raise_the_reference_error(bridge, reference, name):
    got = outcome(bridge.extract_bytes, BAD_BYTES[name])
    assert isinstance(got, tuple) and issubclass(got[0], bridgemark.ExtractionError)
    assert got == outcome(reference.extract_bytes, BAD_BYTES[name])


def test_missing_file_is_file_not_found(bridge, tmp_path):
    missing = tmp_path / "missing.docx"
    with pytest.raises(FileNotFoundError, match="no such file or directory"):
        bridge.extract_file(missing)
    with pytest.raises(FileNotFoundError):
        bridge.extract_file(str(missing))


def test_directory_is_a_directory_error(bridge, tmp_path):
    with pytest.raises(IsADirectoryError):
        bridge.extract_file(tmp_path)


def test_corrupt_file_is_corrupt_document_error(bridge, reference, tmp_path):
    path = tmp_path / "corrupt.docx"
    path.write_bytes(BAD_BYTES["truncated_zip"])
    with pytest.raises(bridgemark.CorruptDocumentError):
        bridge.extract_file(path)
    assert outcome(bridge.extract_file, path) == outcome(reference.extract_file, path)


def test_zip_without_main_part_is_unsupported(bridge, zip_without_main_part):
    with pytest.raises(bridgemark.UnsupportedFormatError, match="not an OOXML package"):
        bridge.extract_file(zip_without_main_part)


def test_unknown_mime_type_is_unsupported(bridge):
    with pytest.raises(bridgemark.UnsupportedFormatError, match="image/png"):
        bridge.extract_bytes(b"PK\x03\x04", "image/png")


LIMITS = {
    "depth": bridgemark.Config(max_xml_depth=3),
    "entries": bridgemark.Config(max_zip_entries=2),
    "inflated_bytes": bridgemark.Config(max_decompressed_bytes=100),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_exceeding_a_limit_is_limit_exceeded_with_the_same_message(bridge, reference, limit, generated_docx):
    config = LIMITS[limit]
    got = outcome(lambda: bridge.extract_file(generated_docx, config=config))
    assert isinstance(got, tuple) and got[0] is bridgemark.LimitExceededError
    assert got == outcome(lambda: reference.extract_file(generated_docx, config=config))
    assert outcome(lambda: bridge.extract_bytes(generated_docx.read_bytes(), config=config)) == got


def test_default_config_equals_no_config(bridge, generated_docx):
    assert bridge.extract_file(generated_docx, config=bridgemark.Config()) == bridge.extract_file(generated_docx)


def test_page_limit_applies_to_pdf(bridge, reference):
    shared = corpus.shared_corpus_dir()
    if shared is None:
        pytest.skip("../shared/corpus not present")
    path = shared / "pdfium" / "page_tree_empty_node.pdf"
    got = outcome(lambda: bridge.extract_file(path, config=bridgemark.Config(max_pages=1)))
    assert isinstance(got, tuple) and got[0] is bridgemark.LimitExceededError
    assert got == outcome(lambda: reference.extract_file(path, config=bridgemark.Config(max_pages=1)))


def test_a_rust_panic_is_internal_error_not_a_crash(bridge):
    with pytest.raises(bridgemark.InternalError, match=r"^internal error \(Rust panic\): deliberate$"):
        bridge.panic("deliberate")
    assert bridge.add(1, 1) == 2  # the bridge still works afterwards


def test_error_from_code_maps_every_core_code():
    for code, cls in bridgemark.errors.ERROR_CLASSES.items():
        exc = bridgemark.error_from_code(code, "m")
        assert type(exc) is cls and str(exc) == "m"
    assert isinstance(bridgemark.error_from_code(999, "m"), bridgemark.InternalError)


class _FsPath:
    """An ``os.PathLike`` whose ``__fspath__`` returns what it holds (str or bytes)."""

    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        return self.path


#: How a caller may spell one path: every bridge takes each as ``os.fsencode`` does.
PATH_FORMS = {
    "str": os.fsdecode,
    "bytes": os.fsencode,
    "pathlike_str": lambda raw: _FsPath(os.fsdecode(raw)),
    "pathlike_bytes": lambda raw: _FsPath(os.fsencode(raw)),
}


@pytest.fixture
def hostile_paths(tmp_path) -> dict[str, tuple[bytes, type | None]]:
    """Path kind → (raw OS bytes, the exception class it must raise or ``None``: it extracts)."""
    root = os.fsencode(tmp_path)
    non_utf8 = root + b"/caf\xe9-\xff.docx"  # not UTF-8: only bytes (or surrogate escapes) name it
    with open(non_utf8, "wb") as f:
        f.write((GENERATED / corpus.generated_name(1)).read_bytes())
    unreadable = root + b"/locked-\xff.docx"
    with open(unreadable, "wb") as f:
        f.write(b"PK")
    os.chmod(unreadable, 0)
    os.mkdir(root + b"/dir-\xff")
    return {
        "non_utf8": (non_utf8, None),
        "missing_non_utf8": (root + b"/missing-\xff.docx", FileNotFoundError),
        "directory": (root + b"/dir-\xff", IsADirectoryError),
        "unreadable": (unreadable, PermissionError),
        "embedded_nul": (root + b"/a\0b.docx", ValueError),
        "very_long": (b"/" + b"x" * 5000 + b".docx", OSError),
    }


@pytest.mark.parametrize("form", PATH_FORMS)
@pytest.mark.parametrize("kind", ["non_utf8", "missing_non_utf8", "directory", "unreadable", "embedded_nul", "very_long"])
def test_every_path_form_gives_the_same_outcome_on_every_bridge(bridge, reference, hostile_paths, kind, form):
    raw, expected = hostile_paths[kind]
    if kind == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    got = outcome(bridge.extract_file, PATH_FORMS[form](raw))
    if expected is None:
        assert isinstance(got, bridgemark.ExtractionResult)
    else:
        assert isinstance(got, tuple) and got[0] is expected, got
    assert got == outcome(reference.extract_file, os.fsdecode(raw))


def test_a_very_long_path_is_the_os_error_open_raises(bridge):
    path = "/" + "x" * 5000 + ".docx"
    with pytest.raises(OSError) as python:
        open(path, "rb")
    with pytest.raises(OSError, match="File name too long") as ours:
        bridge.extract_file(path)
    assert type(ours.value) is type(python.value) is OSError


#: Calls with an argument of the wrong type: each must be a TypeError on every bridge.
WRONG_TYPES = {
    "extract_file(path=int)": lambda b: b.extract_file(3),
    "extract_file(path=None)": lambda b: b.extract_file(None),
    "extract_file(path=bytearray)": lambda b: b.extract_file(bytearray(b"/tmp/x.docx")),
    "extract_file(password=bytes)": lambda b: b.extract_file("/nonexistent.docx", password=b"pw"),
    "extract_bytes(data=str)": lambda b: b.extract_bytes("PK not bytes"),
    "extract_bytes(data=int)": lambda b: b.extract_bytes(3),
    # Regression: cffi passed a list to C as a uint8_t array, ctypes a create_string_buffer (both extracted).
    "extract_bytes(data=list)": lambda b: b.extract_bytes(list(b"PK\x03\x04")),
    "extract_bytes(data=ctypes buffer)": lambda b: b.extract_bytes(ctypes.create_string_buffer(b"PK\x03\x04")),
    "extract_bytes(data=bytearray)": lambda b: b.extract_bytes(bytearray(b"PK\x03\x04")),
    "extract_bytes(mime_type=bytes)": lambda b: b.extract_bytes(b"PK", b"application/pdf"),
    "extract_bytes(password=int)": lambda b: b.extract_bytes(b"PK", None, 5),
    "echo(bytes)": lambda b: b.echo(b"x"),
    "echo(int)": lambda b: b.echo(3),
    "panic(bytes)": lambda b: b.panic(b"x"),
    "make_result(str, int)": lambda b: b.make_result("3", 1),
    "leak(str)": lambda b: b.leak("3"),
    "add(str, int)": lambda b: b.add("1", 2),
    "spin(str)": lambda b: b.spin("1"),
}
#: ctypes' native probes: ctypes itself raises ArgumentError; a Python wrapper to turn it
#: into TypeError would change the bare-call cost the bridge is measured for.
CTYPES_NATIVE = {"add(str, int)", "spin(str)"}


@pytest.mark.parametrize("call", WRONG_TYPES)
def test_an_argument_of_the_wrong_type_is_type_error(bridge, call):
    """Regression: pybind11 took bytes for str arguments (echo, mime_type, panic), the
    ctypes/cffi echo raised AttributeError, ctypes raised ArgumentError for bad data."""
    expected = ctypes.ArgumentError if bridge.__name__ == "bridgemark_ctypes" and call in CTYPES_NATIVE else TypeError
    with pytest.raises(Exception) as caught:
        WRONG_TYPES[call](bridge)
    assert isinstance(caught.value, expected), caught.value


class LyingBytes(bytes):
    """A ``bytes`` whose ``len()`` claims 1 GiB."""

    def __len__(self) -> int:
        return 1 << 30


class OwnEncodeStr(str):
    """A ``str`` whose own ``encode`` names another file."""

    def encode(self, *args, **kwargs) -> bytes:
        return b"/nonexistent/elsewhere.docx"


SUBCLASS_CALLS = {
    "extract_bytes(bytes subclass, lying len)": lambda b, p: b.extract_bytes(LyingBytes(p.read_bytes())),
    "extract_file(bytes subclass, lying len)": lambda b, p: b.extract_file(LyingBytes(os.fsencode(p))),
    "extract_file(str subclass, own encode)": lambda b, p: b.extract_file(OwnEncodeStr(p)),
}


@pytest.mark.parametrize("call", SUBCLASS_CALLS)
def test_a_subclass_of_bytes_or_str_is_read_by_its_contents_on_every_bridge(bridge, reference, generated_docx, call):
    """Regression: ctypes and cffi passed a bytes subclass's own ``len()`` to C as the buffer's
    length (SIGSEGV reading past it) and called a str subclass's own ``encode``; the C-API
    bridges read the object's buffer."""
    got = outcome(SUBCLASS_CALLS[call], bridge, generated_docx)
    assert isinstance(got, bridgemark.ExtractionResult), got
    assert got == outcome(SUBCLASS_CALLS[call], reference, generated_docx)


@pytest.fixture
def special_files(tmp_path):
    """A FIFO and a sparse file one byte above ``MAX_FILE_BYTES`` (nothing written)."""
    fifo, big = tmp_path / "fifo.docx", tmp_path / "big.docx"
    os.mkfifo(fifo)
    with open(big, "wb") as f:
        f.truncate(bridgemark.config.MAX_FILE_BYTES + 1)
    return {"fifo": fifo, "big": big, "device": "/dev/zero"}


#: Whichever bridge: what each special file must raise.
SPECIAL = {"fifo": bridgemark.UnsupportedFormatError, "device": bridgemark.UnsupportedFormatError,
           "big": bridgemark.LimitExceededError}


@pytest.mark.parametrize("name", [*bridgemark.BRIDGES, "pure_python"])
def test_special_files_are_refused_at_once_never_read_or_waited_on(special_files, name):
    """Regression: every bridge blocked on a FIFO (waiting for a writer) and read /dev/zero and
    files of any size until memory ran out. In a child process with a timeout: a FIFO that still
    blocks must fail the test, not hang it."""
    script = ("import sys, bridgemark\nb = bridgemark.load(sys.argv[1])\nfor p in sys.argv[2:]:\n"
              "    try:\n        b.extract_file(p)\n        print('ok')\n"
              "    except Exception as e:\n        print(type(e).__name__)\n")
    names = list(SPECIAL)
    proc = subprocess.run([sys.executable, "-c", script, name, *(str(special_files[n]) for n in names)],
                          capture_output=True, text=True, timeout=60, check=True)
    assert proc.stdout.split() == [SPECIAL[n].__name__ for n in names]


@pytest.mark.parametrize("name", [*bridgemark.BRIDGES, "pure_python"])
def test_a_path_through_a_file_is_not_a_directory_error_on_every_implementation(tmp_path, name):
    """Regression: the native bridges raised plain OSError where ``open()`` raises
    NotADirectoryError (ENOTDIR): an OS error of no kind of its own now carries its errno."""
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(NotADirectoryError) as caught:
        bridgemark.load(name).extract_file(tmp_path / "file" / "x.docx")
    assert caught.value.errno == 20


def test_an_os_error_message_with_an_errno_gives_that_errnos_oserror_subclass():
    exc = bridgemark.error_from_code(4, "[Errno 20] Not a directory: /a/b")
    assert type(exc) is NotADirectoryError and exc.errno == 20 and str(exc) == "[Errno 20] Not a directory: /a/b"
    assert type(bridgemark.error_from_code(4, "[Errno 22] Invalid argument: /p")) is OSError
    assert type(bridgemark.error_from_code(4, "disk on fire: /p")) is OSError


#: A child process that caps its address space (RLIMIT_AS) above what it maps now by room for
#: the core's result but not for its Python objects too, then converts that result: `content`,
#: one 256 MiB string (the cap leaves 1.5×); `tables`, 300,000 tables of 3 × 3 cells (about
#: 576 B each in Rust and 900 B in Python; the cap leaves 976 B each).
_OOM_SCRIPT = """
import re, resource, sys, bridgemark
b = bridgemark.load(sys.argv[1])
b.make_result(10, 1)
mapped = int(re.search(r"VmSize:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) * 1024
n_chars, n_tables, room = {"content": (256 << 20, 0, 384 << 20), "tables": (0, 300_000, 976 * 300_000)}[sys.argv[2]]
resource.setrlimit(resource.RLIMIT_AS, (mapped + room, mapped + room))
try:
    b.make_result(n_chars, n_tables)
    print("converted")
except BaseException as e:
    print(type(e).__name__)
"""


@pytest.mark.parametrize("result", ["content", "tables"])
@pytest.mark.parametrize("name", bridgemark.BRIDGES)
def test_a_result_python_cannot_allocate_is_memory_error_on_every_bridge(name, result):
    """Regression: PyO3's constructors panic when CPython cannot allocate, so the pyo3 bridge
    raised PanicException for a large string and aborted the process (the panic could not
    allocate either) for many small ones; pybind11's ``py::list(n)`` / ``py::dict()`` raise
    RuntimeError. Every bridge must raise the MemoryError CPython set, and keep running."""
    proc = subprocess.run([sys.executable, "-c", _OOM_SCRIPT, name, result],
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout.split(), "panicked" in proc.stderr) == (0, ["MemoryError"], False), proc.stderr[-2000:]


@pytest.mark.parametrize("name", ["zip-encrypted-entry.docx", "zip-method-99-entry.docx"])
def test_the_pure_python_baseline_refuses_a_zip_entry_as_the_core_does(reference, name):
    """Regression: pure_python raised zipfile's RuntimeError for an encrypted entry and
    NotImplementedError for method 99 (and tried bzip2 / LZMA, which the core does not read)."""
    path = GENERATED / "hostile" / name
    assert outcome(bridgemark.load("pure_python").extract_file, path) == outcome(reference.extract_file, path)


def test_extract_file_checks_the_path_before_the_password_on_every_bridge(bridge):
    """Regression: PyO3 read the password while it parsed the arguments, so a bad path with a
    bad password raised the password's TypeError where every other bridge raised the path's."""
    def call(b):
        return b.extract_file(3, password=5)
    assert outcome(call, bridge) == outcome(call, bridgemark.load("capi")) == (
        TypeError, "expected str, bytes or os.PathLike object, not int")
