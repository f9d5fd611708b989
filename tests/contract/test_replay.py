"""`idfacade contract replay`: journalled calls sent to a second gateway, answers compared."""

from __future__ import annotations

import json

from gateway.cli import main
from idfacade.testing import running_gateway


def test_replay_to_a_second_gateway_finds_only_the_differences_it_should(tmp_path, face, capsys):
    a, b = face("joe_biden", "biden.jpg"), face("joe_biden", "biden2.jpg")
    other = face("barack_obama", "obama.jpg")
    with running_gateway(tmp_path / "first", {"journal_keep_bodies": True}) as first:
        assert first.yitu.compare(a, b).decision == "same"
        assert first.yitu.compare(a, other).decision == "different"
        assert first.netocr.answer("/verapi/verFaceImage.do", 21, {"img1": a, "img2": b}).ok
        assert first.sensetime.compare_images(a, other).ok
    journal = tmp_path / "first" / "journal.db"
    with running_gateway(tmp_path / "second") as second:
        credentials = tmp_path / "second.json"
        credentials.write_text(json.dumps(second.credentials))
        args = [
            "contract",
            "replay",
            str(journal),
            "--target",
            second.base_url,
            "--credentials",
            str(credentials),
        ]
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "4 calls replayed" in out and "0 differ" in out and "1 skipped" in out  # login

        second.fault("yitu", "face_pair_verification", error="busy", nth=2)
        assert main(args) == 1
        lines = capsys.readouterr().out.splitlines()
    (diff,) = [line for line in lines if line.startswith("DIFF")]
    assert "yitu face_pair_verification" in diff and "code 0 -> -901" in diff
    assert "decision different -> None" in diff


def test_calls_without_kept_fields_or_credentials_are_skipped(tmp_path, capsys):
    with running_gateway(tmp_path / "g") as handle:
        handle.netocr.answer("/verapi/verLivenessImage.do", 3035, {"img": b"x" * 400})
        credentials = tmp_path / "c.json"
        credentials.write_text(json.dumps({"netocr": handle.credentials["netocr"]}))
        journal = handle.data / "journal.db"
        code = main(
            [
                "contract",
                "replay",
                str(journal),
                "--target",
                handle.base_url,
                "--credentials",
                str(credentials),
            ]
        )
    assert code == 0
    assert "0 calls replayed" in capsys.readouterr().out
