"""Bit error rates of the watermark (engine.imaging._watermark) under each distortion.

    python -m benchmarks.watermark [--every N]

Every Nth photo of ../shared/data/faces (default 3) is marked with a 32-byte code under a
4-byte key, distorted, and read back; the score is the share of the 256 bits read wrong (the
manual's "below 0.1 is trusted"). Photos are grouped by their short side, since the mark's
capacity grows with the area. Wrong-key and unmarked reads show the untrusted side.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

from benchmarks.images import imread, reencoded
from engine.imaging import _watermark as watermark

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "faces"
CODE = b"idfacade benchmark code, 32 byte"
KEY = b"1234"


def jpeg(pixels: np.ndarray, quality: int) -> np.ndarray:
    return reencoded(pixels, ".jpg", [cv2.IMWRITE_JPEG_QUALITY, quality])


def half(pixels: np.ndarray) -> np.ndarray:
    height, width = pixels.shape[:2]
    return cv2.resize(pixels, (width // 2, height // 2), interpolation=cv2.INTER_AREA)


def crop(pixels: np.ndarray) -> np.ndarray:
    """About 5% off each side, unevenly."""
    height, width = pixels.shape[:2]
    return pixels[height // 20 : height - height // 30, width // 16 : width - width // 24]


DISTORTIONS = {
    "none": lambda p: p,
    "jpeg 90": lambda p: jpeg(p, 90),
    "jpeg 75": lambda p: jpeg(p, 75),
    "resize 50%": half,
    "crop 5%": crop,
    "resize 50% + crop + jpeg 75": lambda p: jpeg(crop(half(p)), 75),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=3)
    args = parser.parse_args()
    paths = [p for p in sorted(DATA.glob("*/*")) if p.suffix.lower() in (".jpg", ".jpeg", ".png")]
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    psnrs, embed_s, read_s = [], [], []
    for path in paths[:: args.every]:
        pixels = imread(path)
        side = min(pixels.shape[:2])
        group = "short side >= 500 px" if side >= 500 else "short side < 500 px"
        started = time.perf_counter()
        marked = watermark.embed(pixels, CODE, KEY)
        embed_s.append(time.perf_counter() - started)
        psnrs.append(watermark.psnr(pixels, marked))
        for name, distort in DISTORTIONS.items():
            started = time.perf_counter()
            reading = watermark.read(distort(marked), KEY, CODE)
            read_s.append(time.perf_counter() - started)
            scores[(group, name)].append(reading.score)
        scores[(group, "wrong key")].append(watermark.read(marked, b"4321", CODE).score)
        scores[(group, "unmarked")].append(watermark.read(pixels, KEY, CODE).score)
    print(f"{'group':22s} {'distortion':28s} {'n':>3s} {'mean BER':>9s} {'max BER':>8s} trusted")
    for (group, name), values in sorted(scores.items()):
        values_ = np.array(values)
        trusted = int(np.sum(values_ < watermark.TRUSTED_BELOW))
        print(
            f"{group:22s} {name:28s} {len(values_):3d} {values_.mean():9.3f} {values_.max():8.3f}"
            f" {trusted}/{len(values_)}"
        )
    print(f"PSNR dB: min {min(psnrs):.2f}, median {np.median(psnrs):.2f}")
    print(
        f"embed s p50 {np.median(embed_s):.2f} p90 {np.percentile(embed_s, 90):.2f};"
        f" read s p50 {np.median(read_s):.2f} p90 {np.percentile(read_s, 90):.2f}"
    )


if __name__ == "__main__":
    main()
