# The front door for developers. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= werkcentrum.config.settings.dev

.PHONY: audit install run test test-sqlite test-postgres test-browser bench loadtest lint format migrate demo screenshots messages browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## venv, dependencies, migrated embedded database with the bundled regions
	$(BIN)/werkcentrum migrate --noinput --verbosity 0
	$(BIN)/werkcentrum load_region --all
	$(BIN)/werkcentrum load_trainings --all
	$(BIN)/werkcentrum load_menu --all
	$(BIN)/werkcentrum budget load
	$(BIN)/werkcentrum targets load

migrate: install

demo: install
	$(BIN)/werkcentrum seed_demo

run: demo ## serve on http://127.0.0.1:8000 with demo data and print the demo logins
	@echo ""
	@echo "Werkcentrum runs on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/werkcentrum runserver $(HOST):$(PORT)

TEST_SETTINGS := DJANGO_SETTINGS_MODULE=werkcentrum.config.settings.test

test: $(VENV)/.installed ## the whole suite on SQLite (DATABASE_URL=postgres://... for PostgreSQL)
	$(TEST_SETTINGS) $(BIN)/python -m pytest -n 2 --dist loadfile

test-sqlite: test

test-postgres: $(VENV)/.installed
	$(TEST_SETTINGS) DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/werkcentrum} $(BIN)/python -m pytest -n 2 --dist loadfile

browser: ## Debian's Chromium for browser tests and screenshots (never a downloaded browser)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test-browser: $(VENV)/.installed browser
	$(TEST_SETTINGS) $(BIN)/python -m pytest -m browser -p no:xdist

screenshots: $(VENV)/.installed browser ## screenshots of the main screens into docs/screenshots
	$(BIN)/python scripts/screenshots.py

bench: $(VENV)/.installed ## benchmarks; figures written to docs/performance.md
	$(BIN)/python benchmarks/run.py

$(VENV)/.load-installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[load]"
	touch $@

loadtest: $(VENV)/.installed $(VENV)/.load-installed ## locust: 200 users against gunicorn + PostgreSQL with 1,000,000 contacts; figures into docs/performance.md (LOADTEST_ARGS=--smoke: a short run)
	$(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS)

audit: $(VENV)/.installed ## dependency audit (pip-audit); says so when it could not audit
	$(BIN)/python scripts/audit.py

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/werkcentrum makemigrations --check --dry-run --verbosity 1
	$(BIN)/werkcentrum check

format: $(VENV)/.installed
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

messages: $(VENV)/.installed ## update and compile the translations
	cd src/werkcentrum && ../../$(BIN)/werkcentrum makemessages -l en -l nl --no-obsolete --ignore "static/*" && ../../$(BIN)/werkcentrum compilemessages

.PHONY: backup restore
backup: ## PostgreSQL: pg_dump of DATABASE_URL plus a manifest (row counts, checksums) into var/backups/
	bash scripts/backup.sh $(or $(BACKUP_DIR),var/backups)

restore: ## DUMP=<file>.dump TARGET_DATABASE_URL=postgres://...: restore into a new database and verify it
	@test -n "$(DUMP)" && test -n "$(TARGET_DATABASE_URL)" || { echo "usage: make restore DUMP=var/backups/<file>.dump TARGET_DATABASE_URL=postgres://..."; exit 2; }
	bash scripts/restore.sh "$(DUMP)" "$(TARGET_DATABASE_URL)"

clean:
	rm -rf $(VENV) var .pytest_cache
