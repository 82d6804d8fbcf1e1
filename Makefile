# Samnav: `make run` serves the demo federation, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format bench clean-db install schema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py serve

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) -m tests.bench $(BENCH_ARGS)

clean-db: $(STAMP)
	$(PY) platform/config/embedded_db.py stop
	rm -rf .pgdata

# The committed GraphQL schema, printed in English (the test settings' language).
schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py graphql_schema --schema api.schema.schema --out schema.graphql
