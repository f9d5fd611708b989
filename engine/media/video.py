"""Video: sniff the container, then sample frames evenly with their timestamps.

OpenCV's FFmpeg backend reads from a path, so the bytes go to a private temporary file that is
removed as soon as the frames are read. Only a bounded sample of frames is kept.
"""

from __future__ import annotations

import os
import tempfile

import cv2
import numpy as np

from contracts.errors import ErrorKind, IdfError
from contracts.images import DecodedImage, DecodedVideo, VideoFrame, VideoInput
from engine.media.magic import Signature, sniff

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
    if not inp.data:
        raise IdfError(ErrorKind.missing_param, "video is empty", field=field)
    if len(inp.data) > limits.max_bytes:
        raise IdfError(
            ErrorKind.image_too_large,
            f"video is {len(inp.data)} bytes, over the limit of {limits.max_bytes}",
            field=field,
        )
    fmt = sniff_video_format(inp.data)
    if fmt is None or fmt not in limits.formats:
        raise IdfError(
            ErrorKind.video_decode, f"video type {fmt or 'unknown'} is not supported", field=field
        )
    fd, path = tempfile.mkstemp(suffix=f".{fmt}")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(inp.data)
        video = _sample(path, limits.max_frames, field)
    finally:
        os.unlink(path)
    if video.duration < limits.min_seconds:
        raise IdfError(
            ErrorKind.video_too_short,
            f"video lasts {video.duration:.2f}s, under {limits.min_seconds}s",
            field=field,
        )
    return video


def _sample(path: str, max_frames: int, field: str | None) -> DecodedVideo:
    capture = cv2.VideoCapture(path)
    try:
        if not capture.isOpened():
            raise IdfError(ErrorKind.video_decode, "video cannot be opened", field=field)
        fps = float(capture.get(cv2.CAP_PROP_FPS)) or 0.0
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        wanted = _frame_indices(count, max_frames)
        frames = _read_frames(capture, wanted, fps)
    finally:
        capture.release()
    if not frames:
        raise IdfError(ErrorKind.video_decode, "video has no readable frames", field=field)
    first = frames[0].image
    total = count if count > 0 else frames[-1].index + 1
    return DecodedVideo(
        frames=frames,
        duration=total / fps if fps > 0 else 0.0,
        fps=fps,
        frame_count=total,
        width=first.width,
        height=first.height,
    )


_UNKNOWN_LENGTH_SAMPLE = 32


def _frame_indices(count: int, max_frames: int) -> set[int] | None:
    """Evenly spaced frame numbers; None when the container does not say how many there are."""
    if count <= 0:
        return None
    n = min(count, max_frames)
    return {int(i) for i in np.linspace(0, count - 1, n).round()}


def _read_frames(
    capture: cv2.VideoCapture, wanted: set[int] | None, fps: float
) -> list[VideoFrame]:
    """Read sequentially (seeking is unreliable across codecs), keeping only wanted frames.

    Without a frame count, every `stride`-th frame is kept and the stride doubles whenever
    twice the sample size has piled up, so memory stays bounded on any length of video.
    """
    frames: list[VideoFrame] = []
    budget = len(wanted) if wanted else _UNKNOWN_LENGTH_SAMPLE
    last = max(wanted) if wanted else None
    stride, index = 1, 0
    while last is None or index <= last:
        if not capture.grab():
            break
        keep = index in wanted if wanted is not None else index % stride == 0
        if keep:
            ok, pixels = capture.retrieve()
            if ok and pixels is not None:
                image = DecodedImage(pixels=pixels, format="frame")
                timestamp = index / fps if fps else 0.0
                frames.append(VideoFrame(image=image, index=index, timestamp=timestamp))
            if wanted is None and len(frames) >= 2 * budget:
                frames, stride = frames[::2], stride * 2
        index += 1
    if len(frames) > budget:
        picks = np.linspace(0, len(frames) - 1, budget).round().astype(int)
        frames = [frames[i] for i in picks]
    return frames
