"""Yitu clients as public third-party code writes them, over a real socket.

The Java sample (and its copies): a base URL ending in `/` (so `//face/...`), a HashMap body
(keys in hash order), commons-codec base64 wrapped with CRLF every 76 characters inside the JSON
string, upper-case hex signatures, `accept: */*` and `connection: Keep-Alive`. PHP clients: the
4-byte time little-endian, ASCII "random" bytes, a random custom part, lower-case hex, header
lines without a space after the colon, `\\/` escapes, and the MD5 slot
`bin2hex(substr(md5(body), 8, 16))`. Each signature is built here, independently of vendors/yitu.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import string
import struct
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from contracts.credentials import Vendor
from tests.compat.wire import exchange

OBAMA = "faces/barack_obama/obama.jpg"
OBAMA_2 = "faces/barack_obama/obama2.jpg"
BIDEN = "faces/joe_biden/biden.jpg"
EXTRACT = "/face/v1/algorithm/recognition/feature_extraction"
PAIR = "/face/v1/algorithm/recognition/face_pair_verification"


@pytest.fixture(scope="module")
def account(credential) -> dict[str, str]:
    return credential(Vendor.yitu)


def _encrypt(public_key_pem: str, plaintext: bytes) -> bytes:
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    return key.encrypt(plaintext, padding.PKCS1v15())


def java_signature(account: dict, body: bytes, *, when: float | None = None) -> str:
    """ByteBuffer: key, md5hex, putInt(time) big-endian, SecureRandom 8 bytes; upper hex."""
    plain = account["access_key"].encode() + hashlib.md5(body).hexdigest().encode()
    plain += struct.pack(">i", int(time.time() if when is None else when)) + os.urandom(8)
    return _encrypt(account["public_key_pem"], plain + b"java custom").hex().upper()


def php_signature(account: dict, body: bytes, *, when: float | None = None, md5=None) -> str:
    """pack('V', time()) little-endian, ASCII random, bin2hex(substr(md5, 8, 16)), lower hex."""
    slot = md5 if md5 is not None else hashlib.md5(body).hexdigest()[8:24].encode().hex()
    alphabet = string.ascii_letters + string.digits
    nonce = "".join(random.choice(alphabet) for _ in range(8)).encode()
    custom = "".join(random.choice(alphabet) for _ in range(12)).encode()
    plain = account["access_key"].encode() + slot.encode()
    plain += struct.pack("<I", int(time.time() if when is None else when)) + nonce + custom
    return _encrypt(account["public_key_pem"], plain).hex()


def commons_codec_base64(data: bytes) -> str:
    """Base64 as older commons-codec writes it: CRLF after every 76 characters."""
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 76] + "\r\n" for i in range(0, len(text), 76))


def java_post(port: int, account: dict, path: str, body: bytes, signature: str | None = None):
    headers = [
        ("accept", "*/*"),
        ("connection", "Keep-Alive"),
        ("Content-Type", "application/json;charset=UTF-8"),
        ("x-access-id", account["access_id"]),
        ("x-signature", signature or java_signature(account, body)),
    ]
    return exchange(port, "POST", "/" + path, headers, body)  # base URL ends in "/"


def php_post(port: int, account: dict, path: str, body: bytes, signature: str | None = None):
    headers = [
        "Content-Type:application/json",
        f"x-access-id:{account['access_id']}",
        f"x-signature:{signature or php_signature(account, body)}",
    ]
    return exchange(port, "POST", path, headers, body)


def php_json(payload: dict) -> bytes:
    """json_encode: `/` escaped as `\\/`."""
    return json.dumps(payload).replace("/", "\\/").encode()


def test_java_sample_client_extracts_a_feature(port, account, shared_data):
    image = (shared_data / OBAMA).read_bytes()
    # HashMap order: not the manual's order
    body = json.dumps(
        {"image_type": 3, "image_content": commons_codec_base64(image)}, separators=(",", ":")
    ).encode()
    reply = java_post(port, account, EXTRACT, body)
    assert reply.status == 200
    answer = reply.json()
    assert answer["rtn"] == 0 and type(answer["rtn"]) is int, answer["message"]
    assert type(answer["image_type"]) is int and answer["face_num"] == 1
    assert answer["feature"]


def _pair(post, port, account, first: bytes, second: bytes, body_of=json.dumps) -> dict:
    payload = {
        "database_image_content": base64.b64encode(first).decode(),
        "database_image_type": 3,
        "query_image_content": base64.b64encode(second).decode(),
        "query_image_type": 301,
        "true_negative_rate": "99.9",
        "enable_verify_detail": True,
    }
    body = body_of(payload)
    reply = post(port, account, PAIR, body if isinstance(body, bytes) else body.encode())
    assert reply.status == 200
    return reply.json()


def test_php_client_signature_layout_is_accepted_and_scores_people(port, account, shared_data):
    first = (shared_data / OBAMA).read_bytes()
    same = _pair(php_post, port, account, first, (shared_data / OBAMA_2).read_bytes(), php_json)
    assert same["rtn"] == 0 and type(same["rtn"]) is int, same["message"]
    assert same["pair_verify_result"] == 0
    assert isinstance(same["pair_verify_similarity"], float)
    assert len(same["verify_detail"]["score_list"]) == 1
    other = _pair(php_post, port, account, first, (shared_data / BIDEN).read_bytes(), php_json)
    assert other["pair_verify_result"] == 1
    assert other["pair_verify_similarity"] < same["pair_verify_similarity"]


def test_php_md5_slot_of_another_body_is_refused(port, account):
    body = php_json({"query_image_package": "QUFBQQ=="})
    wrong = hashlib.md5(b"another body").hexdigest()[8:24].encode().hex()
    reply = php_post(
        port,
        account,
        "/face/basic/check_image_package",
        body,
        php_signature(account, body, md5=wrong),
    )
    assert reply.json()["rtn"] == -101


@pytest.mark.parametrize("build", [java_signature, php_signature], ids=["big", "little"])
def test_a_time_outside_the_window_is_refused_in_either_byte_order(port, account, build):
    body = b'{"query_image_package":"QUFBQQ=="}'
    signature = build(account, body, when=time.time() - 3600)
    reply = java_post(port, account, "face/basic/check_image_package", body, signature)
    assert reply.json()["rtn"] == -101


def test_replayed_php_signature_is_refused(port, account):
    body = b'{"query_image_package":"QUFBQQ=="}'
    signature = php_signature(account, body)
    first = php_post(port, account, "/face/basic/check_image_package", body, signature)
    assert first.json()["rtn"] != -101
    again = php_post(port, account, "/face/basic/check_image_package", body, signature)
    assert again.json()["rtn"] == -103


def test_unserved_path_is_the_yitu_envelope(port, account):
    reply = java_post(port, account, "face/v1/algorithm/nothing", b"{}")
    assert reply.status == 404 and reply.json()["rtn"] == -205


def test_private_cloud_client_without_signature_headers(tmp_path, shared_data):
    from tests.compat.conftest import serve

    image = base64.b64encode((shared_data / OBAMA).read_bytes()).decode()
    body = json.dumps({"image_content": image, "image_type": 3}).encode()
    with serve(tmp_path, yitu_signature="off") as port:
        reply = exchange(port, "POST", EXTRACT, [("Content-Type", "application/json")], body)
    assert reply.json()["rtn"] == 0 and reply.json()["face_num"] == 1


def test_java_string_entity_json_as_text_plain_is_read(port, account, shared_data):
    """HttpClient's StringEntity(json, "UTF-8") declares text/plain; the body is still JSON."""
    image = base64.b64encode((shared_data / OBAMA).read_bytes()).decode()
    body = json.dumps({"image_content": image, "image_type": 3}).encode()
    headers = [
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("x-access-id", account["access_id"]),
        ("x-signature", java_signature(account, body)),
    ]
    reply = exchange(port, "POST", EXTRACT, headers, body).json()
    assert reply["rtn"] == 0 and reply["face_num"] == 1, reply["message"]


