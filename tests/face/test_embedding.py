from __future__ import annotations

import cv2
import numpy as np
import pytest

from contracts.embeddings import Embedding, cosine
from contracts.errors import ErrorKind, IdfError
from engine import face, models
from tests.face.conftest import Load, decoded

GROUP = "faces/ramiz_raja/5.jpg"


def test_an_embedding_is_a_unit_128_vector_tagged_with_the_model(load: Load) -> None:
    image = load("faces/sundar_pichai/img25.jpg")
    embedding = face.embed(image, face.detect(image), 0)
    assert embedding.dim == 128
    assert np.linalg.norm(embedding.array()) == pytest.approx(1.0, abs=1e-5)
    assert embedding.model == models.embedding_version()
    assert embedding.model.startswith("sface-2021dec-grey-aligncrop:")


def test_a_colour_photo_and_its_grey_copy_give_the_same_embedding(load: Load) -> None:
    """SFace sees luminance only, so a grey scan of a colour photo is not a harder match."""
    from contracts.images import DecodedImage

    image = load("faces/sundar_pichai/img25.jpg")
    grey = cv2.cvtColor(cv2.cvtColor(image.pixels, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    grey_image = DecodedImage(pixels=grey, format="jpeg")
    detection = face.detect(image)
    colour = face.embed(image, detection, 0)
    assert cosine(colour, face.embed(grey_image, detection, 0)) > 0.999


def test_the_same_image_gives_the_same_embedding(load: Load) -> None:
    image = load("faces/sundar_pichai/img25.jpg")
    first = face.embed(image, face.detect(image), 0)
    second = face.embed(image, face.detect(image), 0)
    assert cosine(first, second) == pytest.approx(1.0, abs=1e-6)


def test_embed_all_gives_one_embedding_per_face_in_index_order(load: Load) -> None:
    image = load(GROUP)
    detection = face.detect(image)
    every = face.embed_all(image, detection)
    assert len(every) == len(detection.faces) >= 2
    for index, embedding in enumerate(every):
        assert cosine(embedding, face.embed(image, detection, index)) == pytest.approx(
            1.0, abs=1e-6
        )
    assert cosine(every[0], every[1]) < 0.9  # two different people


def test_embeddings_of_another_model_version_are_refused(load: Load) -> None:
    image = load("faces/sundar_pichai/img25.jpg")
    ours = face.embed(image, face.detect(image), 0)
    theirs = Embedding(vector=ours.vector, model="dlib-resnet-v1:00000000")
    with pytest.raises(IdfError) as error:
        cosine(ours, theirs)
    assert error.value.kind == ErrorKind.model_mismatch


def test_a_face_index_past_the_last_face_is_a_bad_parameter(load: Load) -> None:
    image = load("faces/sundar_pichai/img25.jpg")
    with pytest.raises(IdfError) as error:
        face.embed(image, face.detect(image), 1)
    assert (error.value.kind, error.value.field) == (ErrorKind.bad_param, "index")


def test_embedding_an_image_without_faces_is_no_face() -> None:
    blank = decoded(np.zeros((200, 200, 3), np.uint8))
    with pytest.raises(IdfError) as error:
        face.embed(blank, face.detect(blank), 0)
    assert error.value.kind == ErrorKind.no_face
    assert face.embed_all(blank, face.detect(blank)) == []


def test_a_detection_of_another_image_is_refused(load: Load) -> None:
    detection = face.detect(load("faces/sundar_pichai/img25.jpg"))
    with pytest.raises(IdfError) as error:
        face.embed(load(GROUP), detection, 0)
    assert error.value.kind == ErrorKind.bad_param
