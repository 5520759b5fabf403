# Two commands for a fresh machine (README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE_DIR ?= build/sample-landing
WAREHOUSE ?= build/warehouse/outcomes.duckdb

.PHONY: run test test-all lint ui ui-screenshot docs bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

## Set up, generate the SAMPLE DATA, run the whole pipeline, publish the warehouse and the scrutiny report.
run: $(BIN)/.installed
	rm -rf $(SAMPLE_DIR)  # fresh SAMPLE DATA each time (a run moves landing files to processed/ or rejected/)
	$(BIN)/outcomes sample $(SAMPLE_DIR)
	$(BIN)/outcomes run --landing $(SAMPLE_DIR) --warehouse $(WAREHOUSE)

## Set up and run the test suite (what CI runs), on two processes (one pytest process kept one core of two idle).
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow" -n 2

## Everything, including the heavy variants, on two processes; rewrites docs/reliability.md, the reliability
## proof table (written by the controller, to which the workers' reports carry each row).
test-all: $(BIN)/.installed
	OUTCOMES_PROOF=docs/reliability.md $(BIN)/python -m pytest -q -n 2

lint: $(BIN)/.installed
	$(BIN)/ruff check .

## The Dagster UI with this code location and this dagster.yaml (http://127.0.0.1:3000).
ui: $(BIN)/.installed
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000

## PNGs of the Dagster UI (asset graph, checks, automation) after a SAMPLE DATA run, in build/ui/ (needs chromium).
ui-screenshot: $(BIN)/.installed
	$(BIN)/python tools/screenshot_ui.py

clean:
	rm -rf build .dagster
