"""SenseTime 1:N feature databases over HTTP (seed 000 chapter 3), on real faces.

Enrolled: one photo each of five people; probes are other photos of them, and two people who are
not enrolled. Identities come from ../shared/data/faces/labels.csv's folders.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path

import pytest

from contracts import calibration
from vendors.common.tokens import seal
from vendors.sensetime.feature import APIS as feature_apis

ENROLLED = {
    "angelina_jolie": "faces/angelina_jolie/img11.jpg",
    "mark_zuckerberg": "faces/mark_zuckerberg/img14.jpg",
    "barack_obama": "faces/barack_obama/obama1.jpg",
    "jack_dorsey": "faces/jack_dorsey/img16.jpg",
    "jennifer_aniston": "faces/jennifer_aniston/img53.jpg",
}
PROBES = {
    "angelina_jolie": "faces/angelina_jolie/img10.jpg",
    "mark_zuckerberg": "faces/mark_zuckerberg/img15.jpg",
    "barack_obama": "faces/barack_obama/obama2.jpg",
    "jack_dorsey": "faces/jack_dorsey/img17.jpg",
}
STRANGERS = ("faces/joe_biden/biden.jpg", "faces/elon_musk/img67.jpg")
NO_FACE = "id_documents/cn_id_card/cnid_syn_s1_back.jpg"
THRESHOLD = calibration.sensetime_threshold()
CORRUPT_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def call(client, api, *, files=None, headers=None, **data):
    response = client.post(f"/ssid-feature/v2/{api}", data=data, files=files, headers=headers)
    assert response.status_code == 200
    return response.json()


def ok(reply):
    assert reply["code"] == "0000", reply
    assert reply["msg"] == "success"
    return reply["data"]


def refused(reply, code, msg=None):
    assert reply["code"] == code, reply
    assert reply["data"] is None
    if msg is not None:
        assert reply["msg"] == msg
    return reply["msg"]


def new_db(client, size=100, headers=None) -> str:
    name = "T" + uuid.uuid4().hex[:12]
    assert ok(call(client, "addDb", headers=headers, dbName=name, maxSize=str(size))) == {
        "dbId": name
    }
    return name


def kept_file(client, shown: str) -> Path:
    """The file a feature's `image` names: shown below the data directory, never absolutely."""
    assert not shown.startswith(str(client.app.state.services.data_dir.resolve()))
    return client.app.state.services.data_dir / shown.lstrip("/")


def photo(shared_data: Path, rel: str) -> dict:
    return {"file": (Path(rel).name, (shared_data / rel).read_bytes(), "image/jpeg")}


def b64(shared_data: Path, rel: str) -> str:
    return base64.b64encode((shared_data / rel).read_bytes()).decode()


@pytest.fixture(scope="module")
def enrolled(st_open, shared_data):
    """A database holding the five ENROLLED people, alternately as multipart and base64."""
    name = new_db(st_open)
    ids = {}
    for i, (person, rel) in enumerate(ENROLLED.items()):
        fields = {"dbId": name, "externalUuid": person, "remark": json.dumps({"n": i})}
        if i % 2:
            reply = call(st_open, "insertByImage", data=b64(shared_data, rel), **fields)
        else:
            reply = call(st_open, "insertByImage", files=photo(shared_data, rel), **fields)
        bean = ok(reply)
        assert kept_file(st_open, bean["image"]).is_file()
        ids[person] = bean["featureId"]
    return name, ids


@pytest.fixture(scope="module")
def features(st_open, shared_data):
    """§3.4.1 feature strings of the enrolled photos and the strangers, by folder name."""
    found = {}
    for rel in (*ENROLLED.values(), *STRANGERS):
        data = ok(call(st_open, "extract", files=photo(shared_data, rel)))
        found[rel.split("/")[1]] = data["faces"][0]["feature"]
    return found


# --- databases ------------------------------------------------------------------------------


def test_database_is_created_read_and_deleted(st_open):
    name = new_db(st_open, size=200)
    for reply in (
        st_open.get("/ssid-feature/v2/getDbInfo", params={"dbId": name}).json(),
        call(st_open, "getDbInfo", dbId=name),
        call(st_open, "getDbInfo", dbld=name),  # the manual's OCR spelling
    ):
        info = ok(reply)
        assert info["dbId"] == info["dbName"] == name
        assert info["dbType"] == "Face"
        assert info["maxSize"] == "200" and info["currentSize"] == 0
        src, dst = info["normalizeSrc"].split(","), info["normalizeDst"].split(",")
        assert len(src) == len(dst) >= 2 and all(v.endswith("f") for v in src + dst)
        assert (src[0], dst[0], src[-1], dst[-1]) == ("-1.0f", "0.0f", "1.0f", "1.0f")
        assert "0.699999988079071f" in dst  # the default threshold 0.7, as the manual prints it
        assert [float(v[:-1]) for v in src] == pytest.approx(calibration.sensetime_knots()[0])
    assert ok(call(st_open, "deleteDb", dbId=name)) == {"dbId": name}
    refused(
        call(st_open, "getDbInfo", dbId=name),
        "63040502",
        f"[ssid-feature]dbId {name} is not exist",
    )


