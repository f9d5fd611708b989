"""Follow the subject's face through a clip and measure it on every sampled frame.

The subject is the largest face of the first frame that has one. On later frames the face is
looked for first in a window around where it was (detection on a crop is several times
cheaper than on the whole frame), and the whole frame is searched every `FULL_EVERY` frames
and whenever the window loses it. A face continues the track when its box overlaps the
previous one (IoU ≥ `MIN_IOU`); identity is checked by embedding every `EMBED_EVERY` frames
against the subject's first embeddings, and on every re-acquisition after the face was lost,
so a second person stepping in is caught whether the swap is gradual or a cut (three identity
checks in a row under the calibrated verify threshold, or one on re-acquisition). Three, not
one: dlib's embeddings of one person dip under it for a frame or two at a steep pose (to 0.83
over a head-pose protocol), while two different people stay under it throughout.

All detection, landmarks and embeddings go through engine.face's public functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

import engine.face as face_engine
from contracts import calibration
from contracts.faces import Box, Detection, Face, Point
from contracts.images import DecodedImage, VideoFrame
from engine.face._pose import head_pose
from engine.face._quality import eye_aspect, mouth_aspect

FULL_EVERY = 12  # frames between whole-frame searches (1 s at 12 fps)
EMBED_EVERY = 4  # frames between identity checks
MIN_IOU = 0.3
WINDOW = 0.6  # the crop around the last box reaches this many box sides beyond each edge
CROWD_SHARE = 0.4  # another face at least this share of the subject's area counts as a person
GREY_SIDE = 320  # the long side of the grey copy kept for motion analysis
JPEG_QUALITY = 85
FRONTAL = 25.0  # degrees of yaw and pitch within which an embedding is trusted
MIN_FACE = 20  # engine.face's default smallest face, in px
SIDE_CHECK = 15.0  # degrees of yaw past which the 68-point pose's side is checked
CHANGE_VOTES = 3  # consecutive identity checks below the threshold that mean another person


@dataclass(frozen=True, eq=False)
class Sample:
    """One analysed frame. Geometry is in the upright frame's pixels; `points` is None on a
    frame where the subject was not found."""

    number: int
    timestamp: float
    box: np.ndarray | None = None  # x1 y1 x2 y2
    points: np.ndarray | None = None  # (68, 2)
    yaw: float = 0.0  # NaN where the 68-point pose contradicts the detector's five points
    pitch: float = 0.0
    roll: float = 0.0
    ears: tuple[float, float] = (0.0, 0.0)  # eye aspect ratios, image-left eye first
    mouth: float = 0.0  # inner-lip gap over inner mouth width
    crowd: int = 0  # other people's faces seen on a whole-frame search (-1: none was run)
    grey: np.ndarray | None = None  # the upright frame, grey, long side GREY_SIDE
    grey_scale: float = 1.0  # grey pixels per frame pixel
    jpeg: bytes = b""  # the upright frame, for key frames
    face: Face | None = None  # the subject's face as detected (frame coordinates)
    passive: dict[str, float] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.points is not None

    @property
    def eye_span(self) -> float:
        """Distance between the outer eye corners (36, 45): the face's scale."""
        assert self.points is not None
        return float(np.linalg.norm(self.points[45] - self.points[36]))


@dataclass
class Identity:
    """The subject's identity across the clip: the mean of the first embeddings, and how
    each later one compares with it."""

    threshold: float = field(default_factory=calibration.default_threshold)
    reference: np.ndarray | None = None
    seeds: list[np.ndarray] = field(default_factory=list)
    votes: int = 0
    changed: bool = False
    lowest: float = 1.0

    def add(self, vector: np.ndarray, *, reacquired: bool) -> None:
        if self.reference is None:
            self.seeds.append(vector)
            if len(self.seeds) >= 3:
                mean = np.mean(self.seeds, axis=0)
                self.reference = mean / max(float(np.linalg.norm(mean)), 1e-9)
            return
        similarity = float(np.dot(vector, self.reference))
        self.lowest = min(self.lowest, similarity)
        if similarity >= self.threshold:
            self.votes = 0
            return
        self.votes += CHANGE_VOTES if reacquired else 1
        self.changed = self.changed or self.votes >= CHANGE_VOTES

    def finish(self) -> None:
        """A clip too short for three seeds compares its seeds with each other."""
        if self.reference is None and len(self.seeds) >= 2:
            first = self.seeds[0]
            self.lowest = min(float(np.dot(first, s)) for s in self.seeds[1:])
            self.changed = self.lowest < self.threshold


