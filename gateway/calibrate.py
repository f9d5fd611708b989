"""`idfacade calibrate`: score the labelled face sets and refit the score calibration.

The sets are ../shared/data/faces and ../shared/data/faces_east_asian (or any data root laid
out the same way): each `<set>/labels.csv` names every image and its identity. Each image is
decoded as a request would be (EXIF honoured), its largest face embedded, and every pair of
images of one set scored: pairs of one identity are genuine (a superset of the genuine pairs
of `pairs.csv`), pairs of two identities impostors (all of them: 4 309 on the general set and
about 13 500 on the East-Asian one, rather than pairs.csv's few hundred, because the
thresholds live in the impostors' far tail). Pairs across the two sets are not scored: they
share no identity, and an impostor pair of two populations is easier than one within either.
For the same reason an impostor pair is scored only when both images have the same colour
mode (both grayscale, or both colour): the East-Asian set mixes grayscale LFW news photos of
older politicians with colour photos of young entertainers, and a pair across the two is an
impostor any model rejects, which would make the measured FAR look better than the FAR
between look-alike strangers (its own pairs.csv draws impostors within one colour mode for the
same reason). On the colour pairs alone the default threshold would otherwise let through
1.5% of impostors, five times its nominal 0.3%.

contracts.calibration.fit turns the pooled scores into thresholds and vendor maps and reports
what they give on each set alone. A fit whose measured FAR on any set exceeds twice the
nominal FAR at an operating point that set can measure is refused, not written. The result is
written as JSON, by default over the packaged contracts/calibration.json, whose version then
changes with the scores. Images where no face is found are left out and named.

Every set, and each colour mode within a set, is a population the thresholds must hold on
alone (`fit`'s `hold_on`): on the East-Asian colour photos the pooled default let through
0.87% of impostors, 2.9 times its nominal 0.3%, so that group's own fit sets those thresholds.
"""

from __future__ import annotations

import csv
import itertools
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

import contracts
from contracts.calibration import MIN_IMPOSTORS, Calibration, fit, load_calibration
from contracts.embeddings import Embedding, cosine
from contracts.images import ImageInput, ImageLimits
from engine import face, media, models

PACKAGED = Path(contracts.__file__).parent / "calibration.json"
SETS = ("faces", "faces_east_asian")
# The shared set holds photos up to 4352 px and 5 MB+ originals; calibration reads them all.
_LIMITS = ImageLimits(max_bytes=64 * 1024 * 1024, max_side=10_000, max_pixels=100_000_000)
# Grayscale: under 1% of pixels have a channel more than 8 levels from the pixel's mean.
GRAY_TOLERANCE = 8
GRAY_SHARE = 0.01


class DishonestFit(RuntimeError):
    """The thresholds let through more than twice their nominal FAR on one labelled set."""


def run_calibration(data_dir: Path, out: Path | None = None) -> Calibration:
    """Fit the calibration on the labelled sets under `data_dir` and write it to `out`
    (default: the packaged file)."""
    subsets = {}
    for name in SETS:
        labels = read_labels(data_dir / name / "labels.csv")
        embeddings = embed_images(data_dir, list(labels))
        missing = sorted(set(labels) - set(embeddings))
        if missing:
            print(f"{name}: no face found in {', '.join(missing)}", file=sys.stderr)
        grayscale = colour_modes(data_dir, list(embeddings))
        subsets[name] = pair_scores(embeddings, labels, grayscale)
        subsets.update(colour_groups(name, embeddings, labels, grayscale))
    genuine = np.concatenate([subsets[name][0] for name in SETS])
    impostor = np.concatenate([subsets[name][1] for name in SETS])
    calibration = fit(
        genuine, impostor, models.embedding_version(), subsets=subsets, hold_on=tuple(subsets)
    )
    nominal = calibration.nominal_far()
    for name, measured in calibration.measured.items():
        if broken := measured.dishonest(nominal):
            raise DishonestFit(f"{name}: measured FAR above twice the nominal at {broken}")
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
    """The largest face's embedding of each image in which a face is found."""

    def embed(name: str) -> Embedding | None:
        image = media.decode_image(ImageInput(data=(data_dir / name).read_bytes(), limits=_LIMITS))
        detection = face.detect(image)
        return face.embed(image, detection, 0) if detection.faces else None

    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(zip(files, pool.map(embed, files), strict=True))
    return {name: embedding for name, embedding in found.items() if embedding is not None}


def colour_modes(data_dir: Path, files: list[str]) -> dict[str, bool]:
    """Whether each image is grayscale: one channel, or three equal to within JPEG noise."""

    def grayscale(name: str) -> bool:
        image = media.decode_image(ImageInput(data=(data_dir / name).read_bytes(), limits=_LIMITS))
        pixels = image.pixels.astype(np.int16)
        if pixels.ndim == 2 or pixels.shape[2] == 1:
            return True
        spread = np.abs(pixels - pixels.mean(axis=2, keepdims=True)).max(axis=2)
        return float(np.mean(spread > GRAY_TOLERANCE)) < GRAY_SHARE

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(files, pool.map(grayscale, files), strict=True))


def colour_groups(
    name: str,
    embeddings: dict[str, Embedding],
    labels: dict[str, str],
    grayscale: dict[str, bool],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The pair scores of each colour mode of a set (`<set>/colour`, `<set>/grey`), where the
    set has both and each mode enough impostor pairs to fit a tail on."""
    groups = {}
    for mode, is_grey in (("colour", False), ("grey", True)):
        chosen = {f: e for f, e in embeddings.items() if grayscale[f] == is_grey}
        genuine, impostor = pair_scores(chosen, labels)
        if len(impostor) >= MIN_IMPOSTORS and len(chosen) < len(embeddings):
            groups[f"{name}/{mode}"] = (genuine, impostor)
    return groups


def pair_scores(
    embeddings: dict[str, Embedding],
    labels: dict[str, str],
    grayscale: dict[str, bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of every pair of images: (same identity, different identities). With
    `grayscale`, impostor pairs of two colour modes are left out."""
    genuine, impostor = [], []
    for a, b in itertools.combinations(sorted(embeddings), 2):
        if labels[a] == labels[b]:
            genuine.append(cosine(embeddings[a], embeddings[b]))
        elif grayscale is None or grayscale[a] == grayscale[b]:
            impostor.append(cosine(embeddings[a], embeddings[b]))
    return np.array(genuine), np.array(impostor)
