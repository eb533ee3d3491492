# Two commands: `make run` (the dashboard) and `make test` (the whole suite).
# Both create the virtual environment, install pinned dependencies and build the
# data when it is missing. Needs Python >= 3.11 (set PYTHON=... to choose one).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Use the offline mirror of the sources when it sits beside the project.
SHARED_SOURCES := $(abspath ../shared/data/sources)
ifeq ($(origin RBK_SOURCES), undefined)
  ifneq ($(wildcard $(SHARED_SOURCES)),)
    export RBK_SOURCES := $(SHARED_SOURCES)
  endif
endif

.PHONY: run test test-postgres backup data browser nginx serve serve-stop lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

data: $(STAMP)
	$(BIN)/python -m pipeline build
	$(BIN)/python -m ui.components.fetch_plotly

browser:
	bash scripts/install_chromium.sh

nginx:
	bash scripts/install_nginx.sh

# N replicas behind nginx on http://localhost:$(SERVE_PORT) (README: many users).
REPLICAS   ?= 2
SERVE_PORT ?= 8500
serve: data nginx
	$(BIN)/python scripts/serve.py start --replicas $(REPLICAS) --port $(SERVE_PORT)

serve-stop:
	$(BIN)/python scripts/serve.py stop

run: data
	$(BIN)/python -m streamlit run dashboard.py --server.address localhost --server.port 8501

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: data browser nginx
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# The store, ingest and concurrency suites against a throwaway PostgreSQL cluster (Debian's
# postgresql package, installed when missing); see scripts/test_postgres.sh.
test-postgres: data
	bash scripts/test_postgres.sh

# A consistent copy of the store (RBK_DATABASE_URL or data/store/rbk.sqlite) under backups/;
# restore with `python -m store.backup restore FILE --to URL` (README, "Backups").
backup: $(STAMP)
	$(BIN)/python -m store.backup create

# Benchmarks (slow; results and method in benchmarks/*/README.md).
bench: data browser
	$(BIN)/python -m benchmarks.geography
	$(BIN)/python -m benchmarks.store --quick
	$(BIN)/python -m benchmarks.analysis
	$(BIN)/python -m benchmarks.ingest --quick
	$(BIN)/python benchmarks/map/bench_map.py --runs 5
	$(BIN)/python benchmarks/pages/bench_pages.py --runs 5
	$(BIN)/python benchmarks/load/bench_load.py --browser-sample 10

clean:
	rm -rf data/build
