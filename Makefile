# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench install install-dev

run: $(VENV)/.installed
	$(BIN)/idfacade serve $(ARGS)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	$(one_opencv)
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(one_opencv)
	touch $(VENV)/.installed $@
