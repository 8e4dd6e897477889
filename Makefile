# Two commands on a fresh clone: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

# The compiled .mo files are committed; recompile them when gettext is there.
COMPILE_MESSAGES = command -v msgfmt >/dev/null && $(PY) manage.py compilemessages --ignore=.venv -v0 || true

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	@$(COMPILE_MESSAGES)
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Guichet admin:  http://$(HOST):$(PORT)/admin/"
	@echo "  Log in as:      admin / $${GUICHET_ADMIN_PASSWORD:-admin}   (superuser)"
	@echo "  Role accounts:  agent, manager, marketer / $${GUICHET_DEMO_PASSWORD:-guichet-demo}"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	@$(COMPILE_MESSAGES)
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.installed
	$(PY) bench/run.py

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr --no-location --ignore=.venv --ignore=bench --ignore=tests
