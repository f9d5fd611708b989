from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from contracts import calibration
from contracts.embeddings import Embedding, cosine
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput
from engine import face
from tests.face.conftest import Load, decoded


def test_two_photos_of_one_person_match(load: Load) -> None:
    match = face.compare(
        load("faces/barack_obama/obama.jpg"), load("faces/barack_obama/obama2.jpg")
    )
    assert match.score >= calibration.default_threshold()
    assert (match.first_face, match.second_face) == (0, 0)


def test_photos_of_two_people_do_not_match(load: Load) -> None:
    match = face.compare(load("faces/barack_obama/obama.jpg"), load("faces/joe_biden/biden.jpg"))
    assert match.score < calibration.default_threshold()


def test_compare_uses_the_largest_face_of_a_group_photo(load: Load) -> None:
    group = load("faces/jennifer_aniston/img54.jpg")  # Aniston in front, two onlookers
    match = face.compare(group, load("faces/jennifer_aniston/img3.jpg"))
    assert match.first_face == 0
    assert match.score >= calibration.default_threshold()


def test_a_side_without_a_face_is_no_face_naming_that_side(load: Load) -> None:
    blank = decoded(np.full((240, 320, 3), 128, np.uint8))
    portrait = load("faces/sundar_pichai/img25.jpg")
    with pytest.raises(IdfError) as first:
        face.compare(blank, portrait)
    assert (first.value.kind, first.value.field) == (ErrorKind.no_face, "first")
    with pytest.raises(IdfError) as second:
        face.compare(portrait, blank)
    assert (second.value.kind, second.value.field) == (ErrorKind.no_face, "second")


def test_no_face_names_the_input_parameter(shared_data: Path, load: Load) -> None:
    card = (shared_data / "id_documents/bank_card/credit_card_02.png").read_bytes()
    with pytest.raises(IdfError) as error:
        face.compare(
            load("faces/sundar_pichai/img25.jpg"), ImageInput(data=card, name="secondFile")
        )
    assert (error.value.kind, error.value.field) == (ErrorKind.no_face, "secondFile")


def test_rotate_lets_a_sideways_photo_match(load: Load) -> None:
    upright = load("faces/barack_obama/obama.jpg")
    sideways = decoded(np.rot90(load("faces/barack_obama/obama2.jpg").pixels, 1))
    assert face.compare(upright, sideways, rotate=True).score >= calibration.default_threshold()


def _decided(
    shared_data: Path, pairs_csv: str, embeddings: dict[str, Embedding]
) -> tuple[float, int, int]:
    """(genuine pairs accepted, impostor pairs accepted, pairs scored) at the default
    threshold, over the pairs of `pairs_csv` whose images both show a face."""
    threshold = calibration.default_threshold()
    with (shared_data / pairs_csv).open(newline="") as f:
        pairs = [
            p for p in csv.DictReader(f) if p["img1"] in embeddings and p["img2"] in embeddings
        ]
    accepted: dict[str, list[bool]] = {"1": [], "0": []}
    for pair in pairs:
        score = cosine(embeddings[pair["img1"]], embeddings[pair["img2"]])
        accepted[pair["same"]].append(score >= threshold)
    return float(np.mean(accepted["1"])), sum(accepted["0"]), len(pairs)


@pytest.mark.slow
def test_the_general_pairs_are_decided_right_at_the_default_threshold(
    shared_data: Path, dataset_embeddings: dict[str, Embedding]
) -> None:
    """No impostor accepted; of the 105 genuine pairs two are missed (TAR 98%, as the
    calibration measures on every genuine pair of the set)."""
    tar, false_accepts, scored = _decided(shared_data, "faces/pairs.csv", dataset_embeddings)
    assert scored == 210
    assert false_accepts == 0
    assert tar >= 103 / 105


@pytest.mark.slow
def test_the_east_asian_pairs_at_the_default_threshold(
    shared_data: Path, dataset_embeddings: dict[str, Embedding]
) -> None:
    """What a user should expect on East-Asian faces (docs/face-engine.md): at FAR 0.3%
    about one genuine pair in four or five is refused (the threshold is the one that holds on
    the set's colour photos alone), and impostors stay within the nominal rate."""
    tar, false_accepts, scored = _decided(
        shared_data, "faces_east_asian/pairs.csv", dataset_embeddings
    )
    assert scored == 448
    assert false_accepts <= 1
    assert tar >= 0.75
