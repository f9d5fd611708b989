"""Liveness verdicts: passive checks on still frames, single images, and video clips.

Each passive check turns a frame into a score in [0, 1], larger meaning more like the attack or
the condition it looks for; a frame is refused when its score reaches the threshold of the
chosen operating point. The operating points were set on ../shared/data/antispoof, and
docs/liveness.md gives their measured pass and false-alarm rates and what each check cannot
see. Images and clips are judged as an attack score in [0, 1] (`ATTACK_THRESHOLD` and above
is an attack); contracts.liveness_scores puts it on each vendor's scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from contracts.faces import Box
from contracts.images import DecodedImage


class SpoofCheck(StrEnum):
    screen = "screen"  # a face shown on a phone, tablet or monitor: moiré, a device's bezel
    low_light = "low_light"  # too dark to see the face
    printed_photo = "printed_photo"  # a printed photograph: flat, soft, low-contrast texture
    eye_occlusion = "eye_occlusion"  # eyes covered by a hand, glasses, hair
    cutout = "cutout"  # a photograph with holes cut at the eyes, worn as a mask


class Strictness(StrEnum):
    """Operating points: `strict` refuses more attacks and more genuine frames."""

    strict = "strict"
    normal = "normal"
    lenient = "lenient"


class CheckRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    check: SpoofCheck
    strictness: Strictness = Strictness.normal


class CheckResult(BaseModel):
    """The verdict of one check over all frames: the worst frame decides.

    `valid` is False when no frame let the check run (most checks need a face, the eye checks
    its landmarks); `passed` is then False too, so that nothing unchecked passes.
    """

    model_config = ConfigDict(frozen=True)

    check: SpoofCheck
    strictness: Strictness
    valid: bool
    passed: bool
    score: float = Field(ge=0.0, le=1.0)
    threshold: float


# --- video and single-image liveness --------------------------------------------------------


class Action(StrEnum):
    """The actions an interactive check asks for (seed 000 §4.2 `sequence`)."""

    blink = "blink"  # both eyes close and open again
    mouth = "mouth"  # the mouth opens and closes again
    nod = "nod"  # the head pitches down (or up) and back
    yaw = "yaw"  # the head turns to one side and to the other (a shake)


class ActionEvent(BaseModel):
    """One action found in a clip: when it started and ended (seconds from the start of the
    clip), the frame that shows it best (`peak`), and how clearly it happened in [0, 1]."""

    model_config = ConfigDict(frozen=True)

    action: Action
    start: float
    end: float
    peak: float
    confidence: float = Field(ge=0.0, le=1.0)


class ClipOptions(BaseModel):
    """How a clip is sampled and what counts as an action.

    The amplitudes are relative to the subject's own baseline (their open eyes, closed mouth
    and resting head pose in the clip), so they hold across faces, cameras and frame rates.
    """

    model_config = ConfigDict(frozen=True)

    fps: float = Field(12.0, ge=5.0, le=30.0, description="frames analysed per second")
    nod_degrees: float = Field(10.0, gt=0.0, le=45.0, description="pitch away from rest")
    yaw_degrees: float = Field(15.0, gt=0.0, le=60.0, description="yaw each way from rest")
    key_frames: int = Field(1, ge=0, le=8, description="frames kept for a clip without actions")


class SilentEvidence(BaseModel):
    """What the silent checks saw, each as attack-likeness in [0, 1] (None: not measurable in
    this clip, e.g. a planarity test needs the head to move). docs/liveness.md says what each
    catches and what it cannot."""

    model_config = ConfigDict(frozen=True)

    planarity: float | None = None  # landmark motion explained by one homography (a flat face)
    background: float | None = None  # the face's surroundings move with it (one rigid plane)
    passive: float | None = None  # the per-frame checks: screen bezel or moiré, print texture
    stillness: float | None = None  # no micro-motion and no spontaneous blink
    blinks: int = 0  # spontaneous blinks seen


@dataclass(frozen=True, eq=False)
class KeyFrame:
    """A frame shown back to the caller: the upright frame, the subject's box in it, and its
    time in seconds from the start of the clip."""

    image: DecodedImage
    box: Box
    timestamp: float


@dataclass(frozen=True, eq=False)
class ClipVerdict:
    """The liveness of one clip.

    `attack_score` is in [0, 1], larger meaning more like a presentation attack; the engine's
    own operating point is `ATTACK_THRESHOLD` (contracts.liveness_scores maps it onto each
    vendor's scale). `live` is the whole verdict: not an attack, the same person throughout,
    and, when a `sequence` was asked for, every action of it done in that order.
    """

    live: bool
    attack_score: float
    person_changed: bool
    subject_lost: bool
    sequence: tuple[Action, ...]
    sequence_done: bool | None  # None when no sequence was asked for
    actions: tuple[ActionEvent, ...]  # every action found, in time order
    matched: tuple[ActionEvent, ...]  # the events that satisfied `sequence`, in its order
    silent: SilentEvidence
    key_frames: tuple[KeyFrame, ...]
    rotation: int
    duration: float
    frames: int  # frames analysed
    reason: str = ""  # why `live` is False, for people (logs, docs), never parsed

    @property
    def blinked(self) -> bool:
        return any(e.action is Action.blink for e in self.actions)

    @property
    def mouth_opened(self) -> bool:
        return any(e.action is Action.mouth for e in self.actions)


class ImageVerdict(BaseModel):
    """The liveness of one still image: the passive checks combined into `attack_score` in
    [0, 1] (larger = more like an attack; attack at `ATTACK_THRESHOLD` and above)."""

    model_config = ConfigDict(frozen=True)

    live: bool
    attack_score: float = Field(ge=0.0, le=1.0)
    rotation: int = 0
    checks: tuple[CheckResult, ...] = ()


ATTACK_THRESHOLD = 0.5
