# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Test the checkout `make` runs in, even when the venv's editable install points at another worktree.
export PYTHONPATH := $(CURDIR)

# The JupyterLab front end (TypeScript in extension/) is built by the install below (hatch-jupyter-builder
# runs jlpm, i.e. yarn from the jupyter-builder package, on node) into inngest_lab/labextension, and esbuild bundles
# the same components for the headless server's dashboard and the notebook widgets into inngest_lab/ui_build.
EXT_SOURCES := extension/package.json extension/yarn.lock $(wildcard extension/src/*.ts extension/src/components/*.ts extension/style/* extension/schema/*.json) \
	$(wildcard extension/src/dashboard/*.ts extension/src/dashboard/pages/*.ts extension/src/widget/*.ts extension/scripts/*.mjs)
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The TypeScript SDK test app (npm inngest 4, locked): the official-SDK scenario tests serve it with node.
TS_APP := tests/integration/official/ts_app
TS_APP_STAMP := $(TS_APP)/node_modules/.npm-ci-stamp

.PHONY: run demo test lint typecheck unit jstest bench clean sysdeps sysdeps-run

## sysdeps: the Debian packages the tests need (Chromium, node, redis-server, postgresql, docker-compose,
## fonts-liberation), installed with apt when missing (scripts/sysdeps.sh; sudo when not root)
sysdeps:
	@bash scripts/sysdeps.sh test

# What `make run` needs from Debian: python3-venv, and node for the front end build of the install below.
sysdeps-run:
	@bash scripts/sysdeps.sh run

$(STAMP): pyproject.toml $(EXT_SOURCES) | sysdeps-run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## run: JupyterLab on notebooks/ with the inngest-lab extension (sidebar, run timeline, Send event); the
## Jupyter server hosts the engine on SQLite in notebooks/.inngest_lab/
run: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab $(ALLOW_ROOT) --InngestLabApp.db_path=.inngest_lab/jupyter-engine.db

## demo: start `inngest-lab dev` and an example app served over HTTP, and show a run end to end
demo: $(STAMP)
	$(BIN)/python examples/run_demo.py

## test: ruff, mypy (strict), the whole test suite (browser tests included) and the front end's unit tests
test: sysdeps $(STAMP) lint typecheck unit jstest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: sysdeps $(STAMP) $(TS_APP_STAMP)
	$(BIN)/pytest

$(TS_APP_STAMP): $(TS_APP)/package.json $(TS_APP)/package-lock.json | sysdeps-run
	cd $(TS_APP) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

jstest: $(STAMP)
	cd extension && PATH="$(CURDIR)/$(BIN):$$PATH" jlpm test --silent

## bench: the step/ingest benchmark (quick mode); figures are quoted in README.md
bench: $(STAMP)
	$(BIN)/python benchmarks/steps.py --quick

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache extension/node_modules extension/lib inngest_lab/labextension inngest_lab/ui_build \
		$(TS_APP)/node_modules
