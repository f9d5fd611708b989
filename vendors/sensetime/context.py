"""What SenseTime calls hand each other: the detect `context` and `feature` strings, and the
one way every face API turns file / data / context + index into faces (seed 000 §2.1–§2.6).

A context (§2.1 "检测过程数据… 可作为其他接口的入参使用") lets quality, extract, attribute and
compareImages skip detection and the upload. It is a sealed token (tamper → 62040101) holding
the detection as detect reported it, the stored image's path, and for every face a *region*:
the upright image around the face (the box plus half its size on each side), shrunk to at most
`REGION_SIDE` px and JPEG-encoded. That is enough for every later per-face computation
(alignment, embedding, quality, attributes) at close to full fidelity, without re-sending the
image, and costs ~15–55 kB per face instead of the whole photo. See docs/sensetime-face.md.

A feature (§2.4) is a sealed token of the embedding and its model version; a feature of any
other model version is refused (model_mismatch), a tampered one is "Incorrect feature" (040705).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import engine
import engine.face as face_engine
from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box, Detection, Face, Point, Quality
from contracts.images import DecodedImage, ImageInput, ImageLimits
from engine.imaging import face_region
from engine.media import decode_image, encode_image
from vendors.common.inputs import require_image
from vendors.common.outputs import images_folder, keep_bytes
from vendors.common.services import Services
from vendors.common.tokens import pack_embedding, seal, unpack_embedding, unseal

if TYPE_CHECKING:
    from vendors.sensetime.routes import Call

T = TypeVar("T")

CONTEXT_PURPOSE = "sensetime-context"
FEATURE_PURPOSE = "sensetime-feature"

# `index` (seed 000 §2.2): -2 the largest face (default), -1 every face, n the face with faceId n
LARGEST = -2
ALL = -1

# seed 000 §1.2: JPG, BMP, PNG or TIFF; sides in (8, 5000] px; at most 5 MB
IMAGE_LIMITS = ImageLimits(formats=frozenset({"jpeg", "png", "bmp", "tiff"}))

REGION_MARGIN = 0.5
REGION_SIDE = 320  # a face up to ~160 px wide: above the 150-px chip the embedding is cut to
REGION_QUALITY = 90


@dataclass(frozen=True)
class Fields:
    """The parameter names of one image input: `file`/`data`/`context`/`index`/`rotate`, or
    compareImages' `firstFile`/`firstData`/… (seed 000 §2.6)."""

    file: str = "file"
    data: str = "data"
    context: str = "context"
    index: str = "index"
    rotate: str = "rotate"

    @classmethod
    def prefixed(cls, prefix: str) -> Fields:
        return cls(*(f"{prefix}{name.capitalize()}" for name in astuple(cls())))


@dataclass(frozen=True)
class FaceSubject:
    """One selected face, ready for an engine call.

    `face` is the face as detect reports it (`box` in the input's frame, `revised_box`
    upright; `quality` filled when it came from a context). Engine capabilities take
    `(image, detection, index)`: the input image and its whole detection, or a context's
    region of the upright image and a one-face detection of it.
    """

    face_id: int
    face: Face
    image: DecodedImage
    detection: Detection
    index: int


@dataclass(frozen=True)
class FaceImage:
    """An image input's detection and the faces its `index` selected."""

    detection: Detection
    subjects: tuple[FaceSubject, ...]
    path: str | None  # where the input is stored (image_return "path"), else None
    image: DecodedImage | None  # the decoded input; None when read from a context

    @property
    def upright(self) -> DecodedImage | None:
        """The whole input turned upright; None when read from a context."""
        if self.image is None:
            return None
        return face_engine.upright(self.image, self.detection.rotation)


def embedding_of(subject: FaceSubject) -> Embedding:
    """The face's embedding (blocking: call it in the inference pool)."""
    return face_engine.embed(subject.image, subject.detection, subject.index)


