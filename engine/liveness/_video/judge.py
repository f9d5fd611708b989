"""Judge one clip: track the subject, find the actions, weigh the silent evidence.

One pass over the clip's frames, streamed: each sampled frame is measured and kept only as
its measurements, a grey thumbnail and a JPEG (for the few key frames returned), so memory
stays bounded by the clip's length at ~60 kB per analysed frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box
from contracts.images import DecodedImage, VideoInput
from contracts.liveness import (
    ATTACK_THRESHOLD,
    Action,
    ActionEvent,
    ClipOptions,
    ClipVerdict,
    KeyFrame,
    SpoofCheck,
    Strictness,
)
from engine import stages
from engine.liveness._checks import SCORERS, THRESHOLDS
from engine.liveness._video import silent
from engine.liveness._video.actions import Series, find_actions, match_sequence
from engine.liveness._video.track import FULL_EVERY, Sample, Tracker
from engine.liveness._view import FrameView
from engine.media._clip import open_clip

PASSIVE_EVERY = 6  # frames between runs of the per-frame checks (2 a second at 12 fps)
PASSIVE_CHECKS = (SpoofCheck.screen, SpoofCheck.printed_photo)
LOST_SECONDS = 1.5  # the subject out of view this long (after first seen) is lost
CROWDED = 0.25  # share of whole-frame searches that saw another person for "two faces"
DEFAULT_OPTIONS = ClipOptions()


@stages.timed("liveness.clip")
def judge_clip(
    video: VideoInput,
    *,
    sequence: Sequence[Action] = (),
    rotate: bool = False,
    options: ClipOptions = DEFAULT_OPTIONS,
) -> ClipVerdict:
    """The liveness of a clip; with a `sequence`, also whether its actions were done in order.

    Raises the errors of engine.media._clip.open_clip for unusable input, `video_too_short`
    under the limits' `min_seconds`, `no_face` when no frame shows a face, and
    `too_many_faces` when another person's face is in view through much of the clip.
    """
    tracker = Tracker(rotate)
    samples: list[Sample] = []
    passive: dict[str, list[float]] = {check.value: [] for check in PASSIVE_CHECKS}
    with open_clip(video) as clip:
        for frame in clip.frames(options.fps):
            sample, upright = tracker.step(frame)
            samples.append(sample)
            if sample.found and sample.number % PASSIVE_EVERY == 0:
                _run_passive(upright, sample, passive)
        duration = clip.elapsed
    _refuse_unusable(samples, duration, video)
    tracker.identity.finish()
    series = Series(
        [s.timestamp for s in samples],
        [s.ears if s.found else None for s in samples],
        [s.mouth if s.found else None for s in samples],
        [s.yaw if s.found else None for s in samples],
        [s.pitch if s.found else None for s in samples],
    )
    events = find_actions(series, options)
    blinks = sum(e.action is Action.blink for e in events)
    mouths = sum(e.action is Action.mouth for e in events)
    evidence = silent.evidence(samples, blinks, mouths, passive)
    attack = silent.attack_score(evidence, passive)
    matched = match_sequence(events, sequence) if sequence else None
    lost = _longest_gap(samples) > LOST_SECONDS
    changed = tracker.identity.changed
    reasons = [
        text
        for failed, text in (
            (attack >= ATTACK_THRESHOLD, f"attack score {attack:.2f}"),
            (changed, "another person appears"),
            (lost, "the subject was lost from view"),
            (bool(sequence) and matched is None, "the actions were not done in order"),
        )
        if failed
    ]
    return ClipVerdict(
        live=not reasons,
        attack_score=attack,
        person_changed=changed,
        subject_lost=lost,
        sequence=tuple(sequence),
        sequence_done=None if not sequence else matched is not None,
        actions=tuple(events),
        matched=matched or (),
        silent=evidence,
        key_frames=_key_frames(samples, matched or (), options.key_frames),
        rotation=tracker.rotation or 0,
        duration=round(duration, 3),
        frames=len(samples),
        reason="; ".join(reasons),
    )


def _run_passive(upright: DecodedImage, sample: Sample, passive: dict[str, list[float]]) -> None:
    """Each per-frame check, scaled so that its `normal` operating point reads 0.5."""
    view = FrameView.of(upright.pixels, sample.face)
    for check in PASSIVE_CHECKS:
        score = SCORERS[check](view)
        if score is not None:
            threshold = THRESHOLDS[check][Strictness.normal]
            passive[check.value].append(min(1.0, 0.5 * score / threshold))


def _refuse_unusable(samples: Sequence[Sample], duration: float, video: VideoInput) -> None:
    field = video.name
    if not samples:
        raise IdfError(ErrorKind.video_decode, "video has no readable frames", field=field)
    if duration < video.limits.min_seconds:
        raise IdfError(
            ErrorKind.video_too_short,
            f"video lasts {duration:.2f}s, under {video.limits.min_seconds}s",
            field=field,
        )
    if not any(s.found for s in samples):
        raise IdfError(ErrorKind.no_face, "no frame of the video shows a face", field=field)
    searches = [s for s in samples if s.crowd >= 0 and s.number % FULL_EVERY == 0]
    crowded = sum(s.crowd > 0 for s in searches)
    if crowded >= 2 and crowded >= CROWDED * len(searches):
        raise IdfError(
            ErrorKind.too_many_faces,
            "more than one person's face is in view",
            field=field,
        )


def _longest_gap(samples: Sequence[Sample]) -> float:
    """The longest time the subject was out of view after first being seen."""
    longest, since = 0.0, None
    seen = False
    for s in samples:
        if s.found:
            if since is not None:
                longest = max(longest, s.timestamp - since)
            seen, since = True, None
        elif seen and since is None:
            since = s.timestamp
    if since is not None:
        longest = max(longest, samples[-1].timestamp - since)
    return longest


def _key_frames(
    samples: Sequence[Sample], matched: Sequence[ActionEvent], count: int
) -> tuple[KeyFrame, ...]:
    """The peak frame of each matched action, else the `count` most frontal frames."""
    found = [s for s in samples if s.found]
    if matched:
        chosen = [min(found, key=lambda s: abs(s.timestamp - e.peak)) for e in matched]
    else:
        known = [s for s in found if not np.isnan(s.yaw)]
        chosen = sorted(known, key=lambda s: abs(s.yaw) + abs(s.pitch))[:count]
        chosen.sort(key=lambda s: s.timestamp)
    return tuple(_key_frame(s) for s in chosen)


def _key_frame(sample: Sample) -> KeyFrame:
    assert sample.box is not None
    pixels = cv2.imdecode(np.frombuffer(sample.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert pixels is not None  # the clip's own frames, encoded by the sampler
    x1, y1, x2, y2 = (float(v) for v in sample.box)
    return KeyFrame(
        image=DecodedImage(pixels=pixels, format="jpeg"),
        box=Box(left=x1, top=y1, right=x2, bottom=y2),
        timestamp=sample.timestamp,
    )
