# 出生缺陷防治科普平台 — `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export DEMO_PORT := $(PORT)
# One "demo loaded" marker per database, so switching DATABASE_URL sets up the new one.
DB_KEY := $(shell printf '%s' "$${DATABASE_URL:-sqlite}" | cksum | cut -d' ' -f1)
DEMO_STAMP := var/.demo-loaded-$(DB_KEY)

.PHONY: run setup test install install-dev browser-deps messages lint bench clean

run: setup
	$(MANAGE) runserver $(HOST):$(PORT)

setup: install
	@mkdir -p var
	@$(MANAGE) migrate --check >/dev/null 2>&1 || $(MANAGE) migrate --noinput
	@if [ -z "$$DATABASE_URL" ] && [ ! -f db.sqlite3 ]; then rm -f $(DEMO_STAMP); fi
	@if [ ! -f $(DEMO_STAMP) ]; then \
		$(MANAGE) load_demo && $(MANAGE) update_index && touch $(DEMO_STAMP); \
	fi

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# axe-core for the accessibility checks, from the npm registry (never committed).
browser-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: install-dev browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python bench/facilities_api.py
	$(BIN)/python bench/segmenter.py
	$(BIN)/python bench/imports.py

# Regenerate the zh_Hans catalogues after changing strings; the compiled .mo files are committed.
messages: install-dev
	$(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=node_modules
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
