"""The MTCNN cascade (Zhang et al. 2016) on numpy and onnxruntime.

Three networks look at the image in turn: P-Net slides a 12-px window over an image pyramid and
proposes boxes, R-Net re-scores 24-px crops of them, O-Net re-scores 48-px crops and places five
landmarks. After each stage the boxes are moved by the network's regression offsets and thinned
by non-maximum suppression.

The ONNX files were converted from Keras weights trained on column-major (MATLAB) images, so
every input is transposed to W×H and the P-Net maps come back transposed; inputs are RGB scaled
to (x − 127.5) / 128.

Coordinates here are continuous pixels (pixel i spans [i, i+1)); boxes are x1, y1, x2, y2.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from engine.models import MtcnnNets

THRESHOLDS = (0.6, 0.7, 0.7)
SCALE_FACTOR = 0.709
MIN_FACE = 20
_STRIDE = 2
_CELL = 12


@dataclass(frozen=True)
class RawFaces:
    """Faces as arrays: boxes (n, 4) x1 y1 x2 y2, scores (n,), points (n, 5, 2) x y."""

    boxes: np.ndarray
    scores: np.ndarray
    points: np.ndarray

    def __len__(self) -> int:
        return len(self.scores)

    @classmethod
    def empty(cls) -> RawFaces:
        return cls(np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2)))

    def mapped(self, scale: float, dx: float = 0.0, dy: float = 0.0) -> RawFaces:
        """Coordinates divided by `scale`, then shifted by (dx, dy)."""
        shift = np.array([dx, dy])
        boxes = self.boxes / scale + np.tile(shift, 2)
        return RawFaces(boxes, self.scores, self.points / scale + shift)


def detect(rgb: np.ndarray, nets: MtcnnNets, *, min_face: int = MIN_FACE) -> RawFaces:
    """All faces of at least `min_face` pixels in an RGB uint8 image."""
    boxes = _propose(rgb, nets, min_face)
    if len(boxes):
        boxes = _refine(rgb, nets, boxes)
    if not len(boxes):
        return RawFaces.empty()
    return _output(rgb, nets, boxes)


def finish(rgb: np.ndarray, nets: MtcnnNets, squares: np.ndarray) -> RawFaces:
    """O-Net alone on squares (n, 4) another detector proposed: the faces it accepts, with
    refined boxes, scores and five points."""
    return _output(rgb, nets, squares)


def pyramid(height: int, width: int, min_face: int) -> list[float]:
    """Scales at which a `min_face` face becomes P-Net's 12-px window, down to a 12-px image."""
    first = _CELL / min_face
    side = min(height, width) * first
    scales: list[float] = []
    while side >= _CELL:
        scales.append(first * SCALE_FACTOR ** len(scales))
        side *= SCALE_FACTOR
    return scales


def _normalise(pixels: np.ndarray) -> np.ndarray:
    """uint8 pixels as float32 (x − 127.5) / 128, transposed from H×W to W×H."""
    out = pixels.swapaxes(-3, -2).astype(np.float32, order="C")
    out -= 127.5
    out *= 0.0078125
    return out


def _propose(image: np.ndarray, nets: MtcnnNets, min_face: int) -> np.ndarray:
    """P-Net over the pyramid: candidate squares (n, 5) of x1 y1 x2 y2 score."""
    height, width = image.shape[:2]
    found = []
    for scale in pyramid(height, width, min_face):
        size = (int(np.ceil(width * scale)), int(np.ceil(height * scale)))
        scaled = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        offsets, probs = nets.pnet.run(
            ["conv2d_4", "softmax"], {"input_1": _normalise(scaled)[None]}
        )
        prob = probs[0, :, :, 1].T  # back to H×W
        rows, cols = np.nonzero(prob >= THRESHOLDS[0])
        if not len(rows):
            continue
        reg = offsets[0].transpose(1, 0, 2)[rows, cols]
        x1 = _STRIDE * cols / scale
        y1 = _STRIDE * rows / scale
        side = _CELL / scale
        candidates = np.column_stack([x1, y1, x1 + side, y1 + side, prob[rows, cols], reg])
        found.append(candidates[nms(candidates[:, :5], 0.5)])
    if not found:
        return np.zeros((0, 5))
    boxes = np.concatenate(found)
    boxes = boxes[nms(boxes[:, :5], 0.7)]
    return squared(np.column_stack([regressed(boxes[:, :4], boxes[:, 5:9]), boxes[:, 4]]))