class Tracker:
    def __init__(self, rotate: bool) -> None:
        self.rotate = rotate
        self.rotation: int | None = None if rotate else 0
        self.box: np.ndarray | None = None
        self.lost_since: float | None = None
        self.number = 0
        self.identity = Identity()

    def step(self, frame: VideoFrame) -> tuple[Sample, DecodedImage]:
        """Find and measure the subject in the next sampled frame; also the frame upright."""
        number, self.number = self.number, self.number + 1
        if self.rotation is None:
            found = face_engine.detect(frame.image, rotate=True)
            if not found.faces:
                return self._missing(number, frame, frame.image), frame.image
            self.rotation = found.rotation
        image = face_engine.upright(frame.image, self.rotation)
        full = self.box is None or number % FULL_EVERY == 0
        face, crowd, reacquired, source = None, -1, False, image
        if not full:
            face, source = self._in_window(image)
        if face is None:
            face, crowd, reacquired = self._in_frame(image)
            source = image
        if face is None:
            return self._missing(number, frame, image, crowd), image
        detection = Detection(faces=(face[0],), width=source.width, height=source.height)
        if reacquired or number % EMBED_EVERY == 0:
            self._check_identity(source, detection, face, reacquired)
        return self._measure(number, frame, image, face, crowd), image

    def _in_window(
        self, image: DecodedImage
    ) -> tuple[tuple[Face, np.ndarray] | None, DecodedImage]:
        assert self.box is not None
        x1, y1, x2, y2 = self.box
        side = max(x2 - x1, y2 - y1)
        left, top = max(int(x1 - WINDOW * side), 0), max(int(y1 - WINDOW * side), 0)
        right = min(int(x2 + WINDOW * side) + 1, image.width)
        bottom = min(int(y2 + WINDOW * side) + 1, image.height)
        crop = DecodedImage(pixels=image.pixels[top:bottom, left:right], format="frame")
        min_face = max(int(0.6 * side), MIN_FACE)
        found = face_engine.detect(crop, landmarks68=True, min_face=min_face)
        offset = np.array([left, top], dtype=np.float64)
        best = self._closest(found, offset)
        return (best, crop) if best is not None else (None, image)

    def _in_frame(self, image: DecodedImage) -> tuple[tuple[Face, np.ndarray] | None, int, bool]:
        # While the subject is tracked, faces under half its size matter neither as the
        # subject nor as another person (CROWD_SHARE of its area is 0.63 of its side).
        min_face = MIN_FACE
        if self.box is not None and self.lost_since is None:
            min_face = max(MIN_FACE, int(0.5 * (self.box[2] - self.box[0])))
        found = face_engine.detect(image, landmarks68=True, min_face=min_face)
        if not found.faces:
            return None, 0, False
        origin = np.zeros(2)
        best = self._closest(found, origin) if self.box is not None else None
        reacquired = False
        if best is None:
            largest = found.largest()
            assert largest is not None
            best = (largest, origin)
            reacquired = self.box is not None or self.lost_since is not None
        subject_area = best[0].revised_box.area
        crowd = sum(
            1
            for f in found.faces
            if f is not best[0] and f.revised_box.area >= CROWD_SHARE * subject_area
        )
        return best, crowd, reacquired

    def _closest(self, found: Detection, offset: np.ndarray) -> tuple[Face, np.ndarray] | None:
        """The face that continues the track (IoU with the last box), with its crop offset."""
        if self.box is None:
            return None
        best, best_iou = None, MIN_IOU
        for face in found.faces:
            overlap = iou(_box(face) + np.tile(offset, 2), self.box)
            if overlap >= best_iou:
                best, best_iou = face, overlap
        return (best, offset) if best is not None else None

    def _check_identity(
        self,
        source: DecodedImage,
        detection: Detection,
        face: tuple[Face, np.ndarray],
        reacquired: bool,
    ) -> None:
        points = _points(face[0])
        pose = head_pose(points, source.width, source.height)
        if not reacquired and (abs(pose.yaw) > FRONTAL or abs(pose.pitch) > FRONTAL):
            return
        vector = face_engine.embed(source, detection, 0).array()
        self.identity.add(vector, reacquired=reacquired)

    def _measure(
        self,
        number: int,
        frame: VideoFrame,
        image: DecodedImage,
        found: tuple[Face, np.ndarray],
        crowd: int,
    ) -> Sample:
        face, offset = found
        points = _points(face) + offset
        box = _box(face) + np.tile(offset, 2)
        self.box, self.lost_since = box, None
        pose = head_pose(points, image.width, image.height)
        grey, scale = _grey(image)
        return Sample(
            number=number,
            timestamp=frame.timestamp,
            box=box,
            points=points,
            yaw=pose.yaw if _turn_agrees(face, pose.yaw) else float("nan"),
            pitch=pose.pitch,
            roll=pose.roll,
            ears=(eye_aspect(points[36:42]), eye_aspect(points[42:48])),
            mouth=mouth_aspect(points),
            crowd=crowd,
            grey=grey,
            grey_scale=scale,
            jpeg=_jpeg(image),
            face=_shifted(face, offset),
        )

    def _missing(
        self, number: int, frame: VideoFrame, image: DecodedImage, crowd: int = 0
    ) -> Sample:
        if self.lost_since is None:
            self.lost_since = frame.timestamp
        grey, scale = _grey(image)
        return Sample(
            number=number,
            timestamp=frame.timestamp,
            crowd=crowd,
            grey=grey,
            grey_scale=scale,
            jpeg=_jpeg(image),
        )


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two x1 y1 x2 y2 boxes."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def _box(face: Face) -> np.ndarray:
    b = face.revised_box
    return np.array([b.left, b.top, b.right, b.bottom], dtype=np.float64)


