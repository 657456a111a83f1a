# Two entry points for a fresh machine with Python 3.11 and make:
#   make run   - set up .venv and audit the bundled example reports
#   make test  - set up .venv, install the Debian packages the tests use (as root), run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-full clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr,web,dask,charts]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/nianbao audit examples/ ; status=$$?; test $$status -le 1

test: $(STAMP)
	bash .ci/system-packages
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/report.py

bench-full: $(STAMP)
	$(BIN)/python bench/report.py --full

clean:
	rm -rf $(VENV) build *.egg-info
