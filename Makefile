# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make run   — install what running needs, migrate, load demo data when empty, build the
#                site, serve :8000 (HOST=0.0.0.0 PORT=9000 make run: the site is built for the
#                address served)
#   make test  — install that and the test tools, lint, type-check, then the whole test suite
#                (PostgreSQL tests too when reachable)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: what running needs, and the test tools on top (pytest, ruff, mypy, Playwright, …).
RUN_STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck format install schema clean browser graphiql-assets

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Confrere needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

# A development environment: everything `make run` and `make test` install.
install: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/confrere db migrate
	$(BIN)/confrere seed --demo
	CONFRERE_HOST=$(HOST) CONFRERE_PORT=$(PORT) $(BIN)/confrere site build
	$(BIN)/confrere serve --host $(HOST) --port $(PORT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Strict on `search` and `api/core` (see [tool.mypy] in pyproject.toml).
typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# One worker per core, each with its own throw-away databases; a file's tests stay on one worker
# (module-scoped servers start once). TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
test: lint typecheck browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The browser tests (tests/site/test_browser.py) drive Debian's Chromium. Install it when it is
# missing and we may (root, or password-less sudo); otherwise say so and go on: those tests then
# skip with their reason. `apt-get update` runs only when the install fails without it.
CHROMIUM := /usr/bin/chromium
browser:
	@[ -x $(CHROMIUM) ] && exit 0; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "notice: no apt-get to install chromium; the browser tests will skip"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then as_root=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; \
	else echo "notice: not root and no sudo to install chromium; the browser tests will skip"; exit 0; fi; \
	install="$$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium"; \
	echo "Installing Debian's chromium for the browser tests"; \
	$$install >/dev/null 2>&1 || { $$as_root apt-get update -qq >/dev/null && $$install >/dev/null; } \
	  || echo "notice: could not install chromium; the browser tests will skip"

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(RUN_STAMP)
	$(BIN)/confrere export-schema --output schema.graphql

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache

# GraphiQL's browser files, re-fetched from the npm registry (api/core/graphiql/README.md).
graphiql-assets:
	sh api/core/graphiql/refresh.sh
