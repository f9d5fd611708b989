"""SenseTime ssid-liveness over HTTP (seed 000 chapter 4): hacknessScore, interactive and
silentLiveness, with real clips and stills from ../shared/data and simulated attacks made
from them (benchmarks/video_attacks.py)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from benchmarks import video_attacks
from contracts.liveness import Action
from tests.harness import form_call, gateway, ok
from vendors.common.params import Params
from vendors.sensetime.liveness import parse_sequence

ERROR_DATA = {"pass": False, "score": 0.0, "rotation": 0}


def post(client, api: str, **fields):
    return form_call(client, f"/ssid-liveness/v2/{api}", **fields)


def video_call(client, api: str, data: bytes, **fields):
    reply = client.post(
        f"/ssid-liveness/v2/{api}",
        data=fields,
        files={"file": ("clip.mp4", data, "video/mp4")},
    )
    assert reply.status_code == 200
    return reply.json()


@pytest.fixture(scope="module")
def st_live(tmp_path_factory) -> Iterator[TestClient]:
    """A gateway in open mode whose deadline a clip can meet on a busy 2-core machine (a
    clip's judgement takes ~1 s idle; tests run beside each other)."""
    with gateway(tmp_path_factory.mktemp("st-live"), request_deadline=600.0) as client:
        yield client


@pytest.fixture(scope="module")
def clip(shared_data: Path):
    return lambda name: (shared_data / "videos" / name).read_bytes()


@pytest.fixture(scope="module")
def still(shared_data: Path):
    return lambda name: (shared_data / "antispoof" / name).read_bytes()


class Call:
    def __init__(self, **values):
        self.params = Params(values)


@pytest.mark.parametrize(
    "sent",
    [
        "['blink']",
        '["blink","mouth"]',
        "blink,mouth",
        ["blink", "mouth"],
        " [ 'BLINK' , 'mouth' ] ",
    ],
)
def test_sequence_is_read_in_every_form_clients_send(sent):
    expected = (Action.blink,) if sent == "['blink']" else (Action.blink, Action.mouth)
    assert parse_sequence(Call(sequence=sent)) == expected


def test_php_style_repeated_sequence_is_read():
    assert parse_sequence(Call(**{"sequence[]": ["nod", "yaw"]})) == (Action.nod, Action.yaw)


def test_hackness_score_tells_a_tablet_replay_from_a_live_capture(st_live, still):
    replay = ok(post(st_live, "hacknessScore", file=still("replay/silentface_image_F2.jpg")))
    live = ok(post(st_live, "hacknessScore", file=still("live/silentface_image_T1.jpg")))
    assert replay["pass"] is False and replay["score"] > 0.95
    assert live["pass"] is True and live["score"] <= 0.95
    assert live["rotation"] == 0 and set(live) == {"path", "rotation", "pass", "score"}


def test_hackness_score_reads_base64_data_and_rotates(st_live, still):
    data = base64.b64encode(still("live/silentface_image_T1.jpg")).decode()
    reply = ok(post(st_live, "hacknessScore", data=data, rotate="true"))
    assert reply["pass"] is True and reply["rotation"] == 0


def test_hackness_score_without_a_face_is_a_liveness_error(st_live, shared_data):
    card = (shared_data / "id_documents/bank_card/icbc_global_travel_gold_credit.jpg").read_bytes()
    reply = post(st_live, "hacknessScore", file=card)
    assert reply["code"] == "66040301" and reply["data"] == ERROR_DATA


@pytest.mark.slow
def test_interactive_passes_the_actions_done_in_order(st_live, clip):
    reply = video_call(st_live, "interactive", clip("blink_talk_aoc.mp4"), sequence="['blink']")
    data = ok(reply)
    assert data["pass"] is True and data["score"] <= 0.96 and data["rotation"] == 0
    (frame,) = data["frames"]
    assert abs(frame["timestamp"] - 360) <= 200  # the first blink, 0.36-0.52 s
    assert base64.b64decode(frame["frameImage"])[:2] == b"\xff\xd8"
    assert frame["faceImage"] == frame["facelImage"]


@pytest.mark.slow
def test_interactive_fails_an_action_the_clip_does_not_show(st_live, clip):
    reply = video_call(
        st_live, "interactive", clip("talking_no_blink_lp_d20.mp4"), sequence="blink"
    )
    data = ok(reply)
    assert data["pass"] is False and data["score"] <= 0.96  # live, but no blink


def test_interactive_needs_a_known_sequence(st_live, clip):
    data = clip("blink_talk_aoc.mp4")
    missing = video_call(st_live, "interactive", data)
    assert missing["code"] == "66010202" and missing["data"] == ERROR_DATA
    unknown = video_call(st_live, "interactive", data, sequence="['jump']")
    assert unknown["code"] == "66010205" and "sequence" in unknown["msg"]


@pytest.mark.slow
def test_silent_liveness_passes_a_live_clip(st_live, clip):
    data = ok(video_call(st_live, "silentLiveness", clip("blink_talk_aoc.mp4")))
    assert data["pass"] is True and data["score"] <= 0.96 and len(data["frames"]) == 1


@pytest.mark.slow
def test_silent_liveness_refuses_a_simulated_printed_photo(st_live, shared_data, tmp_path):
    backdrop = video_attacks.backdrop(shared_data)
    photo = shared_data / "antispoof/live/jom_real_1.jpg"
    path = video_attacks.printed_photo_clip(photo, backdrop, tmp_path / "print.mp4")
    data = ok(video_call(st_live, "silentLiveness", path.read_bytes()))
    assert data["pass"] is False and data["score"] > 0.96


@pytest.mark.slow
def test_another_person_in_the_clip_is_a_target_change(st_live, shared_data, tmp_path):
    videos = shared_data / "videos"
    path = video_attacks.person_swap_clip(
        videos / "blink_talk_aoc.mp4", videos / "talking_no_blink_lp_d20.mp4", tmp_path / "s.mp4"
    )
    reply = video_call(st_live, "silentLiveness", path.read_bytes())
    assert reply["code"] == "66010207" and reply["msg"] == "[ssid-liveness]Liveness target change"
    assert reply["data"]["pass"] is False


def test_bad_videos_are_each_a_clear_liveness_error(st_live, clip, still):
    cases = {
        "66040401": still("live/jom_real_1.jpg"),  # a still image sent as video
        "66010209": clip("attack_demo_live_replay_print.mp4"),  # 2.9 s, under 3 s
        "66010205": clip("nod_yes_phone.mp4"),  # 16.5 s, over 15 s
    }
    for code, data in cases.items():
        reply = video_call(st_live, "silentLiveness", data)
        assert reply["code"] == code, reply
        assert reply["data"] == ERROR_DATA
    truncated = video_call(st_live, "silentLiveness", clip("blink_talk_aoc.mp4")[:500])
    assert truncated["code"] == "66040401"
    nothing = post(st_live, "silentLiveness")
    assert nothing["code"] == "66010201" and nothing["data"] == ERROR_DATA
