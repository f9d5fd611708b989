"""Single-image liveness on the antispoof stills."""

from __future__ import annotations

import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput, ImageLimits
from contracts.liveness import ATTACK_THRESHOLD
from engine.liveness import score_image

LIMITS = ImageLimits(max_bytes=8 * 1024 * 1024)


def scored(shared_data, name: str):
    data = (shared_data / "antispoof" / name).read_bytes()
    return score_image(ImageInput(data=data, limits=LIMITS, name="file"))


def test_a_tablet_replay_is_an_attack_and_a_live_capture_is_not(shared_data):
    replay = scored(shared_data, "replay/silentface_image_F2.jpg")
    live = scored(shared_data, "live/silentface_image_T1.jpg")
    assert replay.attack_score >= ATTACK_THRESHOLD and not replay.live
    assert live.attack_score < ATTACK_THRESHOLD and live.live
    assert {c.check for c in replay.checks} == {"screen", "printed_photo", "cutout"}


def test_an_image_without_a_face_is_refused(shared_data):
    data = (shared_data / "id_documents/bank_card/icbc_global_travel_gold_credit.jpg").read_bytes()
    with pytest.raises(IdfError) as err:
        score_image(ImageInput(data=data, limits=LIMITS, name="file"))
    assert err.value.kind is ErrorKind.no_face
