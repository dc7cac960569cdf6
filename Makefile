# The workbook's two commands: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
HUB_STAMP := $(VENV)/.installed-hub
export DEBIAN_FRONTEND := noninteractive

.PHONY: install install-test install-hub demo demo-check chromium graphviz js-deps hub-deps postgresql \
	hub-demo lint test clean-notebooks

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(RUN_STAMP)

$(HUB_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[hub]'
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)
install-hub: $(HUB_STAMP)

## make demo: set up, load a fictional case into a new session, start JupyterLab and Voila.
demo: install
	$(BIN)/systemic-workbook demo

## make demo-check: start both servers, check each answers, stop them.
demo-check: install
	$(BIN)/systemic-workbook demo --check

## Debian's chromium for the browser tests (never a downloaded browser).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium fonts-dejavu-core; \
	fi

## LibreOffice (Debian's headless Writer) and poppler's pdftotext, for the test that renders
## the note's DOCX to PDF and checks its pages.
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then \
	  echo "Installing Debian's libreoffice-writer-nogui and poppler-utils for the DOCX test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q libreoffice-writer-nogui poppler-utils; \
	fi

## axe-core for the accessibility tests, from npm at the version in tests/js/package-lock.json.
js-deps:
	@if ! command -v npm >/dev/null; then \
	  echo "Installing Debian's nodejs and npm for axe-core"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q nodejs npm; \
	fi
	npm ci --prefix tests/js --no-audit --no-fund

## JupyterHub's proxy (configurable-http-proxy) from npm, at the version in deploy/package-lock.json.
hub-deps: js-deps
	npm ci --prefix deploy --no-audit --no-fund

## Debian's graphviz: the genogram benchmark draws the same families with dot to compare.
graphviz:
	@if ! command -v dot >/dev/null; then \
	  echo "Installing Debian's graphviz for the genogram benchmark"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q graphviz; \
	fi

## Debian's PostgreSQL server for the shared store's tests and the hub demonstration.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q postgresql; \
	fi

## make hub-demo: the council service in miniature on 127.0.0.1 (JupyterHub, PostgreSQL).
hub-demo: install-hub hub-deps postgresql
	$(BIN)/systemic-workbook hub

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/nbstripout --verify notebooks/*/*.ipynb

## make test: set up, then run ruff, pytest (unit, property-based, browser) and nbval over the notebooks.
test: install-test chromium office graphviz js-deps hub-deps postgresql lint
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider
