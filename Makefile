# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make run   — install, migrate, load demo data when empty, build the site, serve :8000
#   make test  — install, lint, then the whole test suite (PostgreSQL tests too when reachable)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install schema clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Confrere needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/confrere db migrate
	$(BIN)/confrere seed --demo
	$(BIN)/confrere site build
	$(BIN)/confrere serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: install
	$(BIN)/confrere export-schema --output schema.graphql

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
