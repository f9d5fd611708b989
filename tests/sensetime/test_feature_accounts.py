"""Feature databases per account, and list caps (issue 10 items 17 and 13)."""

from __future__ import annotations

import json

from tests.sensetime.test_feature import ENROLLED, call, new_db, ok, photo, refused


def test_a_database_belongs_to_the_account_that_made_it(st_account, st_login, shared_data):
    owner, other, admin = st_login(), st_login(), st_login("admin")
    name = new_db(st_account, headers=owner)
    feature = ok(
        call(
            st_account,
            "extract",
            headers=owner,
            files=photo(shared_data, ENROLLED["barack_obama"]),
        )
    )["faces"][0]["feature"]
    bean = ok(call(st_account, "insert", headers=owner, dbId=name, feature=feature, imageUrl="/o"))
    for api, fields in (
        ("getDbInfo", {}),
        ("insert", {"feature": feature, "imageUrl": "/x"}),
        ("get", {"featureId": bean["featureId"]}),
        ("searchByFeature", {"feature": feature}),
        ("delete", {"featureIds": bean["featureId"]}),
        ("deleteDb", {}),
    ):
        reply = call(st_account, api, headers=other, dbId=name, **fields)
        assert refused(reply, "63040502") == f"[ssid-feature]dbId {name} is not exist", api
    taken = call(st_account, "addDb", headers=other, dbName=name, maxSize="10")
    assert taken["code"] == "63040501"
    assert ok(call(st_account, "getDbInfo", headers=admin, dbId=name))["currentSize"] == 1
    assert ok(call(st_account, "get", headers=owner, dbId=name, featureId=bean["featureId"]))
    ok(call(st_account, "deleteDb", headers=owner, dbId=name))


def test_lists_over_the_cap_are_parameter_errors(st_open):
    name = new_db(st_open)
    at_cap = [f"id{i}" for i in range(1000)]
    reply = st_open.post("/ssid-feature/v2/delete", json={"dbId": name, "featureIds": at_cap})
    assert len(ok(reply.json())) == 1000
    over = json.dumps([*at_cap, "one-more"])
    reply = call(st_open, "delete", dbId=name, featureIds=over)
    assert refused(reply, "63010205").startswith("[ssid-feature]Param featureIds illegal errors")
