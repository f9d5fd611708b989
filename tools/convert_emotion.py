"""Rebuild @vladmandic/human's `emotion` TFJS model as engine/face/models/emotion.onnx.

The model is oarriaga/face_classification's mini-Xception FER-2013 classifier (MIT, Octavio
Arriaga), as Human 3.3.6 ships it (MIT, Vladimir Mandic): `models/emotion.json` (a TF graph
whose convolutions were fused with their batch norms) and `models/emotion.bin` (the weights, in
the manifest's order, float32 little-endian). No TensorFlow is needed: the graph is small and
uses six ops, each translated here to its ONNX twin in NCHW layout.

    npm pack @vladmandic/human@3.3.6      # the npm client; nothing else is fetched
    python -m tools.convert_emotion vladmandic-human-3.3.6.tgz

writes the .onnx file and checks it against `reference()`, a plain numpy forward pass of the
same weights in TF's own NHWC layout, on the faces of ../shared/data/faces (max |difference|
is printed; the conversion is refused above 1e-6).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUTPUT = Path(__file__).resolve().parent.parent / "engine" / "face" / "models" / "emotion.onnx"
MEMBERS = ("package/models/emotion.json", "package/models/emotion.bin")
OPSET = 13
IR_VERSION = 8
TOLERANCE = 1e-6


def read_package(tgz: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The graph topology and the named weights of the packed npm tarball."""
    with tarfile.open(tgz) as archive:
        topology, blob = (archive.extractfile(name).read() for name in MEMBERS)  # type: ignore[union-attr]
    model = json.loads(topology)
    weights: dict[str, np.ndarray] = {}
    offset = 0
    for group in model["weightsManifest"]:
        for spec in group["weights"]:
            dtype = np.dtype({"float32": "<f4", "int32": "<i4"}[spec["dtype"]])
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            size = count * dtype.itemsize
            weights[spec["name"]] = np.frombuffer(blob, dtype, count, offset).reshape(spec["shape"])
            offset += size
    if offset != len(blob):
        raise ValueError(f"weights use {offset} of {len(blob)} bytes")
    return model["modelTopology"], weights


def _text(attr: dict[str, Any], key: str) -> str:
    return base64.b64decode(attr[key]["s"]).decode()


def _ints(attr: dict[str, Any], key: str) -> list[int]:
    return [int(v) for v in attr[key]["list"]["i"]]


