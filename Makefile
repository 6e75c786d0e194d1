# Città della Pace: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The public address `make run` serves: canonical links, sitemap, robots.txt, og:url, feeds,
# webcal and e-mail links, and the Wagtail Site record (load_demo_data) all use it.
SITE_URL ?= http://$(HOST):$(PORT)
STAMP := $(VENV)/.installed
# The Nu HTML checker (npm package vnu-jar, run with the machine's Java) for the HTML validity tests.
VNU_VERSION ?= 26.9.27
VNU_DIR := $(VENV)/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
# ical.js (npm) for the test that expands a feed in it through node (tests/eventi/test_icaljs.py).
ICALJS_VERSION ?= 2.2.1
ICALJS_DIR := $(VENV)/icaljs
ICALJS := $(ICALJS_DIR)/node_modules/ical.js/dist/ical.js
# Benchmark scale (make bench EVENTS=10000 PROPOSALS=2000).
EVENTS ?= 100
PROPOSALS ?= 50

.DEFAULT_GOAL := help
.PHONY: help install run test lint check pytest lock messages clean validator icaljs bench bench-matrix load-test fault-test

help:
	@echo "make run   - install, migrate, load demo data once, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install, lint, checks and the whole test suite (browser tests included)"
	@echo "make bench - page benchmarks under gunicorn (EVENTS=... PROPOSALS=... DATABASE_URL=... REDIS_URL=...)"
	@echo "make bench-matrix - the README table: 10,000 events on SQLite/PostgreSQL, with/without Redis"
	@echo "make load-test - 60 s mixed load at 50 users, then checks every accepted write"
	@echo "make fault-test - two gunicorn nodes behind haproxy on PostgreSQL + Redis, one killed"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --requirement requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Outside CI a missing npm/java or a failed install only skips the HTML validity tests;
# under CI=true it is an error.
$(VNU_JAR): | $(STAMP)
	@if command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION) \
			|| { echo "could not install vnu-jar@$(VNU_VERSION): the HTML validity tests need it" >&2; \
				if [ "$$CI" = "true" ]; then exit 1; fi; \
				echo "the HTML validity tests will be skipped"; }; \
	elif [ "$$CI" = "true" ]; then \
		echo "ERROR: npm or java is missing (CI=true): the HTML validity tests need both" >&2; \
		exit 1; \
	else \
		echo "npm or java is missing: the HTML validity tests will be skipped"; \
	fi
	@if [ "$$CI" = "true" ] && [ ! -f $(VNU_JAR) ]; then \
		echo "ERROR: npm did not produce $(VNU_JAR) (CI=true)" >&2; exit 1; \
	fi

validator: $(VNU_JAR)

# Outside CI a missing npm only skips the ical.js test; under CI=true it is an error.
$(ICALJS): | $(STAMP)
	@if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(ICALJS_DIR) ical.js@$(ICALJS_VERSION) \
			|| { echo "could not install ical.js@$(ICALJS_VERSION): the ical.js test needs it" >&2; \
				if [ "$$CI" = "true" ]; then exit 1; fi; \
				echo "the ical.js test will be skipped"; }; \
	elif [ "$$CI" = "true" ]; then \
		echo "ERROR: npm or node is missing (CI=true): the ical.js test needs both" >&2; \
		exit 1; \
	else \
		echo "npm or node is missing: the ical.js test will be skipped"; \
	fi
	@if [ "$$CI" = "true" ] && [ ! -f $(ICALJS) ]; then \
		echo "ERROR: npm did not produce $(ICALJS) (CI=true)" >&2; exit 1; \
	fi

icaljs: $(ICALJS)

run: install
	SITE_URL=$(SITE_URL) $(PY) manage.py migrate --no-input
	SITE_URL=$(SITE_URL) $(PY) manage.py load_demo_data
	@echo ""
	@echo "  Site:   http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/"
	@echo "  Login:  http://$(HOST):$(PORT)/account/login/  (demo accounts printed above)"
	@echo ""
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: install validator icaljs
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
	$(PY) manage.py makemessages -l en --no-wrap --ignore .venv --ignore tests --ignore bench
	$(PY) manage.py compilemessages --ignore .venv

bench: install
	$(PY) bench/bench_pages.py --events $(EVENTS) --proposals $(PROPOSALS) \
		$(if $(DATABASE_URL),--database-url $(DATABASE_URL)) $(if $(REDIS_URL),--redis-url $(REDIS_URL))

# The README's table: SQLite and PostgreSQL, with and without Redis, page cache on and off.
bench-matrix: install
	$(PY) bench/bench_matrix.py --events 10000 --proposals 2000

load-test: install
	$(PY) bench/load_test.py

# Needs Debian's haproxy, PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis (db 9, flushed).
fault-test: install
	$(PY) bench/fault_test.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