def test_existing_database_name_is_refused(st_open):
    name = new_db(st_open)
    refused(
        call(st_open, "addDb", dbName=name, maxSize="5"),
        "63040501",
        f"[ssid-feature]dbName {name} is exist",
    )


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({"maxSize": "5"}, "63010202", "[ssid-feature]Param dbName can not be blank"),
        ({"dbName": "ok1"}, "63010202", "[ssid-feature]Param maxSize can not be blank"),
        (
            {"dbName": "bad-name", "maxSize": "5"},
            "63040510",
            "[ssid-feature]dbName not match rule [0-9A-Za-z]",
        ),
        ({"dbName": "ok2", "maxSize": "many"}, "63010205", None),
        ({"dbName": "ok3", "maxSize": "0"}, "63010205", None),
        ({"dbName": "ok4", "maxSize": "5", "dbType": "Car"}, "63040704", None),
    ],
)
def test_add_db_checks_its_fields(st_open, fields, code, msg):
    text = refused(call(st_open, "addDb", **fields), code, msg)
    assert text.startswith("[ssid-feature]")


@pytest.mark.parametrize(
    ("api", "method"),
    [
        ("getDbInfo", "GET"),
        ("deleteDb", "POST"),
        ("get", "GET"),
        ("delete", "POST"),
        ("insertByImage", "POST"),
        ("updateByImage", "POST"),
        ("searchByImage", "POST"),
    ],
)
def test_unknown_database_is_not_exist(st_open, api, method):
    fields = {"dbId": "NoSuchDb", "featureId": "f", "featureIds": "f"}
    reply = st_open.request(method, f"/ssid-feature/v2/{api}", params=fields).json()
    refused(reply, "63040502", "[ssid-feature]dbId NoSuchDb is not exist")


# --- features -------------------------------------------------------------------------------


def test_extract_gives_the_largest_face_feature(st_open, shared_data):
    # Ramiz in front, a second, smaller face beside him
    data = ok(call(st_open, "extract", data=b64(shared_data, "faces/ramiz_raja/5.jpg")))
    assert data["numOfFaces"] == 2 and data["rotation"] == 0
    assert len(data["faces"]) == 1 and data["faces"][0]["faceId"] == "0"
    assert data["faces"][0]["feature"].startswith("eyJ")


def test_feature_insert_get_and_search(st_open, features):
    name = new_db(st_open)
    bean = ok(
        call(
            st_open,
            "insert",
            feature=features["mark_zuckerberg"],
            dbld=name,
            externalUuid="mz",
            remark='{"desk": 7}',
            imageUrl="/images/mz.jpg",
        )
    )
    assert bean["image"] == "/images/mz.jpg"
    ok(call(st_open, "insert", feature=features["barack_obama"], dbId=name, imageUrl="/o.jpg"))

    got = ok(
        st_open.get(
            "/ssid-feature/v2/get", params={"dbId": name, "featureId": bean["featureId"]}
        ).json()
    )
    assert got == {
        "featureId": bean["featureId"],
        "image": "/images/mz.jpg",
        "feature": got["feature"],
        "remark": '{"desk": 7}',
        "externalUuid": "mz",
        "dbId": name,
        "dbName": name,
    }
    assert got["feature"].startswith("eyJ")

    hits = ok(
        call(
            st_open,
            "searchByFeature",
            feature=features["mark_zuckerberg"],
            featureType="Face",
            dbId=name,
            count="5",
        )
    )
    assert [h["externalUuid"] for h in hits] == ["mz", None]
    top = hits[0]
    assert top["featureId"] == bean["featureId"] and top["score"] > 0.99
    assert top["type"] == "Face" and top["dbName"] == name and top["image"] == "/images/mz.jpg"
    assert top["feature"].startswith("eyJ")
    assert hits[1]["score"] < THRESHOLD
    # the stored feature string searches like the original
    again = ok(call(st_open, "searchByFeature", feature=got["feature"], dbId=name))
    assert [h["featureId"] for h in again] == [bean["featureId"]]


