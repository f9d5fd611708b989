# The two set-up commands of the README: `make run` and `make test` (type check, then the suite).
# Installs are constrained to the versions pinned in requirements*.lock (`make lock`).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck bench install install-dev lock

run: $(VENV)/.installed
	$(BIN)/idfacade serve $(ARGS)

test: typecheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy over the packages and tools named in pyproject.toml ([tool.mypy] files)
typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# The pinned versions every install is constrained to; rerun after changing dependencies.
# idfacade itself stays out (the dev extra names it, and a pin to this checkout's path would
# refuse every other checkout).
LOCK := $(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links \
	--unsafe-package idfacade
lock: $(VENV)/.installed-dev
	$(LOCK) -o requirements.lock pyproject.toml
	$(LOCK) --extra dev -o requirements-dev.lock pyproject.toml

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.face
	$(BIN)/python -m benchmarks.gallery
	$(BIN)/python -m benchmarks.ocr
	$(BIN)/python -m benchmarks.documents
	$(BIN)/python -m benchmarks.netocr --quick
	$(BIN)/python -m benchmarks.antispoof
	$(BIN)/python -m benchmarks.advanced_attributes
	$(BIN)/python -m benchmarks.watermark
	$(BIN)/python -m benchmarks.defake

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One OpenCV distribution: the packages that name the GUI build get the headless one's cv2
# (pyproject.toml says why). Uninstalling opencv-python deletes the cv2 files both installed,
# so the headless wheel is reinstalled over them, at the version the resolver picked.
define one_opencv
	$(BIN)/python -m pip uninstall --quiet --yes opencv-python
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall \
		"opencv-python-headless==$$($(BIN)/python -m pip show opencv-python-headless | sed -n 's/^Version: //p')"
	$(BIN)/python -c "import cv2"
endef

$(VENV)/.installed: pyproject.toml requirements.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	$(one_opencv)
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c requirements-dev.lock -e '.[dev]'
	$(one_opencv)
	touch $(VENV)/.installed $@
