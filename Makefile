# Two entry points for a fresh machine (see README):
#   make demo   set up, migrate, load demo data, serve http://127.0.0.1:8000
#               (make demo PORT=8101: another port; emails link to it too)
#   make test   set up and run the whole test suite
# The test run uses SQLite unless DATABASE_URL (and REDIS_URL) are set: .ci/run
# runs it on both.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PORT   ?= 8000

.PHONY: demo test setup messages system-packages system-packages-test lint

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# gettext compiles the translations; chromium drives the browser tests.
system-packages:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)

system-packages-test: system-packages
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

messages: system-packages $(VENV)/.runtime
	@if [ -d locale ]; then DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

setup: $(VENV)/.runtime messages

# Links in emails use SITE_URL: the demo's own address and port.
demo: export SITE_URL = http://127.0.0.1:$(PORT)
demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev messages system-packages-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