@pytest.mark.slow
def test_enrolled_people_are_found_by_another_photo(st_open, shared_data, enrolled):
    name, ids = enrolled
    for person, rel in PROBES.items():
        hits = ok(call(st_open, "searchByImage", files=photo(shared_data, rel), dbId=name, count=3))
        assert len(hits) == 3
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
        top = hits[0]
        assert (top["externalUuid"], top["featureId"]) == (person, ids[person]), hits
        assert top["score"] >= THRESHOLD > hits[1]["score"]
        assert json.loads(top["remark"]) == {"n": list(ENROLLED).index(person)}


@pytest.mark.slow
def test_people_not_enrolled_get_no_hit_above_the_threshold(st_open, shared_data, enrolled):
    name, _ = enrolled
    for rel in STRANGERS:
        hits = ok(call(st_open, "searchByImage", data=b64(shared_data, rel), dbId=name, count=5))
        assert hits and all(h["score"] < THRESHOLD for h in hits)
        fields = {"dbId": name, "count": 5, "threshold": THRESHOLD}
        assert ok(call(st_open, "searchByImage", files=photo(shared_data, rel), **fields)) == []


@pytest.mark.slow
def test_search_is_also_served_under_feature_v2(st_open, shared_data, enrolled, features):
    name, ids = enrolled
    reply = st_open.post(
        "/feature/v2/searchByImage",
        data={"dbId": name, "type": "Face"},
        files=photo(shared_data, PROBES["barack_obama"]),
    ).json()
    assert ok(reply)[0]["featureId"] == ids["barack_obama"]
    reply = st_open.post(
        "/feature/v2/searchByFeature",
        data={"dbId": name, "featureType": "Face", "feature": features["jack_dorsey"]},
    ).json()
    assert ok(reply)[0]["featureId"] == ids["jack_dorsey"]


@pytest.mark.slow
def test_update_moves_a_feature_to_another_person(st_open, features):
    name = new_db(st_open)
    feature_id = ok(
        call(st_open, "insert", feature=features["angelina_jolie"], dbId=name, imageUrl="/a.jpg")
    )["featureId"]
    bean = ok(
        call(
            st_open,
            "update",
            feature=features["elon_musk"],
            featureId=feature_id,
            dbId=name,
            externalUuid="elon",
            imageUrl="/e.jpg",
        )
    )
    assert bean == {"featureId": feature_id, "image": "/e.jpg"}
    old = ok(call(st_open, "searchByFeature", feature=features["angelina_jolie"], dbId=name))
    assert old[0]["score"] < THRESHOLD
    new = ok(call(st_open, "searchByFeature", feature=features["elon_musk"], dbId=name))
    assert (new[0]["featureId"], new[0]["externalUuid"]) == (feature_id, "elon")
    assert new[0]["score"] > 0.99
    refused(
        call(
            st_open,
            "update",
            feature=features["elon_musk"],
            featureId="nope",
            dbId=name,
            imageUrl="/e.jpg",
        ),
        "63040502",
        "[ssid-feature]featureId nope is not exist",
    )


@pytest.mark.slow
def test_update_by_image_replaces_the_feature_and_its_kept_image(st_open, shared_data):
    name = new_db(st_open)
    first = ok(
        call(
            st_open,
            "insertByImage",
            files=photo(shared_data, ENROLLED["angelina_jolie"]),
            dbId=name,
            remark="kept",
        )
    )
    second = ok(
        call(
            st_open,
            "updateByImage",
            data=b64(shared_data, ENROLLED["barack_obama"]),
            featureId=first["featureId"],
            dbId=name,
        )
    )
    assert second["featureId"] == first["featureId"] and second["image"] != first["image"]
    assert (
        not kept_file(st_open, first["image"]).exists()
        and kept_file(st_open, second["image"]).is_file()
    )
    hits = ok(
        call(st_open, "searchByImage", files=photo(shared_data, PROBES["barack_obama"]), dbId=name)
    )
    assert hits[0]["featureId"] == first["featureId"] and hits[0]["score"] >= THRESHOLD
    assert hits[0]["remark"] == "kept" and hits[0]["image"] == second["image"]


