# Two commands on a fresh machine: `make run` and `make test`. Everything else is built from these.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV_VERSION := 0.13.9
PORT ?= 8000
HOST ?= 127.0.0.1
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/compliance
SERVICES_BROKER_URL ?= redis://127.0.0.1:6379/0

# Django 6 needs Python >= 3.12; the machine's default python3 may be older, so probe candidates in order.
find_python = for c in $$PYTHON python3.13 python3.12 python3 \
	  $$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] 2>/dev/null); do \
	  [ -n "$$c" ] || continue; \
	  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
	done; exit 1

.PHONY: help install run test test-services bench lint migrate demo clean lock

help:
	@echo "make run            install, migrate, load demo data, start web + Celery worker + beat"
	@echo "make test           install and run the whole test suite (SQLite, serverless broker)"
	@echo "make test-services  the suite against PostgreSQL and Redis with a live Celery worker"
	@echo "make bench          benchmarks on the production shape (PostgreSQL, gunicorn, wrk) against stock peers"
	@echo "make lint           ruff check, ruff format --check, makemigrations --check"

$(VENV)/.installed: requirements.lock pyproject.toml
	@set -e; py=$$($(find_python)) || { echo "ERROR: Python >= 3.12 is required (Django 6). Install python3.12 or set PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	echo "Using $$py ($$($$py --version))"; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then rm -rf $(VENV); "$$py" -m venv $(VENV); fi; \
	$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION) 2>&1 | grep -v "^WARNING: Location" || true; \
	$(BIN)/uv pip sync -q --python $(PY) requirements.lock
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@$(PY) manage.py collectstatic --noinput -v0
	@bash scripts/run-all.sh $(HOST) $(PORT)

test: install
	$(PY) -m pytest -n 2 -m "not services"

test-services: install
	@bash scripts/services-up.sh
	DATABASE_URL=$(SERVICES_DATABASE_URL) CELERY_BROKER_URL=$(SERVICES_BROKER_URL) REQUIRE_SERVICES=1 \
	  $(PY) -m pytest -n 2

# The production shape: PostgreSQL and Redis on 127.0.0.1 (throwaway database compliance_bench), gunicorn
# driven by wrk (a Debian package, installed when missing). Exit status 1 when a target is missed.
bench: install
	@{ command -v wrk >/dev/null && dpkg -s libharfbuzz-subset0 >/dev/null 2>&1; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk libharfbuzz-subset0 >/dev/null; }
	$(PY) bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/*.sqlite3 var/broker var/celerybeat*

# Regenerate both lock files after changing pyproject.toml (the image installs the production one).
lock: install
	$(BIN)/uv pip compile -q pyproject.toml --group dev --python-version 3.12 -o requirements.lock
	$(BIN)/uv pip compile -q pyproject.toml --python-version 3.12 -o requirements-prod.lock
