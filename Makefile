# jdtool developer commands. `make demo` and `make test` are the README's quick start: each sets
# everything up from a bare python3 (a .venv with jdtool and its dev tools) and then runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck model bench check-corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jdtool classify --format table examples/cro-posting.md examples/cso-stelle.txt
	$(BIN)/jdtool extract --format table examples/cso-stelle.txt

test: $(STAMP)
	$(BIN)/jdtool corpus check corpus/ $(if $(wildcard ../shared/realworld/postings.jsonl),--against ../shared/realworld/postings.jsonl)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check jdtool tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# Rebuild the shipped default model from corpus/ (reproducible: same corpus + seed, same model).
model: $(STAMP)
	$(BIN)/jdtool train corpus/ -o models/default --cv 5 --seed 0 --jobs 2

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --dask
	$(BIN)/python benchmarks/generation_sweep.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