@pytest.mark.slow
def test_delete_reports_each_id_and_the_feature_leaves_search(st_open, shared_data, features):
    name = new_db(st_open)
    bean = ok(
        call(
            st_open,
            "insertByImage",
            files=photo(shared_data, ENROLLED["mark_zuckerberg"]),
            dbId=name,
        )
    )
    other = ok(call(st_open, "insert", feature=features["barack_obama"], dbId=name, imageUrl="/o"))
    reply = st_open.post(
        "/ssid-feature/v2/delete",
        json={"dbId": name, "featureIds": [bean["featureId"], "missing"]},
    ).json()
    assert ok(reply) == [
        {"featureId": bean["featureId"], "status": "0"},
        {"featureId": "missing", "status": "1"},
    ]
    assert not kept_file(st_open, bean["image"]).exists()
    refused(call(st_open, "get", dbId=name, featureId=bean["featureId"]), "63040502")
    hits = ok(call(st_open, "searchByFeature", feature=features["mark_zuckerberg"], dbId=name))
    assert [h["featureId"] for h in hits] == [other["featureId"]]
    assert ok(call(st_open, "getDbInfo", dbId=name))["currentSize"] == 1
    # featurelds: the manual's OCR spelling, as a comma-separated form field
    reply = call(st_open, "delete", dbId=name, featurelds=other["featureId"])
    assert ok(reply) == [{"featureId": other["featureId"], "status": "0"}]


@pytest.mark.slow
def test_delete_db_takes_its_kept_images(st_open, shared_data):
    name = new_db(st_open)
    bean = ok(
        call(st_open, "insertByImage", files=photo(shared_data, ENROLLED["jack_dorsey"]), dbId=name)
    )
    ok(call(st_open, "deleteDb", dbId=name))
    assert not kept_file(st_open, bean["image"]).exists()
    refused(call(st_open, "get", dbId=name, featureId=bean["featureId"]), "63040502")


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.slow
def test_full_database_refuses_and_keeps_nothing(st_open, shared_data):
    name = new_db(st_open, size=1)
    first = ok(
        call(st_open, "insertByImage", files=photo(shared_data, ENROLLED["jack_dorsey"]), dbId=name)
    )
    kept = kept_file(st_open, first["image"]).parent
    refused(
        call(
            st_open, "insertByImage", files=photo(shared_data, ENROLLED["barack_obama"]), dbId=name
        ),
        "63040701",
    )
    assert ok(call(st_open, "getDbInfo", dbId=name))["currentSize"] == 1
    assert list(kept.iterdir()) == [kept_file(st_open, first["image"])]


def test_tampered_feature_is_incorrect(st_open, features):
    name = new_db(st_open)
    head, tail = features["angelina_jolie"].split(".")
    tampered = head[:-4] + ("AAAA" if head[-4:] != "AAAA" else "BBBB") + "." + tail
    for api, extra in (("insert", {"imageUrl": "/x.jpg"}), ("searchByFeature", {})):
        reply = call(st_open, api, feature=tampered, dbId=name, **extra)
        assert refused(reply, "63040705").startswith("[ssid-feature]Incorrect feature")
    assert ok(call(st_open, "getDbInfo", dbId=name))["currentSize"] == 0


def test_database_name_against_its_rule_is_040510_as_the_manual_prints(st_open):
    reply = st_open.get("/ssid-feature/v2/getDbInfo", params={"dbId": "no-dashes"}).json()
    refused(reply, "63040510", "[ssid-feature]dbId not match rule [0-9A-Za-z]")


def test_bad_feature_in_update_is_param_illegal_as_the_manual_prints(st_open, features):
    name = new_db(st_open)
    reply = call(
        st_open, "update", dbId=name, featureId="f1", feature="not-a-feature", imageUrl="/x.jpg"
    )
    refused(reply, "63010205", "[ssid-feature]Param feature illegal errors: feature-->code")


def test_update_by_image_without_an_image_is_file_blank(st_open, features):
    name = new_db(st_open)
    item = ok(
        call(st_open, "insert", dbId=name, feature=features["angelina_jolie"], imageUrl="/x.jpg")
    )
    reply = call(st_open, "updateByImage", dbId=name, featureId=item["featureId"])
    refused(reply, "63010202", "[ssid-feature]Param file can not be blank")


def test_feature_of_another_model_version_is_refused(st_open, features):
    name = new_db(st_open)
    vector = base64.urlsafe_b64encode(b"\x00\x00\x80\x3f" * 128).rstrip(b"=").decode()
    sealer = st_open.app.state.services.sealer
    foreign = seal(sealer, "sensetime-feature", {"model": "other-net:00000000", "vec": vector})
    for api, extra in (("insert", {"imageUrl": "/x.jpg"}), ("searchByFeature", {})):
        reply = call(st_open, api, feature=foreign, dbId=name, **extra)
        assert refused(reply, "63040510").startswith("[ssid-feature]Feature version not match")