# Clients found in public repositories (docs/clients.md lists where each comes from).

CARDS = "id_documents/cn_id_card"


def fastjson(payload: dict) -> bytes:
    """fastjson's JSON.toJSONString of a bean: fields in name order, no spaces, no `\\/`."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sample_helper_post(port: int, account: dict, path: str, body: bytes, custom: bytes):
    """HttpRequestHelper.sendPost of Yitu's Java sample and its copies: HttpURLConnection with
    `accept`, `connection`, `Content-Type: application/json`, and a signature whose custom part
    is the integrator's own constant."""
    plain = account["access_key"].encode() + hashlib.md5(body).hexdigest().encode()
    plain += struct.pack(">i", int(time.time())) + os.urandom(8) + custom
    signature = _encrypt(account["public_key_pem"], plain).hex().upper()
    headers = [
        ("accept", "*/*"),
        ("connection", "Keep-Alive"),
        ("Content-Type", "application/json"),
        ("x-access-id", account["access_id"]),
        ("x-signature", signature),
        ("User-Agent", "Java/1.8.0_181"),
    ]
    reply = exchange(port, "POST", path, headers, body)
    assert reply.status == 200
    return reply.json()


@pytest.mark.slow
def test_fanbei_yitu_util_check_card_reads_both_sides(port, account, shared_data):
    """YituUtil.checkCard: a YituFaceCardReqBo per side (mode 1, options ocr_type 1,
    auto_rotate, ocr_mode 1 then 2), parsed into YituFaceCardRespBo: rtn, then
    idcard_ocr_result.idcard_type (an Integer) != -1, name/citizen_id from the front,
    agency/valid_date_begin/valid_date_end from the back."""
    truth = json.loads((shared_data / CARDS / "ground_truth.json").read_text(encoding="utf-8"))[0]

    def side(name: str, ocr_mode: int) -> dict:
        image = base64.b64encode((shared_data / CARDS / truth["files"][name]).read_bytes())
        body = fastjson(
            {
                "mode": 1,
                "options": {"auto_rotate": True, "ocr_mode": ocr_mode, "ocr_type": 1},
                "user_info": {"image_content": image.decode()},
            }
        )
        answer = sample_helper_post(port, account, "/face/basic/ocr", body, b"")
        assert answer["rtn"] == 0 and type(answer["rtn"]) is int, answer["message"]
        result = answer["idcard_ocr_result"]
        assert type(result["idcard_type"]) is int and result["idcard_type"] != -1
        return result

    front = side("front", 1)
    assert front["name"] == truth["name"] and front["citizen_id"] == truth["id_number"]
    back = side("back", 2)
    assert back["agency"] == truth["authority"]
    begin, end = truth["valid"].split("-")
    assert begin.replace(".", "") in back["valid_date_begin"].replace(".", "").replace("-", "")
    assert end.replace(".", "") in back["valid_date_end"].replace(".", "").replace("-", "")


