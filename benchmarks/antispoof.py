"""Pass and false-alarm rates of the passive liveness checks on ../shared/data/antispoof.

    python -m benchmarks.antispoof [--data ../shared/data]

For every check and operating point it prints, as a Markdown table for docs/liveness.md, the
share of genuine frames that pass and the share of each attack that is caught. Genuine frames
are the live captures of antispoof/ and, as a second set, the 96 ordinary portraits of faces/
(photos of real people, not captures of a live person, but what a check must not refuse as
an attack either). The antispoof set has
live and printed-photo frames (NUAA crops and one phone capture) and one tablet replay; it has
no dark, occluded or cut-out faces, so those attacks are simulated from the live frames, and
the table names them as simulated:

- dark ×0.4 / ×0.25 / ×0.12: the live frame's pixel values scaled down (less light);
- hand over an eye: one eye covered by a flat patch of the subject's own cheek colour;
- dark glasses: both eyes covered by a near-black bar;
- eye-hole cutout: the face outside two eye-sized ellipses made paper-like (blurred, 30% less
  contrast, brighter), with the rim of the holes darkened, as a photograph with holes held
  before a live face looks.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from contracts.faces import Face
from contracts.images import DecodedImage, ImageInput, ImageLimits
from contracts.liveness import CheckRequest, SpoofCheck, Strictness
from engine import face as faces
from engine.liveness import frame_scores
from engine.liveness._checks import THRESHOLDS
from engine.liveness._view import EYES
from engine.media import decode_image

Variant = Callable[[np.ndarray, np.ndarray], np.ndarray]


def darker(factor: float) -> Variant:
    def apply(pixels: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        return np.clip(pixels.astype(np.float32) * factor, 0, 255).astype(np.uint8)

    return apply


def _eye_box(landmarks: np.ndarray, eye: slice) -> tuple[int, int, int, int, float]:
    points = landmarks[eye]
    centre, width = points.mean(axis=0), float(np.linalg.norm(points[3] - points[0]))
    x, y = centre
    return (
        int(x - 0.9 * width),
        int(y - 0.6 * width),
        int(x + 0.9 * width),
        int(y + 0.6 * width),
        width,
    )


def hand_over_eye(pixels: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    out = pixels.copy()
    x1, y1, x2, y2, width = _eye_box(landmarks, EYES[0])
    cx, cy = landmarks[EYES[0]].mean(axis=0)
    cheek = pixels[
        int(cy + width) : int(cy + 1.6 * width), int(cx - width / 2) : int(cx + width / 2)
    ]
    colour = np.median(cheek.reshape(-1, 3), axis=0) if cheek.size else np.array([150, 160, 190])
    out[max(y1, 0) : y2, max(x1, 0) : x2] = colour
    return out


def dark_glasses(pixels: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    out = pixels.copy()
    for eye in EYES:
        x1, y1, x2, y2, _ = _eye_box(landmarks, eye)
        out[max(y1, 0) : y2, max(x1, 0) : x2] = 25
    return out


def eye_hole_cutout(pixels: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    paper = cv2.GaussianBlur(pixels, (5, 5), 0).astype(np.float32)
    paper = np.clip((paper - 128) * 0.7 + 143, 0, 255)
    holes = np.zeros(pixels.shape[:2], np.uint8)
    for eye in EYES:
        points = landmarks[eye]
        (x, y), width = points.mean(axis=0), float(np.linalg.norm(points[3] - points[0]))
        cv2.ellipse(
            holes, (int(x), int(y)), (int(0.8 * width), int(0.5 * width)), 0, 0, 360, 255, -1
        )
    out = np.where(holes[..., None] > 0, pixels.astype(np.float32), paper)
    rim = cv2.morphologyEx(holes, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    out[rim > 0] *= 0.5
    return out.astype(np.uint8)


SIMULATED: dict[str, Variant] = {
    "dark ×0.4 (simulated)": darker(0.4),
    "dark ×0.25 (simulated)": darker(0.25),
    "dark ×0.12 (simulated)": darker(0.12),
    "hand over an eye (simulated)": hand_over_eye,
    "dark glasses (simulated)": dark_glasses,
    "eye-hole cutout (simulated)": eye_hole_cutout,
}
LIMITS = ImageLimits(max_bytes=20 * 1024 * 1024)
PORTRAITS = "portraits (faces/)"


def locate(pixels: np.ndarray) -> tuple[DecodedImage, Face | None]:
    """The frame upright and its largest face with 68 landmarks (as the facades do)."""
    image = DecodedImage(pixels=pixels, format="png")
    detection = faces.detect(image, rotate=True, landmarks68=True)
    return faces.upright(image, detection.rotation), detection.largest()


GENUINE = ("live", PORTRAITS)


def samples(data: Path) -> list[tuple[str, DecodedImage, Face | None]]:
    """(kind, upright frame, face) for every labelled image and every simulated variant."""
    found = []
    with (data / "faces" / "labels.csv").open() as handle:
        for row in csv.DictReader(handle):
            path = data / row["file"]
            decoded = decode_image(ImageInput(data=path.read_bytes(), limits=LIMITS))
            found.append((PORTRAITS, *locate(decoded.pixels)))
    with (data / "antispoof" / "labels.csv").open() as handle:
        for row in csv.DictReader(handle):
            decoded = decode_image(
                ImageInput(data=(data / row["file"]).read_bytes(), limits=LIMITS)
            )
            frame, face = locate(decoded.pixels)
            found.append((row["label"], frame, face))
            if row["label"] != "live" or face is None:
                continue
            points = np.array([(p.x, p.y) for p in face.landmarks68])
            for name, variant in SIMULATED.items():
                found.append((name, *locate(variant(frame.pixels, points))))
    return found


def measure(data: Path) -> dict[SpoofCheck, dict[str, list[float | None]]]:
    """Every check's score on every sample, grouped by kind."""
    items = samples(data)
    scores: dict[SpoofCheck, dict[str, list[float | None]]] = {}
    for check in SpoofCheck:
        by_kind: dict[str, list[float | None]] = defaultdict(list)
        for kind, frame, face in items:
            (score,) = frame_scores([frame], [face], CheckRequest(check=check))
            by_kind[kind].append(score)
        scores[check] = by_kind
    return scores


def table(check: SpoofCheck, by_kind: dict[str, list[float | None]]) -> str:
    """Live pass rate and each attack's catch rate at each operating point; frames the check
    could not run on (no face, or no landmarks) count as refused, as the API reports them."""
    points = THRESHOLDS[check]
    head = "| frames | n | not checked | " + " | ".join(
        f"{s} (≥ {points[s]:g})" for s in Strictness
    )
    lines = [head + " |", "|" + " --- |" * (3 + len(Strictness))]
    for kind, values in by_kind.items():
        refused = [
            sum(v is None or v >= points[s] for v in values) / len(values) for s in Strictness
        ]
        genuine = kind in GENUINE
        verb = "pass" if genuine else "caught"
        rates = [(1 - r) if genuine else r for r in refused]
        cells = " | ".join(f"{verb} {100 * r:.0f}%" for r in rates)
        unchecked = sum(v is None for v in values)
        lines.append(f"| {kind} | {len(values)} | {unchecked} | {cells} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    for check, by_kind in measure(args.data).items():
        print(f"\n### {check}\n\n{table(check, by_kind)}")


if __name__ == "__main__":
    main()
