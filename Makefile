# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test,spark]'
	touch $(VENV)/.installed $@

## make demo: install into .venv and run the whole pipeline on the bundled sample
demo: $(VENV)/.installed
	$(BIN)/advocates demo --out demo-out

## make test: install the test and spark extras and run every test (browser tests need
## Chromium, Spark tests Java 17 or later)
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: speed and memory, three runs each, with the kernels-alone floor (see
## benchmarks/README.md): 100k and 1M against the plain pipeline, then 10M; writes
## benchmarks/results/latest.json and 10m.json (about 25 min on an idle 2-core machine)
bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run_benchmarks.py --repeat 3
	$(BIN)/python benchmarks/run_benchmarks.py --sizes 10m --skip-plain --repeat 3 \
		--out benchmarks/results/10m.json

clean:
	rm -rf $(VENV) demo-out .pytest_cache .ruff_cache tests/artifacts
