"""Age, gender and mask (engine.face._attributes) on real photos of known people."""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import pytest

import engine.face as face_engine
from contracts.attributes import AgeGroup, FaceAttributes, Gender, Mask
from contracts.errors import ErrorKind, IdfError
from engine.face import _attributes as attributes
from tests.face.conftest import Load, decoded
from tests.imaging.masks import BLACK, BLUE, WHITE, with_mask

FEMALE = frozenset(
    {
        "angelina_jolie",
        "azure_family1_daughter",
        "azure_family1_mom",
        "jennifer_aniston",
        "marissa_mayer",
        "rose_leslie",
        "scarlett_johansson",
    }
)


def estimate(load: Load, relative: str) -> FaceAttributes:
    image = load(relative)
    return attributes.estimate(image, face_engine.detect(image))


@pytest.mark.parametrize(
    ("photo", "gender"),
    [
        ("faces/barack_obama/obama.jpg", Gender.male),
        ("faces/joe_biden/biden2.jpg", Gender.male),
        ("faces/mark_zuckerberg/img13.jpg", Gender.male),
        ("faces/angelina_jolie/img1.jpg", Gender.female),
        ("faces/jennifer_aniston/img3.jpg", Gender.female),
        ("faces/scarlett_johansson/img8.jpg", Gender.female),
    ],
)
def test_gender_of_known_people(load, photo, gender):
    found = estimate(load, photo)
    assert found.gender is gender
    assert found.gender_confidence > 0.95


@pytest.mark.slow
def test_gender_is_right_for_nearly_every_identity(load, shared_data: Path):
    """The first photo of each of the 24 identities of ../shared/data/faces."""
    with (shared_data / "faces" / "labels.csv").open(newline="") as f:
        first: dict[str, str] = {}
        for row in csv.DictReader(f):
            first.setdefault(row["identity"], row["file"])
    right = sum(
        estimate(load, photo).gender is (Gender.female if who in FEMALE else Gender.male)
        for who, photo in first.items()
    )
    assert len(first) == 24 and right >= 23


@pytest.mark.parametrize(
    ("photo", "group", "years"),
    [
        ("faces/angelina_jolie/img1.jpg", AgeGroup.adult, (25, 45)),
        ("faces/barack_obama/obama1.jpg", AgeGroup.adult, (40, 60)),
        ("faces/azure_family1_son/Family1-Son1.jpg", AgeGroup.child, (2, 12)),
        ("faces/azure_family1_daughter/Family1-Daughter1.jpg", AgeGroup.child, (1, 10)),
        ("faces/joe_biden/biden.jpg", AgeGroup.elderly, (62, 80)),
    ],
)
def test_age_and_age_group(load, photo, group, years):
    found = estimate(load, photo)
    assert years[0] <= found.age <= years[1]
    assert found.age_group is group
    assert found.age_group_confidence > 0.9


@pytest.mark.parametrize(
    "photo",
    [
        "faces/barack_obama/obama.jpg",
        "faces/angelina_jolie/img1.jpg",
        "faces/ramiz_raja/2.jpg",  # beard: dark and not skin-coloured around the mouth
        "faces/eric_clapton/clapton-1.jpg",  # grey beard
        "faces/azure_family1_son/Family1-Son1.jpg",
    ],
)
def test_bare_faces_wear_no_mask(load, photo):
    found = estimate(load, photo)
    assert found.mask is Mask.absent
    assert found.mask_score < 0.4


@pytest.mark.parametrize("colour", [BLUE, WHITE, BLACK], ids=["blue", "white", "black"])
@pytest.mark.parametrize(
    "photo",
    [
        "faces/barack_obama/obama.jpg",
        "faces/angelina_jolie/img1.jpg",
        "faces/azure_family1_mom/Family1-Mom1.jpg",
    ],
)
def test_a_mask_over_nose_and_mouth_is_seen(load, photo, colour):
    image = load(photo)
    face = face_engine.detect(image, landmarks68=True).faces[0]
    masked = decoded(with_mask(image.pixels, face, colour))
    found = attributes.estimate(masked, face_engine.detect(masked))
    assert found.mask is Mask.worn
    assert found.mask_score > 0.6
    assert found.gender is estimate(load, photo).gender  # the eyes and brows still tell


def test_a_face_cut_off_below_the_mouth_cannot_be_judged(load):
    image = load("faces/angelina_jolie/img1.jpg")
    face = face_engine.detect(image).faces[0]
    mouth = max(face.revised_landmarks5[3].y, face.revised_landmarks5[4].y)
    cut = decoded(image.pixels[: round(mouth) + 30])
    found = attributes.estimate(cut, face_engine.detect(cut))
    assert found.mask is Mask.undetermined
    assert found.gender is Gender.female  # age and gender need only the eyes and nose


def test_a_tiny_face_cannot_be_judged_for_a_mask(load):
    pixels = cv2.resize(load("faces/barack_obama/obama.jpg").pixels, None, fx=0.06, fy=0.06)
    image = decoded(pixels)
    assert attributes.estimate(image, face_engine.detect(image)).mask is Mask.undetermined


def test_rotated_photo_gives_the_same_attributes(load):
    image = load("faces/jennifer_aniston/img3.jpg")
    upright = attributes.estimate(image, face_engine.detect(image))
    turned = decoded(cv2.rotate(image.pixels, cv2.ROTATE_90_COUNTERCLOCKWISE))
    detection = face_engine.detect(turned, rotate=True)
    assert detection.rotation == 1
    found = attributes.estimate(turned, detection)
    assert found.gender is upright.gender and found.age_group is upright.age_group
    assert abs(found.age - upright.age) < 3
    assert found.mask is Mask.absent


def test_every_face_of_a_group_photo_and_a_bad_index(load):
    # Two more people behind her, and a blurred profile at her shoulder that YuNet finds
    image = load("faces/jennifer_aniston/img54.jpg")
    detection = face_engine.detect(image)
    assert len(detection.faces) == 4
    for index in range(len(detection.faces)):
        assert 0 <= attributes.estimate(image, detection, index).age <= 80
    with pytest.raises(IdfError) as error:
        attributes.estimate(image, detection, len(detection.faces))
    assert error.value.kind is ErrorKind.bad_param and error.value.field == "index"


def test_a_detection_of_another_image_is_refused(load):
    detection = face_engine.detect(load("faces/barack_obama/obama.jpg"))
    with pytest.raises(IdfError) as error:
        attributes.estimate(load("faces/angelina_jolie/img1.jpg"), detection)
    assert error.value.kind is ErrorKind.bad_param


def test_concurrent_estimates_agree_with_one_at_a_time(load):
    photos = ["faces/angelina_jolie/img1.jpg", "faces/barack_obama/obama1.jpg"] * 4
    inputs = [(load(p), face_engine.detect(load(p))) for p in photos]
    alone = [attributes.estimate(image, detection) for image, detection in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda pair: attributes.estimate(*pair), inputs))
    assert together == alone
