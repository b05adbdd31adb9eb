# Two commands matter: `make run` serves the site locally, `make test` proves it.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
INSTANCE := instance
STAMP := $(VENV)/.installed

.PHONY: help run test lint typecheck translations extract-messages db clean lock audit

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Every package comes from the lock, checked against its hashes (pip, setuptools included, so
# the venv's old setuptools is replaced too); the project itself adds nothing unlocked.
$(STAMP): pyproject.toml requirements-dev.lock
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Build tools locked with the rest: the install step above builds the project without isolation.
LOCK_TOOLS := printf 'setuptools>=69\npip>=24\n'
LOCK := $(VENV)/bin/uv pip compile pyproject.toml - --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)

lock: $(STAMP)  ## re-lock after editing pyproject.toml (keeps pins); UPGRADE=1: newest allowed
	$(LOCK_TOOLS) | $(LOCK) --extra postgres -o requirements.lock
	$(LOCK_TOOLS) | $(LOCK) --extra postgres --extra test -c requirements.lock -o requirements-dev.lock

audit: $(STAMP)  ## pip-audit both lock files (strict; says so when its database is unreachable)
	$(PY) .ci/audit.py requirements.lock requirements-dev.lock

translations: $(STAMP)  ## compile the message catalogs
	$(VENV)/bin/pybabel compile --statistics -d translations 2>&1 | grep -v '^compiling' || true

extract-messages: $(STAMP)  ## refresh the catalogs from the code and templates
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -w 100 -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete -w 100

$(INSTANCE)/secret_key:
	mkdir -p $(INSTANCE)
	$(PY) -c "import secrets; print(secrets.token_urlsafe(48))" > $@
	chmod 600 $@

# The key that encrypts anonymous messages at rest (app/messages/crypto.py). Losing it makes
# every stored message unreadable; keep it out of database backups.
$(INSTANCE)/messages_key:
	mkdir -p $(INSTANCE)
	$(PY) -c "from app.messages.crypto import new_key; print(new_key())" > $@
	chmod 600 $@

db: $(STAMP) $(INSTANCE)/secret_key $(INSTANCE)/messages_key translations  ## create or upgrade the database, seed empty tables
	$(FLASK) db upgrade
	$(FLASK) seed

run: db  ## serve the site on http://127.0.0.1:8000 with the production gunicorn config
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'

lint: $(STAMP)  ## ruff (with the security rules) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

node_modules/.installed: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the HTML check will be skipped"; fi

test: $(STAMP) translations node_modules/.installed lint  ## every test: unit, server, browser, HTML check
	$(VENV)/bin/pytest

clean:  ## remove the virtualenv and caches (keeps instance/, your local database)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
