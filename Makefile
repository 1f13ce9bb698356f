# Instroom: two commands on a fresh machine.
#   make demo   install everything, prepare the demo database (SQLite) and serve :8000
#   make test   ruff, mypy, import layers, migrations check, translations check and the test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6.1 needs Python 3.12+: the first interpreter found that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[23]*/bin/python3 /usr/bin/python3.12 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p 2>/dev/null || echo $$p; } && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# WeasyPrint (PDF) needs Pango and a font.
SYSTEM_PACKAGES := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: help install system-packages demo demo-data serve test lint typecheck pytest e2e ci messages clean bench security load

help:
	@echo "make demo   install and serve the demo on http://127.0.0.1:8000"
	@echo "make test   run every check and test (SQLite; set DATABASE_URL for PostgreSQL)"

# Debian packages: Chromium for the browser tests, gettext for the translation catalogues,
# Pango and fonts for PDF.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml constraints.txt package-lock.json
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6.1)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: system-packages $(STAMP) messages

messages: $(STAMP)
	cd src/instroom && ../../$(BIN)/instroom compilemessages --ignore=.venv -v 0

demo-data: install
	$(BIN)/instroom demo --no-serve

demo: install
	$(BIN)/instroom demo

test: install
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy src/instroom
	$(BIN)/lint-imports --no-cache
	$(BIN)/instroom makemigrations --check --dry-run -v 1 --settings=instroom.conf.test
	$(BIN)/python scripts/check_translations.py
	$(BIN)/pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) node_modules var

# Extract new strings into the catalogues (then translate the Dutch one).
messages-update: $(STAMP)
	cd src/instroom && ../../$(BIN)/instroom makemessages -l nl -l en --no-obsolete --no-location --settings=instroom.conf.test

# Benchmarks (never timed tests): ranking one home against pools of 10,000 and 50,000 clients,
# database reads included, on PostgreSQL. Uses (and fills) its own database instroom_bench.
# The reports bench builds (once) a national data set in its own database instroom_bench_reports
# (BENCH_REPORTS_DATABASE_URL) and times the coordinator dashboard and the yearly PDF; the clients
# bench times the client list's searches on that same data set.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/instroom_bench
bench: install
	@psql "$(subst /instroom_bench,/postgres,$(BENCH_DATABASE_URL))" -qtc "SELECT 1 FROM pg_database WHERE datname='instroom_bench'" | grep -q 1 || \
	  psql "$(subst /instroom_bench,/postgres,$(BENCH_DATABASE_URL))" -qc "CREATE DATABASE instroom_bench"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/instroom bench_ranking
	$(BIN)/python scripts/bench_core.py
	$(BIN)/python scripts/bench_solver.py
	$(BIN)/python scripts/bench_clusters.py
	$(BIN)/python scripts/bench_forecast.py
	$(BIN)/python scripts/bench_reports.py
	$(BIN)/python scripts/bench_clients.py

# Security proofs (CI runs this after `make test`, a few minutes): static checks (bandit, set up
# in pyproject.toml; pip-audit), the API fuzzed per role, faults and dump/restore on PostgreSQL
# (set DATABASE_URL; those tests skip on SQLite outside CI). docs/security.md lists what they
# prove and the accepted findings. The load test takes longer: `make load`.
security: install
	$(BIN)/bandit -c pyproject.toml -r src/instroom -q --severity-level medium --confidence-level medium
	bash scripts/security/pip_audit.sh
	$(BIN)/pytest -p no:cacheprovider -m security src/instroom/security

# Load (about 100 s): 50 users sign in through the form, then browse for 60 s, against gunicorn
# (2 workers) on PostgreSQL with the demo data (its own database instroom_load). Fails on errors,
# server errors and failed sign-ins; prints the percentiles and whether p99 < 1 s was met (speed
# is read from that output, not from CI's verdict).
load: install
	bash scripts/security/load.sh