def _turn_agrees(face: Face, yaw: float) -> bool:
    """Whether the 68-point pose turns the face to the side its five points show.

    Near profile, dlib's 68-point fit can fold onto the wrong half of the face and solvePnP then
    reads a large yaw of the wrong sign (measured: -66° on a turn to image-right in
    headpose_protocol_eyewide.mp4, where YuNet keeps finding the face that MTCNN lost). The
    detector's nose point lies towards the side the face turns (negative yaw: image-left), so a
    disagreement makes that frame's yaw unknown rather than a turn the other way."""
    if abs(yaw) < SIDE_CHECK:
        return True
    left_eye, right_eye, nose = face.revised_landmarks5[:3]
    return (nose.x - (left_eye.x + right_eye.x) / 2) * yaw > 0


def _points(face: Face) -> np.ndarray:
    return np.array([(p.x, p.y) for p in face.landmarks68], dtype=np.float64)


def _shifted(face: Face, offset: np.ndarray) -> Face:
    """The face moved from its crop's coordinates into the frame's."""
    if not offset.any():
        return face
    dx, dy = float(offset[0]), float(offset[1])

    def box(b: Box) -> Box:
        return Box(left=b.left + dx, top=b.top + dy, right=b.right + dx, bottom=b.bottom + dy)

    def points(values: tuple[Point, ...]) -> tuple[Point, ...]:
        return tuple(Point(x=p.x + dx, y=p.y + dy) for p in values)

    return face.model_copy(
        update={
            "box": box(face.box),
            "revised_box": box(face.revised_box),
            "landmarks5": points(face.landmarks5),
            "revised_landmarks5": points(face.revised_landmarks5),
            "landmarks68": points(face.landmarks68),
        }
    )


def _grey(image: DecodedImage) -> tuple[np.ndarray, float]:
    scale = min(1.0, GREY_SIDE / max(image.width, image.height))
    grey = cv2.cvtColor(image.pixels, cv2.COLOR_BGR2GRAY)
    if scale < 1.0:
        size = (round(image.width * scale), round(image.height * scale))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return grey, scale


def _jpeg(image: DecodedImage) -> bytes:
    ok, data = cv2.imencode(".jpg", image.pixels, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return data.tobytes() if ok else b""