@pytest.mark.slow
def test_fanbei_yitu_util_check_living_with_a_package(port, account, shared_data):
    """YituUtil.checkLiving: a YituFaceLivingReqBo (query_image_package with every
    query_image_package_check_* flag true, query_image_type 301, database_image_type 2),
    read as rtn == 0, then pair_verify_result and pair_verify_similarity."""
    from vendors.yitu.bundle import pack

    frames = [(shared_data / OBAMA_2).read_bytes()]
    package = pack(frames, access_id=account["access_id"], access_key=account["access_key"])
    body = fastjson(
        {
            "database_image_content": base64.b64encode((shared_data / OBAMA).read_bytes()).decode(),
            "database_image_type": 2,
            "query_image_package": base64.b64encode(package).decode(),
            "query_image_package_check_anti_eye_blockage": True,
            "query_image_package_check_anti_hole": True,
            "query_image_package_check_anti_picture": True,
            "query_image_package_check_anti_screen": True,
            "query_image_package_check_same_person": True,
            "query_image_package_return_image_list": True,
            "query_image_type": 301,
        }
    )
    answer = sample_helper_post(port, account, PAIR, body, b"232323")
    assert answer["rtn"] == 0, answer["message"]
    assert answer["pair_verify_result"] == 0 and type(answer["pair_verify_result"]) is int
    assert isinstance(answer["pair_verify_similarity"], float)
    assert answer["query_image_package_result"]["is_valid_package"] is True


@pytest.fixture(scope="module")
def unsigned_port(tmp_path_factory):
    """A private cloud run unsigned, as the integrations below expect."""
    from tests.compat.conftest import serve

    with serve(tmp_path_factory.mktemp("unsigned"), yitu_signature="off") as port:
        yield port


