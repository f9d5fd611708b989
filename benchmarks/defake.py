"""Rates of the face-swap check (engine.imaging._defake) on real photos and on simulated swaps.

    python -m benchmarks.defake

Real: every photo of ../shared/data/faces. Swaps: each photo as target, with the face of a
photo of another person (the one 37 places on in the sorted list, skipping the same identity)
cloned over it by tests/imaging/swaps.py (landmark-aligned, cv2.seamlessClone). Simulated,
classic swaps only: no generated faces, which this check does not claim to catch.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from contracts.images import DecodedImage, ImageInput
from engine.face import detect
from engine.imaging import _defake as defake
from engine.media import decode_image
from tests.imaging.swaps import swap

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "faces"
STEP = 37


def main() -> None:
    started = time.perf_counter()
    items = []
    for path in sorted(DATA.glob("*/*")):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            continue
        image = decode_image(ImageInput(data=path.read_bytes()))
        detection = detect(image, landmarks68=True)
        if detection.faces:
            items.append((path, image.pixels, detection.faces[0]))
    real = [defake.examine(pixels, face) for _, pixels, face in items]
    swapped, undetected, names = [], 0, []
    for i, (path, pixels, face) in enumerate(items):
        j = (i + STEP) % len(items)
        while items[j][0].parent == path.parent:
            j = (j + 1) % len(items)
        fake = swap(pixels, face, items[j][1], items[j][2])
        found = detect(DecodedImage(pixels=fake, format="png"), landmarks68=True)
        if not found.faces:
            undetected += 1
            continue
        evidence = defake.examine(fake, found.faces[0])
        swapped.append(evidence)
        names.append((path.relative_to(DATA.parent), items[j][0].relative_to(DATA.parent)))
    elapsed = time.perf_counter() - started
    real_scores = np.array([e.score for e in real])
    fake_scores = np.array([e.score for e in swapped])
    flagged_real = int(np.sum(real_scores > defake.ATTACK_ABOVE))
    flagged_fake = int(np.sum(fake_scores > defake.ATTACK_ABOVE))
    print(f"real photos flagged (false alarms): {flagged_real}/{len(real)}")
    print(f"simulated swaps flagged: {flagged_fake}/{len(swapped)} ({undetected} lost their face)")
    order = np.sort(real_scores)
    print(
        "real score percentiles 50/90/95/max:",
        *np.round(np.percentile(order, [50, 90, 95, 100]), 3),
    )
    print(
        "swap score percentiles 10/50/90:", *np.round(np.percentile(fake_scores, [10, 50, 90]), 3)
    )
    for (target, source), evidence in zip(names, swapped, strict=True):
        if evidence.score > 0.99:
            print(f"  caught: {target} <- {source} ({evidence.score:.3f})")
    print(f"{len(items)} photos in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
