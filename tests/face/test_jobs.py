"""Whole jobs of engine.face: embed_face (decode, detect, choose, embed) and
detect_with_attributes (decode, detect, estimate every face)."""

from __future__ import annotations

import pytest

from contracts.attributes import Gender
from contracts.embeddings import cosine
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput
from engine.face import detect_with_attributes, embed_face

GROUP = "faces/ramiz_raja/5.jpg"  # Ramiz in front, a second, smaller face beside him
OBAMA, OBAMA_2, BIDEN = (
    "faces/barack_obama/obama.jpg",
    "faces/barack_obama/obama2.jpg",
    "faces/joe_biden/biden.jpg",
)


def _input(shared_data, name: str) -> ImageInput:
    return ImageInput(data=(shared_data / name).read_bytes(), name="file")


def test_the_largest_face_is_chosen_and_tells_people_apart(shared_data):
    obama = embed_face(_input(shared_data, OBAMA))
    again = embed_face(_input(shared_data, OBAMA_2))
    biden = embed_face(_input(shared_data, BIDEN))
    assert cosine(obama.embedding, again.embedding) > cosine(obama.embedding, biden.embedding)
    assert obama.face == obama.detection.largest()


def test_a_chosen_face_index_is_embedded(shared_data):
    group = embed_face(_input(shared_data, GROUP))
    assert len(group.detection.faces) >= 2
    other = embed_face(_input(shared_data, GROUP), index=1)
    assert other.face.index == 1 and other.embedding != group.embedding
    with pytest.raises(IdfError) as refused:
        embed_face(_input(shared_data, GROUP), index=9)
    assert refused.value.kind is ErrorKind.bad_param


def test_no_face_names_the_input(shared_data):
    card = _input(shared_data, "id_documents/cn_id_card/cnid_syn_s1_back.jpg")
    with pytest.raises(IdfError) as refused:
        embed_face(card)
    assert refused.value.kind is ErrorKind.no_face and refused.value.field == "file"


def test_detect_with_attributes_describes_every_face_in_order(shared_data):
    group = detect_with_attributes(_input(shared_data, GROUP))
    assert len(group.attributes) == len(group.detection.faces) >= 2
    obama = detect_with_attributes(_input(shared_data, OBAMA))
    assert obama.attributes[0].gender is Gender.male and 30 < obama.attributes[0].age < 75
    assert obama.image.width > 0


def test_detect_with_attributes_of_a_faceless_image_is_empty(shared_data):
    import cv2
    import numpy as np

    blank = cv2.imencode(".png", np.full((120, 160, 3), 200, np.uint8))[1].tobytes()
    found = detect_with_attributes(ImageInput(data=blank, name="file"))
    assert not found.detection.faces and found.attributes == ()
