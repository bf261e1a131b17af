# Casebook du secret professionnel — developer commands.
# `make serve` sets up and runs the casebook; `make test` sets up and runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8866
PROXY := $(VENV)/node_modules/.bin/configurable-http-proxy
PROXY_VERSION := 4.6.3

.PHONY: setup test-setup serve test lint check notebooks handouts bench gallery orca clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: setup
	$(BIN)/casebook serve --host $(HOST) --port $(PORT)

check: setup
	$(BIN)/casebook check

lint: setup
	$(BIN)/ruff check casebook tests benchmarks tools

# What the tests need besides .venv: JupyterHub's proxy from the npm registry, into .venv/ (the
# JupyterHub test says so in one line when it is missing), and Chromium (tools/chromium.py finds
# it, installs Debian's package as root on Debian, or says in one line what to install).
test-setup: setup $(PROXY)
	$(BIN)/python tools/chromium.py

$(PROXY):
	@command -v npm >/dev/null && npm install --prefix $(VENV) --no-save --no-package-lock \
	  --no-audit --no-fund --loglevel=error configurable-http-proxy@$(PROXY_VERSION) \
	  || echo "configurable-http-proxy non installé (npm absent ou en échec) : le test JupyterHub échouera."

# Four workers, each file (a notebook's cells, a module's server) kept on one worker: the browser
# tests wait on pages more than they compute, so four do better than two cores would suggest.
TEST_WORKERS ?= 4

test: test-setup lint check
	$(BIN)/python -m pytest --nbval tests notebooks --ignore=tests/fixtures --durations=30 \
	  -n $(TEST_WORKERS) --dist loadfile

notebooks: setup
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.store_widget_state=False \
	  notebooks/*.ipynb

handouts: setup
	$(BIN)/casebook handouts --out handouts

bench: setup
	$(BIN)/python benchmarks/core.py
	$(BIN)/python benchmarks/dashboards.py --only cold --only fact --only class
	$(BIN)/python benchmarks/dashboards.py --only class100
	$(BIN)/python benchmarks/dashboards.py --only soak
	$(BIN)/python benchmarks/dashboards.py --only course

gallery: setup
	$(BIN)/python -m pytest tests/browser/test_scrolling.py tests/browser/test_builder.py tests/browser/test_training.py -k "renders or round_trip or known_score" -q
	$(BIN)/python -m pytest tests/browser/test_course.py -q -k "accueil_lists or picker_marked or fixed_seed or atelier_opens"
	$(BIN)/python -m pytest tests/browser/test_journeys.py -q -k "accueil or verdict_stays or synthesis or summary"
	mkdir -p docs/gallery && cp test-artifacts/screenshots/*.png docs/gallery/

# One real Orca session (Xvfb, AT-SPI, Chromium, xdotool): docs/accessibilite.md. Not part of `make test`.
orca: setup
	$(BIN)/python tools/orca/session.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
