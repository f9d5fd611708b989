"""Simulated face swaps for tests and benchmarks, made honestly from two real photos: the source
face is warped onto the target's 68 points (a similarity fitted on all of them) and blended in
with OpenCV's Poisson cloning (cv2.seamlessClone) over the target's face hull, as the classic
face-swap scripts do. Generated faces (GANs, diffusion, modern swap networks) are not simulated."""

from __future__ import annotations

import cv2
import numpy as np

from contracts.faces import Face


def _points(face: Face) -> np.ndarray:
    return np.array([(p.x, p.y) for p in face.landmarks68], np.float32)


def swap(
    target: np.ndarray, target_face: Face, source: np.ndarray, source_face: Face
) -> np.ndarray:
    """`target` (BGR, upright) with the face of `source` cloned over `target_face`."""
    src, dst = _points(source_face), _points(target_face)
    affine, _ = cv2.estimateAffinePartial2D(src, dst)
    height, width = target.shape[:2]
    warped = cv2.warpAffine(source, affine, (width, height), borderMode=cv2.BORDER_REFLECT)
    hull = cv2.convexHull(np.round(dst[:27]).astype(np.int32))
    mask = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(mask, hull, 255)
    x, y, w, h = cv2.boundingRect(hull)
    centre = (x + w // 2, y + h // 2)
    return cv2.seamlessClone(warped, target, mask, centre, cv2.NORMAL_CLONE)
