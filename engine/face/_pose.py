"""Head pose from six of the 68 points and a generic 3-D face, by cv2.solvePnP.

The camera is unknown, so it is guessed: focal length = image width, principal point = image
centre, no distortion. The 3-D model is the usual average head (in mm-like units) rewritten in
the camera's axes (x right, y down, z away from the camera), so a frontal face has the identity
rotation and the fit starts there.

Angles, in degrees, from R = Rz(roll)·Ry(yaw)·Rx(pitch):
- yaw > 0 when the subject turns to their own left (the nose moves to the image's right);
- pitch > 0 when the subject looks up;
- roll > 0 when the face is turned clockwise in the image (head tilted to the subject's left
  shoulder).

Pitch is biased on ordinary portraits: the generic model's nose depth fits few faces, and
people are photographed from a little above or below. With this model and camera guess the
median raw pitch of the faces in ../shared/data/faces is −4.6° (MODELS.md's +9° was measured
with another formulation); `PITCH_OFFSET` is that median and is subtracted, so a face looking
straight at the camera reads near 0. Yaw and roll need no correction (yaw changes sign under a
mirror flip; a 20° clockwise turn of the image adds 19–21° of roll).
Accuracy is a few degrees near frontal and degrades past ~45° of yaw, where the 68-point fit
itself folds the far side of the face.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from contracts.faces import Pose

# nose tip, chin, outer corner of the image-left eye, of the image-right eye, mouth corners
POINT_INDICES = (30, 8, 36, 45, 48, 54)
MODEL = np.array(
    [
        (0.0, 0.0, 0.0),
        (0.0, 330.0, 65.0),
        (-225.0, -170.0, 135.0),
        (225.0, -170.0, 135.0),
        (-150.0, 150.0, 125.0),
        (150.0, 150.0, 125.0),
    ]
)
PITCH_OFFSET = -4.6
_EYE_CORNER_SPAN = 450.0


def head_pose(points68: np.ndarray, image_width: int, image_height: int) -> Pose:
    """Yaw, pitch and roll of a face from its 68 points in a width×height image."""
    image_points = points68[list(POINT_INDICES)].astype(np.float64)
    focal = float(image_width)
    camera = np.array(
        [[focal, 0, image_width / 2], [0, focal, image_height / 2], [0, 0, 1]], dtype=np.float64
    )
    span = max(float(np.linalg.norm(image_points[3] - image_points[2])), 1.0)
    centre = image_points[0] - camera[:2, 2]
    depth = focal * _EYE_CORNER_SPAN / span
    tvec = np.array([[centre[0] * depth / focal], [centre[1] * depth / focal], [depth]])
    rvec = np.zeros((3, 1))
    _, solved, _ = cv2.solvePnP(
        MODEL, image_points, camera, None, rvec, tvec, True, cv2.SOLVEPNP_ITERATIVE
    )
    yaw, pitch, roll = euler(cv2.Rodrigues(solved)[0])
    return Pose(yaw=yaw, pitch=pitch - PITCH_OFFSET, roll=roll)


def euler(r: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees, signed as the module docstring says."""
    x = math.degrees(math.atan2(r[2, 1], r[2, 2]))
    y = math.degrees(math.asin(max(-1.0, min(1.0, -r[2, 0]))))
    z = math.degrees(math.atan2(r[1, 0], r[0, 0]))
    return -y, -x, z
