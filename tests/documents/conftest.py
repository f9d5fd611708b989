"""Document fixtures: the OCR models, loaded once (the specimens are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from engine import ocr


@pytest.fixture(scope="session")
def ocr_models() -> None:
    ocr.warm_up()
