"""Liveness: passive checks of still frames, single-image and video liveness.

    results = check_frames(frames, [CheckRequest(check=SpoofCheck.screen)])
    verdict = score_image(image)                      # ImageVerdict (SenseTime hacknessScore)
    verdict = judge_clip(video, sequence=[Action.blink])  # ClipVerdict (interactive, silent)

No learned anti-spoofing model is used (../shared/docs/MODELS.md: none available from the
registries could be trusted), so each check is a documented measurement with operating points
set on ../shared/data; docs/liveness.md gives the measured rates and the limits.
"""

from __future__ import annotations

from engine.liveness._frames import check_frames, frame_scores
from engine.liveness._image import score_image
from engine.liveness._video import judge_clip

__all__ = ["check_frames", "frame_scores", "judge_clip", "score_image"]
