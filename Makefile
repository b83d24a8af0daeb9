# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# The newest Python 3.12+ on the machine: on PATH, or installed through pyenv without being first on PATH.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: run test lint install install-test bench clean translations bundle install-desktop uninstall-desktop smoke stress fuzz

# Two stamps: the app alone for `make run`, the test tools on top of it for `make test` and the developer targets.
$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "DocManager needs Python 3.12 or newer; none was found." >&2; exit 1; }
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The platform check first: a missing X11 library gets its name and install command, not Qt's abort.
run: install
	$(PY) -m docmanager.gui.platform_check
	$(VENV)/bin/docmanager

lint: install-test
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# Re-extract the GUI's strings, fill in the Chinese table, compile the .qm the app loads.
translations: install
	$(VENV)/bin/pyside6-lupdate docmanager/gui/*.py -ts resources/translations/docmanager_zh_CN.ts \
		-target-language zh_CN -no-obsolete
	$(PY) resources/translations/fill_zh_CN.py resources/translations/docmanager_zh_CN.ts
	$(VENV)/bin/pyside6-lrelease resources/translations/docmanager_zh_CN.ts -qm resources/translations/docmanager_zh_CN.qm

# The double-clickable app: a one-folder PyInstaller build in dist/DocManager/. It ships the X11 libraries
# Qt needs and desktops often lack, so they must be on this machine (installed here when root on Debian).
bundle: install
	sh packaging/xcb-libs.sh
	$(PY) -m pip install --quiet 'pyinstaller>=6.10'
	$(VENV)/bin/pyinstaller packaging/docmanager.spec --distpath dist --workpath build/pyinstaller --noconfirm
	@du -sh dist/DocManager

# The menu entry, icon and mime type for the current user, and the `docmanager` command in ~/.local/bin:
# both start the bundle if built, else the venv's scripts.
install-desktop: install
	if [ -x dist/DocManager/DocManager ]; then \
		sh packaging/install-desktop.sh install "$(CURDIR)/dist/DocManager/DocManager" "$(CURDIR)/dist/DocManager/DocManager"; \
	else \
		sh packaging/install-desktop.sh install "$(CURDIR)/$(VENV)/bin/docmanager-gui" "$(CURDIR)/$(VENV)/bin/docmanager"; \
	fi

uninstall-desktop:
	sh packaging/install-desktop.sh uninstall

# Build the bundle and start it as a desktop launcher would, under Xvfb with a fresh HOME.
smoke: bundle
	PY=$(CURDIR)/$(PY) bash packaging/smoke.sh

# Kill -9 importing and editing children 200 times; the library must stay whole (tools/stress.py).
# Then 200 rounds of the window and terminal commands editing one library, either killed now and then:
# every committed edit must be there.
stress: install
	$(PY) tools/stress.py --iterations $${ITERATIONS:-200}
	QT_QPA_PLATFORM=offscreen $(PY) tools/stress.py mixed --rounds $${ROUNDS:-200}

# The Hypothesis fuzz tests with many more examples (~5 minutes): cases tried and failures per test.
fuzz: install-test
	HYPOTHESIS_PROFILE=fuzz QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/test_fuzz.py \
		--hypothesis-show-statistics -q

# Speed and memory on generated libraries of 100,000 and 1,000,000 documents (not part of make test):
# builds them on first use (about 10 minutes and 5 GB in benchmarks/out/), writes
# benchmarks/out/results.json and the README's figures table.
bench: install
	$(PY) benchmarks/run_all.py

# Exact-title accuracy of the splitter on the dev set (train and held-out parts, per kind, misses):
# tests/data/splitter/devset.jsonl, built by tools/build_devset.py, weights by tools/fit_splitter.py.
.PHONY: splitter-accuracy
splitter-accuracy: install
	$(PY) tools/eval_splitter.py
