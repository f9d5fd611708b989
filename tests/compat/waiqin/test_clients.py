"""Waiqin clients as public third-party code writes them, over a real socket.

Java SDKs build the URL timestamp with `yyyyMMddHHmmSS` (milliseconds in place of seconds: 14
or 15 characters) and choose msg_id freely (uuid with or without hyphens, `Y0000<n>`, an 11-digit
number, a fixed string); Python clients `json.dumps` the body (ASCII escapes) and hash exactly
those bytes; every client reads `response_data` as a string.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
import time
import uuid
from urllib.parse import quote

import pytest

from contracts.credentials import Vendor
from tests.compat.wire import exchange

CARDS = "id_documents/cn_id_card"
BEIJING = dt.timezone(dt.timedelta(hours=8))
_ids = itertools.count(900_000)


@pytest.fixture(scope="module")
def account(credential) -> dict[str, str]:
    return credential(Vendor.waiqin)


def java_timestamp(now: float | None = None) -> str:
    """SimpleDateFormat("yyyyMMddHHmmSS"): minutes, then milliseconds padded to 2 digits."""
    moment = dt.datetime.fromtimestamp(time.time() if now is None else now, BEIJING)
    return moment.strftime("%Y%m%d%H%M") + f"{moment.microsecond // 1000:02d}"


def manual_timestamp(now: float | None = None) -> str:
    return dt.datetime.fromtimestamp(time.time() if now is None else now, BEIJING).strftime(
        "%Y%m%d%H%M%S"
    )


def post(port, account, body: bytes, *, timestamp: str, msg_id: str | None = None) -> dict:
    signature = hashlib.md5(body + f"|{account['appkey']}|{timestamp}".encode()).hexdigest()
    msg = quote(msg_id if msg_id is not None else uuid.uuid4().hex, safe="")
    path = f"/api/ocr/v1/idcard/{account['openid']}/{timestamp}/{signature}/{msg}"
    headers = [("Content-Type", "application/json"), ("Accept-Encoding", "identity")]
    reply = exchange(port, "POST", path, headers, body)
    assert reply.status == 200
    envelope = reply.json()
    assert isinstance(envelope["response_data"], str)
    return envelope


def fetch_body() -> bytes:
    """A body that gets past auth cheaply: a transfer_id alone stops at the missing
    ID_card_side (40101)."""
    return json.dumps({"transfer_id": str(next(_ids))}).encode()


@pytest.mark.parametrize("millis", [7, 45, 999])
def test_java_millisecond_timestamps_are_accepted(port, account, millis):
    now = time.time()
    moment = dt.datetime.fromtimestamp(now, BEIJING)
    stamp = moment.strftime("%Y%m%d%H%M") + f"{millis:02d}"
    assert len(stamp) == (15 if millis > 99 else 14)
    assert post(port, account, fetch_body(), timestamp=stamp)["return_code"] == "40101"


def test_the_manual_timestamp_is_accepted(port, account):
    assert post(port, account, fetch_body(), timestamp=manual_timestamp())["return_code"] == (
        "40101"
    )


def test_a_timestamp_outside_the_window_has_its_own_code_and_message(port, account):
    reply = post(port, account, fetch_body(), timestamp=java_timestamp(time.time() - 3600))
    assert reply["return_code"] == "40002" and "timestamp" in reply["return_msg"]
    wrong_digest = post(port, {**account, "appkey": "x"}, fetch_body(), timestamp=java_timestamp())
    assert wrong_digest["return_code"] == "40001"
    assert wrong_digest["return_msg"] != reply["return_msg"]


@pytest.mark.parametrize(
    "msg_id",
    [str(uuid.uuid4()), uuid.uuid4().hex, "Y00001", "13800138000", "fixed-client-msg"],
    ids=["uuid", "uuid-hex", "Y0000n", "digits", "fixed"],
)
def test_any_msg_id_form_is_accepted_and_echoed(port, account, msg_id):
    reply = post(port, account, fetch_body(), timestamp=java_timestamp(), msg_id=msg_id)
    assert reply["return_code"] == "40101" and reply["msg_id"] == msg_id


def test_python_client_ascii_escaped_json_reads_the_card(port, account, shared_data):
    """json.dumps escapes 正面 as \\u6b63…: the digest is of those very bytes."""
    raw = (shared_data / CARDS / "cnid_syn_s1_front.jpg").read_bytes()
    truth = json.loads((shared_data / CARDS / "ground_truth.json").read_text(encoding="utf-8"))
    expected = next(card for card in truth if card["files"].get("front") == "cnid_syn_s1_front.jpg")
    payload = {
        "transfer_id": str(next(_ids)),
        "image": quote(base64.b64encode(raw).decode(), safe=""),
        "ID_card_side": "front",
        "note": "正面",
        "quality_detection": "true",
        "risk_detection": "true",
    }
    body = json.dumps(payload).encode()
    assert b"\\u6b63" in body
    reply = post(port, account, body, timestamp=java_timestamp())
    assert reply["return_code"] == "0", reply["return_msg"]
    data = json.loads(reply["response_data"])
    assert data["recognition_results"]["姓名"]["words"] == expected["name"]
    assert data["recognition_results"]["公民身份号码"]["words"] == expected["id_number"]
    assert data["risk_type"] in ("normal", "copy", "temporary", "screen", "unknown")


def test_unserved_path_is_the_waiqin_envelope(port):
    reply = exchange(port, "POST", "/api/ocr/v1/bankcard/a/b/c/d", [], b"{}")
    assert reply.status == 404 and reply.json()["return_code"] == "40005"


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain; charset=UTF-8", None]
)
def test_json_body_under_another_declared_type_is_read(port, account, content_type):
    """HttpURLConnection declares a form, StringEntity text/plain, requests' data= nothing."""
    body = fetch_body()
    timestamp = java_timestamp()
    signature = hashlib.md5(body + f"|{account['appkey']}|{timestamp}".encode()).hexdigest()
    path = f"/api/ocr/v1/idcard/{account['openid']}/{timestamp}/{signature}/{uuid.uuid4().hex}"
    headers = [("Content-Type", content_type)] if content_type else []
    reply = exchange(port, "POST", path, headers, body).json()
    assert reply["return_code"] == "40101"  # past auth, into the body's own checks
    assert "ID_card_side" in reply["return_msg"]


