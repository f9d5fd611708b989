"""POST /api/ocr/v1/idcard/{openid}/{timestamp}/{digest}/{msg_id} (seed 002), end to end."""

import json
import time

import pytest

from vendors.waiqin.client import signed_url


def recognise(wq, card_image, name, transfer_id, side="front", now=None, **options):
    body = {"transfer_id": transfer_id, "image": card_image(name), "ID_card_side": side}
    body |= {key: "true" for key, on in options.items() if on}
    return wq.post(body, now=now)


@pytest.mark.parametrize("card", ["cnid_syn_s1", "cnid_syn_s2", "cnid_syn_s3"])
def test_front_fields_read_back_exactly(wq, card_image, truth, transfer_id, card):
    reply = recognise(wq, card_image, f"{card}_front.jpg", transfer_id)
    assert reply["return_code"] == "0", reply
    data = reply["response_data"]
    expected = truth[card]
    results = {key: value["words"] for key, value in data["recognition_results"].items()}
    assert results == {
        "姓名": expected["name"],
        "性别": expected["sex"],
        "民族": expected["nation"],
        "出生": expected["birth"].replace("-", ""),
        "住址": expected["address"],
        "公民身份号码": expected["id_number"],
    }
    assert data["ID_number_type"] == 1
    assert data["photo_status"] == "normal" and data["direction"] == 0
    assert data["result_num"] == 6 and data["transfer_id"] == transfer_id
    name = data["recognition_results"]["姓名"]["location"]
    assert set(name) == {"left", "top", "width", "height"} and name["width"] > 0


def test_back_fields_read_back_exactly(wq, card_image, truth, transfer_id):
    reply = recognise(wq, card_image, "cnid_syn_s1_back.jpg", transfer_id, side="back")
    data = reply["response_data"]
    start, end = truth["cnid_syn_s1"]["valid"].split("-")
    assert {k: v["words"] for k, v in data["recognition_results"].items()} == {
        "签发机关": truth["cnid_syn_s1"]["authority"],
        "签发日期": start.replace(".", ""),
        "失效日期": end.replace(".", ""),
    }
    assert "ID_number_type" not in data


def test_phone_photo_reads_with_crops_quality_and_risk(wq, card_image, truth, transfer_id):
    reply = recognise(
        wq,
        card_image,
        "cnid_syn_s2_front_photo.jpg",
        transfer_id,
        quality_detection=True,
        risk_detection=True,
        card_cropping=True,
        photo_detection=True,
    )
    data = reply["response_data"]
    assert data["recognition_results"]["公民身份号码"]["words"] == truth["cnid_syn_s2"]["id_number"]
    assert isinstance(data["card_quality"], str)  # seed 002 types it string
    quality = json.loads(data["card_quality"])
    assert quality["IsComplete"] in (0, 1)
    assert 0.0 <= quality["IsClear_propobility"] <= 1.0
    assert data["risk_type"] in ("normal", "copy", "temporary", "screen", "unknown")
    assert data["card"].startswith("/9j/") and data["card_location"]["width"] > 100
    assert data["ID_photo"].startswith("/9j/") and data["photo_location"]["height"] > 20


def test_asking_for_the_wrong_side_reports_reversed_side(wq, card_image, transfer_id):
    data = recognise(wq, card_image, "cnid_syn_s1_back.jpg", transfer_id, side="front")[
        "response_data"
    ]
    assert data["photo_status"] == "reversed_side"
    assert "签发机关" in data["recognition_results"]


def test_invalid_check_digit_is_flagged_and_the_number_withheld(wq, card_image, transfer_id):
    data = recognise(wq, card_image, "specimen_weixiaobao_front.png", transfer_id)["response_data"]
    assert data["ID_number_type"] == 0
    assert "公民身份号码" not in data["recognition_results"]
    assert data["recognition_results"]["姓名"]["words"] == "韦小宝"


