"""The memcheck verdict: only errors with bridgemark's code on the stack fail the run."""

from __future__ import annotations

from bridgemark import memcheck

_XML = """<?xml version="1.0"?>
<valgrindoutput>
 <error><kind>InvalidRead</kind><what>Invalid read of size 8</what>
  <stack><frame><obj>/x/build/lib/libbridgemark.so</obj><fn>bm_result_free</fn></frame></stack></error>
 <error><kind>InvalidRead</kind><what>Invalid read of size 4</what>
  <stack><frame><obj>/root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0</obj><fn>PyObject_Free</fn></frame></stack></error>
 <error><kind>Leak_DefinitelyLost</kind><xwhat><text>64 bytes definitely lost</text><leakedbytes>64</leakedbytes></xwhat>
  <stack><frame><obj>/usr/lib/libc.so.6</obj><fn>malloc</fn></frame>
   <frame><obj>/v/site-packages/bridgemark_pyo3/bridgemark_pyo3.cpython-311-x86_64-linux-gnu.so</obj><fn>leak</fn></frame></stack></error>
 <error><kind>Leak_PossiblyLost</kind><xwhat><text>1 byte possibly lost</text></xwhat>
  <stack><frame><obj>/x/build/lib/libbridgemark.so</obj><fn>f</fn></frame></stack></error>
</valgrindoutput>
"""


def test_only_our_invalid_accesses_and_definite_leaks_fail(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(_XML)
    found = memcheck.failures(report)
    assert len(found) == 2
    assert found[0].startswith("InvalidRead: Invalid read of size 8 (in bm_result_free)")
    assert found[1].startswith("Leak_DefinitelyLost: 64 bytes definitely lost")


def test_a_checkout_folder_named_bridgemark_does_not_make_python_ours(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(_XML.replace("/root/.pyenv/versions/3.11.7/lib/", "/home/u/bridgemark/.venv/lib/"))
    assert len(memcheck.failures(report)) == 2


def test_counts_split_our_errors_into_invalid_reads_writes_and_definite_leaks(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(_XML)
    assert memcheck.counts(report) == {"invalid_reads": 1, "invalid_writes": 0, "definite_leaks": 1,
                                       "definitely_lost_bytes": 64, "other_errors": 0}


_IMPORT_LEAK = """<?xml version="1.0"?>
<valgrindoutput>
 <error><kind>Leak_DefinitelyLost</kind><xwhat><text>104 bytes definitely lost</text><leakedbytes>104</leakedbytes></xwhat>
  <stack><frame><obj>/usr/lib/vgpreload_memcheck-amd64-linux.so</obj><fn>malloc</fn></frame>
   <frame><obj>/v/site-packages/_cffi_backend.cpython-311-x86_64-linux-gnu.so</obj><fn>_my_Py_InitModule</fn></frame>
   <frame><obj>/x/build/lib/_bridgemark_cffi_api.cpython-311-x86_64-linux-gnu.so</obj><fn>_cffi_init</fn></frame>
   <frame><obj>/x/build/lib/_bridgemark_cffi_api.cpython-311-x86_64-linux-gnu.so</obj><fn>PyInit__bridgemark_cffi_api</fn></frame>
  </stack></error>
 <error><kind>InvalidRead</kind><what>Invalid read of size 8</what>
  <stack><frame><obj>/x/build/lib/libbridgemark.so</obj><fn>bm_x</fn></frame>
   <frame><obj>/x/build/lib/_bridgemark_cffi_api.cpython-311-x86_64-linux-gnu.so</obj><fn>PyInit__bridgemark_cffi_api</fn></frame>
  </stack></error>
</valgrindoutput>
"""


def test_a_block_allocated_once_at_module_import_is_not_a_leak(tmp_path):
    """Regression: `make memcheck` failed cffi_api on two blocks cffi allocates when the
    module is imported (its module and ffi objects), not on anything a call leaks."""
    report = tmp_path / "r.xml"
    report.write_text(_IMPORT_LEAK)
    assert memcheck.counts(report) == {"invalid_reads": 1, "invalid_writes": 0, "definite_leaks": 0,
                                       "definitely_lost_bytes": 0, "other_errors": 0}
