"""The passive checks and their operating points.

Each threshold is the score at which a frame is refused. They were set with
benchmarks/antispoof.py so that, on the genuine frames of ../shared/data (the live captures of
antispoof/ and the portraits of faces/), roughly 85-90% pass at the strict point, 90-95% at
the normal one and 95% or more at the lenient one (the manual quotes 90% and 95% for its own
two anti-screen points); darkness is set by what it means instead: strict refuses a face
whose median luma is under 51 (of 255), normal under 38, lenient under 26. docs/liveness.md
has the measured rates of every point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from contracts.liveness import SpoofCheck, Strictness
from engine.liveness import _eye_occlusion, _holes, _illumination, _print_texture, _screen
from engine.liveness._view import FrameView

Scorer = Callable[[FrameView], float | None]


def _points(strict: float, normal: float, lenient: float) -> dict[Strictness, float]:
    return {Strictness.strict: strict, Strictness.normal: normal, Strictness.lenient: lenient}


SCORERS: Mapping[SpoofCheck, Scorer] = {
    SpoofCheck.screen: _screen.score,
    SpoofCheck.low_light: _illumination.score,
    SpoofCheck.printed_photo: _print_texture.score,
    SpoofCheck.eye_occlusion: _eye_occlusion.score,
    SpoofCheck.cutout: _holes.score,
}

THRESHOLDS: Mapping[SpoofCheck, Mapping[Strictness, float]] = {
    SpoofCheck.screen: _points(0.5, 0.6, 0.75),
    SpoofCheck.low_light: _points(0.6, 0.7, 0.8),
    SpoofCheck.printed_photo: _points(0.5, 0.6, 0.7),
    SpoofCheck.eye_occlusion: _points(0.3, 0.45, 0.6),
    SpoofCheck.cutout: _points(0.45, 0.55, 0.65),
}
