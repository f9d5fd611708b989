"""What a face grows or wears, read off fixed regions of the canonical head (engine.face._layout):
beard, glasses, mask position, hat, helmet. SenseTime §5.2 keys 2, 5, 6, 10 and 12.

No registry package ships classifiers for these, so each is a documented measurement with a
score in [0, 1] and a threshold; the rates measured on ../shared/data/faces (labelled by
looking) and on simulated accessories are in docs/sensetime-advanced.md and are reprinted by
`python -m benchmarks.advanced_attributes`. Luma and chroma are compared with the face's own
skin between the brows (the skin least often covered: not by masks, glasses or beards), so the
measures do not depend on exposure or complexion.

- beard: the chin and the upper lip are darker than the skin. score = ramp of 1 − their mean
  luma ratio. Stubble on very dark skin and white beards on pale skin are near the threshold.
- glasses: a frame's bridge crosses between the eyes: a thin line with strong second
  derivatives where skin is smooth (mean |Laplacian| of the bridge over the skin luma).
  Sunglasses (value 2): a frame, or both eye regions dark (under 0.45 of the skin) and flat.
- mask position: when engine.face._attributes finds the mouth covered, the nostrils' region
  still shows skin (nose exposed, 1) or not (normal, 0); when it sees the lips but a smooth
  surface that is not skin covers the chin, the mask is pulled under the mouth (2).
- cheeks (quality's occlusion): skin-coloured and skin-bright, compared with the brows' skin.
- hat: the crown above the forehead is covered by one smooth surface (a hat is cloth or felt;
  hair is strands, with high texture) that is not skin, spanning the head's width.
- helmet: a hat whose surface also comes down beside the eyes (temples), as a shell does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import cv2
import numpy as np

from engine.face import _layout as layout

BEARD_FROM = 0.5
GLASSES_FROM = 0.5
HAT_FROM = 0.5
HELMET_FROM = 0.5
_BEARD_DARKNESS = (0.28, 0.40)  # 1 − luma ratio of chin and upper lip: bare … bearded
_BRIDGE_TEXTURE = (5.0, 7.0)  # mean |Laplacian| of the bridge, % of skin luma
_DARK_LENS = (0.45, 0.30)  # eye-region luma ratio: ordinary … sunglasses
_FLAT_LENS = (4.0, 2.5)  # eye-region texture: ordinary … flat lens
_SMOOTH = (3.0, 1.5)  # texture of chin or temples: skin, beard or hair … cloth or shell
_SMOOTH_CROWN = (1.2, 0.6)  # crown texture: hair (dark hair is smooth too) … cloth or shell
_NOT_SKIN = (18.0, 30.0)  # chroma distance from the skin
_NOSE_SKIN = (22.0, 12.0)  # chroma distance of the nostrils' region from the skin: cloth … skin
NOSE: layout.Region = (118, 134, 84, 108)


class Glasses(IntEnum):
    none = 0
    clear = 1
    sunglasses = 2


class MaskPosition(IntEnum):
    normal = 0
    nose_exposed = 1
    mouth_exposed = 2


@dataclass(frozen=True)
class Appearance:
    beard: bool
    beard_score: float
    glasses: Glasses
    glasses_score: float  # belief in the reported value
    hat: bool
    hat_score: float
    helmet: bool
    helmet_score: float


@dataclass(frozen=True)
class Head:
    """The canonical head in YCrCb and the measures every attribute shares."""

    ycc: np.ndarray
    texture: np.ndarray  # |Laplacian| of lightly smoothed luma
    skin_luma: float
    skin_chroma: np.ndarray

    @classmethod
    def of(cls, rgb: np.ndarray, points5: np.ndarray) -> Head:
        ycc = cv2.cvtColor(layout.canonical(rgb, points5), cv2.COLOR_RGB2YCrCb).astype(np.float32)
        luma = ycc[..., 0]
        texture = np.abs(cv2.Laplacian(cv2.GaussianBlur(luma, (0, 0), 0.8), cv2.CV_32F))
        skin = layout.region(ycc, layout.BETWEEN_BROWS).reshape(-1, 3)
        return cls(
            ycc=ycc,
            texture=texture,
            skin_luma=max(float(np.median(skin[:, 0])), 16.0),
            skin_chroma=np.median(skin[:, 1:], axis=0),
        )

    def luma(self, where: layout.Region) -> float:
        """Median luma of a region relative to the skin's."""
        return float(np.median(layout.region(self.ycc[..., 0], where))) / self.skin_luma

    def roughness(self, where: layout.Region) -> float:
        """Mean |Laplacian| of a region in % of the skin's luma."""
        return 100.0 * float(layout.region(self.texture, where).mean()) / self.skin_luma

    def chroma_distance(self, where: layout.Region) -> float:
        chroma = np.median(layout.region(self.ycc, where).reshape(-1, 3)[:, 1:], axis=0)
        return float(np.linalg.norm(chroma - self.skin_chroma))


