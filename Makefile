# laatool: `make demo` sets up and runs validate, score and reward-grant on examples/;
# `make test` sets up and runs the whole test suite. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint schemas bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/laatool -w examples validate
	$(BIN)/laatool -w examples score --area leeds
	$(BIN)/laatool -w examples reward-grant

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests

schemas: $(STAMP)
	for name in indicator agreement returns scheme settings; do \
		$(BIN)/laatool schema $$name > schemas/$$name.schema.json; done

clean:
	rm -rf $(VENV) build dist .pytest_cache