def quality_of(subject: FaceSubject) -> Quality:
    """The face's quality: as detect measured it for a context's face, else measured now
    (blocking: call it in the inference pool)."""
    return subject.face.quality or face_engine.quality(
        subject.image, subject.detection, subject.index
    )


async def face_image_from_params(
    call: Call, fields: Fields = Fields(), *, require_face: bool = True
) -> FaceImage:
    """Detect (or read from a context) the faces of one image input and select by `index`.

    Raises `missing_one_of` naming the image fields when none of file/data/context is given,
    `bad_param` for an unusable index, `no_face` when `require_face` and none was found.
    """
    load = await _loader(call, fields, require_face=require_face)
    return await call.services.pool.run(load)


async def faces_then(
    call: Call,
    work: Callable[[FaceImage], T],
    fields: Fields = Fields(),
    *,
    require_face: bool = True,
) -> tuple[FaceImage, T]:
    """The selected faces of one image input and `work` done on them, in one trip through the
    inference pool: a request side costs one slot and one wait, however many steps it takes."""
    load = await _loader(call, fields, require_face=require_face)

    def job() -> tuple[FaceImage, T]:
        found = load()
        return found, work(found)

    return await call.services.pool.run(job)


async def _loader(call: Call, fields: Fields, *, require_face: bool) -> Callable[[], FaceImage]:
    """Read the request's image fields (the async part: uploads, links) and return the
    blocking rest, decode + detect (or open the context) + select, for the pool."""
    params, services = call.params, call.services
    index = params.integer(fields.index, LARGEST, low=LARGEST)
    if params.first_present((fields.file, fields.data)) is None and params.has(fields.context):
        token = params.text(fields.context) or ""
        return lambda: select(
            read_context(services, token, fields.context),
            index,
            fields.context,
            fields.index,
            require_face=require_face,
        )
    image = await require_image(params, services.settings, (fields.file, fields.data), IMAGE_LIMITS)
    if index >= 0:
        # seed 000 §2.2: "n … 仅当入参为 context 时，支持取 n"
        raise IdfError(ErrorKind.bad_param, "faceId n needs a context", field=fields.index)
    rotate = params.boolean(fields.rotate)
    name = image.name or fields.data
    return lambda: select(
        detect_image(services, image, rotate), index, name, fields.index, require_face=require_face
    )


def detect_image(
    services: Services, image: ImageInput, rotate: bool, *, with_quality: bool = False
) -> FaceImage:
    """Decode, detect (with rotation search when asked), and store the input when configured."""
    decoded = decode_image(image)
    detection = face_engine.detect(decoded, rotate=rotate, with_quality=with_quality)
    return FaceImage(
        detection=detection,
        subjects=tuple(
            FaceSubject(face.index, face, decoded, detection, face.index)
            for face in detection.faces
        ),
        path=stored_path(services, image.data, decoded.format),
        image=decoded,
    )


def stored_path(services: Services, data: bytes, suffix: str, kind: str = "face") -> str | None:
    """Where the input is kept on the server (the manual's `path`, seed 000 §2.1), as the
    bytes the client sent, when images are returned as paths; in base64 mode inputs are not
    kept and `path` is null."""
    if services.settings.image_return != "path":
        return None
    return str(keep_bytes(images_folder(services, kind), data, suffix))


def select(
    found: FaceImage, index: int, field: str, index_field: str, *, require_face: bool
) -> FaceImage:
    """The faces `index` names: the largest (-2), all (-1), or faceId n; `field` names the
    input in a no-face error, `index_field` the index in a bad-index one."""
    faces = found.subjects
    if not faces and require_face:
        raise IdfError(ErrorKind.no_face, "no face was found", field=field)
    if index == ALL or not faces:
        chosen = faces
    elif index == LARGEST:
        chosen = (max(faces, key=lambda s: s.face.box.area),)
    else:
        chosen = tuple(s for s in faces if s.face_id == index)
        if not chosen:
            raise IdfError(ErrorKind.bad_param, f"there is no faceId {index}", field=index_field)
    return FaceImage(found.detection, chosen, found.path, found.image)


