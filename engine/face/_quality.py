"""Quality of one face: pose, sharpness, lighting, eyes, mouth, occlusion, and one overall score.

Every measure that looks at pixels uses the normalised crop (align.normalised: 128 px, eyes
40 px apart, roll undone), so its numbers do not depend on the face's size or tilt. A small
face is upsampled into it, so it reads as less sharp, which is the point: it holds less detail.

- sharpness: variance of the Laplacian over the face (eyebrows to chin) mapped by v / (v + 100).
  On ../shared/data/faces: median 0.79, 5th percentile 0.61; the same faces blurred (Gaussian,
  σ = 3.75% of the eye distance) median 0.24, and never more than 0.2× their sharp variance.
- lighting: luma mean and variance over the face, fraction of pixels under 80 (dark) and over
  200 (glare), SenseTime's definitions; `brightness` is 1 for a face mean in [80, 180] and falls
  to 0 at 30 and 240.
- eyes: eye aspect ratio (Soukupová & Čech 2016) from the 68 points, per eye; open eyes
  measure 0.22–0.44 (a smile squints down to 0.22), closed ones about 0.1, so openness ramps
  from 0.12 to 0.22. A single frame cannot tell a squint from a blink; liveness uses the
  change over frames.
- mouth: inner-lip gap over mouth width; closed 0.00–0.05, open 0.19–0.48.
- occlusion: see engine.face._occlusion.
- score: weighted geometric mean of pose (frontal within 10° of yaw and pitch, none past 60°
  yaw or 50° pitch), resolution (eye distance 40 px or more in the image), sharpness,
  brightness, eyes open and the least visible landmark. A geometric mean lets any one bad factor
  sink the score, which is what picking the best face or frame needs.
"""

from __future__ import annotations

import cv2
import numpy as np

from contracts.faces import Lighting, Pose, Quality
from engine.face import _align as align
from engine.face import _occlusion as occlusion
from engine.face._frames import Patch
from engine.face._pose import head_pose

SHARPNESS_HALF = 100.0  # Laplacian variance that scores 0.5
DARK, GLARE = 80, 200
_FACE_ROWS = slice(30, 120)  # of the normalised crop: eyebrows to chin
_FACE_COLS = slice(20, 108)
_WEIGHTS = {
    "pose": 0.25,
    "resolution": 0.15,
    "sharpness": 0.2,
    "brightness": 0.1,
    "eyes": 0.1,
    "visibility": 0.2,
}


def measure(
    patch: Patch, points5: np.ndarray, points68: np.ndarray, image_size: tuple[int, int]
) -> Quality:
    """All quality measures of a face, from a patch around it and its 5 and 68 points in the
    upright frame of an image of `image_size` (width, height)."""
    pose = head_pose(points68, *image_size)
    crop, crop_points = align.normalised(patch.rgb, patch.local(points5))
    face = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)[_FACE_ROWS, _FACE_COLS]

    sharpness = sharpness_of(face)
    lighting = lighting_of(face)
    brightness = _ramp(lighting.mean, 30, 80) * (1 - _ramp(lighting.mean, 180, 240))
    eyes = (eye_aspect(points68[36:42]), eye_aspect(points68[42:48]))
    openness = tuple(_ramp(ear, 0.12, 0.22) for ear in eyes)
    mouth = mouth_aspect(points68)
    seen = occlusion.visibility(crop, crop_points)

    factors = {
        "pose": pose_factor(pose),
        "resolution": _ramp(float(np.linalg.norm(points5[1] - points5[0])), 10, 40),
        "sharpness": sharpness,
        "brightness": brightness,
        "eyes": min(openness),
        "visibility": float(seen.min()),
    }
    return Quality(
        pose=pose,
        sharpness=sharpness,
        brightness=brightness,
        eyes_open=min(openness),
        mouth_closed=1 - _ramp(mouth, 0.05, 0.19),
        eye_aspect=float(np.mean(eyes)),
        mouth_aspect=mouth,
        occlusion=tuple(bool(v < occlusion.OCCLUDED_BELOW) for v in seen),
        score=overall(factors),
        lighting=lighting,
        eye_openness=openness,
        visibility=tuple(float(v) for v in seen),
    )


def sharpness_of(grey: np.ndarray) -> float:
    variance = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    return variance / (variance + SHARPNESS_HALF)


def lighting_of(grey: np.ndarray) -> Lighting:
    return Lighting(
        mean=float(grey.mean()),
        variance=float(grey.var()),
        dark_fraction=float((grey < DARK).mean()),
        glare_fraction=float((grey > GLARE).mean()),
    )


def eye_aspect(eye: np.ndarray) -> float:
    """(|p2−p6| + |p3−p5|) / 2|p1−p4| for one eye's six points."""
    vertical = float(np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4]))
    return vertical / max(2 * float(np.linalg.norm(eye[0] - eye[3])), 1e-6)


def mouth_aspect(points68: np.ndarray) -> float:
    """Mean inner-lip gap (61–67, 62–66, 63–65) over the inner mouth width (60–64)."""
    pairs = ((61, 67), (62, 66), (63, 65))
    gaps = sum(float(np.linalg.norm(points68[a] - points68[b])) for a, b in pairs)
    return gaps / 3 / max(float(np.linalg.norm(points68[60] - points68[64])), 1e-6)


def pose_factor(pose: Pose) -> float:
    return (1 - _ramp(abs(pose.yaw), 10, 60)) * (1 - _ramp(abs(pose.pitch), 10, 50))


def overall(factors: dict[str, float]) -> float:
    logs = sum(_WEIGHTS[name] * np.log(max(value, 1e-6)) for name, value in factors.items())
    return float(np.clip(np.exp(logs), 0.0, 1.0))


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))
