# tuopin-notebooks — every target sets up what it needs.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3.10 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not ((3,10) <= sys.version_info[:2] < (3,14)))' && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done
KERNEL := tuopin-notebooks
CORPUS ?= seeds
PARAMS ?=
# NAME=x: the report folder reports/x/ (default: derived from the corpus path, see helpers.paths.corpus_name).
NAME ?=
# INCLUDE_CORPUS=0: leave the cleaned corpus (01_cleaning/cleaned.jsonl) out of the report folder.
INCLUDE_CORPUS ?= 1
JOBS ?= 2
# Optional dependency groups of pyproject.toml installed by make setup: dev (tests, lint, pdoc, Playwright) and
# dask (helpers.distributed and its tests).
EXTRAS ?= dev,dask

.PHONY: setup browser test report check-report lab bench bench-full lint format strip clean help

help:
	@echo "make report   render every notebook into reports/<corpus>/ (CORPUS=path PARAMS='-p num_topics 12'"
	@echo "              INCLUDE_CORPUS=0 leaves the cleaned corpus out of the folder)"
	@echo "              the zip (reports/<name>.zip) leaves out the executed notebooks; its index says its size,"
	@echo "              whether it holds the corpus texts, and when it is above 20 MB"
	@echo "make test     run the whole test suite"
	@echo "make setup    create .venv with pinned versions and register the Jupyter kernel"
	@echo "make lab      open JupyterLab with the project's kernel"
	@echo "make bench    each stage against its peer library (SIZE=20000 for one size): benchmarks/results/latest.json"

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "error: need Python >=3.10,<3.14 on PATH"; exit 1; }
	@echo ">> creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(BIN)/python -m pip install -q -c constraints.txt -e '.[$(EXTRAS)]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (tuopin-notebooks)" >/dev/null
	@touch $@

# Headless Chromium for the report tests (Debian package; needs root or an existing install).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "warning: chromium missing and not root: browser tests will be skipped"; fi; }

# Tests sharing an expensive fixture run in one worker, slow tests first (tests/conftest.py): under 15 min on 2 cores.
test: setup browser
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup --no-loadscope-reorder tests helpers

report: setup
	$(BIN)/python -m helpers.report --corpus "$(CORPUS)" $(if $(NAME),--name "$(NAME)") $(if $(filter 0 no false,$(INCLUDE_CORPUS)),--no-corpus) $(PARAMS)

check-report: setup browser
	$(BIN)/python -m helpers.report --check "reports/$(if $(NAME),$(NAME),$$($(BIN)/python -c 'import sys; from helpers.paths import corpus_name; print(corpus_name(sys.argv[1]))' "$(CORPUS)"))"

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# SIZE=20000: one corpus size (documents); without it 10k, 100k and 1M (see benchmarks/README.md).
bench: setup
	$(BIN)/python -m benchmarks.run_all $(if $(SIZE),--size $(SIZE))

# the pipeline streamed from disk (helpers.stream), stage by stage, resumable; SIZE defaults to 1,000,000
bench-full: setup
	$(BIN)/python -m benchmarks.full_run --size $(or $(SIZE),1000000) --check-sample 10000

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

strip: setup
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

clean:
	rm -rf .cache reports
