"""Removing the mesh watermark (网纹) printed over police ID photos (seed 000 §2.9).

The photos a police database hands out carry a mesh of thin wavy lines, lighter or darker
than the face, repeated at a fixed spacing over the whole picture. Because the mesh repeats
and a face does not, the mesh stands out in the image's spectrum as a lattice of sharp peaks
(the fundamental of each line family and its many harmonics: a 1-px line is rich in them),
while the face spreads its energy smoothly, mostly at low frequencies.

1. The grey image's DFT is taken of its periodic component (Moisan's periodic-plus-smooth
   decomposition), so the jump between opposite borders does not draw a cross of false peaks
   through the spectrum.
2. Peaks are 3×3 local maxima of log|F| that rise above their neighbourhood (a median-then-
   mean smoothed log|F|) by `PEAK`, outside the lowest `LOW_CUTOFF` cycles per image. A mesh
   is present only with at least `MESH_PEAKS` × √pixels of them off the two axes (one
   straight edge or stripe puts its harmonics on an axis): the faces of ../shared/data/faces
   give at most 0.03, synthetic meshes 0.18–1.0.
3. Keeping only the peaks (and the bins next to them, which catch a period that does not
   divide the image size) and transforming back gives the mesh alone, averaged over the whole
   image: where the lines run, at full strength even where the face behind them makes them
   hard to see. Lines are the long tail of that map (light lines its positive tail, dark lines
   its negative one, since thin lines cover a small share of the image), taken above
   `LINE_LEVEL` of its 99.5th percentile: low, to catch anti-aliased edges and JPEG ringing.
4. Line pixels are inpainted from their surroundings (cv2.inpaint, Navier–Stokes).

Large images are analysed in overlapping windows of at most `TILE` px a side. Measurements and
limits: docs/dereticulation.md. In short, a mesh that does not repeat (hand-drawn, or warped
by printing and re-photographing) is left in place, very wide lines leave the fill too little
to go on, and filled pixels are estimates: texture under the lines is smoothed, not restored.
"""

from __future__ import annotations

import cv2
import numpy as np

from contracts.images import DecodedImage

PEAK = 1.6  # natural-log rise above the spectral background that makes a bin a peak (×5)
MESH_PEAKS = 0.08  # strong off-axis peaks per √pixels that prove a mesh
LOW_CUTOFF = 6.0  # cycles per image; below it the face dominates the spectrum
LINE_LEVEL = 0.05  # of the mesh map's 99.5th percentile: above it a pixel is on a line
TILE = 1024  # the spectrum is analysed in windows of at most this side, bounding memory
INPAINT_RADIUS = 2


def remove_mesh(image: DecodedImage) -> DecodedImage:
    """The image with its mesh watermark filled in; the image itself when it has none."""
    mask = mesh_mask(image.pixels)
    if not mask.any():
        return image
    pixels = cv2.inpaint(image.pixels, mask.astype(np.uint8), INPAINT_RADIUS, cv2.INPAINT_NS)
    return DecodedImage(pixels=pixels, format=image.format, source_bytes=image.source_bytes)


def mesh_mask(bgr: np.ndarray) -> np.ndarray:
    """Boolean H×W map of the pixels that lie on mesh lines (all False without a mesh)."""
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    mask = np.zeros(gray.shape, bool)
    for rows in _windows(gray.shape[0]):
        for cols in _windows(gray.shape[1]):
            mask[rows, cols] |= _window_mask(gray[rows, cols])
    return mask


