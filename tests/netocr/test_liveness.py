"""Silent image liveness (3035) and video liveness (3036), end to end."""

from __future__ import annotations

import base64
from pathlib import Path

import cv2
import pytest

from benchmarks import video_attacks
from contracts.credentials import Vendor
from contracts.liveness_scores import NETOCR_THRESHOLD
from gateway.credentials import SqliteCredentialStore, mint
from tests.harness import gateway
from vendors.netocr.client import NetocrClient

pytestmark = pytest.mark.slow


def entries(answer: dict) -> dict[str, str]:
    assert answer["messageString"] == {"status": "2000", "value": "成功"}
    return {item["desc"]: item["content"] for item in answer["infoList"][0]["veritem"]}


def status_of(answer: dict) -> str:
    assert answer["infoList"] == []
    return answer["messageString"]["status"]


@pytest.fixture(scope="session")
def clients(tmp_path_factory) -> dict[str, NetocrClient]:
    """A gateway whose deadline a clip can meet on a busy 2-core machine, and a client per
    format."""
    data = tmp_path_factory.mktemp("netocr-live")
    with gateway(data, request_deadline=600.0) as http:
        credential, shown = mint(Vendor.netocr)
        SqliteCredentialStore(data / "credentials.db").add(credential)
        yield {
            fmt: NetocrClient(http, shown["key"], shown["secret"], fmt=fmt)
            for fmt in ("json", "xml")
        }


@pytest.fixture(scope="session", params=["json", "xml"])
def nc(request, clients) -> NetocrClient:
    return clients[request.param]


@pytest.fixture(scope="session")
def nc_json(clients) -> NetocrClient:
    return clients["json"]


def test_live_capture_passes_and_a_tablet_replay_does_not(nc, shared_data):
    stills = shared_data / "antispoof"
    live = entries(nc.image_liveness((stills / "live/silentface_image_T1.jpg").read_bytes()))
    replay = entries(nc.image_liveness((stills / "replay/silentface_image_F2.jpg").read_bytes()))
    assert list(live) == ["判定结果", "判定值"]
    assert live["判定结果"] == "是" and float(live["判定值"]) < NETOCR_THRESHOLD
    assert replay["判定结果"] == "否" and float(replay["判定值"]) >= NETOCR_THRESHOLD


def test_image_without_a_face_is_refused(nc_json, id_card):
    assert status_of(nc_json.image_liveness(id_card("cnid_syn_s1_back.jpg"))) == "-14"


@pytest.fixture(scope="session")
def clips(shared_data: Path, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("netocr_clips")
    backdrop = video_attacks.backdrop(shared_data)
    talk = shared_data / "videos/blink_talk_aoc.mp4"
    made = {
        "print": video_attacks.printed_photo_clip(
            shared_data / "antispoof/live/jom_real_1.jpg", backdrop, folder / "print.mp4"
        ),
        "swap": video_attacks.person_swap_clip(
            talk, shared_data / "videos/talking_no_blink_lp_d20.mp4", folder / "swap.mp4"
        ),
    }
    found = {name: path.read_bytes() for name, path in made.items()}
    found["live"] = talk.read_bytes()
    return found


def test_live_clip_is_live_and_its_blinks_and_mouth_are_seen(nc_json, clips):
    read = entries(nc_json.video_liveness(clips["live"]))
    assert list(read) == ["判定值", "是否为活体", "是否有换人", "是否有眨眼", "是否有张嘴"]
    assert float(read["判定值"]) < NETOCR_THRESHOLD
    assert (
        read["是否为活体"] == "活体" and read["是否有换人"] == "否" and read["是否有眨眼"] == "是"
    )


def test_printed_photo_is_not_live_and_shows_no_yes(nc_json, clients, clips):
    form = {"key": nc_json.key, "secret": nc_json.secret, "typeId": "3036"}
    form["videoContent"] = base64.b64encode(clips["print"]).decode()
    raw = nc_json.http.post("/verapi/verLivenessVideo.do", data=form).content
    assert "是".encode() not in raw[:10240]
    assert "非活体".encode() in raw


def test_a_person_change_is_reported_and_fails(nc_json, clips):
    read = entries(nc_json.video_liveness(clips["swap"]))
    assert read["是否有换人"] == "是" and read["是否为活体"] == "非活体"
    assert float(read["判定值"]) >= NETOCR_THRESHOLD


def test_unusable_videos_are_refused(nc_json, clips, tmp_path):
    assert status_of(nc_json.video_liveness(b"\x00\x00\x00\x18ftypmp42" + bytes(200))) == "-12"
    assert status_of(nc_json.post("/verapi/verLivenessVideo.do", 3036, {})) == "-7"
    assert status_of(nc_json.video_liveness(short_clip(clips["live"], tmp_path))) == "-13"


def short_clip(clip: bytes, folder: Path, frames: int = 8) -> bytes:
    """The first `frames` frames of a clip: a third of a second."""
    source, target = folder / "source.mp4", folder / "short.mp4"
    source.write_bytes(clip)
    reader = cv2.VideoCapture(str(source))
    fps = reader.get(cv2.CAP_PROP_FPS)
    _, frame = reader.read()
    height, width = frame.shape[:2]
    writer = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for _ in range(frames):
        writer.write(frame)
        _, frame = reader.read()
    writer.release()
    reader.release()
    return target.read_bytes()
