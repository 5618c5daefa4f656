# The two commands a newcomer needs: `make run` and `make test`. Both set everything up.
.DEFAULT_GOAL := run
VENV := .venv
PY := $(VENV)/bin/python

# Django 6.1 needs Python 3.12+. Shims (pyenv) may exist and still fail, so each candidate is
# run, not just looked up, and pyenv's installed versions are tried too.
define find_python
for c in python3.13 python3.12 python3 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; break; fi; \
done
endef

$(PY):
	@py=$$($(find_python)); \
	if [ -z "$$py" ]; then \
	  echo "MotoVault needs Python 3.12 or newer and none was found."; \
	  echo "Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12', then run make again."; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)

$(VENV)/.run-deps: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

# A local .env with a fresh secret key, written once and never overwritten.
.env: | $(PY)
	@printf '# Written by make on first run. Every setting: see .env.example.\nSECRET_KEY=%s\nDEBUG=True\n' \
	  "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env with a new SECRET_KEY."

# axe-core, injected into pages by the browser tests' accessibility checks (test-only).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (install Node.js to run them)"; fi

.PHONY: run test lint demo bench screenshots clean
run: $(VENV)/.run-deps .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.test-deps .env node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

# A lived-in app in one command: a demo owner with years of data (log in as demo / demo-motovault).
demo: $(VENV)/.run-deps .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# Needs PostgreSQL, Redis and wrk; see bench/run.py. BENCH_ARGS="--owners 100 --seconds 5" for a quick run.
bench: $(VENV)/.test-deps
	$(PY) bench/run.py $(BENCH_ARGS)

# Screenshots for the README from fresh demo data (needs Chromium; takes about 30 s).
# Another port when 8099 is taken: make screenshots SHOTS_PORT=8199 (the scratch file is per port).
SHOTS_PORT ?= 8099
SHOTS_FILE := /tmp/motovault-shots-$(SHOTS_PORT).sqlite3
SHOTS_DB := sqlite:///$(SHOTS_FILE)
screenshots: $(VENV)/.test-deps .env
	rm -f $(SHOTS_FILE)
	DATABASE_URL=$(SHOTS_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(SHOTS_DB) $(PY) manage.py seed_demo
	DATABASE_URL=$(SHOTS_DB) $(PY) manage.py runserver 127.0.0.1:$(SHOTS_PORT) --noreload & pid=$$!; \
	  for i in $$(seq 30); do curl -sf http://127.0.0.1:$(SHOTS_PORT)/healthz >/dev/null && break; sleep 0.5; done; \
	  $(PY) -m motovault.tests.browser.screenshots --base-url http://127.0.0.1:$(SHOTS_PORT); status=$$?; kill $$pid; exit $$status

lint: $(VENV)/.test-deps .env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