def _fused(node: dict[str, Any]) -> list[str]:
    return [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"]["s"]]


def convert(topology: dict[str, Any], weights: dict[str, np.ndarray]) -> onnx.ModelProto:
    """An NCHW ONNX graph computing what the TF graph computes; input [n, 1, 64, 64]."""
    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []
    names: dict[str, str] = {}

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def conv(node: dict[str, Any], kernel: np.ndarray, bias: np.ndarray | None, group: int) -> str:
        attr = node["attr"]
        strides = _ints(attr, "strides")[1:3]
        pad = {"SAME": "SAME_UPPER", "VALID": "VALID"}[_text(attr, "padding")]
        out = node["name"] + "/conv"
        inputs = [names[node["input"][0]], const(out + "/w", kernel)]
        if bias is not None:
            inputs.append(const(out + "/b", bias))
        nodes.append(
            helper.make_node(
                "Conv",
                inputs,
                [out],
                strides=strides,
                auto_pad=pad,
                group=group,
                kernel_shape=list(kernel.shape[2:]),
            )
        )
        return out

    for node in topology["node"]:
        op, name = node["op"], node["name"]
        if op == "Const":
            continue
        if op == "Placeholder":
            names[name] = "input"
            continue
        if op == "_FusedConv2D":
            kernel = weights[node["input"][1]].transpose(3, 2, 0, 1)  # HWIO -> OIHW
            fused = _fused(node)
            out = conv(node, kernel, weights[node["input"][2]], 1)
            if fused == ["BiasAdd", "Relu"]:
                nodes.append(helper.make_node("Relu", [out], [name]))
                out = name
            elif fused != ["BiasAdd"]:
                raise ValueError(f"{name}: fused ops {fused}")
            names[name] = out
        elif op == "DepthwiseConv2dNative":
            kernel = weights[node["input"][1]]  # [H, W, C, 1] -> [C, 1, H, W]
            names[name] = conv(node, kernel.transpose(2, 3, 0, 1), None, kernel.shape[2])
        elif op == "MaxPool":
            attr = node["attr"]
            nodes.append(
                helper.make_node(
                    "MaxPool",
                    [names[node["input"][0]]],
                    [name],
                    kernel_shape=_ints(attr, "ksize")[1:3],
                    strides=_ints(attr, "strides")[1:3],
                    auto_pad={"SAME": "SAME_UPPER", "VALID": "VALID"}[_text(attr, "padding")],
                )
            )
            names[name] = name
        elif op == "AddV2":
            nodes.append(helper.make_node("Add", [names[i] for i in node["input"]], [name]))
            names[name] = name
        elif op == "Relu":
            nodes.append(helper.make_node("Relu", [names[node["input"][0]]], [name]))
            names[name] = name
        elif op == "Mean":
            if list(weights[node["input"][1]]) != [1, 2]:
                raise ValueError(f"{name}: mean over {weights[node['input'][1]]}")
            nodes.append(
                helper.make_node(
                    "ReduceMean", [names[node["input"][0]]], [name], axes=[2, 3], keepdims=0
                )
            )
            names[name] = name
            if node["attr"].get("keep_dims", {}).get("b"):
                raise ValueError(f"{name}: keep_dims")
        elif op == "Softmax":
            nodes.append(helper.make_node("Softmax", [names[node["input"][0]]], [name], axis=1))
            names[name] = name
        elif op == "Identity":
            nodes.append(helper.make_node("Identity", [names[node["input"][0]]], ["probabilities"]))
        else:
            raise ValueError(f"{name}: op {op} is not translated")
    graph = helper.make_graph(
        nodes,
        "emotion",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 1, 64, 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["n", 7])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    model.producer_name = "idfacade tools/convert_emotion.py"
    model.doc_string = (
        "oarriaga/face_classification mini-Xception (FER-2013), MIT; from @vladmandic/human 3.3.6"
        " models/emotion (MIT). Input: 64x64 grey, (luma/255 - 0.5) * 2. Output: angry, disgust,"
        " fear, happy, sad, surprise, neutral."
    )
    onnx.checker.check_model(model)
    return model


# --- the numpy reference: TF semantics, NHWC -------------------------------------------------


def _same_pads(size: int, kernel: int, stride: int) -> tuple[int, int]:
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _windows(x: np.ndarray, k: int, stride: int, padding: str, fill: float) -> np.ndarray:
    """[n, oh, ow, k, k, c] windows of an NHWC tensor, TF-padded."""
    if padding == "SAME":
        top, bottom = _same_pads(x.shape[1], k, stride)
        left, right = _same_pads(x.shape[2], k, stride)
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    n, h, w, c = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    out = np.empty((n, oh, ow, k, k, c), x.dtype)
    for i in range(k):
        for j in range(k):
            out[:, :, :, i, j, :] = x[:, i : i + stride * oh : stride, j : j + stride * ow : stride]
    return out


def reference(
    topology: dict[str, Any], weights: dict[str, np.ndarray], x: np.ndarray
) -> np.ndarray:
    """The TF graph evaluated with numpy in float64 on NHWC input [n, 64, 64, 1]."""
    values: dict[str, np.ndarray] = {}
    for node in topology["node"]:
        op, name = node["op"], node["name"]
        ins = node.get("input", [])
        if op == "Const":
            continue
        if op == "Placeholder":
            values[name] = x.astype(np.float64)
            continue
        if op in ("_FusedConv2D", "DepthwiseConv2dNative"):
            attr = node["attr"]
            kernel = weights[ins[1]].astype(np.float64)
            stride = _ints(attr, "strides")[1]
            win = _windows(values[ins[0]], kernel.shape[0], stride, _text(attr, "padding"), 0.0)
            if op == "DepthwiseConv2dNative":
                y = np.einsum("nhwijc,ijc->nhwc", win, kernel[:, :, :, 0])
            else:
                y = np.einsum("nhwijc,ijco->nhwo", win, kernel) + weights[ins[2]]
                if _fused(node) == ["BiasAdd", "Relu"]:
                    y = np.maximum(y, 0.0)
            values[name] = y
        elif op == "MaxPool":
            attr = node["attr"]
            k, stride = _ints(attr, "ksize")[1], _ints(attr, "strides")[1]
            win = _windows(values[ins[0]], k, stride, _text(attr, "padding"), -np.inf)
            values[name] = win.max(axis=(3, 4))
        elif op == "AddV2":
            values[name] = values[ins[0]] + values[ins[1]]
        elif op == "Relu":
            values[name] = np.maximum(values[ins[0]], 0.0)
        elif op == "Mean":
            values[name] = values[ins[0]].mean(axis=(1, 2))
        elif op == "Softmax":
            z = values[ins[0]] - values[ins[0]].max(axis=1, keepdims=True)
            values[name] = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        elif op == "Identity":
            return values[ins[0]]
    raise ValueError("the graph has no Identity output")


def _face_inputs() -> np.ndarray:
    """The 64×64 network input of every face of ../shared/data/faces, cut as engine.face._emotion
    cuts it."""
    from contracts.images import ImageInput
    from engine.face import detect
    from engine.face._emotion import network_input
    from engine.media import decode_image

    folder = OUTPUT.parents[4] / "shared" / "data" / "faces"  # ../shared from the repo
    batch = []
    for path in sorted(folder.glob("*/*")):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            continue
        image = decode_image(ImageInput(data=path.read_bytes()))
        detection = detect(image)
        if detection.faces:
            batch.append(network_input(image, detection, 0))
    return np.concatenate(batch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="vladmandic-human-3.3.6.tgz from `npm pack`")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    topology, weights = read_package(args.tarball)
    model = convert(topology, weights)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(model.SerializeToString())

    import onnxruntime as ort

    session = ort.InferenceSession(str(args.output), providers=["CPUExecutionProvider"])
    inputs = _face_inputs()
    converted = session.run(None, {"input": inputs})[0]
    expected = reference(topology, weights, inputs.transpose(0, 2, 3, 1))
    worst = float(np.abs(converted - expected).max())
    agree = float((converted.argmax(1) == expected.argmax(1)).mean())
    print(f"{len(inputs)} faces: max |onnx - numpy| = {worst:.2e}, same class on {agree:.0%}")
    if worst > TOLERANCE:
        print(f"refused: above {TOLERANCE}", file=sys.stderr)
        args.output.unlink()
        return 1
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