def _windows(length: int) -> list[slice]:
    """Overlapping windows covering 0..length, all of one length whose prime factors are at
    most 11 (a DFT of a length with a large prime factor, such as 691, costs several times
    more)."""
    size = smooth_length(length)
    starts = np.linspace(0, length - size, -(-length // size)).round().astype(int)
    return [slice(start, start + size) for start in starts]


def smooth_length(length: int) -> int:
    """The longest window, at most `TILE` and `length`, whose DFT is quick."""
    return next(n for n in range(min(length, TILE), 0, -1) if _smooth(n))


def _smooth(n: int) -> bool:
    for prime in (2, 3, 5, 7, 11):
        while n % prime == 0:
            n //= prime
    return n == 1


def _window_mask(gray: np.ndarray) -> np.ndarray:
    mesh = mesh_map(gray)
    if mesh is None:
        return np.zeros(gray.shape, bool)
    return mesh > LINE_LEVEL * np.percentile(mesh, 99.5)


def mesh_map(gray: np.ndarray) -> np.ndarray | None:
    """The mesh alone in one window (steps 1–3; its lines positive, light or dark), or None
    when the window shows no mesh."""
    if min(gray.shape) < 4 * LOW_CUTOFF:
        return None
    spectrum = periodic_spectrum(gray)
    rise = _rise_above_background(spectrum)
    is_peak = rise >= cv2.dilate(rise, np.ones((3, 3), np.uint8))
    is_peak &= _cycles_per_image(gray.shape) > LOW_CUTOFF
    is_peak &= rise > PEAK
    if np.count_nonzero(is_peak & _off_axes(gray.shape)) < MESH_PEAKS * np.sqrt(gray.size):
        return None
    keep = cv2.dilate(is_peak.astype(np.uint8), np.ones((3, 3), np.uint8))
    mesh = cv2.idft(spectrum * keep[..., None], flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    if np.mean(mesh.astype(np.float64) ** 3) < 0:  # dark lines: the long tail is the negative one
        mesh = -mesh
    return mesh


def periodic_spectrum(u: np.ndarray) -> np.ndarray:
    """The DFT (cv2's two-channel layout) of u's periodic component: u less the smooth image
    whose Laplacian is u's jumps across its borders (Moisan 2011, "Periodic plus smooth image
    decomposition"), which wraps around without a seam."""
    rows, cols = u.shape
    jumps = np.zeros((rows, cols), np.float32)
    jumps[0, :] += u[-1, :] - u[0, :]
    jumps[-1, :] += u[0, :] - u[-1, :]
    jumps[:, 0] += u[:, -1] - u[:, 0]
    jumps[:, -1] += u[:, 0] - u[:, -1]
    q = np.cos(2 * np.pi * np.arange(rows) / rows)[:, None]
    r = np.cos(2 * np.pi * np.arange(cols) / cols)[None, :]
    denominator = (2 * q + 2 * r - 4).astype(np.float32)
    denominator[0, 0] = 1.0  # the smooth part's mean is free; 0 keeps u's mean in place
    smooth = cv2.dft(jumps, flags=cv2.DFT_COMPLEX_OUTPUT) / denominator[..., None]
    smooth[0, 0] = 0.0
    return cv2.dft(u.astype(np.float32), flags=cv2.DFT_COMPLEX_OUTPUT) - smooth


def _rise_above_background(spectrum: np.ndarray) -> np.ndarray:
    """log|F| less its local background, in the DFT's own (unshifted) layout."""
    magnitude = np.log1p(cv2.magnitude(spectrum[..., 0], spectrum[..., 1]))
    shifted = np.fft.fftshift(magnitude)
    background = cv2.blur(cv2.medianBlur(shifted, 5), (9, 9))
    return np.fft.ifftshift(shifted - background)


def _off_axes(shape: tuple[int, int]) -> np.ndarray:
    """Bins off the two axes, where a single straight edge or stripe puts its harmonics."""
    rows, cols = shape
    fy = np.abs(np.fft.fftfreq(rows) * rows)[:, None]
    fx = np.abs(np.fft.fftfreq(cols) * cols)[None, :]
    return (fy > 1.5) & (fx > 1.5)


def _cycles_per_image(shape: tuple[int, int]) -> np.ndarray:
    rows, cols = shape
    fy = np.fft.fftfreq(rows)[:, None] * rows
    fx = np.fft.fftfreq(cols)[None, :] * cols
    return np.hypot(fy * max(rows, cols) / rows, fx * max(rows, cols) / cols)
