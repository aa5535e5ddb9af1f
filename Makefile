# Partnership Hub — developer commands.
#
#   make run     embedded mode: SQLite in ./instance, tasks in process, mail at /dev/mail
#   make test    the whole suite (SQLite by default; PostgreSQL/Redis when their URLs are set)
#   make lint    ruff check + ruff format --check + mypy
#   make worker  Celery worker  (needs REDIS_URL)
#   make beat    Celery beat    (needs REDIS_URL)
#   make clean   remove the virtualenv and caches (keeps ./instance and its database)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app partnership_hub
CELERY := $(VENV)/bin/celery -A worker:celery
# On SQLite the suite runs in two processes (pytest-xdist; each has its own database file); on
# PostgreSQL the tests share one database, so they run in one.
PYTEST_ARGS ?= $(if $(DATABASE_URL),,-n 2)
# When set, the test target writes pytest's own exit code there (.ci/run reports it).
PYTEST_EXIT_FILE ?=

.PHONY: run test lint worker beat browser-deps instance-dir clean

# --- virtualenv and installs (re-run only when pyproject.toml changes) -------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	@touch $@

instance-dir:
	@mkdir -p "$${INSTANCE_PATH:-instance}"

# --- commands ----------------------------------------------------------------------------

run: $(VENV)/.installed-run instance-dir
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) serve

# Python may keep compiled bytecode (git-ignored __pycache__) for the suite even where the environment
# turns that off (PYTHONDONTWRITEBYTECODE): without it every run, in each xdist process, compiles the
# app and has pytest rewrite the asserts of every test module again, about ten seconds per process.
test: $(VENV)/.installed-test browser-deps instance-dir
	@rc=0; PYTHONDONTWRITEBYTECODE= $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ -n "$(PYTEST_EXIT_FILE)" ]; then echo $$rc > "$(PYTEST_EXIT_FILE)"; fi; \
	exit $$rc

# Browser tests drive Debian's chromium-headless-shell package (Chromium without the browser's user
# interface: the browser tests take a third less time than with the full chromium package, which
# they use where the shell is missing; never a browser download). Only acts when CI or
# BROWSER_TESTS is set (the same rule tests/browser uses to require Chromium), and only when
# /usr/bin/chromium-headless-shell is missing. Whether a missing browser fails the run is the test
# suite's decision, not this target's.
browser-deps:
	@if [ -z "$${CI:-}$${BROWSER_TESTS:-}" ] || [ -x /usr/bin/chromium-headless-shell ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "browser-deps: installing Debian's chromium-headless-shell package"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get update -qq && apt-get install -y -qq chromium-headless-shell >/dev/null; } \
			|| echo "browser-deps: WARNING: apt-get could not install chromium-headless-shell"; \
	else \
		echo "browser-deps: note: /usr/bin/chromium-headless-shell is missing; as root run:" \
			"apt-get install chromium-headless-shell"; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

worker: $(VENV)/.installed-run
	@test -n "$${REDIS_URL:-}" || { echo "worker: set REDIS_URL (without it tasks run inside the web process)"; exit 2; }
	$(CELERY) worker --loglevel=INFO

beat: $(VENV)/.installed-run instance-dir
	@test -n "$${REDIS_URL:-}" || { echo "beat: set REDIS_URL (without it 'make run' schedules in process)"; exit 2; }
	$(CELERY) beat --loglevel=INFO --schedule "$${INSTANCE_PATH:-instance}/celerybeat-schedule"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	@echo "clean: kept ./instance (the embedded database); delete it yourself to start over."
