# bridgemark — every target sets up what it needs (a .venv, pinned pip packages, every binding).
# `make help` lists the targets. CI runs `make test` (see .ci/run).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
PY := $(CURDIR)/$(VENV)/bin/python
VENV_STAMP := $(VENV)/.stamp
BUILD_LIB := $(CURDIR)/build/lib
CARGO_TARGET := $(CURDIR)/target/release
CORPUS := build/corpus
# The shared corpus of real documents: ../shared/corpus, or BRIDGEMARK_SHARED_CORPUS, or SHARED_CORPUS=… on the command line.
SHARED_CORPUS ?= $(or $(BRIDGEMARK_SHARED_CORPUS),$(abspath ../shared/corpus))
HYPERFINE_ROOT := $(CURDIR)/build/tools
QUICK ?=
export BRIDGEMARK_SHARED_CORPUS := $(SHARED_CORPUS)

.PHONY: help venv build build-rust build-pyo3 header corpus test test-rust test-python compare report hyperfine hyperfine-tool venv-and-hyperfine fuzz memcheck soak clean

help: ## List the targets with one line each
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

venv: $(VENV_STAMP) ## Create .venv and install the pinned Python packages and the harness
$(VENV_STAMP): requirements.txt harness/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e harness
	@# build/lib (compiled bindings) and py_ctypes/python (ctypes/cffi modules) go on sys.path.
	printf '%s\n' "$(BUILD_LIB)" "$(CURDIR)/py_ctypes/python" \
	  > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/bridgemark-dev.pth"
	mkdir -p $(BUILD_LIB)
	touch $@

build-rust: ## Build the core (lib, CLI, bench), the C ABI cdylib/staticlib and the cxx staticlib
	cargo build --release -p bridgemark-core -p bridgemark-capi -p bridgemark-cxx

build-pyo3: $(VENV_STAMP) ## Build and install the PyO3 module (maturin)
	VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" \
	  maturin develop --release --quiet -m py_pyo3/Cargo.toml

include py_ctypes/build.mk
include cpp_pybind/build.mk

build: $(VENV_STAMP) build-rust build-pyo3 build-capi build-pybind11 ## Build every binding

corpus: $(VENV_STAMP) ## Generate the embedded default corpus (deterministic DOCX, several sizes) under build/corpus
	$(PY) -m bridgemark corpus --out $(CORPUS)

test-rust: ## Rust unit tests of every crate
	cargo test --release --workspace --exclude bridgemark-pyo3 -q

test-python: build corpus ## pytest: parity, errors and probes on every bridge; harness logic
	$(PY) -m pytest -q harness/tests

test: test-rust test-python ## All tests (what CI runs)

hyperfine-tool: ## Install hyperfine into build/tools when it is not on PATH
	@command -v hyperfine >/dev/null || [ -x $(HYPERFINE_ROOT)/bin/hyperfine ] || \
	  cargo install --locked --quiet hyperfine --version 1.20.0 --root $(HYPERFINE_ROOT)

# On a fresh clone pip (mostly one core) and hyperfine's compile (cargo, ~75 s) run side by side.
venv-and-hyperfine:
	$(MAKE) -j2 $(VENV_STAMP) hyperfine-tool

compare: venv-and-hyperfine build corpus ## Measure every bridge and write results/<run>/ and results/REPORT.md (QUICK=1: smoke run)
	PATH="$(HYPERFINE_ROOT)/bin:$$PATH" $(PY) -m bridgemark compare $(if $(QUICK),--quick) --corpus $(CORPUS)

hyperfine: build corpus hyperfine-tool ## Whole-process timings only (hyperfine, Rust CLI vs python -c per bridge): a run of its own
	PATH="$(HYPERFINE_ROOT)/bin:$$PATH" $(PY) -m bridgemark compare --suites process $(if $(QUICK),--quick) --corpus $(CORPUS)

FUZZ_SECONDS ?= 600
SOAK_MINUTES ?= 10
SOAK_JOBS ?= 2
FUZZ_DIR := $(CURDIR)/build/fuzz
CARGO_FUZZ := $(HYPERFINE_ROOT)/bin/cargo-fuzz

$(CARGO_FUZZ):
	cargo install --locked --quiet cargo-fuzz --version 0.13.2 --root $(HYPERFINE_ROOT)

fuzz: $(CARGO_FUZZ) corpus ## cargo fuzz the core's extract_bytes, DOCX and PDF paths, FUZZ_SECONDS in all (default 600), corpus as seed; writes results/reliability/fuzz.json
	mkdir -p $(FUZZ_DIR)/docx $(FUZZ_DIR)/pdf $(FUZZ_DIR)/artifacts
	find $(CORPUS) $(SHARED_CORPUS) -name '*.docx' -size -2M -exec cp -n {} $(FUZZ_DIR)/docx/ \; 2>/dev/null || true
	find $(SHARED_CORPUS) -name '*.pdf' -size -2M -exec cp -n {} $(FUZZ_DIR)/pdf/ \; 2>/dev/null || true
	$(PY) -m bridgemark fuzz --seconds $(FUZZ_SECONDS) --cargo-fuzz $(CARGO_FUZZ) --dir $(FUZZ_DIR)

memcheck: build corpus ## valgrind memcheck (PYTHONMALLOC=malloc) over a short corpus pass on every bridge; fails on our errors; writes results/reliability/memcheck.json
	$(PY) -m bridgemark memcheck --corpus $(CORPUS)

soak: build corpus ## RSS slope over SOAK_MINUTES (default 10) per bridge, SOAK_JOBS (2) at once; goal: 95% upper bound < 16 B/iter; writes results/reliability/soak.json
	$(PY) -m bridgemark soak --minutes $(SOAK_MINUTES) --jobs $(SOAK_JOBS)

report: $(VENV_STAMP) ## Re-render results/REPORT.md from the newest run's JSON (no measuring)
	$(PY) -m bridgemark report

clean: ## Remove build outputs (keeps .venv and results/)
	cargo clean
	rm -rf build
