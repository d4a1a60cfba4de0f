# Nabij — the two commands are `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Python 3.13, else 3.12 (the default python3 is too old for Django 6). pyenv shims may refuse a
# version that is installed but not selected, so fall back to pyenv's own folders.
PYTHON ?= $(shell for v in 3.13 3.12; do \
	  for c in python$$v $$(ls -d /root/.pyenv/versions/$$v*/bin/python$$v $$HOME/.pyenv/versions/$$v*/bin/python$$v 2>/dev/null); do \
	    if $$c -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then echo $$c; exit 0; fi; \
	  done; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
APT_PACKAGES := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
	libfontconfig1 fonts-dejavu-core fonts-noto-core
VENDOR := nabij/static/vendor

.PHONY: install run test test-fast lint format bench system-packages python-packages assets messages warm clean

install: system-packages python-packages assets messages warm

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.13 or 3.12 is required"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

python-packages: $(VENV)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor_assets.sh
	@touch $@

assets: $(VENDOR)/.installed

messages: python-packages
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

warm: python-packages
	@$(MANAGE) warm_up

run: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo
	$(PY) scripts/serve.py

test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e"

lint: python-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: python-packages
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) db.sqlite3 staticfiles
