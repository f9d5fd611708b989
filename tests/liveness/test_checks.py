"""The passive liveness checks on real frames from ../shared/data/antispoof, and on the
simulated attacks of benchmarks/antispoof.py."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.antispoof import dark_glasses, darker, eye_hole_cutout, locate
from contracts.images import DecodedImage, ImageInput, ImageLimits
from contracts.liveness import CheckRequest, SpoofCheck, Strictness
from engine.liveness import check_frames, frame_scores
from engine.media import decode_image

LIMITS = ImageLimits(max_bytes=8 * 1024 * 1024)


@pytest.fixture(scope="module")
def frame(shared_data):
    """An antispoof image upright, with its largest face (68 landmarks)."""
    cache = {}

    def load(name: str):
        if name not in cache:
            data = (shared_data / "antispoof" / name).read_bytes()
            cache[name] = locate(decode_image(ImageInput(data=data, limits=LIMITS)).pixels)
        return cache[name]

    return load


def score(check: SpoofCheck, image: DecodedImage, face) -> float | None:
    (value,) = frame_scores([image], [face], CheckRequest(check=check))
    return value


def simulated(variant, image: DecodedImage, face):
    points = np.array([(p.x, p.y) for p in face.landmarks68])
    return locate(variant(image.pixels, points))


LIVE = "live/silentface_image_T1.jpg"


def test_a_live_capture_passes_every_check_at_the_normal_point(frame):
    image, face = frame(LIVE)
    requests = [CheckRequest(check=check) for check in SpoofCheck]
    for result in check_frames([image], [face], requests):
        assert result.valid and result.passed, result
        assert 0.0 <= result.score < result.threshold


def test_a_tablet_replay_shows_its_bezel(frame):
    image, face = frame("replay/silentface_image_F2.jpg")
    assert score(SpoofCheck.screen, image, face) >= 0.75
    assert score(SpoofCheck.screen, *frame(LIVE)) < 0.5


def test_printed_photos_score_softer_and_flatter_than_live_frames(frame):
    prints = [
        "print/nuaa_0001_0001_00_00_01_0.jpg",
        "print/nuaa_0004_0004_01_00_01_0.jpg",
        "print/nuaa_0006_0006_00_08_03_99.jpg",
    ]
    lives = [
        "live/nuaa_0003_0003_01_00_01_248.jpg",
        "live/nuaa_0005_0005_00_00_02_317.jpg",
        "live/nuaa_0002_0002_01_00_01_212.jpg",
    ]
    printed = [score(SpoofCheck.printed_photo, *frame(name)) for name in prints]
    live = [score(SpoofCheck.printed_photo, *frame(name)) for name in lives]
    assert min(printed) > max(live)


def test_darkness_is_refused_by_how_much_is_allowed(frame):
    image, face = frame(LIVE)
    dim = locate(darker(0.25)(image.pixels, np.zeros((68, 2))))
    bright = score(SpoofCheck.low_light, image, face)
    dark = score(SpoofCheck.low_light, *dim)
    assert bright is not None and dark is not None and dark > bright + 0.3
    levels = [CheckRequest(check=SpoofCheck.low_light, strictness=s) for s in Strictness]
    verdicts = {r.strictness: r.passed for r in check_frames([dim[0]], [dim[1]], levels)}
    assert verdicts[Strictness.strict] is False


def test_covered_eyes_and_eye_holes_are_seen(frame):
    image, face = frame(LIVE)
    assert score(SpoofCheck.eye_occlusion, image, face) < 0.3
    assert score(SpoofCheck.eye_occlusion, *simulated(dark_glasses, image, face)) >= 0.6
    assert score(SpoofCheck.cutout, *simulated(eye_hole_cutout, image, face)) > score(
        SpoofCheck.cutout, image, face
    )


def test_the_worst_frame_decides_and_faceless_frames_do_not_count(frame, shared_data):
    live = frame(LIVE)
    replay = frame("replay/silentface_image_F2.jpg")
    card = decode_image(
        ImageInput(
            data=(shared_data / "id_documents/bank_card/credit_card_01.png").read_bytes(),
            limits=LIMITS,
        )
    )
    request = [CheckRequest(check=SpoofCheck.screen, strictness=Strictness.normal)]
    (mixed,) = check_frames([live[0], replay[0], card], [live[1], replay[1], None], request)
    assert mixed.valid and not mixed.passed and mixed.score >= 0.75
    (alone,) = check_frames([card], [None], request)
    assert not alone.valid and not alone.passed and alone.score == 0.0
