"""Training-free variants of the SFace pipeline, measured on both shared face sets: where the
five points come from, how the chip is cut and coloured, test-time augmentation, and cohort
score normalisation (the table "What was tried" in docs/face-engine.md). The default cut is
the engine's (OpenCV's alignCrop: one bilinear warp, black past the image); `cut` variants
put the earlier ones beside it.

    python -m benchmarks.face_variants [--data ../shared/data] [--only NAME ...]

Each image is detected once the way the engine does (YuNet proposes, O-Net places the points);
YuNet's own points, five points taken from dlib's 68, O-Net's points on a grey copy of the
same square and O-Net's points from a second pass over its own refined box are kept beside
O-Net's, and the head pose from the 68 points (for the pose-aware choice of points). Every variant
then embeds the largest face of every image and prints, per set: best accuracy on `pairs.csv`,
TAR at FAR 1e-2 and 1e-3 over every pair of the set (thresholds from the set's own
impostors), and on the East-Asian set the best accuracy within each of four folds of its
identities (pairs whose first identity is in the fold), the check that a gain is not one
fold's luck. S-norm lines score pairs by adaptive symmetric normalisation against the top-k
scores of each face against a cohort: the same set's other identities (not available to a
deployment: those are the evaluation faces) or the other set.
"""

from __future__ import annotations

import argparse
import csv
import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from benchmarks.face import SETS, best_accuracy, tar_at
from contracts.images import ImageInput
from engine import face, media, models
from engine.face import _arcface as arcface
from engine.face import _capabilities as capabilities
from engine.face import _detector as detector
from engine.face import _landmarks as landmarks
from engine.face import _mtcnn as mtcnn
from engine.face._pose import head_pose
from engine.face._warp import warp
from gateway.calibrate import _LIMITS

FOLDS = 4
SHIFTS = ((1.5, 0.0), (-1.5, 0.0), (0.0, 1.5), (0.0, -1.5))


@dataclass(frozen=True)
class Found:
    """One image's largest face: the BGR pixels, its identity and set, five point sources,
    and its yaw in degrees."""

    bgr: np.ndarray
    identity: str
    group: str
    points: dict[str, np.ndarray]
    yaw: float


@dataclass(frozen=True)
class Variant:
    source: str = "onet"  # onet, yunet, p68, onet_grey, onet2, a "+"-joined mean, or "pose"
    extra_sources: tuple[str, ...] = ()  # more chips, summed
    grey: str = ""  # "", "only", "both", "clahe", "equalised"
    scale: float = 1.0  # template scaled about the chip centre
    offset: tuple[float, float] = (0.0, 0.0)  # template moved, px
    shifts: bool = False
    flip: bool = False
    cubic: bool = False
    # "aligncrop" (the engine's), "area-replicate" (the engine's before), "plain-replicate",
    # "area-black", or a downscaling filter before the warp: "gauss", "lanczos", "pyramid"
    cut: str = "aligncrop"


# Past this yaw the "pose" source takes YuNet's points instead of O-Net's: O-Net places its
# points from a mostly frontal template, YuNet was trained with profile faces.
POSE_YAW = 45.0


