"""Face-engine fixtures: models loaded once per session, and shared images read in place."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from contracts.embeddings import Embedding
from contracts.images import DecodedImage
from engine import models

Load = Callable[[str], DecodedImage]


@pytest.fixture(scope="session", autouse=True)
def loaded_models() -> None:
    """Every model loaded once for the whole face suite."""
    models.warm_up()


@pytest.fixture(scope="session")
def load(shared_data: Path) -> Load:
    """An image of ../shared/data by its relative path, decoded as BGR (cached per session)."""
    cache: dict[str, DecodedImage] = {}

    def read(relative: str) -> DecodedImage:
        if relative not in cache:
            pixels = cv2.imread(str(shared_data / relative), cv2.IMREAD_COLOR)
            assert pixels is not None, relative
            cache[relative] = DecodedImage(pixels=pixels, format="jpeg")
        return cache[relative]

    return read


def decoded(pixels: np.ndarray) -> DecodedImage:
    """Pixels (e.g. a rotated or blurred copy) as a DecodedImage."""
    return DecodedImage(pixels=np.ascontiguousarray(pixels), format="jpeg")


@pytest.fixture(scope="session")
def labels(shared_data: Path) -> dict[str, str]:
    """faces/labels.csv: image path (relative to shared data) -> identity."""
    with (shared_data / "faces" / "labels.csv").open(newline="") as f:
        return {row["file"]: row["identity"] for row in csv.DictReader(f)}


@pytest.fixture(scope="session")
def east_asian_labels(shared_data: Path) -> dict[str, str]:
    """faces_east_asian/labels.csv: image path (relative to shared data) -> identity."""
    with (shared_data / "faces_east_asian" / "labels.csv").open(newline="") as f:
        return {row["file"]: row["identity"] for row in csv.DictReader(f)}


@pytest.fixture(scope="session")
def dataset_embeddings(
    shared_data: Path, labels: dict[str, str], east_asian_labels: dict[str, str]
) -> dict[str, Embedding]:
    """The largest face's embedding of every labelled image of both sets in which a face is
    found (about 80 s on 2 cores)."""
    from gateway.calibrate import embed_images

    return embed_images(shared_data, [*labels, *east_asian_labels])