@pytest.mark.slow
def test_iesports_face_recog_util_with_a_fixed_signature(unsigned_port, shared_data):
    """FaceRecogUtil.faceRecognize: an ObjectMapper HashMap body, `x-signature` a fixed
    32-character string (private clouds do not check it), the similarity read with
    fastjson's getIntValue, which truncates a number."""
    body = json.dumps(
        {
            "query_image_type": 3,
            "database_image_content": base64.b64encode((shared_data / OBAMA).read_bytes()).decode(),
            "query_image_content": base64.b64encode((shared_data / OBAMA_2).read_bytes()).decode(),
            "database_image_type": 3,
        },
        separators=(",", ":"),
    ).encode()
    headers = [
        ("accept", "*/*"),
        ("connection", "Keep-Alive"),
        ("Content-Type", "application/json"),
        ("x-access-id", "12345"),
        ("x-signature", "e4305df7e61b38adbd59eabef7f8b706"),
    ]
    answer = exchange(unsigned_port, "POST", PAIR, headers, body).json()
    assert answer["rtn"] == 0, answer["message"]
    assert int(answer["pair_verify_similarity"]) > 50


def test_php_libs_face_yitu_check_image_rejects_a_foreign_package(unsigned_port):
    """libs\\face\\Yitu::checkImage: json_encode of query_image_package and
    query_image_package_check_same_person, posted by Curl::post_json; it treats a missing or
    negative rtn as failure, so a package it cannot open must still carry rtn."""
    body = php_json(
        {"query_image_package": "QUFBQQ==", "query_image_package_check_same_person": True}
    )
    reply = exchange(
        unsigned_port,
        "POST",
        "/face/basic/check_image_package",
        ["Content-Type: application/json"],
        body,
    )
    answer = reply.json()
    assert "rtn" in answer and type(answer["rtn"]) is int
    assert answer["query_image_package_result"]["is_valid_package"] is False


@pytest.mark.slow
def test_laravel_face_compare_php_signature_with_rects_and_details(port, account, shared_data):
    """A Laravel integration's faceCompare: json_encode of query/database type 3, both
    auto_rotate flags, max_faces_allowed 2, enable_verify_detail and return_face_rect; signed
    by its sign() (bin2hex(substr(md5, 8, 16)), integerToBytes little-endian, str_random(8),
    custom str_random(10)); curl with `Content-Type:application/json` and no space."""
    fields = php_json(
        {
            "query_image_type": 3,
            "database_image_type": 3,
            "query_image_content": base64.b64encode((shared_data / OBAMA_2).read_bytes()).decode(),
            "database_image_content": base64.b64encode((shared_data / OBAMA).read_bytes()).decode(),
            "auto_rotate_for_query": True,
            "auto_rotate_for_database": True,
            "max_faces_allowed": 2,
            "enable_verify_detail": True,
            "return_face_rect": True,
        }
    )
    answer = php_post(port, account, PAIR, fields).json()
    assert answer["rtn"] == 0, answer["message"]
    assert answer["pair_verify_result"] == 0
    assert answer["verify_detail"]["score_list"]


@pytest.mark.slow
def test_android_org_json_client_compares_a_meshed_photo(unsigned_port, shared_data):
    """An Android eKYC app's _compareImage: org.json JSONObject.toString() (which writes `/`
    as `\\/`), database_image_type 101 (a meshed ID photo), no signature headers at all,
    `os.write(requestContent.getBytes())`, then getInt("rtn") and
    getInt("pair_verify_similarity"). The meshed photo is simulated (tests/imaging/mesh.py)."""
    import cv2

    from tests.imaging.mesh import as_jpeg, meshed

    portrait = cv2.imread(str(shared_data / OBAMA), cv2.IMREAD_COLOR)
    database = as_jpeg(meshed(portrait))
    request = json.dumps(
        {
            "database_image_content": base64.b64encode(database).decode(),
            "database_image_type": 101,
            "query_image_content": base64.b64encode((shared_data / OBAMA_2).read_bytes()).decode(),
            "query_image_type": 301,
            "true_negative_rate": "99.9",
        },
        separators=(",", ":"),
    ).replace("/", "\\/")
    headers = [
        ("Content-Type", "application/json"),
        ("User-Agent", "Dalvik/2.1.0 (Linux; U; Android 9; SM-T295)"),
        ("Connection", "Keep-Alive"),
        ("Accept-Encoding", "identity"),
    ]
    answer = exchange(unsigned_port, "POST", PAIR, headers, request.encode()).json()
    assert answer["rtn"] == 0, answer["message"]
    assert int(answer["pair_verify_similarity"]) > 50 and answer["pair_verify_result"] == 0
