"""Passive presentation-attack checks on still frames, and their verdicts.

Each check turns a frame into a score in [0, 1], larger meaning more like the attack or the
condition it looks for; a frame is refused when its score reaches the threshold of the chosen
operating point. The operating points were set on ../shared/data/antispoof, and docs/liveness.md
gives their measured pass and false-alarm rates and what each check cannot see.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class SpoofCheck(StrEnum):
    screen = "screen"  # a face shown on a phone, tablet or monitor: moiré, a device's bezel
    low_light = "low_light"  # too dark to see the face
    printed_photo = "printed_photo"  # a printed photograph: flat, soft, low-contrast texture
    eye_occlusion = "eye_occlusion"  # eyes covered by a hand, glasses, hair
    cutout = "cutout"  # a photograph with holes cut at the eyes, worn as a mask


class Strictness(StrEnum):
    """Operating points: `strict` refuses more attacks and more genuine frames."""

    strict = "strict"
    normal = "normal"
    lenient = "lenient"


class CheckRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    check: SpoofCheck
    strictness: Strictness = Strictness.normal


class CheckResult(BaseModel):
    """The verdict of one check over all frames: the worst frame decides.

    `valid` is False when no frame let the check run (most checks need a face, the eye checks
    its landmarks); `passed` is then False too, so that nothing unchecked passes.
    """

    model_config = ConfigDict(frozen=True)

    check: SpoofCheck
    strictness: Strictness
    valid: bool
    passed: bool
    score: float = Field(ge=0.0, le=1.0)
    threshold: float
