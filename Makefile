# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# `make run` serves the production settings over plain http on loopback, with a per-clone secret key.
RUN_ENV = DJANGO_SETTINGS_MODULE=kochi_kyosei.settings.production \
	SECRET_KEY="$$(cat .secret_key)" \
	ALLOWED_HOSTS=127.0.0.1,localhost \
	CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$(PORT),http://localhost:$(PORT) \
	WAGTAILADMIN_BASE_URL=http://127.0.0.1:$(PORT) \
	LOCAL_HTTP=1 \
	STAFF_2FA_REQUIRED=0 \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}

.PHONY: run test install install-dev chromium java certificate-tools lint format clean audit screenshots accessibility-report backup restore wrk varnish bench bench-mixed

$(BIN)/.installed: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

.secret_key: | $(BIN)/.installed
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > $@

run: $(BIN)/.installed .secret_key certificate-tools
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_initial_content
	$(RUN_ENV) $(BIN)/python manage.py sync_site_address
	$(RUN_ENV) $(BIN)/python manage.py ensure_local_admin --url http://127.0.0.1:$(PORT)/admin/
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@# The web server and the background worker, each started again when it ends; Ctrl-C stops both.
	@# exec: make passes its SIGTERM to the supervisor itself, not to a shell that would leave it running.
	@export $(RUN_ENV) PORT=$(PORT); exec $(BIN)/python deploy/supervise.py

# Browser tests drive Debian's Chromium; install it when it is missing (needs root, as on CI).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The 宣言書 PDF embeds IPAex明朝 (Debian fonts-ipaexfont-mincho; `make run` needs it too); the tests read
# the PDF back with poppler's pdftotext. Installed when missing (needs root, as on CI).
certificate-tools:
	@{ test -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-ipaexfont-mincho poppler-utils >/dev/null; }

# The W3C Nu checker (vnu.jar, from npm) runs on Java; install a headless JRE when there is none.
java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

# The whole suite in PYTEST_WORKERS processes (pytest-xdist), each with its own test database, live
# server, media folders and Redis db (conftest.py says how the tests are shared out). PYTEST_WORKERS=0
# runs it in this one process; PYTEST_ARGS adds pytest options (CI: -m database on PostgreSQL). The 30
# slowest tests are listed at the end, so a test that grows shows in every run (issue 21's CI budget).
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

test: $(BIN)/.installed-dev chromium java certificate-tools node_modules/.installed
	$(BIN)/pytest -n $(PYTEST_WORKERS) --durations=30 $(PYTEST_ARGS)

# Lighthouse (make audit) and the W3C Nu checker's vnu.jar (the HTML validity test).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Lighthouse (mobile) on /, the articles, the register, the form, the centres directory and the site map, on a throw-away copy of the site; fails when
# accessibility, best practices or SEO is below 100 on any of them.
audit: $(BIN)/.installed-dev chromium node_modules/.installed
	$(BIN)/python tests/tools/audit.py

# PNGs at 375 px and 1280 px of home, an article, the register and a centre into docs/screenshots/
# (committed); SCREENSHOTS_ALL=1 adds every checked page and state into screenshots/ for review. A Japanese
# font is installed first when the machine has none, or the text shows as empty boxes.
screenshots: $(BIN)/.installed-dev chromium
	@fc-list :lang=ja | grep -q . || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	$(BIN)/python tests/tools/screenshots.py $(if $(SCREENSHOTS_ALL),--all)

# The browser checks of the test suite, written to docs/accessibility-results.json for the
# ウェブアクセシビリティ方針 page; commit the file.
accessibility-report: $(BIN)/.installed-dev chromium
	$(BIN)/python tests/tools/accessibility_report.py

# The database (pg_dump, or SQLite's online backup) and both media folders into backups/<date-time>/;
# `make restore BACKUP=backups/<date-time>` puts them back (it asks first). Same settings as the site.
backup: $(BIN)/.installed
	$(BIN)/python manage.py backup_site

restore: $(BIN)/.installed
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<date-time>" >&2; exit 2; }
	$(BIN)/python manage.py restore_site "$(BACKUP)"

# The load generator of `make bench`; installed like Chromium when it is missing (needs root, as on CI).
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# The production front (deploy/varnish/default.vcl) for the mixed load's second topology; Debian's package.
varnish:
	@command -v varnishd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish >/dev/null; }

# Requests per second, p50/p99 and the ratio to a static file for the main pages, cached and uncached, on a
# throw-away site of 10,000 declarations and 300 pages served by gunicorn (a few minutes; see the script).
# Then the mixed load (bench-mixed): reads over every public address with writers on their schedules,
# through gunicorn alone and through Varnish, with a freshness audit (docs/performance.md, "Mixed load").
bench: $(BIN)/.installed wrk certificate-tools
	$(BIN)/python tests/benchmarks/page_benchmark.py
	$(MAKE) bench-mixed

# Production's shared cache, Redis, when this machine runs one (db 14, emptied at the start and the end): the
# database cache keeps 300 pages, so its hit rate says nothing of production. BENCH_REDIS_URL= turns it off.
BENCH_REDIS_URL ?= $(shell redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && echo redis://127.0.0.1:6379/14)

bench-mixed: $(BIN)/.installed certificate-tools varnish
	BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python tests/benchmarks/mixed_load.py

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles
