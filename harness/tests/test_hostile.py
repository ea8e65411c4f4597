"""Hostile input on every bridge: the same typed error (or the same clean result), fast,
in bounded memory; threads change nothing. (Bad paths: ``test_errors.py``.)"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time

import pytest

import bridgemark
from bridgemark import corpus, hostile
from conftest import GENERATED, outcome

HOSTILE = GENERATED / "hostile"
#: Seconds one hostile document may take on one bridge (issue #5).
DEADLINE_S = 5.0
#: Peak RSS of a process that read every hostile document (issue #5).
PEAK_RSS_BYTES = 256 << 20


@pytest.mark.parametrize("name", sorted(hostile.EXPECTED))
def test_hostile_document_gives_the_expected_outcome_on_every_bridge(bridge, reference, name):
    path = HOSTILE / name
    start = time.monotonic()
    got = outcome(bridge.extract_file, path)
    assert time.monotonic() - start < DEADLINE_S
    expected = hostile.EXPECTED[name]
    if expected is None:
        assert isinstance(got, bridgemark.ExtractionResult)
        assert "passwd" not in got.content and "lol" not in got.content  # no entity was expanded
    else:
        assert isinstance(got, tuple) and got[0].__name__ == expected, got
        assert got[1], "the message names the problem"
    assert got == outcome(reference.extract_file, path)


# VmHWM, not ru_maxrss: Linux keeps the parent's peak in ru_maxrss across fork + exec.
_PEAK_RSS_SCRIPT = """
import json, re, sys, bridgemark
bridge = bridgemark.load(sys.argv[1])
for path in sys.argv[2:]:
    try:
        bridge.extract_file(path)
    except bridgemark.ExtractionError:
        pass
status = open("/proc/self/status").read()
print(json.dumps(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) * 1024))
"""


@pytest.mark.parametrize("name", bridgemark.BRIDGES)
def test_peak_rss_stays_bounded_after_every_hostile_document(name):
    files = [str(HOSTILE / n) for n in sorted(hostile.EXPECTED)]
    proc = subprocess.run([sys.executable, "-c", _PEAK_RSS_SCRIPT, name, *files],
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(proc.stdout) < PEAK_RSS_BYTES


def test_password_with_nul_is_value_error_and_pdf_keeps_working(bridge, reference):
    """Regression: pdfium-render panicked on a NUL in the password and every later PDF call failed."""
    pdfs = corpus.pdf_files()
    if not pdfs:
        pytest.skip("../shared/corpus not present")
    with pytest.raises(ValueError, match="NUL"):
        bridge.extract_file(pdfs[0], password="a\0b")
    assert outcome(bridge.extract_file, pdfs[0]) == outcome(reference.extract_file, pdfs[0])


def test_threads_get_the_single_threaded_results(bridge):
    files = [GENERATED / corpus.generated_name(n) for n in corpus.SIZES] + corpus.pdf_files()[:3]
    expected = {p: outcome(bridge.extract_file, p) for p in files}
    mismatches: list[str] = []
    deadline = time.monotonic() + 1.0

    def work(offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            path = files[i % len(files)]
            if outcome(bridge.extract_file, path) != expected[path]:
                mismatches.append(str(path))
            i += 1

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not mismatches


def test_two_bridges_in_one_process_share_pdfium_safely():
    """Regression: each bridge links its own copy of the core, so their per-copy locks did
    not exclude each other and two threads entered pdfium at once (wrong text, segfaults)."""
    pdfs = [p for p in corpus.pdf_files() if p.name == "tracemonkey.pdf"]
    if not pdfs:
        pytest.skip("../shared/corpus not present")
    data = pdfs[0].read_bytes()
    expected = bridgemark.load("pyo3").extract_bytes(data).content
    bad: list[str] = []

    def work(name: str) -> None:
        bridge = bridgemark.load(name)
        for _ in range(15):
            got = outcome(bridge.extract_bytes, data)
            if not isinstance(got, bridgemark.ExtractionResult) or got.content != expected:
                bad.append(name)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("pyo3", "ctypes", "capi", "pybind11")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad


#: Extracts a PDF, then a DOCX, in a child process whose temporary directory is set by the test.
_LOCK_SCRIPT = """
import sys, bridgemark
bridge = bridgemark.load(sys.argv[1])
try:
    bridge.extract_file(sys.argv[2], password="secret")
    print("extracted")
