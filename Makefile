# Samnav: `make run` serves the demo federation, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-dates lint types format bench clean-db install schema system-deps browser-deps crash

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use: Chromium for the browser tests (tests/browser/), xmlsec1 for
# the SAML identity provider of the sign-in tests (tests/federation/), poppler-utils' pdftotext
# for the tagged PDF statements' tests (tests/costs/exports/). Installed when missing
# and this user may (root with apt); otherwise the browser tests skip and say why, and the
# SAML tests fail saying what is missing.
CHROMIUM ?= $(shell command -v chromium || echo /usr/bin/chromium)
XMLSEC1 ?= $(shell command -v xmlsec1 || echo /usr/bin/xmlsec1)
PDFTOTEXT ?= $(shell command -v pdftotext || echo /usr/bin/pdftotext)
system-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	[ -x "$(XMLSEC1)" ] || missing="$$missing xmlsec1"; \
	[ -x "$(PDFTOTEXT)" ] || missing="$$missing poppler-utils"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's$$missing for the tests..."; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null 2>&1 && \
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1)) || \
		echo "Could not install$$missing."; \
	else echo "Missing$$missing and no apt-get as root: install them to run every test."; fi

browser-deps: system-deps

run: $(STAMP)
	$(PY) manage.py serve

test: $(STAMP) system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)

# Types: mypy with django-stubs (pyproject [tool.mypy]); also part of `make test`.
types: $(STAMP)
	$(VENV)/bin/mypy

# The date-sensitive tests at every instant of tests/dates.py (new year, month ends, leap day,
# daylight-saving nights, holiday eves, around midnight, 2027 and 2030).
test-dates: $(STAMP)
	$(PY) -m tests.dates $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/lint-imports

# Long: kills a real worker mid-split and mid-notifications (needs Redis; tests/security/crash/).
crash: $(STAMP)
	$(PY) -m tests.security.crash

bench: $(STAMP)
	$(PY) -m tests.bench $(BENCH_ARGS)

clean-db: $(STAMP)
	$(PY) platform/config/embedded_db.py remove

# The committed GraphQL schema, printed in English (the test settings' language).
schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py graphql_schema --schema api.schema.schema --out schema.graphql
