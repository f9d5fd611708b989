"""Clips judged once per session: the shared clips, and the simulated attacks made from
real data by benchmarks/video_attacks.py (named simulated wherever they are reported)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks import video_attacks
from contracts.images import VideoInput, VideoLimits
from contracts.liveness import Action, ClipVerdict
from engine.liveness import judge_clip

LIMITS = VideoLimits(max_seconds=30.0)


@pytest.fixture(scope="session")
def backdrop(shared_data: Path) -> np.ndarray:
    return video_attacks.backdrop(shared_data)


@pytest.fixture(scope="session")
def simulated(shared_data: Path, backdrop: np.ndarray, tmp_path_factory) -> dict[str, Path]:
    """The simulated attack clips, made once."""
    folder = tmp_path_factory.mktemp("simulated")
    photo = shared_data / "antispoof/live/jom_real_1.jpg"
    return {
        "print": video_attacks.printed_photo_clip(photo, backdrop, folder / "print.mp4"),
        "print_still": video_attacks.printed_photo_clip(
            photo, backdrop, folder / "print_still.mp4", still=True
        ),
        "replay": video_attacks.screen_replay_clip(
            shared_data / "videos/blink_talk_aoc.mp4", backdrop, folder / "replay.mp4"
        ),
        "swap": video_attacks.person_swap_clip(
            shared_data / "videos/blink_talk_aoc.mp4",
            shared_data / "videos/talking_no_blink_lp_d20.mp4",
            folder / "swap.mp4",
        ),
    }


@pytest.fixture(scope="session")
def judged(shared_data: Path, simulated: dict[str, Path]):
    """judged(name, sequence) -> ClipVerdict, cached; a name without ".mp4" is simulated."""
    cache: dict[tuple[str, tuple[Action, ...]], ClipVerdict] = {}

    def judge(name: str, sequence: tuple[Action, ...] = ()) -> ClipVerdict:
        key = (name, sequence)
        if key not in cache:
            path = shared_data / "videos" / name if name.endswith(".mp4") else simulated[name]
            video = VideoInput(data=path.read_bytes(), limits=LIMITS, name="file")
            cache[key] = judge_clip(video, sequence=sequence)
        return cache[key]

    return judge
