"""Synthetic ID-photo meshes (网纹) for tests, blended over a photo like a database's watermark:
the old mesh (two families of wavy lines, half a wave apart so that they cross), the police
photo's old mesh with straight horizontal stripes (横纹) added, and the wire mesh (straight
lines in two directions). Yitu's families 5, 7 and 9 (engine/imaging/_mesh_family.py)."""

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
    stripes: float = 0.0,
) -> np.ndarray:
    """Coverage in [0, 1] of an anti-aliased mesh on an image of `shape` (rows, cols); `slant`
    turns the whole mesh by that many degrees; `stripes` adds straight horizontal lines that
    many px apart."""
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
    for row in np.arange(stripes / 2, height, stripes) if stripes else ():
        y = round(row * supersample)
        cv2.line(canvas, (0, y), (width * supersample, y), 255, thickness * supersample)
    small = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32) / 255.0


def wire_alpha(
    shape: tuple[int, int], *, spacing: float = 12.0, angle: float = 30.0, thickness: int = 1
) -> np.ndarray:
    """Coverage of a wire mesh: straight lines `spacing` apart at +`angle` and -`angle`."""
    families = (
        mesh_alpha(shape, spacing=spacing, amplitude=0.0, thickness=thickness, slant=turn)
        for turn in (angle, -angle)
    )
    return np.maximum(*families)


def meshed(
    pixels: np.ndarray,
    colour: tuple[int, int, int] = LIGHT,
    opacity: float = 0.75,
    *,
    wire: bool = False,
    **shape_args,
) -> np.ndarray:
    """`pixels` (BGR) with a mesh (the old one, or with `wire` the wire mesh) of `colour`
    blended over them at `opacity`."""
    coverage = wire_alpha if wire else mesh_alpha
    alpha = opacity * coverage(pixels.shape[:2], **shape_args)[..., None]
    out = pixels.astype(np.float32) * (1 - alpha) + np.array(colour, np.float32) * alpha
    return np.clip(out.round(), 0, 255).astype(np.uint8)


def as_jpeg(pixels: np.ndarray, quality: int = 92) -> bytes:
    """The photo as a police database would hand it out: a JPEG."""
    return cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes()
