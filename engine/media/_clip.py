"""A video clip read as a stream: the container is checked before any frame is decoded, then
frames come one at a time at a steady rate, so memory does not grow with the clip's length.

OpenCV's FFmpeg backend reads from a path, so the bytes go to a private temporary file (0600)
that is removed when the clip is closed. What the container declares (frame size, frame
count, frame rate) is checked against the limits first; a container that does not declare
its length is still cut off at `max_seconds` while reading, so a lying header gains nothing.
Frames are picked by their presentation time (variable-frame-rate phone clips keep an even
pace), and frames wider or taller than `WORK_SIDE` are shrunk, which keeps a 4K clip's
analysis at the cost of a 720p one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import cv2

from contracts.errors import ErrorKind, IdfError
from contracts.images import DecodedImage, VideoFrame, VideoInput, VideoLimits
from engine.media._images import sniff_image_format
from engine.media._video import (
    _check_bytes,
    _check_header,
    _frame_budget,
    _shrink,
    sniff_video_format,
)

_SLACK = 0.5  # seconds a clip may run past `max_seconds` (rounding of declared durations)


@dataclass(frozen=True)
class ClipInfo:
    """What the container declares; `frame_count` and `fps` are 0 when it does not say."""

    format: str
    width: int
    height: int
    fps: float
    frame_count: int

    @property
    def duration(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 and self.frame_count > 0 else 0.0


@dataclass
class Clip:
    info: ClipInfo
    capture: cv2.VideoCapture
    limits: VideoLimits
    field: str | None
    elapsed: float = 0.0  # seconds read so far: the last frame's time plus its duration

    def frames(self, fps: float) -> Iterator[VideoFrame]:
        """Frames about 1/fps apart by presentation time, shrunk to `keep_max_side`; refused
        past `max_seconds` or once more frames were read than may be decoded."""
        step, due, index = 1.0 / fps, 0.0, 0
        last = -1.0
        budget = _frame_budget(self.info.width, self.info.height, self.limits)
        while self.capture.grab():
            if index >= budget:
                raise IdfError(
                    ErrorKind.image_too_large,
                    "video has more frames than may be decoded",
                    field=self.field,
                )
            stamp = self._timestamp(index, last)
            last = stamp
            self.elapsed = stamp + (1.0 / self.info.fps if self.info.fps > 0 else 0.0)
            if stamp > self.limits.max_seconds + _SLACK:
                raise _too_long(stamp, self.limits, self.field)
            if stamp + 1e-6 >= due:
                ok, pixels = self.capture.retrieve()
                if ok and pixels is not None:
                    due = max(due + step, stamp + step / 2)
                    small, scale = _shrink(pixels, self.limits.keep_max_side)
                    image = DecodedImage(pixels=small, format="frame")
                    yield VideoFrame(image, index, stamp, scale)
            index += 1

    def _timestamp(self, index: int, last: float) -> float:
        """The frame's presentation time; frame number over frame rate where the container
        gives no time, and never earlier than the previous frame."""
        msec = float(self.capture.get(cv2.CAP_PROP_POS_MSEC))
        stamp = msec / 1000.0 if msec > 0 or index == 0 else -1.0
        if stamp < 0 and self.info.fps > 0:
            stamp = index / self.info.fps
        return max(stamp, last)


@contextmanager
def open_clip(inp: VideoInput) -> Iterator[Clip]:
    """Check the bytes and the container, and open the clip for streaming.

    Raises `missing_param` for empty data, `image_too_large` over `max_bytes` or for more
    frames than may be decoded, `video_decode` for data that is not a video of an accepted
    format (a still image is named as such) or cannot be opened, `image_size` for frames over
    the still-image limits, and `bad_param` for a clip longer than `max_seconds`.
    """
    limits, field = inp.limits, inp.name
    _check_bytes(inp)
    fmt = _format(inp.data, limits, field)
    fd, path = tempfile.mkstemp(suffix=f".{fmt}")
    capture = None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(inp.data)
        capture = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
        if not capture.isOpened():
            raise IdfError(ErrorKind.video_decode, "video cannot be opened", field=field)
        info = ClipInfo(
            format=fmt,
            width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            fps=max(float(capture.get(cv2.CAP_PROP_FPS)), 0.0),
            frame_count=max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 0),
        )
        check_container(info, limits, field)
        yield Clip(info, capture, limits, field)
    finally:
        if capture is not None:
            capture.release()
        os.unlink(path)


def check_container(info: ClipInfo, limits: VideoLimits, field: str | None) -> None:
    """Refuse, before decoding, what the container says is too big or too long: frame size
    and count as every video is checked (engine.media._video), then the duration."""
    if info.width <= 0 or info.height <= 0:
        raise IdfError(ErrorKind.video_decode, "video declares no frame size", field=field)
    _check_header(info.width, info.height, info.frame_count, limits, field)
    if info.duration > limits.max_seconds + _SLACK:
        raise _too_long(info.duration, limits, field)


def _format(data: bytes, limits: VideoLimits, field: str | None) -> str:
    fmt = sniff_video_format(data)
    if fmt is not None and fmt in limits.formats:
        return fmt
    image = sniff_image_format(data)
    if image is not None:
        detail = f"a {image} image is not a video"
    else:
        detail = f"video type {fmt or 'unknown'} is not supported"
    raise IdfError(ErrorKind.video_decode, detail, field=field)


def _too_long(seconds: float, limits: VideoLimits, field: str | None) -> IdfError:
    return IdfError(
        ErrorKind.bad_param,
        f"video lasts {seconds:.1f} s, over the limit of {limits.max_seconds:g} s",
        field=field,
    )
