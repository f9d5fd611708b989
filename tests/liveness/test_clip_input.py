"""Bad video input: each refused with a clear canonical error before any analysis."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from benchmarks import video_attacks
from contracts.errors import ErrorKind, IdfError
from contracts.images import VideoInput, VideoLimits
from engine.liveness import judge_clip


def refused(data: bytes, **limits) -> IdfError:
    with pytest.raises(IdfError) as err:
        judge_clip(VideoInput(data=data, limits=VideoLimits(**limits), name="file"))
    assert err.value.field == "file"
    return err.value


def test_not_a_video_empty_or_truncated_is_refused(shared_data):
    assert refused(b"\x00" * 4096).kind is ErrorKind.video_decode
    assert refused(b"").kind is ErrorKind.missing_param
    clip = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    assert refused(clip[:300]).kind is ErrorKind.video_decode


def test_a_still_image_sent_as_video_is_named(shared_data):
    error = refused((shared_data / "antispoof/live/jom_real_1.jpg").read_bytes())
    assert error.kind is ErrorKind.video_decode and "jpeg image is not a video" in error.detail


def test_limits_are_checked_from_the_container(shared_data):
    clip = (shared_data / "videos/blink_talk_aoc.mp4").read_bytes()
    assert refused(clip, max_seconds=5.0).kind is ErrorKind.bad_param
    assert refused(clip, max_side=500).kind is ErrorKind.image_size
    assert refused(clip, max_frame_count=100).kind is ErrorKind.image_too_large
    assert refused(clip, max_bytes=1000).kind is ErrorKind.image_too_large
    assert refused(clip, min_seconds=9.0).kind is ErrorKind.video_too_short


def write(path, frames, fps=12.0) -> bytes:
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path.read_bytes()


def test_a_clip_without_a_face_is_refused(shared_data, tmp_path):
    wall = video_attacks.backdrop(shared_data)
    error = refused(write(tmp_path / "wall.mp4", [wall] * 24))
    assert error.kind is ErrorKind.no_face


def test_a_clip_with_two_people_is_refused(shared_data, tmp_path):
    faces = [
        cv2.resize(cv2.imread(str(shared_data / "faces" / name)), (320, 400))
        for name in ("barack_obama/obama.jpg", "joe_biden/biden.jpg")
    ]
    pair = np.hstack(faces)
    error = refused(write(tmp_path / "pair.mp4", [pair] * 30))
    assert error.kind is ErrorKind.too_many_faces