VARIANTS: dict[str, Variant] = {
    "colour (first SFace)": Variant(),
    "points: YuNet": Variant(source="yunet"),
    "points: 68": Variant(source="p68"),
    "points: O-Net+YuNet": Variant(source="onet+yunet"),
    "points: O-Net+68": Variant(source="onet+p68"),
    "points: all three": Variant(source="onet+yunet+p68"),
    "bicubic upscaling": Variant(cubic=True),
    "flip": Variant(flip=True),
    "grey (default)": Variant(grey="only"),
    "grey, previous cut": Variant(grey="only", cut="area-replicate"),
    "grey, bilinear, replicated": Variant(grey="only", cut="plain-replicate"),
    "grey, area-shrunk, black": Variant(grey="only", cut="area-black"),
    "grey, Gaussian pre-blur": Variant(grey="only", cut="gauss"),
    "grey, Lanczos shrink": Variant(grey="only", cut="lanczos"),
    "grey, pyrDown shrink": Variant(grey="only", cut="pyramid"),
    "grey, O-Net on grey": Variant(grey="only", source="onet_grey"),
    "grey, O-Net twice": Variant(grey="only", source="onet2"),
    "grey, YuNet pts past 45°": Variant(grey="only", source="pose"),
    "grey + colour": Variant(grey="both"),
    "grey CLAHE": Variant(grey="clahe"),
    "grey equalised": Variant(grey="equalised"),
    "grey, points 68": Variant(grey="only", source="p68"),
    "grey, O-Net + 68 chips": Variant(grey="only", extra_sources=("p68",)),
    "grey, three chips": Variant(grey="only", extra_sources=("yunet", "p68")),
    "grey, 4 shifts": Variant(grey="only", shifts=True),
    "grey + flip": Variant(grey="only", flip=True),
    **{f"grey, scale {s}": Variant(grey="only", scale=s) for s in (0.9, 0.95, 1.03, 1.05)},
    "grey, 2 px up": Variant(grey="only", offset=(0.0, -2.0)),
    "grey, 2 px down": Variant(grey="only", offset=(0.0, 2.0)),
}
_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(4, 4))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def found(data: Path, name: str, identity: str, group: str) -> Found | None:
    image = media.decode_image(ImageInput(data=(data / name).read_bytes(), limits=_LIMITS))
    detection = face.detect(image)
    if not detection.faces:
        return None
    largest = detection.faces[0]
    box = capabilities._box(largest)
    onet = capabilities._array(largest.revised_landmarks5)
    small, scale = detector.shrunk(image.pixels)
    boxes, _, points = models.proposer().model(small)
    overlaps = [_iou(b / scale, box) for b in boxes]
    best = int(np.argmax(overlaps)) if overlaps else 0
    matched = bool(overlaps) and overlaps[best] > 0.3
    yunet = points[best] / scale if matched else onet
    onet_grey = onet2 = onet
    if matched:
        luma = cv2.cvtColor(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2RGB)
        again = mtcnn.finish(luma, models.mtcnn(), mtcnn.squared(boxes[best][None]))
        onet_grey = again.points[0] / scale if len(again) else onet
        rgb_small = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        again = mtcnn.finish(rgb_small, models.mtcnn(), mtcnn.squared((box * scale)[None]))
        onet2 = again.points[0] / scale if len(again) else onet
    rgb = cv2.cvtColor(image.pixels, cv2.COLOR_BGR2RGB)
    p68 = landmarks.landmarks68(rgb, onet)
    from68 = np.array([p68[36:42].mean(0), p68[42:48].mean(0), p68[30], p68[48], p68[54]])
    yaw = head_pose(p68, rgb.shape[1], rgb.shape[0]).yaw
    sources = {"onet": onet, "yunet": yunet, "p68": from68, "onet_grey": onet_grey, "onet2": onet2}
    return Found(image.pixels, identity, group, sources, yaw)


def cut(bgr: np.ndarray, affine: np.ndarray, variant: Variant) -> np.ndarray:
    """The 112-px chip of `affine`, cut as `variant.cut` says."""
    scale = float(np.sqrt(abs(np.linalg.det(affine[:, :2]))))
    border = cv2.BORDER_REPLICATE if variant.cut.endswith("replicate") else cv2.BORDER_CONSTANT
    if scale >= 0.9:
        flags = cv2.INTER_CUBIC if variant.cubic else cv2.INTER_LINEAR
        return cv2.warpAffine(bgr, affine, (112, 112), flags=flags, borderMode=border)
    if variant.cut == "area-replicate":
        return warp(bgr, affine, (112, 112))
    if variant.cut in ("aligncrop", "plain-replicate"):
        return cv2.warpAffine(bgr, affine, (112, 112), borderMode=border)
    if variant.cut == "gauss":  # anti-aliasing sigma (1/scale − 1) / 2, as skimage's rescale
        blurred = cv2.GaussianBlur(bgr, (0, 0), (1 / scale - 1) / 2)
        return cv2.warpAffine(blurred, affine, (112, 112), borderMode=border)
    if variant.cut == "pyramid":  # halve with pyrDown while the warp still shrinks by 2× or more
        factor = 1.0
        while scale * factor < 0.5:
            bgr, factor = cv2.pyrDown(bgr), factor * 2
        to_image = np.array([[factor, 0, 0], [0, factor, 0], [0, 0, 1]])  # pyrDown: u ↦ 2u
    else:  # area-black, lanczos: resize to the warp's scale first
        how = cv2.INTER_LANCZOS4 if variant.cut == "lanczos" else cv2.INTER_AREA
        height, width = bgr.shape[:2]
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=how)
        fx, fy = width / bgr.shape[1], height / bgr.shape[0]
        to_image = np.array([[fx, 0, fx / 2 - 0.5], [0, fy, fy / 2 - 0.5], [0, 0, 1]])
    return cv2.warpAffine(bgr, affine @ to_image, (112, 112), borderMode=border)


def _grey(chip: np.ndarray, how: str) -> np.ndarray:
    luma = cv2.cvtColor(chip, cv2.COLOR_BGR2GRAY)
    if how == "clahe":
        luma = _CLAHE.apply(luma)
    elif how == "equalised":
        luma = cv2.equalizeHist(luma)
    return cv2.merge([luma, luma, luma])