def test_missing_fields_are_named(st_open, shared_data, features):
    name = new_db(st_open)
    refused(
        call(st_open, "insertByImage", dbId=name),
        "63010201",
        "[ssid-feature]Param file,data can not both be blank",
    )
    refused(
        call(st_open, "insert", dbId=name, imageUrl="/x.jpg"),
        "63010202",
        "[ssid-feature]Param feature can not be blank",
    )
    refused(
        call(st_open, "insert", dbId=name, feature=features["barack_obama"]),
        "63010202",
        "[ssid-feature]Param imageUrl can not be blank",
    )
    refused(
        call(st_open, "delete", dbId=name),
        "63010202",
        "[ssid-feature]Param featureIds can not be blank",
    )
    refused(
        call(st_open, "searchByFeature", feature=features["barack_obama"]),
        "63010202",
        "[ssid-feature]Param dbId can not be blank",
    )
    reply = call(
        st_open, "searchByFeature", feature=features["barack_obama"], dbId=name, featureType="Body"
    )
    refused(reply, "63040704", "[ssid-feature]Type should be Face")


def test_bad_images_are_refused(st_open, shared_data):
    name = new_db(st_open)
    corrupt = {"file": ("broken.jpg", CORRUPT_JPEG, "image/jpeg")}
    refused(call(st_open, "insertByImage", files=corrupt, dbId=name), "63010502")
    refused(call(st_open, "searchByImage", files=corrupt, dbId=name), "63010502")
    no_face = call(st_open, "insertByImage", data=b64(shared_data, NO_FACE), dbId=name)
    assert refused(no_face, "63040301").startswith("[ssid-feature]Image")
    refused(call(st_open, "extract", files=corrupt), "63010502")
    assert ok(call(st_open, "getDbInfo", dbId=name))["currentSize"] == 0


# --- account mode ---------------------------------------------------------------------------


@pytest.mark.slow
def test_account_mode_serves_a_granted_account(st_account, st_login, shared_data):
    headers = st_login("ssid-feature")
    name = new_db(st_account, headers=headers)
    bean = ok(
        call(
            st_account,
            "insertByImage",
            files=photo(shared_data, ENROLLED["barack_obama"]),
            dbId=name,
            externalUuid="obama",
            headers=headers,
        )
    )
    reply = st_account.post(
        "/feature/v2/searchByImage",
        data={"dbId": name, "data": b64(shared_data, PROBES["barack_obama"])},
        headers={**headers, "bizNo": "B-7"},
    )
    assert reply.headers["bizNo"] == "B-7"
    assert ok(reply.json())[0]["featureId"] == bean["featureId"]
    got = st_account.get(
        "/ssid-feature/v2/get",
        params={"dbId": name, "featureId": bean["featureId"]},
        headers=headers,
    ).json()
    assert ok(got)["externalUuid"] == "obama"


def test_account_mode_refuses_missing_tokens_and_ungranted_apis(st_account, st_login):
    refused(call(st_account, "addDb", dbName="Acc1", maxSize="3"), "63010401")
    bad = {"authorization": "Basic eyJub3QiOiJ0b2tlbiJ9.AAAA"}
    refused(call(st_account, "addDb", headers=bad, dbName="Acc1", maxSize="3"), "63010401")
    refused(call(st_account, "getDbInfo", headers=st_login(), dbId="Acc1"), "63040502")
    headers = st_login("ssid-feature/addDb", "getDbInfo")
    name = new_db(st_account, headers=headers)
    reply = call(st_account, "deleteDb", headers=headers, dbId=name)
    assert refused(reply, "63010304").startswith("[ssid-feature]Capability is not granted")
    assert ok(call(st_account, "getDbInfo", headers=headers, dbId=name))


@pytest.mark.parametrize("api", [api.name for api in feature_apis])
def test_account_mode_guards_every_feature_api(st_account, api):
    prefixes = (
        ("/ssid-feature/v2", "/feature/v2") if api.startswith("search") else ("/ssid-feature/v2",)
    )
    for prefix in prefixes:
        reply = st_account.post(f"{prefix}/{api}", data={"dbId": "Any"}).json()
        assert reply["code"] == "63010401", (prefix, reply)


def test_expired_token_is_refused(st_account, st_login, monkeypatch):
    headers = st_login("ssid-feature")
    ok(call(st_account, "getDbInfo", headers=headers, dbId=new_db(st_account, headers=headers)))
    monkeypatch.setattr(time, "time", lambda: 4_102_444_800.0)  # the year 2100
    refused(call(st_account, "addDb", headers=headers, dbName="Late", maxSize="3"), "63010401")
