"""Video liveness: the subject tracked through a clip, actions as timed events, person
change, and the silent evidence combined into one attack score (docs/liveness.md)."""

from engine.liveness._video.judge import judge_clip

__all__ = ["judge_clip"]