# Clients found in public repositories (docs/clients.md lists where each comes from).


@pytest.mark.slow
def test_waiqin_python_demo_urllib3_reads_response_data(port, account, shared_data):
    """ObjectAPI.callAPI (the Python demo Waiqin hands out, and its copies): the digest of
    `'%s|%s|%s' % (body, appkey, time.strftime('%Y%m%d%H%M%S'))`, msg_id `uuid.uuid1()`,
    urllib3 with `Accept-Encoding: gzip, deflate` (it inflates the answer itself), then
    `json.loads(ret.get("response_data"))`."""
    import gzip
    import zlib

    raw = (shared_data / CARDS / "cnid_syn_s2_front.jpg").read_bytes()
    body_value = json.dumps(
        {
            "transfer_id": str(next(_ids)),
            "image": quote(base64.b64encode(raw).decode(), safe=""),
            "ID_card_side": "front",
        }
    )
    timstamp = manual_timestamp()  # the demo runs on a China Standard Time clock
    digest = hashlib.md5(
        ("%s|%s|%s" % (body_value, account["appkey"], timstamp)).encode("utf-8")  # noqa: UP031 (as the demo writes it)
    ).hexdigest()
    msgid = uuid.uuid1()
    path = "/%s/%s/%s/%s/%s" % ("api/ocr/v1/idcard", account["openid"], timstamp, digest, msgid)  # noqa: UP031
    headers = [
        ("Accept-Encoding", "gzip, deflate"),
        ("User-Agent", "python-urllib3/2.2.1"),
        ("Content-Type", "application/json"),
    ]
    reply = exchange(port, "POST", path, headers, body_value.encode())
    assert reply.status == 200
    data = reply.body
    encoding = reply.headers.get("content-encoding", "")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "deflate":
        data = zlib.decompress(data)
    ret = json.loads(data.decode("utf-8"))
    assert ret["msg_id"] == str(msgid), ret["return_msg"]
    response_data = json.loads(ret.get("response_data"))
    assert response_data["recognition_results"]["姓名"]["words"] == "李晓燕"
