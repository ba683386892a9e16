# Customer portfolio optimizer: every command a developer or CI needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.DEFAULT_GOAL := help
.PHONY: help run test test-fast lint fmt bench data system-packages chromium clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## set up and start the app on the bundled demo data
	PORTFOLIO_PORT=$(PORT) $(BIN)/python deploy/serve.py

serve: $(STAMP) ## run the app for a team (PORTFOLIO_ADDRESS, PORTFOLIO_PORT, PORTFOLIO_DATA_DIR)
	$(BIN)/python deploy/serve.py

system-packages: ## install Debian's chromium and caddy for the tests (when missing and root)
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v caddy >/dev/null 2>&1 || missing="$$missing caddy"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    case "$$missing" in *caddy*) systemctl disable --now caddy >/dev/null 2>&1 || true;; esac; \
	  else echo "missing:$$missing: install these Debian packages (apt-get install$$missing)"; fi; \
	fi

chromium: system-packages ## (old name of system-packages)

# --dist loadfile: a file's tests on one worker, so a module's server and readings (the
# browser tests' fixtures) are made once, not once per worker (11 min became under 9)
test: $(STAMP) system-packages ## install what tests need and run the whole suite
	$(BIN)/python -m pytest -n 2 -q --dist loadfile

test-fast: $(STAMP) ## the suite without browser tests, while you work
	$(BIN)/python -m pytest -n 2 -q -m "not browser"

lint: $(STAMP) ## ruff check and format check; mypy on the domain package
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(STAMP) ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## time ingest and metrics against pandas; writes bench/results.md
	$(BIN)/python -m bench.run

data: $(STAMP) ## rebuild the demo data in data/ deterministically
	$(BIN)/python -m portfolio.demo data

clean: ## remove the virtualenv, caches and the local data store
	rm -rf $(VENV) .pytest_cache .ruff_cache data/store bench/work tests/artifacts
