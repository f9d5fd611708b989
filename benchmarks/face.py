"""Latency, throughput, memory and accuracy of the face engine, beside the dlib pipeline it
replaced, on ../shared/data/faces and ../shared/data/faces_east_asian.

    python -m benchmarks.face [--data ../shared/data] [--repeat 5] [--skip-accuracy]

Pipelines (each from the decoded image to a unit 128-d embedding):

- `sface`  (default): YuNet proposes, O-Net places five points, SFace on the ArcFace chip;
- `sface-mtcnn`: the whole MTCNN cascade, SFace on the ArcFace chip (the detector measured the
  other way);
- `dlib`   (before): the whole MTCNN cascade, dlib's 5-point model and 150-px chip, dlib's
  ResNet (on onnxruntime).

Latency: single-face portraits of the general set re-encoded as JPEG with the long side at 640
and 1024 px, end to end from JPEG bytes (decode → detect → align → embed) as one request runs
it, plus the stages alone. Throughput: the end-to-end job over all portraits through a pool of
2 threads. Accuracy, per set and pipeline: best accuracy over `pairs.csv` (balanced), and TAR
at FAR 1e-2, 1e-3, 1e-4 over *every* pair of images of the set (the thresholds taken from that
set's own impostor scores, with the number of impostor pairs behind each), then what the
packaged calibration's thresholds give on each set (contracts/calibration.json `measured`).

Memory is measured as `idfacade serve` runs: glibc capped at one malloc arena and the heap
trimmed after loading (gateway.memory); RSS is printed once the models are loaded, after the
timings, and as the process's peak.
"""

from __future__ import annotations

import argparse
import csv
import functools
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from benchmarks.images import imread
from benchmarks.memory import memory
from contracts.calibration import load_calibration
from contracts.images import DecodedImage, ImageInput
from engine import face, media, models
from engine.face import _align as align
from engine.face import _arcface as arcface
from engine.face import _detector as detector
from engine.face import _embedding as embedding
from engine.face import _mtcnn as mtcnn
from gateway.calibrate import _LIMITS
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
SETS = ("faces", "faces_east_asian")
FARS = (1e-2, 1e-3, 1e-4)
Pipeline = Callable[[np.ndarray], np.ndarray | None]


