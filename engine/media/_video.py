"""Video: sniff the container, then sample frames evenly with their timestamps.

OpenCV's FFmpeg backend reads from a path, so the bytes go to a private temporary file that is
removed as soon as the frames are read. Frame size and count come from the container header
(what opening the file reads) and are checked before the first frame is decoded; only a bounded
sample of frames is kept, shrunk to `keep_max_side`.
"""

from __future__ import annotations

import os
import tempfile

import cv2
import numpy as np

from contracts.errors import ErrorKind, IdfError
from contracts.images import DecodedImage, DecodedVideo, VideoFrame, VideoInput, VideoLimits
from engine.media._magic import Signature, sniff

_SIGNATURES: tuple[Signature, ...] = (
    (((4, b"ftypqt"),), "mov"),
    (((4, b"ftyp"),), "mp4"),
    (((0, b"RIFF"), (8, b"AVI ")), "avi"),
    (((0, b"\x1a\x45\xdf\xa3"),), "webm"),
    (((0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"),), "wmv"),
    (((0, b".RMF"),), "rm"),
    (((0, b"FLV\x01"),), "flv"),
)


def sniff_video_format(data: bytes) -> str | None:
    """The container named by the file's magic bytes."""
    return sniff(data, _SIGNATURES)


def decode_video(inp: VideoInput) -> DecodedVideo:
    """Validate a video and return up to `limits.max_frames` frames spread over its length."""
    limits, field = inp.limits, inp.name
    _check_bytes(inp)
    fmt = sniff_video_format(inp.data)
    if fmt is None or fmt not in limits.formats:
        raise IdfError(
            ErrorKind.video_decode, f"video type {fmt or 'unknown'} is not supported", field=field
        )
    fd, path = tempfile.mkstemp(suffix=f".{fmt}")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(inp.data)
        video = _sample(path, limits, field)
    finally:
        os.unlink(path)
    if video.duration < limits.min_seconds:
        raise IdfError(
            ErrorKind.video_too_short,
            f"video lasts {video.duration:.2f}s, under {limits.min_seconds}s",
            field=field,
        )
    return video


def _sample(path: str, limits: VideoLimits, field: str | None) -> DecodedVideo:
    capture = cv2.VideoCapture(path)
    try:
        if not capture.isOpened():
            raise IdfError(ErrorKind.video_decode, "video cannot be opened", field=field)
        fps = float(capture.get(cv2.CAP_PROP_FPS)) or 0.0
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        _check_header(width, height, count, limits, field)
        wanted = _frame_indices(count, limits.max_frames)
        budget = _frame_budget(width, height, limits)
        frames = _read_frames(capture, wanted, fps, budget, limits.keep_max_side, field)
    finally:
        capture.release()
    if not frames:
        raise IdfError(ErrorKind.video_decode, "video has no readable frames", field=field)
    total = count if count > 0 else frames[-1].index + 1
    return DecodedVideo(
        frames=frames,
        duration=total / fps if fps > 0 else 0.0,
        fps=fps,
        frame_count=total,
        width=width or frames[0].image.width,
        height=height or frames[0].image.height,
    )


def _check_bytes(inp: VideoInput) -> None:
    """Refuse an empty clip or one over `max_bytes` before anything reads it."""
    limits, field = inp.limits, inp.name
    if not inp.data:
        raise IdfError(ErrorKind.missing_param, "video is empty", field=field)
    if len(inp.data) > limits.max_bytes:
        raise IdfError(
            ErrorKind.image_too_large,
            f"video is {len(inp.data)} bytes, over the limit of {limits.max_bytes}",
            field=field,
        )


def _check_header(
    width: int, height: int, count: int, limits: VideoLimits, field: str | None
) -> None:
    """Refuse frames larger than a still image may be, and more frames than may be decoded."""
    if width > limits.max_side or height > limits.max_side or width * height > limits.max_pixels:
        raise IdfError(
            ErrorKind.image_size,
            f"video frames are {width}x{height}; width and height must be at most "
            f"{limits.max_side}px and {limits.max_pixels} pixels",
            field=field,
        )
    if count > _frame_budget(width, height, limits):
        raise IdfError(
            ErrorKind.image_too_large,
            f"video has {count} frames of {width}x{height}, more than may be decoded",
            field=field,
        )


def _frame_budget(width: int, height: int, limits: VideoLimits) -> int:
    """How many frames of this size may be decoded: the count cap and the pixel budget."""
    per_frame = max(width * height, 1)
    return min(limits.max_frame_count, limits.max_decoded_pixels // per_frame)


def _shrink(pixels: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Pixels at most `max_side` px on the longer side (area interpolation), and the scale."""
    height, width = pixels.shape[:2]
    longer = max(width, height)
    if longer <= max_side:
        return pixels, 1.0
    scale = max_side / longer
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), scale


_UNKNOWN_LENGTH_SAMPLE = 32


def _frame_indices(count: int, max_frames: int) -> set[int] | None:
    """Evenly spaced frame numbers; None when the container does not say how many there are."""
    if count <= 0:
        return None
    n = min(count, max_frames)
    return {int(i) for i in np.linspace(0, count - 1, n).round()}


def _read_frames(
    capture: cv2.VideoCapture,
    wanted: set[int] | None,
    fps: float,
    max_count: int,
    keep_max_side: int,
    field: str | None,
) -> list[VideoFrame]:
    """Read sequentially (seeking is unreliable across codecs), keeping only wanted frames.

    Without a frame count, every `stride`-th frame is kept and the stride doubles whenever
    twice the sample size has piled up, so memory stays bounded on any length of video; a
    container whose count was missing or wrong is refused once `max_count` frames are read.
    """
    frames: list[VideoFrame] = []
    budget = len(wanted) if wanted else _UNKNOWN_LENGTH_SAMPLE
    last = max(wanted) if wanted else None
    stride, index = 1, 0
    while last is None or index <= last:
        if index >= max_count:
            raise IdfError(
                ErrorKind.image_too_large, "video has more frames than may be decoded", field=field
            )
        if not capture.grab():
            break
        keep = index in wanted if wanted is not None else index % stride == 0
        if keep:
            ok, pixels = capture.retrieve()
            if ok and pixels is not None:
                small, scale = _shrink(pixels, keep_max_side)
                image = DecodedImage(pixels=small, format="frame")
                timestamp = index / fps if fps else 0.0
                frames.append(VideoFrame(image, index, timestamp, scale))
            if wanted is None and len(frames) >= 2 * budget:
                frames, stride = frames[::2], stride * 2
        index += 1
    if len(frames) > budget:
        picks = np.linspace(0, len(frames) - 1, budget).round().astype(int)
        frames = [frames[i] for i in picks]
    return frames
