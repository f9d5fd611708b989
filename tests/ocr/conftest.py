"""OCR fixtures: the ID-card images of ../shared/data read in place, and one scan per image.

Scanning costs ~0.5 s per image, so scans are cached for the session and shared by the tests
that look at different parts of the same result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest

from contracts.documents import IdCardScan
from engine import ocr
from tests.ocr.pixels import decoded

CARDS = Path("id_documents") / "cn_id_card"


@pytest.fixture(scope="session")
def cards_dir(shared_data: Path) -> Path:
    return shared_data / CARDS


@pytest.fixture(scope="session")
def ground_truth(cards_dir: Path) -> list[dict]:
    return json.loads((cards_dir / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def synthetic(ground_truth: list[dict]) -> list[dict]:
    return [card for card in ground_truth if card["type"].startswith("synthetic")]


@pytest.fixture(scope="session")
def ocr_models() -> None:
    """Load the models once, before the first timed or compared call."""
    ocr.warm_up()


@pytest.fixture(scope="session")
def load(cards_dir: Path) -> Callable[[str], np.ndarray]:
    def read(name: str) -> np.ndarray:
        pixels = cv2.imread(str(cards_dir / name))
        assert pixels is not None, name
        return pixels

    return read


@pytest.fixture(scope="session")
def scan(ocr_models: None, load: Callable[[str], np.ndarray]) -> Callable[[str], IdCardScan]:
    """scan(file name) -> IdCardScan, computed once per file."""

    @cache
    def scanned(name: str) -> IdCardScan:
        return ocr.scan_id_cards(decoded(load(name)))

    return scanned
