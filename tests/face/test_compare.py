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


@pytest.mark.slow
def test_every_labelled_pair_is_decided_right_at_the_default_threshold(
    shared_data: Path, dataset_embeddings: dict[str, Embedding]
) -> None:
    threshold = calibration.default_threshold()
    with (shared_data / "faces" / "pairs.csv").open(newline="") as f:
        pairs = list(csv.DictReader(f))
    wrong = []
    for pair in pairs:
        score = cosine(dataset_embeddings[pair["img1"]], dataset_embeddings[pair["img2"]])
        if (score >= threshold) != (pair["same"] == "1"):
            wrong.append((pair["img1"], pair["img2"], round(score, 4)))
    assert len(pairs) == 210
    assert wrong == []
