"""Simulated accessories for tests and benchmarks: masks in three positions, sunglasses, a hat
and a helmet, drawn along a face's 68 points. They are plain flat-shaded shapes with a little
noise, so what they measure is the heuristics' geometry, not their behaviour on real cloth."""

from __future__ import annotations

import cv2
import numpy as np

from contracts.faces import Face

NAVY = (90, 40, 30)  # BGR
RED = (40, 40, 200)
YELLOW = (40, 200, 230)
DARK_LENS = (25, 25, 25)


def _points(face: Face) -> np.ndarray:
    return np.array([(p.x, p.y) for p in face.landmarks68])


def _paint(pixels: np.ndarray, cover: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    rng = np.random.default_rng(7)
    cloth = np.array(colour, np.float32) + rng.normal(0, 3, pixels.shape).astype(np.float32)
    alpha = cv2.GaussianBlur(cover.astype(np.float32) / 255.0, (0, 0), 1.0)[..., None]
    out = pixels.astype(np.float32) * (1 - alpha) + cloth * alpha
    return np.clip(out.round(), 0, 255).astype(np.uint8)


def mask_at(pixels: np.ndarray, face: Face, position: str, colour=(230, 200, 160)) -> np.ndarray:
    """A mask over nose and mouth ("normal"), below the nose ("nose"), or on the chin ("mouth")."""
    points = _points(face)
    top = {"normal": points[28], "nose": (points[33] + points[51]) / 2, "mouth": points[57]}
    jaw = points[2:15] if position != "mouth" else points[4:13]
    outline = np.vstack([jaw, top[position][None]])
    cover = np.zeros(pixels.shape[:2], np.uint8)
    cv2.fillPoly(cover, [np.round(outline).astype(np.int32)], 255, lineType=cv2.LINE_AA)
    return _paint(pixels, cover, colour)


def sunglasses(pixels: np.ndarray, face: Face) -> np.ndarray:
    points = _points(face)
    cover = np.zeros(pixels.shape[:2], np.uint8)
    eye_distance = float(np.linalg.norm(points[42:48].mean(0) - points[36:42].mean(0)))
    for eye in (points[36:42], points[42:48]):
        centre = tuple(int(v) for v in eye.mean(0))
        axes = (int(0.36 * eye_distance), int(0.26 * eye_distance))
        cv2.ellipse(cover, centre, axes, 0, 0, 360, 255, -1, cv2.LINE_AA)
    a, b = points[39], points[42]
    cv2.line(
        cover,
        tuple(int(v) for v in a),
        tuple(int(v) for v in b),
        255,
        max(2, int(0.05 * eye_distance)),
        cv2.LINE_AA,
    )
    return _paint(pixels, cover, DARK_LENS)


def hat(pixels: np.ndarray, face: Face, colour=NAVY) -> np.ndarray:
    """A cap from the brows up, as wide as the face, with a brim."""
    points = _points(face)
    brow = min(points[17:27, 1])
    width = points[16, 0] - points[0, 0]
    left, right = points[0, 0] - 0.1 * width, points[16, 0] + 0.1 * width
    bottom = brow - 0.12 * width
    cover = np.zeros(pixels.shape[:2], np.uint8)
    centre = (int((left + right) / 2), int(bottom))
    cv2.ellipse(cover, centre, (int((right - left) / 2), int(0.75 * width)), 0, 180, 360, 255, -1)
    cv2.rectangle(
        cover, (int(left), int(bottom - 0.05 * width)), (int(right), int(bottom)), 255, -1
    )
    return _paint(pixels, cover, colour)


def helmet(pixels: np.ndarray, face: Face, colour=YELLOW) -> np.ndarray:
    """A shell over the crown that comes down beside the eyes to the cheekbones."""
    points = _points(face)
    width = points[16, 0] - points[0, 0]
    eye_y = points[36:48, 1].mean()
    brow = min(points[17:27, 1]) - 0.08 * width
    cx = (points[0, 0] + points[16, 0]) / 2
    shell = np.zeros(pixels.shape[:2], np.uint8)
    cv2.ellipse(
        shell, (int(cx), int(eye_y)), (int(0.8 * width), int(1.1 * width)), 0, 0, 360, 255, -1
    )
    face_hole = np.zeros_like(shell)
    hole = np.vstack([points[0:17], [(points[16, 0], brow), (points[0, 0], brow)]])
    cv2.fillPoly(face_hole, [np.round(hole).astype(np.int32)], 255)
    shell[face_hole > 0] = 0
    shell[int(points[8, 1]) :] = 0
    return _paint(pixels, shell, colour)