def embedded(item: Found, variant: Variant) -> np.ndarray:
    centre = np.array([56.0, 56.0])
    template = (arcface.TEMPLATE - centre) * variant.scale + centre + variant.offset
    shifts = ((0.0, 0.0), *SHIFTS) if variant.shifts else ((0.0, 0.0),)
    chips = []
    for source in (variant.source, *variant.extra_sources):
        if source == "pose":
            source = "yunet" if abs(item.yaw) > POSE_YAW else "onet"
        points = np.mean([item.points[s] for s in source.split("+")], axis=0)
        for dx, dy in shifts:
            affine = arcface.similarity(points, template)
            affine[:, 2] += (dx, dy)
            chips.append(cut(item.bgr, affine, variant))
    if variant.flip:
        chips += [np.ascontiguousarray(c[:, ::-1]) for c in chips]
    if variant.grey == "both":
        chips += [_grey(c, "only") for c in chips]
    elif variant.grey:
        chips = [_grey(c, variant.grey) for c in chips]
    vector = models.embedder().model(np.stack(chips)).sum(axis=0)
    return vector / np.linalg.norm(vector)


def report(
    label: str,
    vectors: dict[str, np.ndarray],
    faces: dict[str, Found],
    pairs: dict[str, list[dict[str, str]]],
    score: Callable[[str, str], float],
) -> str:
    cells = []
    for group in SETS:
        rows = pairs[group]
        scores = np.array([score(p["img1"], p["img2"]) for p in rows])
        same = np.array([p["same"] == "1" for p in rows])
        names = sorted(n for n in vectors if faces[n].group == group)
        genuine: list[float] = []
        impostor: list[float] = []
        for a, b in itertools.combinations(names, 2):
            same_person = faces[a].identity == faces[b].identity
            (genuine if same_person else impostor).append(score(a, b))
        tars = [tar_at(np.array(genuine), np.array(impostor), far) for far in (1e-2, 1e-3)]
        cells.append(f"{best_accuracy(scores, same):.3f} {tars[0]:>6} {tars[1]:>6}")
        if group == "faces_east_asian":
            identities = sorted({faces[n].identity for n in names})
            fold = {identity: k % FOLDS for k, identity in enumerate(identities)}
            folds = []
            for k in range(FOLDS):
                mask = np.array([fold[p["identity1"]] == k for p in rows])
                folds.append(f"{best_accuracy(scores[mask], same[mask]):.3f}")
            cells.append(" ".join(folds))
    return f"{label:<28}" + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    args = parser.parse_args()
    models.warm_up()
    labelled = []
    pairs = {}
    for group in SETS:
        with (args.data / group / "labels.csv").open(newline="") as f:
            labelled += [(r["file"], r["identity"], group) for r in csv.DictReader(f)]
        with (args.data / group / "pairs.csv").open(newline="") as f:
            pairs[group] = list(csv.DictReader(f))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda row: (row[0], found(args.data, *row)), labelled)
        faces = {name: item for name, item in results if item is not None}
    print(
        f"{'variant':<28}general: acc TAR@1e-2 @1e-3 | East-Asian: acc TAR@1e-2 @1e-3 | "
        f"East-Asian acc by identity fold"
    )
    for label, variant in VARIANTS.items():
        if args.only and label not in args.only:
            continue
        vectors = {name: embedded(item, variant) for name, item in faces.items()}
        print(report(label, vectors, faces, pairs, cosines(vectors)))
        if label == "grey (default)":
            for cohort, top in itertools.product((True, False), (10, 30)):
                scored = snormed(vectors, faces, same_set=cohort, top=top)
                where = "same set" if cohort else "other set"
                print(report(f"  S-norm, {where}, top {top}", vectors, faces, pairs, scored))


def cosines(vectors: dict[str, np.ndarray]) -> Callable[[str, str], float]:
    return lambda a, b: float(vectors[a] @ vectors[b])


def snormed(
    vectors: dict[str, np.ndarray], faces: dict[str, Found], *, same_set: bool, top: int
) -> Callable[[str, str], float]:
    """Adaptive symmetric score normalisation: each side's cosine z-scored against its own
    `top` highest cosines with a cohort (the same set's other identities, or the other set)."""
    names = sorted(vectors)
    index = {n: i for i, n in enumerate(names)}
    matrix = np.stack([vectors[n] for n in names])
    similarity = matrix @ matrix.T
    groups = np.array([faces[n].group for n in names])
    identities = np.array([faces[n].identity for n in names])

    def score(a: str, b: str) -> float:
        i, j = index[a], index[b]
        if same_set:
            mask = (groups == groups[i]) & (identities != identities[i])
            mask &= identities != identities[j]
        else:
            mask = groups != groups[i]
        ca = np.sort(similarity[i, mask])[-top:]
        cb = np.sort(similarity[j, mask])[-top:]
        s = similarity[i, j]
        return float((s - ca.mean()) / ca.std() + (s - cb.mean()) / cb.std()) / 2

    return score


if __name__ == "__main__":
    main()
