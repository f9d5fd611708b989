"""Printed photographs: a recaptured print is softer and flatter than skin.

Printing and photographing again lose fine detail (the halftone and the paper blur it) and
compress the tonal range (paper reflects 5-90% of light where skin under a lamp has specular
highlights and deep shadows). Two measurements of the face (brows to chin, ear to ear, at
128×128):

- detail: the share of the spectrum's magnitude in the upper half of the frequency band
  (live captures on ../shared/data/antispoof: 0.18-0.31; prints: 0.17-0.27);
- contrast: the standard deviation of grey levels (live 30-73, prints 25-55).

Each shortfall below a typical live face is scaled to [0, 1] and the score is their mean. Both
also fall for a live face that is out of focus, small (under ~100 px, then upsampled), dark or
flatly lit, which is what the false alarms are; a sharp, glossy, high-resolution print passes.
"""

from __future__ import annotations

import numpy as np

from engine.liveness._view import FrameView

SIZE = 128
DETAIL_LIVE, DETAIL_SPAN = 0.30, 0.10
CONTRAST_LIVE, CONTRAST_SPAN = 65.0, 35.0

_radius = np.hypot(*np.mgrid[-SIZE // 2 : SIZE // 2, -SIZE // 2 : SIZE // 2])
_BAND = _radius < SIZE // 2
_UPPER = (_radius > SIZE // 4) & _BAND


def detail(patch: np.ndarray) -> float:
    """Share of spectral magnitude above half the Nyquist frequency."""
    values = patch.astype(np.float32)
    spectrum = np.abs(np.fft.fftshift(np.fft.fft2(values - values.mean())))
    return float(spectrum[_UPPER].sum() / max(spectrum[_BAND].sum(), 1e-6))


def score(view: FrameView) -> float | None:
    if view.box is None:
        return None
    patch = view.face_patch(SIZE)
    soft = (DETAIL_LIVE - detail(patch)) / DETAIL_SPAN
    flat = (CONTRAST_LIVE - float(patch.std())) / CONTRAST_SPAN
    return float(np.clip((np.clip(soft, 0, 1) + np.clip(flat, 0, 1)) / 2, 0.0, 1.0))
