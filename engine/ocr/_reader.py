"""The PP-OCR networks that ship inside `rapidocr-onnxruntime`: detection, direction, recognition.

Only the package's model files and its DB post-processing (text regions from the probability
map) are used. The sessions are built here, so that they share the project's onnxruntime
settings (two threads, no spinning: see engine.models) and carry a version; and recognition is
decoded here, because the card parser needs each character's position and confidence to tell a
printed label from the value beside it, which rapidocr's result (one string per line) loses.

The models load once per process, on first use; sessions are safe to call from several threads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
from rapidocr_onnxruntime.ch_ppocr_det.utils import DBPostProcess

from engine import models

# The recogniser reads lines scaled to this height; its output has one column per 8 pixels.
REC_HEIGHT = 48
CLS_SHAPE = (48, 192)
BATCH = 6
SPREAD = 1.25  # widest over narrowest aspect ratio in one recognition batch


@dataclass(frozen=True)
class Glyph:
    """One recognised character: its confidence and where it lies along the line, as fractions
    of the line's width."""

    char: str
    score: float
    left: float
    right: float


@dataclass(frozen=True)
class Recognition:
    text: str
    score: float
    glyphs: tuple[Glyph, ...]


class TextReader:
    """Detection, direction and recognition sessions over one folder of PP-OCR models."""

    def __init__(self, folder: Path, *, threads: int) -> None:
        det = folder / "ch_PP-OCRv4_det_infer.onnx"
        cls = folder / "ch_ppocr_mobile_v2.0_cls_infer.onnx"
        rec = folder / "ch_PP-OCRv4_rec_infer.onnx"
        options = models.session_options(threads)
        self._det = _session(det, options)
        self._cls = _session(cls, options)
        self._rec = _session(rec, options)
        characters = self._rec.get_modelmeta().custom_metadata_map["character"].splitlines()
        # CTC: index 0 is the blank; the model's last class is a space.
        self._alphabet = ["", *characters, " "]
        self._post = DBPostProcess(
            thresh=0.3, box_thresh=0.5, unclip_ratio=1.6, use_dilation=True, score_mode="fast"
        )
        self.version = "+".join(
            models.file_version(name, path)
            for name, path in (("ppocrv4-det", det), ("ppocr-cls", cls), ("ppocrv4-rec", rec))
        )

    def detect(self, pixels: np.ndarray, *, min_side: int = 736) -> list[np.ndarray]:
        """Text-line quadrilaterals (top-left, top-right, bottom-right, bottom-left), float32.

        The image is scaled so that its shorter side is at least `min_side` (the resolution
        the detector was tuned at) and its longer side at most 2000 px.
        """
        height, width = pixels.shape[:2]
        scale = max(1.0, min_side / min(height, width))
        scale = min(scale, 2000 / max(height, width))
        size = (max(32, round(width * scale / 32) * 32), max(32, round(height * scale / 32) * 32))
        resized = cv2.resize(pixels, size).astype(np.float32)
        prepared = np.ascontiguousarray(resized.transpose(2, 0, 1)[np.newaxis]) / 127.5 - 1.0
        probability = self._det.run(None, {"x": prepared})[0]
        quads, _ = self._post(probability, (height, width))
        kept = []
        for quad in quads:
            quad = quad.astype(np.float32)
            if min(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[0] - quad[3])) > 3:
                kept.append(quad)
        return kept

    def upside_down(self, crops: list[np.ndarray]) -> list[float]:
        """For each horizontal line crop, the direction classifier's probability that it is
        upside down."""
        result: list[float] = []
        for start in range(0, len(crops), BATCH):
            batch = np.stack([_normalise(c, *CLS_SHAPE) for c in crops[start : start + BATCH]])
            probabilities = self._cls.run(None, {"x": batch})[0]
            result.extend(float(p[1]) for p in probabilities)
        return result

    @property
    def alphabet(self) -> list[str]:
        """The recogniser's classes: index 0 is CTC's blank."""
        return self._alphabet

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        """Read horizontal line crops."""
        return [
            self._decode(columns, used, REC_HEIGHT / (width * used))
            for columns, used, width in self._columns(crops)
        ]

    def probabilities(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """For each line crop, the recogniser's class probabilities (columns × alphabet), one
        column per 8 pixels of the crop scaled to REC_HEIGHT, the padding left out: for a
        reader that decodes them itself (a machine-readable zone, read cell by cell)."""
        return [
            columns[: max(1, round(len(columns) * used))]
            for columns, used, _ in self._columns(crops)
        ]

    def _columns(self, crops: list[np.ndarray]) -> list[tuple[np.ndarray, float, int]]:
        """Each crop's probabilities, the share of its padded input it fills, and that input's
        width. Lines of similar shape share a batch; padding a short line to a long one's width
        costs more than a second call (measured on 2 cores)."""
        ratios = [crop.shape[1] / crop.shape[0] for crop in crops]
        result: list[tuple[np.ndarray, float, int] | None] = [None] * len(crops)
        for chunk in _similar(ratios):
            width = int(REC_HEIGHT * max(320 / REC_HEIGHT, *(ratios[i] for i in chunk)))
            batch = np.stack([_normalise(crops[i], REC_HEIGHT, width) for i in chunk])
            probabilities = self._rec.run(None, {"x": batch})[0]
            for i, columns in zip(chunk, probabilities, strict=True):
                used = min(width, math.ceil(REC_HEIGHT * ratios[i])) / width
                result[i] = (columns, used, width)
        return [r for r in result if r is not None]

    def _decode(self, columns: np.ndarray, used: float, height: float) -> Recognition:
        """Greedy CTC decoding that keeps each character's column.

        `used` is the share of the padded input the line occupies, and `height` the line's
        height as a fraction of its width: a character is about as wide as the line is high
        (half that for Latin letters and digits), capped by its neighbours.
        """
        best = columns.argmax(axis=1)
        confidence = columns.max(axis=1)
        step = 1.0 / (len(best) * used)
        peaks = [t for t in range(len(best)) if best[t] != 0 and (t == 0 or best[t] != best[t - 1])]
        centres = [(t + 0.5) * step for t in peaks]
        glyphs = []
        for n, t in enumerate(peaks):
            char = self._alphabet[best[t]]
            half = height * (0.5 if _is_wide(char) else 0.3)
            left = centres[n] - half
            right = centres[n] + half
            if n > 0:
                left = max(left, (centres[n - 1] + centres[n]) / 2)
            if n + 1 < len(centres):
                right = min(right, (centres[n] + centres[n + 1]) / 2)
            glyphs.append(Glyph(char, float(confidence[t]), max(0.0, left), min(1.0, right)))
        text = "".join(g.char for g in glyphs)
        score = float(np.mean([g.score for g in glyphs])) if glyphs else 0.0
        return Recognition(text=text, score=score, glyphs=tuple(glyphs))


def _similar(ratios: list[float]) -> list[list[int]]:
    """Indices grouped by aspect ratio, each group at most BATCH long and SPREAD wide."""
    groups: list[list[int]] = []
    for i in sorted(range(len(ratios)), key=ratios.__getitem__):
        group = groups[-1] if groups else None
        if group and len(group) < BATCH and ratios[i] <= SPREAD * ratios[group[0]]:
            group.append(i)
        else:
            groups.append([i])
    return groups


def _session(path: Path, options: ort.SessionOptions) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def _normalise(crop: np.ndarray, height: int, width: int) -> np.ndarray:
    """Scale to `height` keeping the aspect (at most `width`), left-align on a zero pad, and map
    to [-1, 1] in CHW order, as both PaddleOCR networks expect."""
    scaled = min(width, math.ceil(height * crop.shape[1] / crop.shape[0]))
    resized = cv2.resize(crop, (scaled, height)).astype(np.float32)
    out = np.zeros((3, height, width), dtype=np.float32)
    out[:, :, :scaled] = resized.transpose(2, 0, 1) / 127.5 - 1.0
    return out


def _is_wide(char: str) -> bool:
    """CJK ideographs and full-width forms are square; Latin letters and digits are narrow."""
    return char > "\u2e80"


def _load() -> TextReader:
    folder = models.package_dir("rapidocr_onnxruntime") / "models"
    return TextReader(folder, threads=models.DEFAULT_THREADS)


reader: models.Lazy[TextReader] = models.Lazy(_load)


def warm_up() -> None:
    """Load the OCR models now, so that the first request does not pay for it (~0.3 s)."""
    reader()


def ready() -> bool:
    """Whether the OCR models are loaded; for the gateway's readiness probe."""
    return reader.loaded


def version() -> str:
    """The versions of the three models every OCR result depends on."""
    return reader().version
