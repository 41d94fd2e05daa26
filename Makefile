# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Test the checkout `make` runs in, even when the venv's editable install points at another worktree.
export PYTHONPATH := $(CURDIR)

.PHONY: run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## run: start `inngest-lab dev` and an example app served over HTTP, and show a run end to end
run: $(STAMP)
	$(BIN)/python examples/run_demo.py

## test: ruff, mypy (strict) and the whole test suite
test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

## bench: the step/ingest benchmark (quick mode); figures are quoted in README.md
bench: $(STAMP)
	$(BIN)/python benchmarks/steps.py --quick

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
