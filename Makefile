# The two commands a new user needs. Both create .venv when it is missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The question Arsenal exists to answer: domestic-only vs allied-integrated in the Indo-Pacific,
# 400 paired replications on common random numbers: about ±1 percentage point on every fill-rate
# difference, in well under a minute on two cores.
demo: $(STAMP)
	$(BIN)/arsenal compare scenarios/indo_pacific_domestic.yaml scenarios/indo_pacific_allied.yaml \
		--reps 400 --seed 1 --out results/demo --force

test: $(STAMP)
	$(BIN)/ruff check simulator tests benchmarks
	$(BIN)/python -m pytest -n auto -q --nbmake --doctest-modules simulator tests notebooks

lint: $(STAMP)
	$(BIN)/ruff check simulator tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_perf.py --no-rss

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
