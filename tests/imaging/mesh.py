"""A synthetic police-photo mesh (网纹) for tests: two families of wavy lines, half a wave
apart so that they cross, blended over the photo like the watermark of a police database."""

from __future__ import annotations

import cv2
import numpy as np

LIGHT = (235, 235, 235)
DARK = (40, 40, 40)


def mesh_alpha(
    shape: tuple[int, int],
    *,
    spacing: float = 18.0,
    amplitude: float = 5.0,
    wavelength: float = 60.0,
    thickness: int = 1,
    slant: float = 0.0,
) -> np.ndarray:
    """Coverage in [0, 1] of an anti-aliased mesh on an image of `shape` (rows, cols); `slant`
    turns the whole mesh by that many degrees."""
    height, width = shape
    supersample = 4
    reach = int(np.hypot(height, width))  # lines long enough to cover the image once turned
    canvas = np.zeros((height * supersample, width * supersample), np.uint8)
    xs = np.arange(-reach, reach, 0.25)
    centre = np.array([width / 2, height / 2])
    turn = np.deg2rad(slant)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    for phase in (0.0, np.pi):
        for offset in np.arange(-reach, reach, spacing):
            ys = offset + amplitude * np.sin(2 * np.pi * xs / wavelength + phase)
            points = np.stack([xs, ys], axis=1) @ rotation.T + centre
            pixels = np.round(points * supersample).astype(np.int32)
            cv2.polylines(canvas, [pixels], False, 255, thickness * supersample, cv2.LINE_AA)
    small = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32) / 255.0


def meshed(
    pixels: np.ndarray, colour: tuple[int, int, int] = LIGHT, opacity: float = 0.75, **shape_args
) -> np.ndarray:
    """`pixels` (BGR) with a mesh of `colour` blended over them at `opacity`."""
    alpha = opacity * mesh_alpha(pixels.shape[:2], **shape_args)[..., None]
    out = pixels.astype(np.float32) * (1 - alpha) + np.array(colour, np.float32) * alpha
    return np.clip(out.round(), 0, 255).astype(np.uint8)


def as_jpeg(pixels: np.ndarray, quality: int = 92) -> bytes:
    """The photo as a police database would hand it out: a JPEG."""
    return cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes()
