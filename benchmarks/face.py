"""Latency, throughput, memory and accuracy of the face engine on ../shared/data/faces.

    python -m benchmarks.face [--data ../shared/data] [--repeat 5]

Latency: single-face portraits from the shared set re-encoded as JPEG with the long side at
640 and at 1024 px; each stage timed alone on the decoded image (detect = MTCNN with its five
points; landmarks5/68 = dlib's shape models on a detected face; embed = alignment chip plus the
ResNet descriptor) and end to end from JPEG bytes (decode → detect → align → embed), as one
request runs it. Throughput: the end-to-end job over all portraits through a pool of 2 threads.
Accuracy: every pair of faces/pairs.csv at the packaged calibration's default threshold, and the
share of its genuine pairs accepted (TAR) at each FAR threshold.

Memory is measured as `idfacade serve` runs: glibc capped at one malloc arena and the heap
trimmed after loading (gateway.memory); RSS is printed once the models are loaded, after the
timings, and as the process's peak.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from benchmarks.memory import memory
from contracts.calibration import DECADES, far_key, load_calibration
from contracts.embeddings import cosine
from contracts.images import DecodedImage, ImageInput
from engine import face, media, models
from engine.face import align, landmarks
from gateway.memory import limit_malloc_arenas, release_free_memory

PORTRAITS = [
    "faces/sundar_pichai/img25.jpg",
    "faces/angelina_jolie/img6.jpg",
    "faces/barack_obama/obama3.jpg",
    "faces/jeff_bezos/img20.jpg",
    "faces/scarlett_johansson/img47.jpg",
    "faces/elvis_presley/6.jpg",
    "faces/john_lennon/lennon-1.jpg",
    "faces/ramiz_raja/7.jpg",
]


def encoded(data_dir: Path, long_side: int) -> list[bytes]:
    """The portraits resized to `long_side` and encoded as JPEG (quality 90)."""
    out = []
    for name in PORTRAITS:
        pixels = cv2.imread(str(data_dir / name))
        scale = long_side / max(pixels.shape[:2])
        resized = cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        out.append(cv2.imencode(".jpg", resized, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
    return out


def timed(job: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        samples.append(time.perf_counter() - start)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return 1000 * statistics.median(ordered), 1000 * p95


def end_to_end(data: bytes) -> int:
    image = media.decode_image(ImageInput(data=data))
    detection = face.detect(image)
    face.embed(image, detection, 0)
    return 1


def latencies(blobs: list[bytes], repeat: int) -> dict[str, list[float]]:
    rows: dict[str, list[float]] = {
        "detect": [],
        "landmarks5": [],
        "landmarks68": [],
        "embed": [],
        "end to end": [],
    }
    for data in blobs:
        image = media.decode_image(ImageInput(data=data))
        rgb = cv2.cvtColor(image.pixels, cv2.COLOR_BGR2RGB)
        detection = face.detect(image)
        only = detection.faces[0]
        box = np.array([only.box.left, only.box.top, only.box.right, only.box.bottom])
        points5 = np.array([(p.x, p.y) for p in only.landmarks5])
        rows["detect"] += timed(lambda image=image: face.detect(image), repeat)
        rows["landmarks5"] += timed(lambda rgb=rgb, box=box: align.shape5(rgb, box), repeat)
        rows["landmarks68"] += timed(
            lambda rgb=rgb, points5=points5: landmarks.landmarks68(rgb, points5), repeat
        )
        rows["embed"] += timed(
            lambda image=image, detection=detection: face.embed(image, detection, 0), repeat
        )
        rows["end to end"] += timed(lambda data=data: end_to_end(data), repeat)
    return rows


def throughput(blobs: list[bytes], rounds: int) -> float:
    """Faces per second, end to end, through 2 worker threads."""
    jobs = blobs * rounds
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        faces = sum(pool.map(end_to_end, jobs))
    return faces / (time.perf_counter() - start)


def accuracy(data_dir: Path) -> list[str]:
    with (data_dir / "faces" / "pairs.csv").open(newline="") as f:
        pairs = list(csv.DictReader(f))
    names = sorted({p["img1"] for p in pairs} | {p["img2"] for p in pairs})

    def embed(name: str):
        image = DecodedImage(pixels=cv2.imread(str(data_dir / name)), format="jpeg")
        return face.embed(image, face.detect(image), 0)

    with ThreadPoolExecutor(max_workers=2) as pool:
        embeddings = dict(zip(names, pool.map(embed, names), strict=True))
    scores = np.array([cosine(embeddings[p["img1"]], embeddings[p["img2"]]) for p in pairs])
    same = np.array([p["same"] == "1" for p in pairs])
    calibration = load_calibration()
    default = calibration.default_threshold
    lines = [
        f"pairs.csv: {same.sum()} genuine, {(~same).sum()} impostor; "
        f"genuine cosine min {scores[same].min():.4f}, impostor max {scores[~same].max():.4f}",
        f"{'operating point':<22}{'cosine':>8}{'TAR':>8}{'FAR(pairs)':>12}{'accuracy':>10}",
    ]
    points = [(f"default (FAR {calibration.default_far:g})", default)] + [
        (f"FAR {far_key(k)}", calibration.thresholds[far_key(k)]) for k in DECADES
    ]
    for label, threshold in points:
        accepted = scores >= threshold
        lines.append(
            f"{label:<22}{threshold:>8.4f}{accepted[same].mean():>8.1%}"
            f"{accepted[~same].mean():>12.1%}{(accepted == same).mean():>10.1%}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    limit_malloc_arenas()
    start = time.perf_counter()
    models.warm_up()
    release_free_memory()
    print(f"models loaded in {time.perf_counter() - start:.2f} s: {models.versions()}")
    print(f"RSS with the models loaded: {memory()['VmRSS']:.0f} MiB")
    print(f"\n{'stage':<14}{'640 p50':>9}{'p95':>8}{'1024 p50':>10}{'p95':>8}   (ms)")
    by_size = {side: latencies(encoded(args.data, side), args.repeat) for side in (640, 1024)}
    for stage in by_size[640]:
        small, large = percentiles(by_size[640][stage]), percentiles(by_size[1024][stage])
        print(f"{stage:<14}{small[0]:>9.1f}{small[1]:>8.1f}{large[0]:>10.1f}{large[1]:>8.1f}")
    for side in (640, 1024):
        rate = throughput(encoded(args.data, side), args.repeat)
        print(f"throughput {side} px, 2 workers: {rate:.1f} faces/s")
    rss = memory()
    print(f"RSS after the timings: {rss['VmRSS']:.0f} MiB (peak {rss['VmHWM']:.0f} MiB)\n")
    for line in accuracy(args.data):
        print(line)
    print(
        f"\npeak RSS at the end (pairs.csv read at full size, up to 12 MP): "
        f"{memory()['VmHWM']:.0f} MiB"
    )


if __name__ == "__main__":
    main()