# --- contexts -------------------------------------------------------------------------------


def make_context(services: Services, found: FaceImage) -> str:
    """The sealed context of a fresh detection: the faces as reported (with their quality, when
    measured), and each face's upright region."""
    if found.image is None:
        raise IdfError(ErrorKind.internal, "a context is made from a freshly detected image")
    upright = face_engine.upright(found.image, found.detection.rotation)
    regions = []
    for face in found.detection.faces:
        region, corner, scale = face_region(
            upright, face.revised_box, margin=REGION_MARGIN, max_side=REGION_SIDE
        )
        jpeg = encode_image(region, "jpeg", quality=REGION_QUALITY)
        regions.append(
            {"x": corner.x, "y": corner.y, "s": scale, "jpg": base64.b64encode(jpeg).decode()}
        )
    payload: dict[str, Any] = {
        "det": found.detection.model_dump(mode="json", exclude_defaults=True),
        "path": found.path,
        "regions": regions,
    }
    return seal(services.sealer, CONTEXT_PURPOSE, payload, encrypt=True)


def read_context(services: Services, token: str, field: str) -> FaceImage:
    """The detection a context carries, each face with its region; tampered → bad_token."""
    payload = unseal(services.sealer, CONTEXT_PURPOSE, token, field=field, encrypted=True)
    try:
        detection = Detection.model_validate(payload["det"])
        subjects = tuple(
            _from_region(face, region)
            for face, region in zip(detection.faces, payload["regions"], strict=True)
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IdfError(ErrorKind.bad_token, f"{field} is malformed", field=field) from exc
    return FaceImage(detection, subjects, payload.get("path"), None)


def _from_region(face: Face, region: dict[str, Any]) -> FaceSubject:
    """The face in its region's frame: upright, shifted to the region's corner and scaled."""
    data = base64.b64decode(region["jpg"], validate=True)
    pixels = decode_image(ImageInput(data=data, limits=ImageLimits(min_side=0))).pixels
    x0, y0, scale = float(region["x"]), float(region["y"]), float(region["s"])

    def points(values: tuple[Point, ...]) -> tuple[Point, ...]:
        return tuple(Point(x=(p.x - x0) * scale, y=(p.y - y0) * scale) for p in values)

    corners = points(
        (
            Point(x=face.revised_box.left, y=face.revised_box.top),
            Point(x=face.revised_box.right, y=face.revised_box.bottom),
        )
    )
    box = Box(left=corners[0].x, top=corners[0].y, right=corners[1].x, bottom=corners[1].y)
    landmarks = points(face.revised_landmarks5)
    moved = face.model_copy(
        update={
            "index": 0,
            "box": box,
            "revised_box": box,
            "landmarks5": landmarks,
            "revised_landmarks5": landmarks,
            "landmarks68": points(face.landmarks68),
        }
    )
    image = DecodedImage(pixels=pixels, format="jpeg")
    alone = Detection(faces=(moved,), rotation=0, width=image.width, height=image.height)
    return FaceSubject(face.index, face, image, alone, 0)


# --- features -------------------------------------------------------------------------------


def encode_feature(services: Services, embedding: Embedding) -> str:
    """An opaque feature string (seed 000 §2.4): the sealed embedding and its model version."""
    return seal(services.sealer, FEATURE_PURPOSE, pack_embedding(embedding))


def decode_feature(services: Services, token: str, field: str) -> Embedding:
    """The embedding of a feature string this deployment's current model made.

    Tampered or malformed → bad_token (rendered "Incorrect feature", 040705); made by another
    model version → model_mismatch (040510), never a meaningless score.
    """
    embedding = unpack_embedding(
        unseal(services.sealer, FEATURE_PURPOSE, token, field=field), field=field
    )
    current = engine.embedding_version()
    if embedding.model != current:
        raise IdfError(
            ErrorKind.model_mismatch,
            f"{field} was made by model {embedding.model}, this service runs {current}",
            field=field,
        )
    return embedding
