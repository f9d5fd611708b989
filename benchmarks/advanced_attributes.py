"""Rates of the §5.2 attributes that idfacade measures itself, on ../shared/data/faces.

    python -m benchmarks.advanced_attributes

Real faces are labelled by looking (benchmarks/labels/faces.csv: expression, beard, glasses;
blank where a label would be a guess). Masks in three positions, sunglasses, hats and helmets
are simulated (tests/imaging/accessories.py) on the same faces: flat-shaded shapes, so those
rates say the geometry works, not how real cloth or shells read.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from contracts.attributes import Mask
from contracts.faces import Detection
from contracts.images import DecodedImage, ImageInput
from engine.face import _attributes as attributes
from engine.face import _emotion as emotion
from engine.face import detect
from engine.face._appearance import Appearance, Glasses, MaskPosition, mask_position, measure
from engine.media import decode_image
from tests.imaging import accessories

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "labels" / "faces.csv"


def _points5(detection: Detection) -> np.ndarray:
    return np.array([(p.x, p.y) for p in detection.faces[0].revised_landmarks5])


def _read(image: DecodedImage) -> tuple[Appearance, Mask, MaskPosition | None, Detection]:
    detection = detect(image, landmarks68=True)
    if not detection.faces:
        return None, None, None, detection  # type: ignore[return-value]
    rgb = cv2.cvtColor(image.pixels, cv2.COLOR_BGR2RGB)
    found = measure(rgb, _points5(detection))
    mask = attributes.estimate(image, detection, 0).mask
    position = mask_position(rgb, _points5(detection), mask is Mask.worn)
    return found, mask, position, detection


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / max(total, 1):.0%})"


def main() -> None:
    rows = list(csv.DictReader(LABELS.open()))
    counts: dict[str, list[int]] = {}

    def count(name: str, ok: bool) -> None:
        entry = counts.setdefault(name, [0, 0])
        entry[0] += int(ok)
        entry[1] += 1

    simulated: dict[str, Callable] = {
        "mask normal": lambda px, f: accessories.mask_at(px, f, "normal"),
        "mask nose exposed": lambda px, f: accessories.mask_at(px, f, "nose"),
        "mask mouth exposed": lambda px, f: accessories.mask_at(px, f, "mouth"),
        "sunglasses": accessories.sunglasses,
        "hat": accessories.hat,
        "helmet": accessories.helmet,
    }
    started = time.perf_counter()
    for row in rows:
        image = decode_image(ImageInput(data=(DATA / row["file"]).read_bytes()))
        found, mask, position, detection = _read(image)
        face = detection.faces[0]
        if row["expression"]:
            got, _ = emotion.expression(image, detection, 0)
            count(f"expression {row['expression']}", got.value == row["expression"])
        if row["beard"]:
            count(
                f"beard {'yes' if row['beard'] == '1' else 'no'}",
                found.beard == (row["beard"] == "1"),
            )
        truth = Glasses(int(row["glasses"]))
        count(f"glasses {truth.name}", found.glasses is truth)
        count("bare face: no mask", mask is not Mask.worn and position is None)
        count("bare head: no hat", not found.hat)
        count("bare head: no helmet", not found.helmet)
        for name, draw in simulated.items():
            pixels = draw(image.pixels, face)
            got_found, _, got_position, _ = _read(DecodedImage(pixels=pixels, format="png"))
            if got_found is None:
                count(f"{name} (simulated)", False)
                continue
            if name.startswith("mask"):
                want = {"normal": 0, "nose": 1, "mouth": 2}[name.split()[1]]
                count(f"{name} (simulated)", got_position is not None and int(got_position) == want)
            elif name == "sunglasses":
                count(f"{name} (simulated)", got_found.glasses is Glasses.sunglasses)
            elif name == "hat":
                count(f"{name} (simulated)", got_found.hat and not got_found.helmet)
            else:
                count(f"{name} (simulated)", got_found.helmet)
    elapsed = time.perf_counter() - started
    for name, (hits, total) in counts.items():
        print(f"{name:32s} {_rate(hits, total)}")
    print(f"{len(rows)} faces in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
