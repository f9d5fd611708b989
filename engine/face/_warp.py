"""Cutting a small, similarity-warped crop out of a large image without aliasing.

cv2.warpAffine samples bilinearly, so shrinking a face by more than ~2× aliases (sharpness and
HOG scores then depend on the face's size). When the warp shrinks, the part of the image it reads
is first resized with INTER_AREA to the warp's scale, and the rest of the warp (rotation, shift)
is applied to that.
"""

from __future__ import annotations

import math

import cv2
import numpy as np


def warp(rgb: np.ndarray, affine: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """rgb warped by a 2×3 similarity `affine` into a (width, height) `size` crop."""
    scale = math.sqrt(abs(float(np.linalg.det(affine[:, :2]))))
    if scale >= 0.9:
        return cv2.warpAffine(rgb, affine, size, borderMode=cv2.BORDER_REPLICATE)
    width, height = size
    inverse = cv2.invertAffineTransform(affine)
    corners = np.array([(0, 0), (width, 0), (0, height), (width, height)], dtype=np.float64)
    source = corners @ inverse[:, :2].T + inverse[:, 2]
    x1, y1 = np.maximum(np.floor(source.min(axis=0)).astype(int) - 1, 0)
    x2, y2 = np.ceil(source.max(axis=0)).astype(int) + 1
    region = rgb[y1:y2, x1:x2]
    if region.size == 0:
        return cv2.warpAffine(rgb, affine, size, borderMode=cv2.BORDER_REPLICATE)
    small_size = (max(1, round(region.shape[1] * scale)), max(1, round(region.shape[0] * scale)))
    small = cv2.resize(region, small_size, interpolation=cv2.INTER_AREA)
    fx, fy = small_size[0] / region.shape[1], small_size[1] / region.shape[0]
    # resize keeps pixel centres: small pixel u is image point x1 + (u + 0.5) / fx - 0.5
    to_image = np.array(
        [[1 / fx, 0, x1 + 0.5 / fx - 0.5], [0, 1 / fy, y1 + 0.5 / fy - 0.5], [0, 0, 1]]
    )
    combined = affine @ to_image
    return cv2.warpAffine(small, combined, size, borderMode=cv2.BORDER_REPLICATE)
