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

# The production profile on this machine: gunicorn + WhiteNoise, plain HTTP on loopback.
SERVE_ENV := DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,sichuan.localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" SERVE_MEDIA="$${SERVE_MEDIA:-1}" HOST=$(HOST) PORT=$(PORT)

.PHONY: run serve worker setup test audit install install-dev browser-deps messages lint bench clean

run: setup
	$(MANAGE) runserver $(HOST):$(PORT)

# `make serve`: the production profile (gunicorn.conf.py, hashed and compressed static files) on the
# same database as `make run` (SQLite, or DATABASE_URL). A local SECRET_KEY is made once in var/.
serve: setup
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	@$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/gunicorn -c gunicorn.conf.py

# The background task worker (search index updates, e-mails, large imports) for the production profile.
worker: setup
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(SERVE_ENV) $(MANAGE) db_worker

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

# One table: import rows/s and peak memory, then req/s, p50, p95 and the ratio to /healthz of the public
# pages and APIs under gunicorn (gunicorn.conf.py), on SQLite and PostgreSQL (BENCH_POSTGRES_URL), each
# without a shared cache and with a private Redis.
# Larger data: $(BIN)/python bench/run.py --facilities 100000 --articles 20000 (see docs/performance.md).
bench: install-dev
	$(BIN)/python bench/run.py

# Regenerate the zh_Hans catalogues after changing strings; the compiled .mo files are committed.
messages: install-dev
	$(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=node_modules
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

# Known vulnerabilities in the installed dependencies (PyPI's advisory data); non-zero when any is found.
audit: install-dev
	$(BIN)/python -m portal.audit

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
