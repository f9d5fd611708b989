"""Document fixtures: synthetic specimens drawn once per session, with a portrait from
../shared/data/faces, and the OCR models loaded once."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest

from specimens import Specimen, make_specimen, photographed

PORTRAIT = Path("faces") / "azure_family1_mom"


@pytest.fixture(scope="session")
def portrait(shared_data: Path) -> np.ndarray:
    path = sorted((shared_data / PORTRAIT).iterdir())[0]
    pixels = cv2.imread(str(path))
    assert pixels is not None, path
    return pixels


@pytest.fixture(scope="session")
def specimen(portrait: np.ndarray) -> Callable[..., Specimen]:
    """specimen(kind, seed=1, valid=True, back=False, photo=False), drawn once per session."""

    @cache
    def draw(
        kind: str, seed: int = 1, valid: bool = True, back: bool = False, photo: bool = False
    ) -> Specimen:
        made = make_specimen(kind, seed, valid=valid, back=back, portrait=portrait)
        if photo:
            made.image = photographed(made.image, seed)
        return made

    return draw
