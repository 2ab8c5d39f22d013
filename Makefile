# laatool: `make demo` sets up and runs validate, score and reward-grant on examples/ and writes
# the board report of Leeds to examples/out/ (`make report-check` renders it in Chromium);
# `make test` sets up, runs the linters (`make lint`) and the whole test suite. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo report-check test lint schemas bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/laatool -w examples validate
	$(BIN)/laatool -w examples score --area leeds
	$(BIN)/laatool -w examples reward-grant
	mkdir -p examples/out
	$(BIN)/laatool -w examples report --area leeds -o examples/out/leeds.html
	$(BIN)/laatool -w examples report --area leeds -o examples/out/leeds.xlsx
	@echo "make demo: the board report of Leeds is in examples/out/leeds.html and examples/out/leeds.xlsx"

# The example report rendered by headless Chromium (Debian's `chromium`): a screenshot and the
# A4 landscape print, as a person would see them. Skipped, saying so, where Chromium is absent.
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)

report-check: demo
	@if [ -z "$(CHROMIUM)" ]; then echo "make report-check: skipped: no chromium here (apt-get install chromium)"; \
	else $(CHROMIUM) --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,2200 \
		--screenshot=examples/out/leeds.png "file://$(CURDIR)/examples/out/leeds.html" 2>/dev/null && \
	$(CHROMIUM) --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf=examples/out/leeds.pdf "file://$(CURDIR)/examples/out/leeds.html" 2>/dev/null && \
	test -s examples/out/leeds.png && test -s examples/out/leeds.pdf && \
	echo "make report-check: examples/out/leeds.png (the page) and examples/out/leeds.pdf (its A4 print)"; fi

# `make test` runs the linters first, then the suite: CI (.ci/run) runs this. A worker that is
# done takes tests from another (`worksteal`), so a long test (the fuzz run) ends no core's share late.
test: lint
	$(BIN)/python -m pytest -n auto --dist worksteal

# ruff, mypy over src/, and the layer contracts of docs/architecture.md (import-linter).
lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

schemas: $(STAMP)
	for name in indicator agreement returns scheme settings neighbours; do \
		$(BIN)/laatool schema $$name > schemas/$$name.schema.json; done

# `make bench` measures laatool against the budgets of DESIGN.md §14 on generated national
# workspaces of six shapes (docs/performance.md); frictionless and py-spy come from the `bench`
# extra, used by nothing else.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SHAPES := national districts full published quarterly per-area
# The Table Schema is the last file a shape's generation writes.
BENCH_WORKSPACES := $(foreach shape,$(BENCH_SHAPES),bench/out/$(shape)/returns.schema.json)

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

bench/out/%/returns.schema.json: bench/generate.py bench/series.py bench/measures.py | $(STAMP)
	$(BIN)/python bench/generate.py --shape $*

# laatool's bytecode is compiled first, as installing a wheel does: an editable install with
# PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every run.
bench: $(BENCH_STAMP) $(BENCH_WORKSPACES)
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
