# laatool: `make demo` sets up and runs validate, score and reward-grant on examples/;
# `make test` sets up, runs the linters (`make lint`) and the whole test suite. Only Python 3.11+ is needed.
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

# `make test` runs the linters first, then the suite: CI (.ci/run) runs this.
test: lint
	$(BIN)/python -m pytest

# ruff, mypy over src/, and the layer contracts of docs/architecture.md (import-linter).
lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

schemas: $(STAMP)
	for name in indicator agreement returns scheme settings neighbours; do \
		$(BIN)/laatool schema $$name > schemas/$$name.schema.json; done

# `make bench` measures laatool against the budgets of DESIGN.md §14 on generated national
# workspaces of five shapes (docs/performance.md); frictionless and py-spy come from the `bench`
# extra, used by nothing else.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SHAPES := national districts full published quarterly
BENCH_CSVS := $(foreach shape,$(BENCH_SHAPES),bench/out/$(shape)/returns/returns.csv)

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

bench/out/%/returns/returns.csv: bench/generate.py bench/series.py bench/measures.py | $(STAMP)
	$(BIN)/python bench/generate.py --shape $*

# laatool's bytecode is compiled first, as installing a wheel does: an editable install with
# PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every run.
bench: $(BENCH_STAMP) $(BENCH_CSVS)
	$(BIN)/python -m compileall -q src/laatool
	$(BIN)/python bench/run.py

# `make fuzz` mutates examples/ at random FUZZ_RUNS times (seeds FUZZ_FIRST...; tests/fuzzing.py)
# and checks every run of validate, score, reward-grant and project ends cleanly; the suite runs 30.
FUZZ_RUNS ?= 300
FUZZ_FIRST ?= 0

fuzz: $(STAMP)
	FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_FIRST=$(FUZZ_FIRST) $(BIN)/python -m pytest tests/test_fuzz.py -s -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
