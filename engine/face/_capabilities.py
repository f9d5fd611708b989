"""The face capabilities the facades call: detect, upright, embed, compare, quality.

Each takes and returns contract types; an image may be given as the caller's bytes
(`ImageInput`, decoded here by engine.media, which validates it and applies EXIF orientation) or
already decoded (`DecodedImage`), which callers that use one image for several capabilities
should prefer.

Frames: with `rotate=True` a detection carries `rotation`, the clockwise quarter turns that make
the input upright; `box`/`landmarks5` are in the input's frame, `revised_*` and `landmarks68` in
the upright frame. Embeddings and quality are always computed in the upright frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from contracts.embeddings import Embedding, Match, cosine
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Detection, Face, Point, Quality
from contracts.images import DecodedImage, ImageInput
from engine import media, models, stages
from engine.face import _arcface as arcface
from engine.face import _detector as detector
from engine.face import _embedding as embedding
from engine.face import _landmarks as landmarks
from engine.face import _orientation as orientation
from engine.face import _quality as quality_measures
from engine.face._frames import Upright
from engine.face._mtcnn import MIN_FACE, RawFaces
from engine.face._rotation import to_box, to_points, turn, turn_boxes, turn_points

FaceImage = DecodedImage | ImageInput
SMALLEST_FACE = 12  # P-Net's window


@stages.timed("face.detect")
def detect(
    image: FaceImage,
    *,
    rotate: bool = False,
    min_face: int = MIN_FACE,
    landmarks68: bool = False,
    with_quality: bool = False,
) -> Detection:
    """All faces of an image, largest first (`index` 0 is the largest).

    An image without faces gives a detection with no faces, not an error: whether that is an
    error is the caller's call. `min_face` is in pixels of the detection copy, which is the
    image scaled to at most 1024 px on its long side (so a 4000-px photo's faces must be about
    80 px). `rotate` searches the four quarter turns for upright faces (see
    engine.face._orientation); `landmarks68` adds the 68 points to every face, `with_quality`
    the quality measures (and the 68 points they are computed from).
    """
    if min_face < SMALLEST_FACE:
        raise IdfError(ErrorKind.bad_param, f"min_face must be at least {SMALLEST_FACE} px")
    return _detect(_decoded(image).pixels, rotate, min_face, landmarks68, with_quality)


def upright(image: FaceImage, rotation: int) -> DecodedImage:
    """The image turned clockwise by `rotation` quarter turns (a detection's `rotation`)."""
    decoded = _decoded(image)
    return DecodedImage(
        pixels=turn(decoded.pixels, rotation),
        format=decoded.format,
        source_bytes=decoded.source_bytes,
    )


@stages.timed("face.embed")
def embed(image: FaceImage, detection: Detection, index: int = 0) -> Embedding:
    """The embedding of face `index` of a detection of this image."""
    face = _face(detection, index)
    return embedding.describe(_chip(_upright(image, detection), face))


def embed_all(image: FaceImage, detection: Detection) -> list[Embedding]:
    """Embeddings of every face of a detection, in index order (the image is decoded once and
    the faces go through the network as one batch)."""
    if not detection.faces:
        return []
    view = _upright(image, detection)
    return embedding.describe_all([_chip(view, face) for face in detection.faces])


def compare(a: FaceImage, b: FaceImage, *, rotate: bool = False) -> Match:
    """Cosine similarity of the largest face of each image.

    Raises no_face, naming the side's field (the ImageInput's name, else "first"/"second"),
    when an image has no face.
    """
    faces = []
    for image, side in ((a, "first"), (b, "second")):
        pixels = _decoded(image).pixels
        detection = _detect(pixels, rotate, MIN_FACE, False, False)
        face = detection.largest()
        if face is None:
            name = image.name if isinstance(image, ImageInput) and image.name else side
            raise IdfError(ErrorKind.no_face, f"no face found in the {side} image", field=name)
        chip = _chip(Upright(pixels, detection.rotation), face)
        faces.append((face.index, embedding.describe(chip)))
    (first, left), (second, right) = faces
    return Match(score=cosine(left, right), first_face=first, second_face=second)


def quality(image: FaceImage, detection: Detection, index: int = 0) -> Quality:
    """Quality measures of face `index` (68 points are found here if the detection lacks them)."""
    face = _face(detection, index)
    view = _upright(image, detection)
    patch = view.patch(_box(face))
    points5 = _array(face.revised_landmarks5)
    if face.landmarks68:
        points68 = _array(face.landmarks68)
    else:
        points68 = landmarks.landmarks68(patch.rgb, patch.local(points5)) + patch.origin
    return quality_measures.measure(patch, points5, points68, view.size)


def _detect(
    bgr: np.ndarray, rotate: bool, min_face: int, with_68: bool, with_quality: bool
) -> Detection:
    small, scale = detector.shrunk(bgr)
    small = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    nets = models.mtcnn()
    if rotate:
        found = orientation.search(small, nets, min_face=min_face)
    else:
        found = orientation.Oriented(0, detector.find(small, nets, min_face=min_face))
    view = Upright(bgr, found.rotation)
    raw = found.faces.mapped(scale)
    faces = tuple(
        _face_of(view, raw, i, with_68 or with_quality, with_quality) for i in range(len(raw))
    )
    width, height = view.size
    return Detection(faces=faces, rotation=found.rotation, width=width, height=height)


def _face_of(view: Upright, raw: RawFaces, i: int, with_68: bool, with_quality: bool) -> Face:
    width, height = view.size
    back = -view.rotation % 4  # from the upright frame back to the input's
    box = np.clip(raw.boxes[i], 0, [width, height, width, height]).astype(np.float64)
    points5 = raw.points[i]
    points68 = None
    measured = None
    if with_68:
        patch = view.patch(box)
        points68 = landmarks.landmarks68(patch.rgb, patch.local(points5)) + patch.origin
        if with_quality:
            measured = quality_measures.measure(patch, points5, points68, view.size)
    return Face(
        index=i,
        box=to_box(turn_boxes(box[None], width, height, back)[0]),
        score=float(raw.scores[i]),
        landmarks5=to_points(turn_points(points5, width, height, back)),
        revised_box=to_box(box),
        revised_landmarks5=to_points(points5),
        landmarks68=to_points(points68) if points68 is not None else (),
        quality=measured,
    )


def _chip(view: Upright, face: Face) -> np.ndarray:
    points = _array(face.revised_landmarks5)
    if view.rotation == 0:
        # The warp reads only the pixels around the face: no patch copy is needed.
        return arcface.chip(view.bgr, points)
    patch = view.patch(_box(face))
    bgr = np.ascontiguousarray(patch.rgb[:, :, ::-1])
    return arcface.chip(bgr, patch.local(points))


def _face(detection: Detection, index: int) -> Face:
    if not detection.faces:
        raise IdfError(ErrorKind.no_face, "no face found in the image")
    if not 0 <= index < len(detection.faces):
        raise IdfError(
            ErrorKind.bad_param,
            f"face {index} does not exist; the image has {len(detection.faces)}",
            field="index",
        )
    return detection.faces[index]


def _decoded(image: FaceImage) -> DecodedImage:
    return image if isinstance(image, DecodedImage) else media.decode_image(image)


def _upright(image: FaceImage, detection: Detection) -> Upright:
    view = Upright(_decoded(image).pixels, detection.rotation)
    if view.size != (detection.width, detection.height):
        raise IdfError(ErrorKind.bad_param, "the detection belongs to another image")
    return view


def _box(face: Face) -> np.ndarray:
    box = face.revised_box
    return np.array([box.left, box.top, box.right, box.bottom], dtype=np.float64)


def _array(points: tuple[Point, ...]) -> np.ndarray:
    return np.array([(p.x, p.y) for p in points], dtype=np.float64)
