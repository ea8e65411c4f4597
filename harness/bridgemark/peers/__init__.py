"""Peers: other extractors measured beside the bridges on the same files (not bridges).

Each peer module offers ``extract_file(path, password=None, config=None)`` returning an
object with ``content: str`` and ``metadata: dict`` (the fields the harness reads), so
the extraction and fidelity suites drive peers exactly like bridges. ``config`` is
accepted for signature parity and ignored. ``SUFFIXES`` names the file types a peer
reads: the extraction suite skips other files for it ("n/a" in the report).
"""
