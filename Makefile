# The two commands of the README:
#   make run   - set up and run the pipeline on the bundled sample (data/raw -> data/clean)
#   make test  - set up and run the linter and the test suite
PYTHON ?= python3
VENV := .venv
export PYTHAINLP_OFFLINE := 1

.PHONY: setup run test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(VENV)/bin/prongsai run data/raw --out data/clean

test: setup
	$(VENV)/bin/ruff check prongsai tests bench
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) data/clean/*.csv data/clean/*.parquet
