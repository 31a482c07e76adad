# Two commands on a fresh machine:  make run  |  make test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup run test lint bench clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

setup: $(VENV)/.installed

run: setup
	BUURTKAART_SINGLE_USER=$${BUURTKAART_SINGLE_USER:-1} $(PY) -m streamlit run app.py --server.port $(PORT)

test: setup
	$(PY) -m ruff check .
	$(PY) -m mypy buurtkaart app.py app_pages
	$(PY) -m pytest -n 2 --dist loadfile

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy buurtkaart app.py app_pages

bench: setup
	$(PY) bench/places.py
	$(PY) bench/store.py
	$(PY) bench/map.py
	$(PY) bench/walk.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
