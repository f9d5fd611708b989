"""The four clients under one API: built from `credentials add` fields, answers as `Answer`."""

from __future__ import annotations

import json

import pytest

from idfacade import Answer, client_for, read_answer


def test_client_for_builds_each_vendor_from_its_printed_fields(contract_http, creds):
    for vendor in ("sensetime", "yitu", "waiqin", "netocr"):
        client = client_for(vendor, "http://testserver", creds[vendor], http=contract_http)
        assert type(client).__name__.lower().startswith(vendor[:4])


def test_an_unknown_vendor_is_refused():
    with pytest.raises(ValueError, match="unknown vendor"):
        client_for("megvii", "http://127.0.0.1:1", {})


def test_sensetime_client_logs_in_and_reads_the_error_envelope(contract_http, creds):
    client = client_for("sensetime", "http://testserver", creds["sensetime"], http=contract_http)
    answer = client.compare_images(b"not an image" * 10, b"not an image" * 10)
    assert isinstance(answer, Answer)
    assert not answer.ok and answer.code == "62010505"  # illegal image type
    assert answer.vendor == "sensetime" and "image type" in answer.message


def test_a_wrong_sensetime_password_is_a_clear_refusal(contract_http, creds):
    wrong = dict(creds["sensetime"], password="wrong")
    client = client_for("sensetime", "http://testserver", wrong, http=contract_http)
    with pytest.raises(PermissionError, match="60010401"):
        client.login()


def test_each_reader_takes_its_vendors_decision_and_score():
    yitu = read_answer(
        "yitu",
        json.dumps(
            {"rtn": 0, "message": "OK", "pair_verify_result": 1, "pair_verify_similarity": 12.5}
        ).encode(),
    )
    assert (yitu.ok, yitu.code, yitu.decision, yitu.score, yitu.same) == (
        True,
        "0",
        "different",
        12.5,
        False,
    )
    sense = read_answer(
        "sensetime",
        json.dumps(
            {
                "code": "0000",
                "msg": "success",
                "data": {"result": [{"similarity": 0.2}, {"similarity": 0.9}]},
            }
        ).encode(),
    )
    assert sense.score == 0.9 and sense.decision is None
    live = read_answer(
        "sensetime", b'{"code":"0000","msg":"success","data":{"pass":false,"score":0.99}}'
    )
    assert live.decision == "attack"
    waiqin = read_answer(
        "waiqin",
        json.dumps(
            {"return_code": "0", "return_msg": "success", "response_data": json.dumps({"a": 1})}
        ).encode(),
    )
    assert waiqin.ok and waiqin.data() == {"a": 1}


def test_netocr_reads_the_same_from_json_and_xml():
    as_json = json.dumps(
        {
            "infoList": [{"veritem": [{"desc": "判定结果:是"}, {"desc": "判定值:87.5"}]}],
            "messageString": {"status": "2000", "value": "成功"},
        }
    ).encode()
    as_xml = (
        "<data><messageString><status>2000</status><value>成功</value></messageString>"
        '<infoList><info><veritem desc="判定结果:是"/><veritem desc="判定值:87.5"/></info>'
        "</infoList></data>"
    ).encode()
    for body in (as_json, as_xml):
        answer = read_answer("netocr", body)
        assert (answer.ok, answer.code, answer.decision, answer.score) == (
            True,
            "2000",
            "yes",
            87.5,
        )
