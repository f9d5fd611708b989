"""The passive checks run over frames: each check's score per frame, and its verdict."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.faces import Face
from contracts.images import DecodedImage
from contracts.liveness import CheckRequest, CheckResult
from engine.liveness._checks import SCORERS, THRESHOLDS
from engine.liveness._view import FrameView


def frame_scores(
    frames: Sequence[DecodedImage], faces: Sequence[Face | None], request: CheckRequest
) -> list[float | None]:
    """One check's score on each frame (None where the frame does not allow it)."""
    scorer = SCORERS[request.check]
    return [scorer(FrameView.of(f.pixels, face)) for f, face in zip(frames, faces, strict=True)]


def check_frames(
    frames: Sequence[DecodedImage],
    faces: Sequence[Face | None],
    requests: Sequence[CheckRequest],
) -> list[CheckResult]:
    """Each requested check over all frames; the frame that looks most like the attack decides.

    `frames` are upright (engine.face.upright) and `faces[i]` is frame i's largest face from
    engine.face.detect with `landmarks68=True`, or None where it has none.
    """
    results = []
    for request in requests:
        scores = [s for s in frame_scores(frames, faces, request) if s is not None]
        threshold = THRESHOLDS[request.check][request.strictness]
        worst = max(scores, default=0.0)
        results.append(
            CheckResult(
                check=request.check,
                strictness=request.strictness,
                valid=bool(scores),
                passed=bool(scores) and worst < threshold,
                score=round(worst, 4),
                threshold=threshold,
            )
        )
    return results
