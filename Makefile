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

.PHONY: demo test setup messages fonts system-packages system-packages-test lint

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

# The browser tests' screenshots need real glyphs for every script the pages
# use, also where no web font is loaded (Noto: Latin, Burmese, Devanagari,
# CJK). npm installs the web fonts the pages serve (make fonts).
system-packages-test: system-packages
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@dpkg -s fonts-noto-core >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq fonts-noto-core)
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk)

# Web fonts for Burmese and Nepali pages, self-hosted (no CDN): the versions
# pinned in package-lock.json, installed with `npm ci` whenever the lockfile
# changed, and only the files the pages use copied into static/fonts/
# (gitignored; collectstatic picks them up). Sizes: locale/README.md.
FONT_FILES := noto-sans-myanmar/files/noto-sans-myanmar-myanmar-400-normal.woff2 \
	noto-sans-myanmar/files/noto-sans-myanmar-myanmar-700-normal.woff2 \
	noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff2 \
	noto-sans-devanagari/files/noto-sans-devanagari-devanagari-700-normal.woff2

node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

fonts: node_modules/.package-lock.json
	@mkdir -p static/fonts
	@for f in $(FONT_FILES); do cp node_modules/@fontsource/$$f static/fonts/; done

messages: system-packages $(VENV)/.runtime
	@if [ -d locale ]; then DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

setup: $(VENV)/.runtime messages fonts

# Links in emails use SITE_URL: the demo's own address and port.
demo: export SITE_URL = http://127.0.0.1:$(PORT)
demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev messages system-packages-test fonts
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
