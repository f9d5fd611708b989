"""Image and video inputs, the limits they are checked against, and decoded pixels.

Limits are data, not constants, because each vendor's manual sets its own (SenseTime: 5 MB and
sides in (8, 5000] px, seed 000 §1.2); the facade passes its limits with the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

IMAGE_FORMATS = frozenset({"jpeg", "png", "bmp", "tiff", "webp"})
VIDEO_FORMATS = frozenset({"mp4", "avi", "mov", "webm", "wmv", "rm", "mkv", "flv"})


class ImageLimits(BaseModel):
    """What an image must satisfy before it is decoded in full."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = 5 * 1024 * 1024
    min_side: int = Field(8, description="width and height must be greater than this")
    max_side: int = Field(5000, description="width and height must be at most this")
    max_pixels: int = 40_000_000
    formats: frozenset[str] = IMAGE_FORMATS


class VideoLimits(BaseModel):
    """What a video must satisfy; frames are sampled, never all kept.

    Frame size and count are read from the container before any frame is decoded: a few MB
    of MP4 can hold frames of 8000x8000 px, so the byte limit alone bounds nothing. Frames are
    decoded in sequence, so `max_decoded_pixels` bounds the work of one video; kept frames
    are shrunk to `keep_max_side` so the sample's memory stays small.
    """

    model_config = ConfigDict(frozen=True)

    max_bytes: int = 20 * 1024 * 1024
    min_seconds: float = 0.0
    max_seconds: float = 15.0  # streamed clips (engine.media._clip): longer is refused
    max_frames: int = 32
    formats: frozenset[str] = VIDEO_FORMATS
    max_side: int = 5000
    max_pixels: int = 40_000_000
    max_frame_count: int = 3000
    max_decoded_pixels: int = 3_000_000_000
    keep_max_side: int = 1920


class ImageInput(BaseModel):
    """Raw image bytes as a caller sent them, with the limits that apply to this call."""

    model_config = ConfigDict(frozen=True)

    data: bytes
    limits: ImageLimits = ImageLimits()
    name: str | None = None  # the parameter it came from, for error messages


class VideoInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    data: bytes
    limits: VideoLimits = VideoLimits()
    name: str | None = None


@dataclass(frozen=True, eq=False)
class DecodedImage:
    """Pixels after validation and EXIF orientation: BGR uint8, H×W×3 (OpenCV's order)."""

    pixels: np.ndarray
    format: str  # one of IMAGE_FORMATS
    source_bytes: int = 0

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


@dataclass(frozen=True, eq=False)
class VideoFrame:
    image: DecodedImage
    index: int
    timestamp: float  # seconds from the start
    scale: float = 1.0  # kept pixels over the container's, below 1 when a large frame shrank


@dataclass(frozen=True, eq=False)
class DecodedVideo:
    frames: list[VideoFrame] = field(default_factory=list)
    duration: float = 0.0
    fps: float = 0.0
    frame_count: int = 0
    width: int = 0
    height: int = 0
