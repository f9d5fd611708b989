"""Fixtures every test package shares: where the shared test data lies, and its ID cards."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest

from specimens import Specimen, make_specimen, photographed

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = (REPO.parent / "shared" / "data").resolve()
CARDS = "id_documents/cn_id_card"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, read in place (its images are licensed for internal testing only)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def card(shared_data: Path):
    """The bytes of an ID-card image of ../shared/data by file name."""
    return lambda name: (shared_data / CARDS / name).read_bytes()


@pytest.fixture(scope="session")
def truth(shared_data: Path) -> dict[str, dict]:
    """ID-card ground truth keyed by every file name it describes."""
    cards = json.loads((shared_data / CARDS / "ground_truth.json").read_text(encoding="utf-8"))
    return {name: entry for entry in cards for name in entry["files"].values()}


@pytest.fixture(scope="session")
def portrait(shared_data: Path) -> np.ndarray:
    """A stock-model portrait of ../shared/data/faces for the synthetic documents."""
    path = sorted((shared_data / "faces" / "azure_family1_mom").iterdir())[0]
    pixels = cv2.imread(str(path))
    assert pixels is not None, path
    return pixels


@pytest.fixture(scope="session")
def specimen(portrait: np.ndarray) -> Callable[..., Specimen]:
    """specimen(kind, seed=1, valid=True, back=False, photo=False): a synthetic document
    (specimens/), drawn once per session."""

    @cache
    def draw(
        kind: str, seed: int = 1, valid: bool = True, back: bool = False, photo: bool = False
    ) -> Specimen:
        made = make_specimen(kind, seed, valid=valid, back=back, portrait=portrait)
        if photo:
            made.image = photographed(made.image, seed)
        return made

    return draw
