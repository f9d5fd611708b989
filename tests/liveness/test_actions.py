"""Action events from signals, and the order a sequence must be done in."""

from __future__ import annotations

import numpy as np

from contracts.liveness import Action, ActionEvent, ClipOptions
from engine.liveness._video.actions import Series, find_actions, match_sequence, runs


def event(action: Action, start: float, end: float) -> ActionEvent:
    return ActionEvent(action=action, start=start, end=end, peak=start, confidence=1.0)


def test_a_sequence_must_be_done_in_its_order():
    events = [event(Action.blink, 1.0, 1.2), event(Action.mouth, 2.0, 2.5)]
    assert match_sequence(events, [Action.blink, Action.mouth]) == tuple(events)
    assert match_sequence(events, [Action.mouth, Action.blink]) is None
    assert match_sequence(events, [Action.blink, Action.blink]) is None


def test_a_repeated_action_needs_separate_events():
    events = [event(Action.blink, 1.0, 1.2), event(Action.blink, 3.0, 3.1)]
    assert match_sequence(events, [Action.blink, Action.blink]) == tuple(events)


def test_a_blink_is_a_dip_against_the_subjects_own_baseline():
    t = np.arange(0, 4, 1 / 12)
    ear = np.full(len(t), 0.24)  # narrow eyes: a fixed 0.2 cut would never see them close
    ear[24:26] = 0.12
    series = Series(t, [(e, e) for e in ear], [0.02] * len(t), [0.0] * len(t), [0.0] * len(t))
    (found,) = find_actions(series, ClipOptions())
    assert found.action is Action.blink and found.start == round(t[24], 3)


def test_a_frame_without_the_face_breaks_an_event():
    t = np.arange(0, 4, 1 / 12)
    ears: list = [(0.3, 0.3)] * len(t)
    ears[23] = None
    ears[24] = (0.1, 0.1)
    series = Series(t, ears, [0.02] * len(t), [0.0] * len(t), [0.0] * len(t))
    assert find_actions(series, ClipOptions()) == []


def test_runs_are_inclusive_index_pairs():
    assert runs(np.array([False, True, True, False, True])) == [(1, 2), (4, 4)]