def _largest(bgr: np.ndarray, find: Callable[[np.ndarray], mtcnn.RawFaces]):
    small, scale = detector.shrunk(bgr)
    faces = find(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
    if not len(faces):
        return None
    return faces.boxes[0] / scale, faces.points[0] / scale


def _cascade(rgb: np.ndarray) -> mtcnn.RawFaces:
    """The whole MTCNN cascade with the pad-and-retry of tight crops (the former detector)."""
    faces = mtcnn.detect(rgb, models.mtcnn())
    if not len(faces):
        pad = round(detector.PAD * max(rgb.shape[:2]))
        padded = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        small, scale = detector.shrunk(padded, detector.RETRY_SIDE)
        faces = mtcnn.detect(small, models.mtcnn()).mapped(scale, -pad, -pad)
    return detector.largest_first(faces)


def sface(bgr: np.ndarray) -> np.ndarray | None:
    image = DecodedImage(pixels=bgr, format="jpeg")
    detection = face.detect(image)
    return face.embed(image, detection, 0).array() if detection.faces else None


def sface_mtcnn(bgr: np.ndarray) -> np.ndarray | None:
    found = _largest(bgr, _cascade)
    if found is None:
        return None
    return embedding.describe(arcface.chip(bgr, found[1])).array()


def dlib(bgr: np.ndarray) -> np.ndarray | None:
    found = _largest(bgr, _cascade)
    if found is None:
        return None
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    chip = align.chip(rgb, align.shape5(rgb, found[0]))
    vector = models.face_encoder().model(chip[None])[0]
    return vector / np.linalg.norm(vector)


PIPELINES: dict[str, Pipeline] = {"sface": sface, "sface-mtcnn": sface_mtcnn, "dlib": dlib}
BEFORE_AFTER = ("sface", "dlib")


def encoded(data_dir: Path, long_side: int) -> list[bytes]:
    """The portraits resized to `long_side` and encoded as JPEG (quality 90)."""
    out = []
    for name in PORTRAITS:
        pixels = imread(data_dir / name)
        scale = long_side / max(pixels.shape[:2])
        resized = cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        out.append(cv2.imencode(".jpg", resized, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
    return out


def timed(job: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run. CPU is the whole process's (every onnxruntime
    thread counted), which a busy machine inflates far less than wall time."""
    samples = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        job()
        samples.append((time.perf_counter() - start, time.process_time() - start_cpu))
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return 1000 * statistics.median(ordered), 1000 * p95


def end_to_end(pipeline: Pipeline) -> Callable[[bytes], int]:
    def run(data: bytes) -> int:
        pipeline(media.decode_image(ImageInput(data=data)).pixels)
        return 1

    return run


def latencies(blobs: list[bytes], repeat: int) -> dict[str, list[tuple[float, float]]]:
    rows: dict[str, list[tuple[float, float]]] = {}
    for data in blobs:
        image = media.decode_image(ImageInput(data=data))
        rgb = cv2.cvtColor(detector.shrunk(image.pixels)[0], cv2.COLOR_BGR2RGB)
        detection = face.detect(image)
        stages: dict[str, Callable[[], object]] = {
            "detect (YuNet+O-Net)": functools.partial(face.detect, image),
            "detect (MTCNN)": functools.partial(_cascade, rgb),
            "embed (SFace)": functools.partial(face.embed, image, detection, 0),
            "end to end sface": functools.partial(end_to_end(sface), data),
            "end to end dlib": functools.partial(end_to_end(dlib), data),
        }
        for stage, job in stages.items():
            rows.setdefault(stage, []).extend(timed(job, repeat))
    return rows


def throughput(blobs: list[bytes], rounds: int, pipeline: Pipeline) -> tuple[float, float]:
    """Faces per second end to end through 2 worker threads (as the gateway's pool runs them:
    run with `models.configure(threads=1)`), and CPU milliseconds per face."""
    jobs = blobs * rounds
    start, start_cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=2) as pool:
        faces = sum(pool.map(end_to_end(pipeline), jobs))
    cpu = time.process_time() - start_cpu
    return faces / (time.perf_counter() - start), 1000 * cpu / faces


def gateway_rss(timeout: float = 180.0) -> float:
    """VmRSS in MiB of a real `idfacade serve` (every model, OCR included) once /readyz says
    its models are loaded."""
    with tempfile.TemporaryDirectory() as data, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        env = os.environ | {"IDFACADE_DATA": data, "IDFACADE_PORT": str(port)}
        command = [sys.executable, "-c", "from gateway.cli import main; main(['serve'])"]
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                time.sleep(0.5)
            else:
                raise RuntimeError("the gateway did not become ready")
            time.sleep(1.0)  # the loader thread trims the heap just before it flips /readyz
            status = Path(f"/proc/{server.pid}/status").read_text().splitlines()
            fields = dict(line.split(":", 1) for line in status)
            return int(fields["VmRSS"].split()[0]) / 1024
        finally:
            server.terminate()
            server.wait(timeout=30)


def embeddings(data_dir: Path, files: list[str], pipeline: Pipeline) -> dict[str, np.ndarray]:
    def one(name: str) -> np.ndarray | None:
        data = (data_dir / name).read_bytes()
        return pipeline(media.decode_image(ImageInput(data=data, limits=_LIMITS)).pixels)

    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(zip(files, pool.map(one, files), strict=True))
    return {name: v for name, v in found.items() if v is not None}


def tar_at(genuine: np.ndarray, impostor: np.ndarray, far: float) -> str:
    """TAR at the threshold that lets through a share `far` of these impostors."""
    allowed = int(far * len(impostor))
    if allowed < 1:
        return "n/a"
    threshold = np.sort(impostor)[-allowed - 1]
    return f"{np.mean(genuine > threshold):.3f}"


def best_accuracy(scores: np.ndarray, same: np.ndarray) -> float:
    return max(float(np.mean((scores >= t) == same)) for t in scores)


def accuracy(data_dir: Path) -> list[str]:
    lines = [
        f"{'set':<18}{'pipeline':<13}{'faces':>7}{'pairs.csv acc':>15}"
        f"{'impostors':>11}{'TAR@1e-2':>10}{'TAR@1e-3':>10}{'TAR@1e-4':>10}"
    ]
    for name in SETS:
        with (data_dir / name / "labels.csv").open(newline="") as f:
            labels = {row["file"]: row["identity"] for row in csv.DictReader(f)}
        with (data_dir / name / "pairs.csv").open(newline="") as f:
            pairs = list(csv.DictReader(f))
        for label, pipeline in PIPELINES.items():
            found = embeddings(data_dir, list(labels), pipeline)
            genuine: list[float] = []
            impostor: list[float] = []
            for a, b in itertools.combinations(sorted(found), 2):
                score = float(found[a] @ found[b])
                (genuine if labels[a] == labels[b] else impostor).append(score)
            scored = [p for p in pairs if {p["img1"], p["img2"]} <= found.keys()]
            scores = np.array([float(found[p["img1"]] @ found[p["img2"]]) for p in scored])
            same = np.array([p["same"] == "1" for p in scored])
            tars = [tar_at(np.array(genuine), np.array(impostor), far) for far in FARS]
            lines.append(
                f"{name:<18}{label:<13}{len(found):>3}/{len(labels):<3}"
                f"{best_accuracy(scores, same):>10.3f} ({len(scored)})"
                f"{len(impostor):>9}" + "".join(f"{t:>10}" for t in tars)
            )
    return lines


def calibrated() -> list[str]:
    """What the packaged thresholds measure on each set and each colour-mode population."""
    calibration = load_calibration()
    nominal = calibration.nominal_far()
    names = list(calibration.measured)
    lines = [f"packaged calibration {calibration.version} ({calibration.model}): measured"]
    header = "".join(f"{n.replace('faces_east_asian', 'east_asian'):>30}" for n in names)
    lines.append(f"{'operating point':<18}{'cosine':>8}" + header)
    cuts = calibration.thresholds | {"default": calibration.default_threshold}
    for key, cosine in cuts.items():
        cells = []
        for name in names:
            m = calibration.measured[name]
            cells.append(f"FAR {m.far[key]:.5f} TAR {m.tar[key]:.3f}")
        lines.append(
            f"{key + f' ({nominal[key]:g})':<18}{cosine:>8.4f}" + "".join(f"{c:>30}" for c in cells)
        )
    for name in names:
        m = calibration.measured[name]
        lines.append(f"{name}: {m.genuine_pairs} genuine, {m.impostor_pairs} impostor pairs")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--gateway-rss", action="store_true", help="start idfacade serve too")
    args = parser.parse_args()

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")
    limit_malloc_arenas()
    start = time.perf_counter()
    models.warm_up()
    release_free_memory()
    print(f"models loaded in {time.perf_counter() - start:.2f} s: {models.versions()}")
    print(f"RSS with the serving models loaded: {memory()['VmRSS']:.0f} MiB")
    models.face_encoder()  # the dlib pipeline, for the side-by-side figures only
    print(
        f"\none request at a time, {models.DEFAULT_THREADS} onnxruntime threads (ms)\n"
        f"{'stage':<24}{'640 p50':>9}{'p95':>8}{'CPU p50':>9}"
        f"{'1024 p50':>10}{'p95':>8}{'CPU p50':>9}"
    )
    by_size = {side: latencies(encoded(args.data, side), args.repeat) for side in (640, 1024)}
    for stage in by_size[640]:
        cells = ""
        for side, width in ((640, 9), (1024, 10)):
            samples = by_size[side][stage]
            p50, p95 = percentiles([wall for wall, _ in samples])
            cpu, _ = percentiles([cpu for _, cpu in samples])
            cells += f"{p50:>{width}.1f}{p95:>8.1f}{cpu:>9.1f}"
        print(f"{stage:<24}{cells}")
    models.configure(threads=1)  # the gateway's pool: 2 workers × 1 thread each
    for side in (640, 1024):
        blobs = encoded(args.data, side)
        rates = {
            name: throughput(blobs, args.repeat, PIPELINES[name]) for name in ("sface", "dlib")
        }
        print(
            f"throughput {side} px, 2 workers × 1 thread: "
            + ", ".join(f"{n} {r:.1f} faces/s ({c:.1f} ms CPU/face)" for n, (r, c) in rates.items())
        )
    models.configure(threads=models.DEFAULT_THREADS)
    rss = memory()
    print(f"RSS after the timings: {rss['VmRSS']:.0f} MiB (peak {rss['VmHWM']:.0f} MiB)\n")
    if args.gateway_rss:
        print(f"gateway (idfacade serve) RSS after warm-up, every model: {gateway_rss():.0f} MiB\n")
    if not args.skip_accuracy:
        for line in accuracy(args.data):
            print(line)
        print()
    for line in calibrated():
        print(line)
    print(
        f"\npeak RSS at the end (sets read at full size, up to 12 MP): {memory()['VmHWM']:.0f} MiB"
    )


if __name__ == "__main__":
    main()
