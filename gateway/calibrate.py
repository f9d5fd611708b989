"""`idfacade calibrate`: score a labelled face set and refit the score calibration.

The set is ../shared/data/faces (or any folder laid out the same way): `faces/labels.csv`
names every image and its identity. Each image is decoded as a request would be (EXIF
honoured), its largest face embedded, and every pair of images scored: pairs of one identity
are genuine (a superset of the genuine pairs of `faces/pairs.csv`), pairs of two identities
impostors (all of them, 4 309 on the shared set, rather than pairs.csv's 105, because the
thresholds live in the impostors' far tail). contracts.calibration.fit turns the scores into
thresholds and vendor maps; the result is written as JSON, by default over the packaged
contracts/calibration.json, whose version then changes with the scores.
"""

from __future__ import annotations

import csv
import itertools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

import contracts
from contracts.calibration import Calibration, fit, load_calibration
from contracts.embeddings import Embedding, cosine
from contracts.images import ImageInput, ImageLimits
from engine import face, media, models

PACKAGED = Path(contracts.__file__).parent / "calibration.json"
# The shared set holds photos up to 4352 px and 5 MB+ originals; calibration reads them all.
_LIMITS = ImageLimits(max_bytes=64 * 1024 * 1024, max_side=10_000, max_pixels=100_000_000)


def run_calibration(data_dir: Path, out: Path | None = None) -> Calibration:
    """Fit the calibration on `data_dir`/faces and write it to `out` (default: packaged file)."""
    labels = read_labels(data_dir / "faces" / "labels.csv")
    embeddings = embed_images(data_dir, list(labels))
    genuine, impostor = pair_scores(embeddings, labels)
    calibration = fit(genuine, impostor, models.embedding_version())
    target = out or PACKAGED
    target.write_text(calibration.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if target.resolve() == PACKAGED.resolve():
        load_calibration.cache_clear()
    return calibration


def read_labels(path: Path) -> dict[str, str]:
    """file (relative to the data root) -> identity."""
    with path.open(newline="", encoding="utf-8") as f:
        return {row["file"]: row["identity"] for row in csv.DictReader(f)}


def embed_images(data_dir: Path, files: list[str]) -> dict[str, Embedding]:
    """The largest face's embedding of each image; every image must show a face."""

    def embed(name: str) -> Embedding | None:
        image = media.decode_image(ImageInput(data=(data_dir / name).read_bytes(), limits=_LIMITS))
        detection = face.detect(image)
        return face.embed(image, detection, 0) if detection.faces else None

    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(zip(files, pool.map(embed, files), strict=True))
    missing = [name for name, embedding in found.items() if embedding is None]
    if missing:
        raise RuntimeError(f"no face found in {', '.join(missing)}")
    return {name: embedding for name, embedding in found.items() if embedding is not None}


def pair_scores(
    embeddings: dict[str, Embedding], labels: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of every pair of images: (same identity, different identities)."""
    genuine, impostor = [], []
    for a, b in itertools.combinations(sorted(embeddings), 2):
        score = cosine(embeddings[a], embeddings[b])
        (genuine if labels[a] == labels[b] else impostor).append(score)
    return np.array(genuine), np.array(impostor)