def _refine(image: np.ndarray, nets: MtcnnNets, boxes: np.ndarray) -> np.ndarray:
    """R-Net on 24-px crops: the candidates it keeps, moved and squared."""
    crops = _normalise(crop_all(image, boxes, 24))
    offsets, probs = nets.rnet.run(["dense_2", "softmax_1"], {"input_2": crops})
    keep = probs[:, 1] > THRESHOLDS[1]
    boxes = np.column_stack([boxes[keep, :4], probs[keep, 1]])
    offsets = offsets[keep]
    pick = nms(boxes, 0.7)
    boxes, offsets = boxes[pick], offsets[pick]
    return squared(np.column_stack([regressed(boxes[:, :4], offsets), boxes[:, 4]]))


def _output(image: np.ndarray, nets: MtcnnNets, boxes: np.ndarray) -> RawFaces:
    """O-Net on 48-px crops: final boxes, scores and five landmarks."""
    boxes = np.round(boxes)
    crops = _normalise(crop_all(image, boxes, 48))
    offsets, marks, probs = nets.onet.run(["dense_5", "dense_6", "softmax_2"], {"input_3": crops})
    keep = probs[:, 1] > THRESHOLDS[2]
    boxes, offsets, marks, scores = boxes[keep], offsets[keep], marks[keep], probs[keep, 1]
    size = boxes[:, 2:4] - boxes[:, :2]
    points = np.stack(
        [
            boxes[:, [0]] + marks[:, :5] * size[:, [0]],
            boxes[:, [1]] + marks[:, 5:] * size[:, [1]],
        ],
        axis=-1,
    )
    boxes = regressed(boxes, offsets)
    pick = nms(np.column_stack([boxes, scores]), 0.7, by_min=True)
    return RawFaces(boxes[pick], scores[pick], points[pick])


def crop_all(image: np.ndarray, boxes: np.ndarray, size: int) -> np.ndarray:
    """Each box cut from the uint8 image (black outside it) and resized to size×size."""
    height, width = image.shape[:2]
    out = np.zeros((len(boxes), size, size, 3), np.uint8)
    for k, (x1, y1, x2, y2) in enumerate(np.round(boxes[:, :4]).astype(int)):
        if x2 - x1 < 1 or y2 - y1 < 1:
            continue
        if x1 >= 0 and y1 >= 0 and x2 <= width and y2 <= height:
            patch = image[y1:y2, x1:x2]
        else:
            patch = np.zeros((y2 - y1, x2 - x1, 3), np.uint8)
            sx1, sy1, sx2, sy2 = max(x1, 0), max(y1, 0), min(x2, width), min(y2, height)
            if sx2 > sx1 and sy2 > sy1:
                patch[sy1 - y1 : sy2 - y1, sx1 - x1 : sx2 - x1] = image[sy1:sy2, sx1:sx2]
        out[k] = cv2.resize(patch, (size, size), interpolation=cv2.INTER_AREA)
    return out


def regressed(boxes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Boxes moved by the networks' offsets, which are fractions of the box's width/height."""
    size = np.tile(boxes[:, 2:4] - boxes[:, :2], 2)
    return boxes[:, :4] + offsets * size


def squared(boxes: np.ndarray) -> np.ndarray:
    """Boxes grown to squares about their centres (the next stage's input is square)."""
    out = boxes.copy()
    centre = (boxes[:, :2] + boxes[:, 2:4]) / 2
    half = np.max(boxes[:, 2:4] - boxes[:, :2], axis=1, keepdims=True) / 2
    out[:, :2] = centre - half
    out[:, 2:4] = centre + half
    return out


def nms(boxes: np.ndarray, threshold: float, *, by_min: bool = False) -> np.ndarray:
    """Indices of the boxes (x1 y1 x2 y2 score) kept by greedy non-maximum suppression.

    Overlap is intersection over union, or over the smaller box (`by_min`), which O-Net uses to
    drop a small box nested in a bigger one.
    """
    if not len(boxes):
        return np.zeros(0, int)
    x1, y1, x2, y2, score = boxes[:, :5].T
    area = (x2 - x1) * (y2 - y1)
    order = np.argsort(-score, kind="stable")
    keep = []
    while len(order):
        i, rest = order[0], order[1:]
        keep.append(i)
        w = np.maximum(0.0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]))
        h = np.maximum(0.0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]))
        inter = w * h
        base = np.minimum(area[i], area[rest]) if by_min else area[i] + area[rest] - inter
        order = rest[inter / np.maximum(base, 1e-9) <= threshold]
    return np.array(keep, int)
