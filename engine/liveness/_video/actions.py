"""Actions as timed events, each measured against the subject's own baseline.

Every signal is compared with a rolling baseline of the same person in the same clip (a
percentile over a few seconds around each frame), so the thresholds are relative and hold
across faces, eye shapes, glasses, cameras and frame rates; a frame where the face was not
found, or is turned past `TURNED` degrees (where eye and mouth points are guesses), breaks an
event rather than bridging it.

- blink: eye aspect ratio (EAR) of both eyes dips below the open-eye baseline (its 80th
  percentile over ±2 s) by `BLINK_PEAK` at the deepest frame, each eye by at least
  `BLINK_EACH`, and is back above `BLINK_EDGE` within `BLINK_LONGEST` seconds. Closures longer
  than that are eyes kept shut, not blinks.
- mouth: inner-lip gap over inner mouth width rises above the closed-mouth baseline (its 15th
  percentile over ±4 s) by `MOUTH_PEAK`, stays above `MOUTH_EDGE` for `MOUTH_SHORTEST` seconds
  and closes again.
- nod: pitch leaves the resting pitch (rolling median over ±4 s) by the asked amplitude, down
  or up, and comes back within half of it in `NOD_SHORTEST` to `NOD_LONGEST` seconds.
- yaw: yaw reaches the asked amplitude on one side of the resting yaw and then on the other
  within `YAW_LONGEST` seconds (a shake).

docs/liveness.md gives the detection rates these thresholds reach on ../shared/data/videos.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from contracts.liveness import Action, ActionEvent, ClipOptions

BLINK_PEAK, BLINK_EACH, BLINK_EDGE, BLINK_LONGEST = 0.33, 0.25, 0.2, 0.8
MOUTH_PEAK, MOUTH_EDGE, MOUTH_SHORTEST = 0.22, 0.12, 0.2
NOD_SHORTEST, NOD_LONGEST = 0.3, 3.0
YAW_LONGEST = 4.0
TURNED = 45.0  # degrees of yaw or pitch past which eye and mouth landmarks are not trusted


class Series:
    """Per-sample signals; NaN where the subject was not found."""

    def __init__(
        self,
        times: Sequence[float],
        ears: Sequence[tuple[float, float] | None],
        mouth: Sequence[float | None],
        yaw: Sequence[float | None],
        pitch: Sequence[float | None],
    ) -> None:
        def column(values: Sequence[float | None]) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

        self.t = np.asarray(times, dtype=np.float64)
        self.yaw = column(yaw)
        self.pitch = column(pitch)
        turned = (np.abs(self.yaw) > TURNED) | (np.abs(self.pitch) > TURNED)
        self.left = np.where(turned, np.nan, column([e[0] if e else None for e in ears]))
        self.right = np.where(turned, np.nan, column([e[1] if e else None for e in ears]))
        self.mouth = np.where(turned, np.nan, column(mouth))


def find_actions(series: Series, options: ClipOptions) -> list[ActionEvent]:
    """Every blink, mouth opening, nod and shake of the clip, in time order."""
    events = [
        *blinks(series),
        *mouth_openings(series),
        *nods(series, options.nod_degrees),
        *shakes(series, options.yaw_degrees),
    ]
    return sorted(events, key=lambda e: (e.start, e.end))


def blinks(s: Series) -> list[ActionEvent]:
    base_left = rolling(s.t, s.left, 2.0, 80)
    base_right = rolling(s.t, s.right, 2.0, 80)
    left, right = 1 - s.left / base_left, 1 - s.right / base_right
    closure = (left + right) / 2
    events = []
    for start, end in runs(closure >= BLINK_EDGE):
        if not _bounded(closure, start, end):
            continue
        peak = start + int(np.nanargmax(closure[start : end + 1]))
        duration = s.t[end] - s.t[start]
        if (
            closure[peak] >= BLINK_PEAK
            and min(left[peak], right[peak]) >= BLINK_EACH
            and duration <= BLINK_LONGEST
        ):
            confidence = _ramp(closure[peak], BLINK_EDGE, 0.6)
            events.append(_event(Action.blink, s, start, end, peak, confidence))
    return events


def mouth_openings(s: Series) -> list[ActionEvent]:
    opening = s.mouth - rolling(s.t, s.mouth, 4.0, 15)
    events = []
    for start, end in runs(opening >= MOUTH_EDGE):
        if not _bounded(opening, start, end):
            continue
        peak = start + int(np.nanargmax(opening[start : end + 1]))
        if opening[peak] >= MOUTH_PEAK and s.t[end] - s.t[start] >= MOUTH_SHORTEST:
            confidence = _ramp(opening[peak], MOUTH_EDGE, 0.4)
            events.append(_event(Action.mouth, s, start, end, peak, confidence))
    return events


def nods(s: Series, amplitude: float) -> list[ActionEvent]:
    away = s.pitch - rolling(s.t, s.pitch, 4.0, 50)
    events = []
    for start, end in runs(np.abs(away) >= amplitude / 2):
        peak = start + int(np.nanargmax(np.abs(away[start : end + 1])))
        back = end + 1 < len(away) and abs(away[end + 1]) < amplitude / 2
        lasted = s.t[end + 1 if back else end] - s.t[start]
        if abs(away[peak]) >= amplitude and back and NOD_SHORTEST <= lasted <= NOD_LONGEST:
            confidence = _ramp(abs(away[peak]), amplitude / 2, 2 * amplitude)
            events.append(_event(Action.nod, s, start, end + 1, peak, confidence))
    return events


def shakes(s: Series, amplitude: float) -> list[ActionEvent]:
    """A turn past `amplitude` to one side followed by one to the other side."""
    away = s.yaw - rolling(s.t, s.yaw, 4.0, 50)
    turns = []  # (start, end, peak, side)
    for start, end in runs(np.abs(away) >= amplitude / 2):
        peak = start + int(np.nanargmax(np.abs(away[start : end + 1])))
        if abs(away[peak]) >= amplitude:
            turns.append((start, end, peak, np.sign(away[peak])))
    events, used = [], -1
    for (a_start, _, a_peak, a_side), (_, b_end, b_peak, b_side) in pairwise(turns):
        if a_start <= used or a_side == b_side or s.t[b_end] - s.t[a_start] > YAW_LONGEST:
            continue
        weaker = min(abs(away[a_peak]), abs(away[b_peak]))
        confidence = _ramp(weaker, amplitude / 2, 2 * amplitude)
        peak = a_peak if abs(away[a_peak]) >= abs(away[b_peak]) else b_peak
        events.append(_event(Action.yaw, s, a_start, b_end, peak, confidence))
        used = b_end
    return events


def match_sequence(
    events: Sequence[ActionEvent], sequence: Sequence[Action]
) -> tuple[ActionEvent, ...] | None:
    """The earliest events doing `sequence` in order (each starting after the previous one
    started, and not before it ended unless they are different actions), or None."""
    matched: list[ActionEvent] = []
    for action in sequence:
        after = matched[-1] if matched else None
        found = next(
            (
                e
                for e in events
                if e.action is action
                and e not in matched
                and (after is None or e.start > after.start)
                and (after is None or e.action is not after.action or e.start > after.end)
            ),
            None,
        )
        if found is None:
            return None
        matched.append(found)
    return tuple(matched)


def rolling(t: np.ndarray, values: np.ndarray, half: float, q: float) -> np.ndarray:
    """The q-th percentile of the found values within ±half seconds of each sample."""
    out = np.full(len(values), np.nan)
    found = ~np.isnan(values)
    for i in range(len(values)):
        near = found & (np.abs(t - t[i]) <= half)
        if near.any():
            out[i] = np.percentile(values[near], q)
    return out


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True."""
    found, start = [], None
    for i, on in enumerate(mask):
        if on and start is None:
            start = i
        elif not on and start is not None:
            found.append((start, i - 1))
            start = None
    if start is not None:
        found.append((start, len(mask) - 1))
    return found


def _bounded(signal: np.ndarray, start: int, end: int) -> bool:
    """The run is framed by found frames on both sides: the action began and ended in view."""
    return (
        start > 0
        and end + 1 < len(signal)
        and not (np.isnan(signal[start - 1]) or np.isnan(signal[end + 1]))
    )


def _event(
    action: Action, s: Series, start: int, end: int, peak: int, confidence: float
) -> ActionEvent:
    return ActionEvent(
        action=action,
        start=round(float(s.t[start]), 3),
        end=round(float(s.t[end]), 3),
        peak=round(float(s.t[peak]), 3),
        confidence=round(float(confidence), 3),
    )


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))
