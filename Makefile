# IronTriangle: `make run` serves the product with demo data; `make test` checks everything.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
UV_VERSION := 0.13.9

BASE_STAMP   := $(VENV)/.base-installed
DEV_STAMP    := $(VENV)/.dev-installed
ASSETS_STAMP := node_modules/.assets-copied

.PHONY: run test install install-dev assets migrate demo lint typecheck migrations-check pytest fuzz bench-smoke lock messages clean

run: install assets migrate
	$(BIN)/irontriangle demo --if-empty
	$(BIN)/irontriangle collectstatic --no-input -v0
	$(BIN)/irontriangle serve --host $(HOST) --port $(PORT)

test: install-dev assets lint typecheck migrations-check pytest fuzz bench-smoke

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)

$(BASE_STAMP): $(BIN)/python requirements/base.lock pyproject.toml
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements/base.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	rm -f $(DEV_STAMP)
	touch $@

$(DEV_STAMP): $(BIN)/python requirements/dev.lock pyproject.toml
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements/dev.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@ $(BASE_STAMP)

install: $(BASE_STAMP)

install-dev: $(DEV_STAMP)

$(ASSETS_STAMP): package.json package-lock.json scripts/copy_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/copy_assets.py
	touch $@

assets: $(BIN)/python $(ASSETS_STAMP)

migrate: install
	$(BIN)/irontriangle migrate --no-input -v0

lint: install-dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: install-dev
	$(BIN)/mypy

migrations-check: install-dev
	@# Comparing models with migrations needs no database; pointing at an absent one only warns.
	env -u DATABASE_URL IRONTRIANGLE_DATA_DIR=$$(mktemp -d) $(BIN)/irontriangle makemigrations --check --dry-run

pytest: install-dev assets
	$(BIN)/pytest -n 2 --dist loadfile

fuzz: install-dev assets
	$(BIN)/python scripts/fuzz_api.py

# Seed scale S and run the benchmark briefly; the full runs are by hand (docs/performance.md).
bench-smoke: install-dev assets
	$(BIN)/python scripts/bench_smoke.py

# Re-pin every dependency after editing pyproject.toml.
lock: $(BIN)/python
	$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes --no-header pyproject.toml -o requirements/base.lock
	$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes --no-header --extra dev pyproject.toml -o requirements/dev.lock

# Refresh the Chinese catalogue after changing user-visible text, then translate the new entries.
messages: install
	cd src/irontriangle && ../../$(BIN)/irontriangle makemessages -l zh_Hans --no-obsolete
	cd src/irontriangle && ../../$(BIN)/irontriangle compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules src/irontriangle/web/static/vendor