except OSError as e:
    print(type(e).__name__)
print(len(bridge.extract_file(sys.argv[3]).content) > 0)
"""


def _lock_file_planted(tmp_path, how: str):
    """The child's temporary directory, with ``how`` done to its pdfium lock file's path."""
    lock = tmp_path / f"bridgemark-pdfium-{os.geteuid()}.lock"
    if how == "missing directory":
        return tmp_path / "missing"
    if how == "directory":
        lock.mkdir()
    elif how == "symlink":
        lock.symlink_to(tmp_path / "elsewhere")
    elif how == "another user's":
        lock.touch(mode=0o666)
        try:
            os.chown(lock, os.geteuid() + 1, -1)
        except PermissionError:
            pytest.skip("only root can give a file away")
    return tmp_path


@pytest.mark.parametrize(("how", "expected"), [("missing directory", "FileNotFoundError"),
                                               ("directory", "IsADirectoryError"), ("symlink", "OSError"),
                                               ("another user's", "PermissionError"), ("none", "extracted")])
@pytest.mark.parametrize("name", bridgemark.BRIDGES)
def test_pdf_extraction_fails_closed_when_the_pdfium_lock_file_cannot_be_used(tmp_path, name, how, expected):
    """Regression: without the lock file (temporary directory missing, or the file another
    user's) the core ran on unlocked, and two bridges in one process entered pdfium at once
    (wrong text, heap corruption); a world-readable file let any user block every PDF call.
    Now the file is this user's own (0600, no symlink) and a PDF without it is an OSError;
    DOCX never needs it."""
    tmp = _lock_file_planted(tmp_path, how)
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"} | {"TMPDIR": str(tmp)}
    proc = subprocess.run([sys.executable, "-c", _LOCK_SCRIPT, name, str(HOSTILE / "encrypted-rc4.pdf"),
                           str(GENERATED / corpus.generated_name(10))],
                          capture_output=True, text=True, timeout=60, check=True, env=env)
    assert proc.stdout.split() == [expected, "True"]
    if how == "none":
        lock = tmp / f"bridgemark-pdfium-{os.geteuid()}.lock"
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600 and lock.stat().st_uid == os.geteuid()


#: Forks while a thread of the process is inside pdfium; the child extracts a small PDF through
#: the same bridge and through another (another copy of the core), with an alarm against a hang.
_FORK_SCRIPT = """
import os, signal, sys, threading, time, bridgemark
bridge, other = bridgemark.load(sys.argv[1]), bridgemark.load("pyo3" if sys.argv[1] != "pyo3" else "capi")
small, heavy = sys.argv[2], sys.argv[3]
expected = bridge.extract_file(small, password="secret").content
stop = threading.Event()
def busy():
    while not stop.is_set():
        bridge.extract_file(heavy)
worker = threading.Thread(target=busy)
worker.start()
time.sleep(0.3)
pid = os.fork()
if pid == 0:
    signal.alarm(20)
    same = [b.extract_file(small, password="secret").content == expected for b in (bridge, other)]
    os._exit(0 if all(same) else 3)
stop.set()
worker.join()
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


@pytest.mark.parametrize("name", bridgemark.BRIDGES)
def test_a_fork_while_a_thread_is_in_pdfium_leaves_the_child_able_to_extract(name):
    """Regression: the child inherited the pdfium lock held by a thread it does not have, and
    its first PDF call waited forever (killed by its alarm: exit code -14). A fork now waits
    until no thread is in pdfium (pthread_atfork), and the child's pdfium works."""
    proc = subprocess.run([sys.executable, "-W", "ignore::DeprecationWarning", "-c", _FORK_SCRIPT, name,
                           str(HOSTILE / "encrypted-rc4.pdf"), str(HOSTILE / "pdf-one-page-200mb-content.pdf")],
                          capture_output=True, text=True, timeout=60, check=True)
    assert proc.stdout.split() == ["0"], proc.stderr[-2000:]


def test_the_encrypted_hostile_pdf_opens_with_its_password(bridge):
    """The generated RC4 PDF is really encrypted: refused without, read with its password."""
    assert bridge.extract_file(HOSTILE / "encrypted-rc4.pdf", password="secret").content == "secret text"
