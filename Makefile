# Città della Pace: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test lint check pytest lock messages clean

help:
	@echo "make run   - install, migrate, load demo data once, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install, lint, checks and the whole test suite"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --requirement requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_data
	@echo ""
	@echo "  Site:   http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/"
	@echo "  Login:  http://$(HOST):$(PORT)/account/login/  (demo accounts printed above)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint check pytest

# Regenerate the pinned lock from pyproject.toml's ranges.
lock:
	rm -rf .lockenv
	$(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' \
		| xargs -d '\n' .lockenv/bin/pip install --quiet
	.lockenv/bin/pip freeze --all --exclude pip --exclude setuptools > requirements.lock
	rm -rf .lockenv

messages: install
	$(PY) manage.py makemessages -l en --ignore .venv --ignore tests --ignore bench
	$(PY) manage.py compilemessages --ignore .venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
