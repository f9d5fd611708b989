"""Detected faces: boxes, landmarks, pose and quality, in both image frames.

When a caller asks for rotation search, the engine finds the orientation in which faces stand
upright. `box`/`landmarks5` are then in the *input* image's frame and `revised_box`/
`revised_landmarks5` in the upright frame (SenseTime's `vertex` and `revisedVertex`, seed 000
§2.1). Without rotation both are the same.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Point(BaseModel):
    model_config = ConfigDict(frozen=True)

    x: float
    y: float


class Box(BaseModel):
    """Axis-aligned box in pixels: left/top inclusive, right/bottom exclusive."""

    model_config = ConfigDict(frozen=True)

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)


class Pose(BaseModel):
    """Head pose in degrees: yaw (turn, + to the subject's left), pitch (+ up), roll (tilt)."""

    model_config = ConfigDict(frozen=True)

    yaw: float
    pitch: float
    roll: float


class Lighting(BaseModel):
    """Luma statistics over the face (0..255): SenseTime's `light` (seed 000, advanced quality)."""

    model_config = ConfigDict(frozen=True)

    mean: float
    variance: float
    dark_fraction: float = Field(description="share of face pixels darker than 80")
    glare_fraction: float = Field(description="share of face pixels brighter than 200")


class Quality(BaseModel):
    """Measurements that decide whether a face is good enough to compare.

    Ranges: `sharpness`, `brightness`, `eyes_open`, `mouth_closed` in [0, 1] where 1 is the
    desirable end (sharp, well lit, eyes open, mouth closed); `eye_aspect` and `mouth_aspect`
    are the raw landmark ratios behind them.
    """

    model_config = ConfigDict(frozen=True)

    pose: Pose
    sharpness: float
    brightness: float
    eyes_open: float
    mouth_closed: float
    eye_aspect: float
    mouth_aspect: float
    occlusion: tuple[bool, ...] = Field(
        default=(), description="per 5-point landmark: True where the point looks occluded"
    )
    score: float = Field(0.0, description="overall quality in [0, 1] for picking a best face")
    lighting: Lighting | None = None
    eye_openness: tuple[float, ...] = Field(
        default=(), description="per eye (image left, image right), on the scale of eyes_open"
    )
    visibility: tuple[float, ...] = Field(
        default=(), description="per 5-point landmark in [0, 1], 1 = clearly visible"
    )


class Face(BaseModel):
    """One detected face. Landmark order for 5 points: left eye, right eye, nose, mouth left,
    mouth right (image left/right, as MTCNN emits them)."""

    model_config = ConfigDict(frozen=True)

    index: int
    box: Box
    score: float
    landmarks5: tuple[Point, ...]
    revised_box: Box
    revised_landmarks5: tuple[Point, ...]
    landmarks68: tuple[Point, ...] = ()  # upright frame, filled where asked for
    quality: Quality | None = None


class Detection(BaseModel):
    """All faces of one image. `rotation` is the clockwise quarter-turns (0..3) applied to the
    input to make faces upright; `width`/`height` are of the upright image."""

    model_config = ConfigDict(frozen=True)

    faces: tuple[Face, ...]
    rotation: int = 0
    width: int
    height: int

    def largest(self) -> Face | None:
        return max(self.faces, key=lambda f: f.box.area, default=None)
