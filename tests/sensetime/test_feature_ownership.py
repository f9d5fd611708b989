"""Kept feature photos belong to the item the service made them for (issue 10 item 4)."""

from __future__ import annotations

from tests.sensetime.test_feature import ENROLLED, call, kept_file, new_db, ok, photo


def test_a_caller_path_naming_another_items_photo_never_deletes_it(st_open, shared_data):
    owner_db, other_db = new_db(st_open), new_db(st_open)
    kept = ok(
        call(
            st_open,
            "insertByImage",
            files=photo(shared_data, ENROLLED["jack_dorsey"]),
            dbId=owner_db,
        )
    )
    photo_path = kept_file(st_open, kept["image"])
    feature = ok(call(st_open, "extract", files=photo(shared_data, ENROLLED["jack_dorsey"])))
    feature = feature["faces"][0]["feature"]
    borrowed = ok(call(st_open, "insert", feature=feature, dbId=other_db, imageUrl=str(photo_path)))
    ok(
        call(
            st_open,
            "update",
            feature=feature,
            dbId=other_db,
            featureId=borrowed["featureId"],
            imageUrl="/elsewhere.jpg",
        )
    )
    assert photo_path.is_file()
    again = ok(call(st_open, "insert", feature=feature, dbId=owner_db, imageUrl=str(photo_path)))
    ok(call(st_open, "delete", dbId=owner_db, featureIds=again["featureId"]))
    ok(call(st_open, "deleteDb", dbId=other_db))
    assert photo_path.is_file()
    ok(call(st_open, "delete", dbId=owner_db, featureIds=kept["featureId"]))
    assert not photo_path.exists()
