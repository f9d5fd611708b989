import cv2
import numpy as np
import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.images import VideoInput, VideoLimits
from engine.media import _video as video_module
from engine.media import decode_video, sniff_video_format


def test_frames_are_sampled_evenly_with_timestamps(shared_data):
    data = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    video = decode_video(VideoInput(data=data, limits=VideoLimits(max_frames=8)))
    assert len(video.frames) == 8
    assert (video.width, video.height) == (480, 270)
    assert video.duration == pytest.approx(5.16, abs=0.1)
    stamps = [f.timestamp for f in video.frames]
    assert stamps == sorted(stamps) and stamps[0] == 0.0 and stamps[-1] > 4.5
    assert video.frames[0].image.pixels.shape == (270, 480, 3)


def test_too_short_video_is_refused(shared_data):
    data = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=data, limits=VideoLimits(min_seconds=10)))
    assert err.value.kind is ErrorKind.video_too_short


def test_non_video_and_truncated_video_are_refused(shared_data):
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=b"GIF89a" + b"\x00" * 100))
    assert err.value.kind is ErrorKind.video_decode
    data = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=data[:200]))
    assert err.value.kind is ErrorKind.video_decode


def test_oversized_video_is_refused_before_decoding():
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=b"\x00" * 2000, limits=VideoLimits(max_bytes=1000)))
    assert err.value.kind is ErrorKind.image_too_large


def test_container_is_named_by_its_magic_bytes():
    assert sniff_video_format(b"\x00\x00\x00\x18ftypmp42") == "mp4"
    assert sniff_video_format(b"\x00\x00\x00\x14ftypqt  ") == "mov"
    assert sniff_video_format(b"RIFF\x00\x00\x00\x00AVI LIST") == "avi"
    assert sniff_video_format(b"\x1a\x45\xdf\xa3") == "webm"


def _clip(path, width: int, height: int, frames: int) -> bytes:
    """An mp4 of `frames` grey frames of width x height."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (width, height))
    frame = np.full((height, width, 3), 120, np.uint8)
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path.read_bytes()


def _no_decoding(monkeypatch):
    """Fail the test if any frame is decoded."""

    def refuse(*args, **kwargs):
        raise AssertionError("a frame was decoded before the header check")

    monkeypatch.setattr(video_module, "_read_frames", refuse)


def test_frames_wider_than_a_still_image_are_refused_before_decoding(tmp_path, monkeypatch):
    data = _clip(tmp_path / "wide.mp4", 5008, 16, 3)
    _no_decoding(monkeypatch)
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=data))
    assert err.value.kind is ErrorKind.image_size


def test_frame_size_and_count_come_from_the_container(shared_data, monkeypatch):
    data = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    _no_decoding(monkeypatch)
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=data, limits=VideoLimits(max_side=400)))
    assert err.value.kind is ErrorKind.image_size
    with pytest.raises(IdfError) as err:
        decode_video(VideoInput(data=data, limits=VideoLimits(max_frame_count=20)))
    assert err.value.kind is ErrorKind.image_too_large
    with pytest.raises(IdfError) as err:
        limits = VideoLimits(max_decoded_pixels=480 * 270 * 30)
        decode_video(VideoInput(data=data, limits=limits))
    assert err.value.kind is ErrorKind.image_too_large


def test_kept_frames_are_shrunk_to_the_keep_size(shared_data):
    data = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    limits = VideoLimits(max_frames=4, keep_max_side=240)
    video = decode_video(VideoInput(data=data, limits=limits))
    assert (video.width, video.height) == (480, 270)
    assert {f.image.pixels.shape for f in video.frames} == {(135, 240, 3)}
    assert {f.scale for f in video.frames} == {0.5}
