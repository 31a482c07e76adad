# Two commands on a fresh machine:  make run  |  make test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup run test lint jstest jslint bench clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

setup: $(VENV)/.installed

run: setup
	BUURTKAART_SINGLE_USER=$${BUURTKAART_SINGLE_USER:-1} $(PY) -m buurtkaart app --port $(PORT)

test: setup jstest jslint
	$(PY) -m ruff check .
	$(PY) -m mypy buurtkaart
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=25

# Unit tests of the map's JavaScript: node's own test runner, nothing to install.
jstest:
	node --test tests/js/

# eslint comes from the npm registry (package-lock.json).
jslint:
	npm ci --silent --no-audit --no-fund
	npx --no-install eslint

lint: setup jslint
	$(PY) -m ruff check .
	$(PY) -m mypy buurtkaart

bench: setup
	$(PY) bench/places.py
	$(PY) bench/store.py
	$(PY) bench/map.py
	$(PY) bench/walk.py
	$(PY) bench/diff.py
	$(PY) bench/geocode.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache node_modules