def test_a_face_photo_is_no_id_card(wq, shared_data, transfer_id):
    import base64

    raw = (shared_data / "faces/barack_obama").iterdir().__next__().read_bytes()
    reply = wq.post(
        {
            "transfer_id": transfer_id,
            "image": base64.b64encode(raw).decode(),
            "ID_card_side": "front",
            "risk_detection": "true",
        }
    )
    assert reply["return_code"] == "0"
    assert reply["response_data"]["risk_type"] == "unknown"  # no card to judge
    assert reply["response_data"]["photo_status"] in ("no_IDcard", "other_type_card", "unknown")
    assert reply["response_data"]["result_num"] == 0


def test_transfer_id_never_repeats_and_its_result_can_be_fetched_again(wq, card_image, transfer_id):
    first = recognise(wq, card_image, "cnid_syn_s3_back.jpg", transfer_id, side="back")
    assert first["return_code"] == "0"
    # signed anew two seconds later: the same body at the same second is a replay (40003)
    later = time.time() + 2
    again = recognise(wq, card_image, "cnid_syn_s3_back.jpg", transfer_id, side="back", now=later)
    assert again["return_code"] == "40104" and again["response_data"] == {}
    fetched = wq.post({"transfer_id": transfer_id})
    assert fetched["return_code"] == "0"
    assert fetched["response_data"] == first["response_data"]


def test_a_failed_call_leaves_its_transfer_id_free(wq, card_image, transfer_id):
    bad = wq.post(
        {"transfer_id": transfer_id, "image": "bm90IGFuIGltYWdl", "ID_card_side": "front"}
    )
    assert bad["return_code"] == "40203"
    good = recognise(wq, card_image, "cnid_syn_s1_back.jpg", transfer_id, side="back")
    assert good["return_code"] == "0"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"image": "x", "ID_card_side": "front"}, "40101"),
        ({"transfer_id": "abc", "image": "x", "ID_card_side": "front"}, "40103"),
        ({"transfer_id": "N", "ID_card_side": "front"}, "40102"),
        ({"transfer_id": "N", "image": "AAAA", "ID_card_side": "left"}, "40103"),
        ({"transfer_id": "N", "image": "!!!", "ID_card_side": "front"}, "40103"),
        ({"transfer_id": "N", "url": "http://example.com/a.jpg", "ID_card_side": "front"}, "40205"),
    ],
    ids=["no-transfer-id", "bad-transfer-id", "no-image", "bad-side", "bad-base64", "links-off"],
)
def test_bad_requests_get_their_codes(wq, transfer_id, body, code):
    if body.get("transfer_id") == "N":
        body = body | {"transfer_id": transfer_id}
    reply = wq.post(body)
    assert reply["return_code"] == code, reply
    assert reply["return_msg"]


def test_unknown_openid_bad_digest_skew_and_replay_are_refused(
    wq_gateway, wq_credential, transfer_id
):
    client, _ = wq_gateway
    openid, appkey = wq_credential["openid"], wq_credential["appkey"]
    body = json.dumps({"transfer_id": transfer_id}).encode()

    def post(url: str, content: bytes = body) -> dict:
        return client.post(
            url, content=content, headers={"Content-Type": "application/json"}
        ).json()

    assert post(signed_url("nobody", appkey, body))["return_code"] == "40001"
    assert post(signed_url(openid, "wrong-key", body))["return_code"] == "40001"
    assert post(signed_url(openid, appkey, body), content=body + b" ")["return_code"] == "40001"
    assert post(signed_url(openid, appkey, body, now=1_600_000_000))["return_code"] == "40002"
    url = signed_url(openid, appkey, body, msg_id="fixed-msg")
    first = post(url)
    assert first["return_code"] != "40001" and first["msg_id"] == "fixed-msg"
    assert post(url)["return_code"] == "40003"


def test_responses_are_gzipped_for_clients_that_ask(
    wq_gateway, wq_credential, card_image, transfer_id
):
    client, _ = wq_gateway
    body = json.dumps(
        {
            "transfer_id": transfer_id,
            "image": card_image("cnid_syn_s1_back.jpg"),
            "ID_card_side": "back",
            "card_cropping": "true",  # a crop makes the answer large enough to compress
        }
    ).encode()
    url = signed_url(wq_credential["openid"], wq_credential["appkey"], body)
    reply = client.post(
        url, content=body, headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"}
    )
    assert reply.headers.get("content-encoding") == "gzip"
    assert isinstance(reply.json()["response_data"], str)