def measure(rgb: np.ndarray, points5: np.ndarray) -> Appearance:
    """Beard, glasses, hat and helmet of the face with MTCNN points `points5` in upright `rgb`."""
    head = Head.of(rgb, points5)
    beard = beard_score(head)
    glasses, glasses_score = glasses_of(head)
    hat = hat_score(head)
    helmet = hat * helmet_score(head)
    return Appearance(
        beard=beard >= BEARD_FROM,
        beard_score=beard,
        glasses=glasses,
        glasses_score=glasses_score,
        hat=hat >= HAT_FROM,
        hat_score=hat,
        helmet=helmet >= HELMET_FROM,
        helmet_score=helmet,
    )


def beard_score(head: Head) -> float:
    darkness = 1.0 - (head.luma(layout.CHIN) + head.luma(layout.UPPER_LIP)) / 2
    return _ramp(darkness, *_BEARD_DARKNESS)


def glasses_of(head: Head) -> tuple[Glasses, float]:
    frame = _ramp(head.roughness(layout.BRIDGE), *_BRIDGE_TEXTURE)
    eyes = (layout.LEFT_EYE, layout.RIGHT_EYE)
    lens = min(
        _ramp(head.luma(eye), *_DARK_LENS) * _ramp(head.roughness(eye), *_FLAT_LENS) for eye in eyes
    )
    if lens >= GLASSES_FROM:
        return Glasses.sunglasses, lens
    if frame >= GLASSES_FROM:
        return Glasses.clear, frame
    return Glasses.none, 1.0 - max(frame, lens)


def mask_position(rgb: np.ndarray, points5: np.ndarray, worn: bool) -> MaskPosition | None:
    """Where a mask sits, or None when there is none: over nose and mouth, below the nose, or
    pulled under the mouth (on the chin, where engine.face._attributes sees bare lips).

    `worn` is engine.face._attributes' verdict for the mouth."""
    head = Head.of(rgb, points5)
    if worn:
        nose_skin = _ramp(head.chroma_distance(NOSE), *_NOSE_SKIN)
        return MaskPosition.nose_exposed if nose_skin >= 0.5 else MaskPosition.normal
    if chin_cover(head) >= 0.5:
        return MaskPosition.mouth_exposed
    return None


def chin_cover(head: Head) -> float:
    """A smooth surface that is not skin over the chin."""
    smooth = _ramp(head.roughness(layout.CHIN), *_SMOOTH)
    return smooth * _ramp(head.chroma_distance(layout.CHIN), *_NOT_SKIN)


def cheeks(rgb: np.ndarray, points5: np.ndarray) -> tuple[float, float]:
    """Visibility of the image-left and image-right cheek, 1 bare … 0 covered: skin-coloured
    (chroma within `_NOT_SKIN` of the skin between the brows) and of skin-like luma."""
    head = Head.of(rgb, points5)
    left, right = (
        (1.0 - _ramp(head.chroma_distance(where), *_NOT_SKIN))
        * (1.0 - _ramp(abs(1.0 - head.luma(where)), 0.45, 0.7))
        for where in (layout.LEFT_CHEEK, layout.RIGHT_CHEEK)
    )
    return left, right


def hat_score(head: Head) -> float:
    smooth = _ramp(head.roughness(layout.ABOVE_HEAD), *_SMOOTH_CROWN)
    covered = _ramp(head.chroma_distance(layout.ABOVE_HEAD), *_NOT_SKIN) or _ramp(
        abs(1.0 - head.luma(layout.ABOVE_HEAD)), 0.35, 0.6
    )
    return smooth * covered


def helmet_score(head: Head) -> float:
    crown = np.median(layout.region(head.ycc, layout.ABOVE_HEAD).reshape(-1, 3), axis=0)
    sides = []
    for temple in (layout.TEMPLE_LEFT, layout.TEMPLE_RIGHT):
        pixels = layout.region(head.ycc, temple).reshape(-1, 3)
        same = float(np.linalg.norm(np.median(pixels, axis=0) - crown))
        sides.append(_ramp(25.0 - same, 0.0, 10.0) * _ramp(head.roughness(temple), *_SMOOTH))
    return min(sides)


def _ramp(value: float, low: float, high: float) -> float:
    """0 at `low`, 1 at `high`, linear between (`high` may be below `low`)."""
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))
