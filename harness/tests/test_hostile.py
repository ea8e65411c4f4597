"""Hostile input on every bridge: the same typed error (or the same clean result), fast,
in bounded memory; threads change nothing. (Bad paths: ``test_errors.py``.)"""

from __future__ import annotations

import json
import os
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


#: Two bridges extract one PDF in two threads, 15 times each, in a child process whose
#: temporary and runtime directories do not exist; prints the calls that went wrong.
_LOCK_SCRIPT = """
import sys, threading, bridgemark
path, names = sys.argv[1], sys.argv[2:]
expected = bridgemark.load(names[0]).extract_file(path).content
bad = []
def work(name):
    bridge = bridgemark.load(name)
    for _ in range(15):
        try:
            if bridge.extract_file(path).content != expected:
                bad.append(name + ": wrong text")
        except Exception as e:
            bad.append(f"{name}: {type(e).__name__}: {e}")
threads = [threading.Thread(target=work, args=(n,)) for n in names]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(bad), bad[:3])
"""


@pytest.mark.parametrize("pair", [("capi", "pyo3"), ("pybind11", "ctypes"), ("cffi_api", "cffi_abi")])
def test_bridges_share_pdfium_safely_whatever_the_temporary_directory(tmp_path, pair):
    """Regression: the copies of the core kept each other out of pdfium through a lock file in
    the temporary directory. Without it they ran unlocked (wrong text, heap corruption); deleted,
    replaced or named differently (TMPDIR, XDG_RUNTIME_DIR) after one bridge's first PDF call, it
    let two bridges in at once; and any user could block it. The lock is now on /proc/self/mem."""
    pdfs = [p for p in corpus.pdf_files() if p.name == "tracemonkey.pdf"]
    if not pdfs:
        pytest.skip("../shared/corpus not present")
    env = os.environ | {"TMPDIR": str(tmp_path / "missing"), "XDG_RUNTIME_DIR": str(tmp_path / "missing")}
    proc = subprocess.run([sys.executable, "-c", _LOCK_SCRIPT, str(pdfs[0]), *pair],
                          capture_output=True, text=True, timeout=120, check=True, env=env)
    assert proc.stdout.startswith("0 "), proc.stdout


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


#: The interpreter exits while a daemon thread is inside an extraction.
_DAEMON_EXIT_SCRIPT = """
import sys, threading, time, bridgemark
bridge, path = bridgemark.load(sys.argv[1]), sys.argv[2]
def loop():
    while True:
        bridge.extract_file(path)
threading.Thread(target=loop, daemon=True).start()
time.sleep(0.3)
"""


@pytest.mark.parametrize("name", bridgemark.BRIDGES)
def test_the_interpreter_exits_cleanly_while_a_daemon_thread_is_extracting(name):
    """Regression: pybind11's gil_scoped_release took the GIL back in a noexcept destructor;
    CPython ends a daemon thread doing that after finalisation with pthread_exit, whose forced
    unwind then called std::terminate: the process aborted at exit (5 of 5 runs)."""
    for _ in range(3):
        proc = subprocess.run([sys.executable, "-c", _DAEMON_EXIT_SCRIPT, name, str(GENERATED / corpus.generated_name(1000))],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_encrypted_hostile_pdf_opens_with_its_password(bridge):
    """The generated RC4 PDF is really encrypted: refused without, read with its password."""
    assert bridge.extract_file(HOSTILE / "encrypted-rc4.pdf", password="secret").content == "secret text"
