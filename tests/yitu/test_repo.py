"""register_in_repo (102.1) and retrieval_in_repo (103.1): upload, search, delete, end to end."""

from __future__ import annotations

import base64

import pytest

LABEL = 2


@pytest.fixture(scope="module")
def repos(yitu, photo):
    """Two repos of label 2: `vipa` holds Obama and Biden, `vipb` Elvis (by feature)."""
    uploads = [
        ("vipa", "obama", photo("barack_obama", "obama.jpg"), {"tier": "gold"}),
        ("vipa", "biden", photo("joe_biden", "biden.jpg"), None),
    ]
    for repo, user, image, description in uploads:
        info = {"user_id": user, "repo_name": repo, "label": LABEL, "image_content": image}
        if description is not None:
            info["description"] = description
        assert yitu.register_in_repo(info, image_type=301) == {"rtn": 0, "message": "OK"}
    feature = yitu.feature_extraction(photo("elvis_presley", "1.jpg"), 3)["feature"]
    reply = yitu.register_in_repo(
        {"user_id": "elvis", "repo_name": "vipb", "label": LABEL, "feature_content": feature},
        mode=2,
    )
    assert reply["rtn"] == 0, reply
    return ("vipa", "vipb")


def search(yitu, image: bytes, repo: str = "", **options) -> list[dict]:
    info = {"label": LABEL, "repo_name": repo, "image_content": image}
    reply = yitu.retrieval_in_repo(info, image_type=301, **options)
    assert reply["rtn"] == 0, reply
    return reply["repo_result"]


@pytest.mark.slow
def test_search_of_one_repo_finds_the_person(yitu, repos, photo):
    hits = search(
        yitu,
        photo("barack_obama", "obama2.jpg"),
        "vipa",
        true_negative_rate="99.9",
        return_topk_face=2,
        return_face_image=True,
    )
    assert [hit["user_id"] for hit in hits] == ["obama", "biden"]
    best, other = hits
    assert best["is_same_person"] is True and other["is_same_person"] is False
    assert best["confidence"] > other["confidence"]
    assert best["description"] == {"tier": "gold"} and best["repo_name"] == "vipa"
    assert base64.b64decode(best["face_image_content"])[:3] == b"\xff\xd8\xff"


@pytest.mark.slow
def test_search_across_repos_of_the_label(yitu, repos, photo):
    hits = search(
        yitu, photo("elvis_presley", "2.jpg"), return_topk_face=10, true_negative_rate="99.9"
    )
    assert {hit["user_id"] for hit in hits} == {"obama", "biden", "elvis"}
    assert hits[0]["user_id"] == "elvis" and hits[0]["repo_name"] == "vipb"
    assert hits[0]["is_same_person"] is True
    assert "face_image_content" not in hits[0]
    # Other labels are other namespaces: the same repo name there is empty.
    reply = yitu.retrieval_in_repo(
        {"label": 1, "image_content": photo("elvis_presley", "2.jpg")}, image_type=301
    )
    assert reply == {"rtn": 0, "message": "OK", "repo_result": []}


def test_upload_refuses_a_repeated_user_id_and_bad_names(yitu, repos, photo):
    image = photo("joe_biden", "biden2.jpg")
    again = yitu.register_in_repo(
        {"user_id": "biden", "repo_name": "vipa", "label": LABEL, "image_content": image}
    )
    assert again["rtn"] == -502 and "biden" in again["message"]
    for info in (
        {"user_id": "a_b", "repo_name": "vipa", "label": LABEL, "image_content": image},
        {"user_id": "x" * 19, "repo_name": "vipa", "label": LABEL, "image_content": image},
        {"user_id": "ab", "repo_name": "vipa", "label": 4, "image_content": image},
    ):
        assert yitu.register_in_repo(info)["rtn"] == -203
    assert yitu.register_in_repo({"repo_name": "vipa", "label": LABEL})["rtn"] == -201
    feature_in_mode_1 = {
        "user_id": "ab",
        "repo_name": "vipa",
        "label": LABEL,
        "feature_content": "x",
    }
    assert yitu.register_in_repo(feature_in_mode_1)["rtn"] == -201


def test_search_limits(yitu, repos, photo):
    image = photo("joe_biden", "biden2.jpg")
    info = {"label": LABEL, "image_content": image}
    assert yitu.retrieval_in_repo(info, return_topk_face=11)["rtn"] == -203
    assert yitu.retrieval_in_repo(info, true_negative_rate="99.99999999")["rtn"] == -203
    unknown = yitu.retrieval_in_repo({**info, "repo_name": "nosuch"})
    assert unknown["rtn"] == -501


@pytest.mark.slow
def test_delete_removes_the_user_and_deleting_again_is_not_found(yitu, photo):
    image = photo("kit_harington", "john1.jpeg")
    for repo in ("delx", "dely"):
        info = {"user_id": "kit", "repo_name": repo, "label": 3, "image_content": image}
        assert yitu.register_in_repo(info)["rtn"] == 0
    probe = {"label": 3, "image_content": photo("kit_harington", "john2.jpeg")}
    assert len(yitu.retrieval_in_repo(probe, return_topk_face=5)["repo_result"]) == 2

    assert yitu.delete_in_repo({"user_id": "kit", "label": 3, "repo_name": "delx"})["rtn"] == 0
    hits = yitu.retrieval_in_repo(probe, return_topk_face=5)["repo_result"]
    assert [hit["repo_name"] for hit in hits] == ["dely"]
    # The manual's delete sample names no repo: every repo of the label.
    assert yitu.delete_in_repo({"user_id": "kit", "label": 3})["rtn"] == 0
    assert yitu.retrieval_in_repo(probe, return_topk_face=5)["repo_result"] == []
    assert yitu.delete_in_repo({"user_id": "kit", "label": 3})["rtn"] == -501


def test_the_manual_sample_without_repo_name_uploads_to_the_default_repo(yitu, photo):
    """§9.3's own sample omits repo_name, which its table requires; it goes to "default"."""
    image = photo("elvis_presley", "1.jpg")
    sample = {"user_id": "b001", "label": 1, "image_content": image}
    assert yitu.register_in_repo(sample, image_type=301) == {"rtn": 0, "message": "OK"}
    reply = yitu.retrieval_in_repo(
        {"label": 1, "repo_name": "", "image_content": image}, image_type=301
    )
    assert reply["rtn"] == 0, reply
    assert reply["repo_result"][0]["user_id"] == "b001"
    assert reply["repo_result"][0]["repo_name"] == "default"
