"""Video liveness on the shared clips and on simulated attacks made from real data."""

from __future__ import annotations

import pytest

from contracts.liveness import ATTACK_THRESHOLD, Action

pytestmark = pytest.mark.slow

AOC_BLINKS = (0.36, 1.32, 2.24, 3.16, 3.84, 4.40, 5.12, 6.00, 7.04)  # MANIFEST.md, verified


def test_blinks_are_found_as_timed_events(judged):
    verdict = judged("blink_talk_aoc.mp4", (Action.blink,))
    blinks = [e for e in verdict.actions if e.action is Action.blink]
    hits = [t for t in AOC_BLINKS if any(e.start - 0.15 <= t <= e.end + 0.15 for e in blinks)]
    assert len(hits) >= 8
    assert verdict.live and verdict.sequence_done and verdict.blinked
    (key,) = verdict.key_frames
    assert key.timestamp == pytest.approx(verdict.matched[0].peak)
    assert key.image.pixels.shape == (512, 512, 3)
    assert all(0.0 < e.confidence <= 1.0 for e in blinks)


def test_a_clip_without_blinks_fails_a_blink_challenge(judged):
    verdict = judged("talking_no_blink_lp_d20.mp4", (Action.blink,))
    assert not any(e.action is Action.blink for e in verdict.actions)
    assert verdict.sequence_done is False and not verdict.live


def test_mouth_openings_are_found(judged):
    verdict = judged("mouth_open_webcam.mp4", (Action.mouth, Action.mouth))
    mouths = [e for e in verdict.actions if e.action is Action.mouth]
    assert any(e.start <= 3.0 <= e.end for e in mouths)
    assert any(e.start <= 5.0 <= e.end for e in mouths)
    assert verdict.sequence_done and verdict.mouth_opened


def test_nods_are_found_in_each_bout(judged):
    verdict = judged("nod_yes_phone.mp4", (Action.nod, Action.nod, Action.nod))
    nods = [e for e in verdict.actions if e.action is Action.nod]
    for start, end in ((3.5, 6.0), (7.0, 10.0), (11.8, 14.3)):
        assert any(start <= e.peak <= end for e in nods)
    assert all(3.5 <= e.peak <= 14.3 for e in nods)  # nothing while the head is still
    assert verdict.live and len(verdict.key_frames) == 3


def test_a_nodding_clip_fails_a_shake_challenge(judged):
    verdict = judged("nod_yes_phone.mp4", (Action.yaw,))
    assert verdict.sequence_done is False and not verdict.live


def test_head_turns_each_way_are_a_shake(judged):
    verdict = judged("headpose_protocol_eyewide.mp4", (Action.yaw, Action.nod))
    shakes = [e for e in verdict.actions if e.action is Action.yaw]
    assert shakes and shakes[0].start == pytest.approx(3.3, abs=0.5)
    assert verdict.sequence_done and not verdict.person_changed


def test_live_clips_score_under_the_attack_threshold(judged):
    for name in ("blink_talk_aoc.mp4", "nod_yes_phone.mp4", "mouth_open_webcam.mp4"):
        assert judged(name).attack_score < ATTACK_THRESHOLD, name


def test_simulated_printed_photo_is_an_attack(judged):
    for name in ("print", "print_still"):
        verdict = judged(name)
        assert verdict.attack_score >= ATTACK_THRESHOLD and not verdict.live, name
        assert verdict.silent.blinks == 0
    assert judged("print_still").silent.stillness >= 0.8  # a sheet that never changes


def test_simulated_screen_replay_scores_above_its_live_original(judged):
    replay, original = judged("replay"), judged("blink_talk_aoc.mp4")
    assert replay.silent.passive > original.silent.passive
    assert replay.attack_score > original.attack_score


def test_a_cut_to_another_person_is_a_person_change(judged):
    verdict = judged("swap", (Action.blink,))
    assert verdict.person_changed and not verdict.live
    assert not judged("blink_talk_aoc.mp4").person_changed
