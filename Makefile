# Every target builds .venv first if it is missing or older than the pins.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
# pip on the project's build machines warns about unused mirror folders; hide only those lines
# (grep finding nothing is fine; pip failing still fails the recipe, through pipefail)
QUIET_PIP := { grep -v '^WARNING: Location' || true; }
DIST := _build/dist
# The edition (a key of book.yml's editions: en, tr, zh) whose chapters `make lab` opens; empty: the source's
EDITION ?=
# CPU=default or CPU=avx2: `make test` as a processor without AVX-512 computes it, one thread (tools/portability.py);
# empty: this machine's own kernels and threads
CPU ?=

# D2L_MINI_DATA names the folder with the data files. A relative path is taken relative to the
# directory you run make in (for `make -C DIR`, DIR, as make does with its own file arguments),
# and made absolute here: the kernels that run the chapters work in notebooks/, where a relative
# path would point elsewhere. A value starting with ~ is left to the loader, which expands it.
ifneq ($(strip $(D2L_MINI_DATA)),)
ifeq ($(filter /% ~%,$(D2L_MINI_DATA)),)
override D2L_MINI_DATA := $(if $(word 2,$(D2L_MINI_DATA)),$(CURDIR)/$(D2L_MINI_DATA),$(abspath $(D2L_MINI_DATA)))
endif
export D2L_MINI_DATA
endif

.PHONY: venv test notebooks export portability lab e2e book book-test translations wheel colab-test binder-test clean

# The pinned packages, then what binder/postBuild does too: d2l_mini editable, JupyterLab's settings
$(READY): requirements.txt pyproject.toml lab/overrides.json tools/setup_env.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | $(QUIET_PIP)
	$(BIN)/python -m tools.setup_env
	@touch $@

## make venv: only the pinned environment, .venv (every other target makes it when it is missing or stale)
venv: $(READY)

## make test: lint, unit tests, export/pairing checks and nbval on every notebook.
## make test CPU=avx2 (or CPU=default): the same with PyTorch's and MKL's kernels for that instruction set, one thread
test: $(READY)
	$(BIN)/ruff check .
	$(if $(CPU),$(BIN)/python -m tools.portability --as '$(CPU)' --) $(BIN)/python -m pytest tests $(if $(NOTEBOOKS),--nbval --nbval-current-env $(NOTEBOOKS))

## make export: regenerate the d2l_mini modules that chapters export, and the chapters' install cell
## (and the README's links) from book.yml's repository URL and d2l_mini.__version__
export: $(READY)
	$(BIN)/python -m tools.export_chapters
	$(BIN)/python -m tools.install_cell

## make notebooks: re-create each chapter's .ipynb from its .md and execute it, storing outputs and widget state;
## executing twice gives the same file up to timings (no timestamps, widget ids numbered in creation order)
notebooks: export
	$(BIN)/python -m tools.execute notebooks/*.md

## make portability: make test as other processors compute it: CPU=default (plain x86-64) and CPU=avx2 side by side,
## one thread each; logs in _build/portability/ (see tools/portability.py)
portability: $(READY)
	$(BIN)/python -m tools.portability

## make lab: JupyterLab on notebooks/, loopback only, with a token. `make lab EDITION=tr` (or zh, any edition
## key in book.yml) opens the chapters in that language instead: notebooks generated into _build/lab/<edition>/
## from the English ones and the catalogs. An EDITION that book.yml does not list is an error.
lab: $(READY)
	folder="$$($(BIN)/python -m tools.i18n lab '$(EDITION)')"; \
	$(BIN)/jupyter lab --ServerApp.root_dir="$$folder" --ServerApp.ip=127.0.0.1 --no-browser \
	  $(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True)

# The browser tests (browser_tests/, pytest-playwright) keep, for each test that fails, a screenshot of its pages
# in _build/test-results/<target>/<test>/; with TRACE=1 also a Playwright trace there, which
# `.venv/bin/playwright show-trace <trace.zip>` replays. Recording makes the tests about 1.5 times slower (every test
# records a trace; only the failures keep theirs), so it is off unless asked for.
# pytest-playwright empties that folder when a run starts.
TRACE ?=
BROWSER_TEST_ARTIFACTS = --screenshot only-on-failure $(if $(TRACE),--tracing retain-on-failure) \
  --output _build/test-results/$@

## make e2e: JupyterLab in headless Chromium runs every chapter and drives its widgets
e2e: $(READY)
	tools/ensure_chromium.sh
	$(BIN)/python -m pytest $(BROWSER_TEST_ARTIFACTS) browser_tests/test_lab.py

## make book: every edition of the static HTML book from book.yml, into _build/html/<edition>/, each in its own
## Sphinx process, with warnings as errors; _build/html/index.html lets a reader pick a language
book: $(READY) node_modules/.ready
	$(BIN)/python -m tools.build_book

## make book-test: build the book, then open every page of every edition in headless Chromium, offline
## (two pytest-xdist workers, each with its own browser)
book-test: book
	tools/ensure_chromium.sh
	$(BIN)/python -m pytest -n 2 $(BROWSER_TEST_ARTIFACTS) browser_tests/test_book.py browser_tests/test_book_widgets.py \
	  browser_tests/test_accessibility.py browser_tests/test_browser_rnn.py

## make translations: re-extract the English messages from the chapters and merge them into the catalogs,
## locales/<locale>/LC_MESSAGES/<page>.po (new ones empty, changed ones fuzzy), for translators to fill in
translations: $(READY)
	$(BIN)/python -m tools.i18n update

## make wheel: the d2l_mini wheel, into _build/dist (what `pip install` of this repository builds)
wheel: $(BIN)/python
	rm -rf $(DIST)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(DIST) . 2>&1 | $(QUIET_PIP)
	@ls $(DIST)/*.whl

## make colab-test: the parameters chapter as Colab runs it: the wheel in a fresh venv with torch
## and a kernel only, the notebook copied outside the repository
colab-test: $(READY) wheel
	$(BIN)/python -m tools.colab_test $(DIST)/*.whl

## make binder-test: what Binder's build does (binder/requirements.txt, then binder/postBuild) in a fresh
## venv on a copy of the repository, then JupyterLab's server there: pairing, widgets, Lab settings
binder-test: $(READY)
	$(BIN)/python -m tools.binder_test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# MathJax, RequireJS and the widget manager, served by the book itself (see package.json)
node_modules/.ready: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

clean:
	rm -rf _build .pytest_cache
