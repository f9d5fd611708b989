"""1:1 comparison (§9.2): feature_extraction (CS201.1) and face_pair_verification (CS202.2)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from contracts import calibration
from contracts.documents import CardSide
from contracts.embeddings import Embedding, cosine
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box
from contracts.images import ImageInput
from engine import ocr
from engine.media import decode_image, encode_image
from vendors.common.inputs import image_input, require_image
from vendors.common.limits import base64_body
from vendors.common.params import Params
from vendors.yitu import faces, package, wire
from vendors.yitu.routes import Api, Call

PAIR_TNRS = ("99.9", "99.99", "99.999")  # §9.2: "只能填以下三种字符串"
INFRARED = "query_image_additional_info"
# idcard_ocr_mode -> the card sides it reads; idcard_type reports 1 front, 2 back, -1 neither.
FRONT = (CardSide.front, CardSide.temporary)
OCR_SIDES = {1: FRONT, 2: (CardSide.back,), 3: (*FRONT, CardSide.back)}


@dataclass(frozen=True)
class Extracted:
    found: faces.Found
    flipped: faces.Found | None
    idcard_type: int | None
    image_type: int  # the type detected: for 101, the watermark family its mesh shows


def extract(
    image: ImageInput, image_type: int, *, rotate: bool, limit: int, flip: bool, ocr_mode: int
) -> Extracted:
    """Runs in the pool: the photo's faces, its mirror image's, and its ID card side."""
    field = "image_content"
    original = decode_image(image)
    detected = faces.watermark_type(original, image_type)
    decoded = faces.clean(original, image_type)
    found = faces.find(decoded, image_type, rotate=rotate, limit=limit, field=field)
    flipped = None
    if flip:
        mirror = faces.mirrored(decoded)
        flipped = faces.find(mirror, image_type, rotate=rotate, limit=limit, field=field)
    idcard_type = None
    if ocr_mode:
        cards = ocr.scan_id_cards(found.image).cards
        sides = [card.side for card in cards if card.side in OCR_SIDES[ocr_mode]]
        idcard_type = -1 if not sides else 2 if sides[0] is CardSide.back else 1
    return Extracted(found, flipped, idcard_type, detected)


async def feature_extraction(call: Call) -> dict[str, Any]:
    params, services = call.params, call.services
    image_type = wire.image_type(params, "image_type", wire.DATABASE_TYPES, None)
    image = await require_image(params, services.settings, ("image_content",), faces.PHOTO_LIMITS)
    ocr_mode = (
        params.integer("idcard_ocr_mode", 1, low=1, high=3) if params.boolean("idcard_ocr") else 0
    )
    done = await services.pool.run(
        extract,
        image,
        image_type,
        rotate=params.boolean("auto_rotate"),
        limit=params.integer("max_faces_allowed", 1, low=1, high=2),
        flip=params.boolean("flip_image"),
        ocr_mode=ocr_mode,
    )
    out: dict[str, Any] = {
        "feature": faces.seal_feature(services.sealer, done.found.embeddings),
        "face_num": len(done.found.detection.faces),
        "image_type": wire.detected_type(
            done.image_type, done.found.image.width, done.found.image.height
        ),
    }
    if done.flipped is not None:
        out["flip_feature"] = faces.seal_feature(services.sealer, done.flipped.embeddings)
    if params.boolean("remove_watermark") and image_type in wire.WATERMARKED:
        out["processed_image_content"] = base64.b64encode(encode_image(done.found.image)).decode()
    if done.idcard_type is not None:
        out["idcard_type"] = done.idcard_type
    return out


@dataclass(frozen=True)
class Side:
    """One side of a comparison: per face (largest first), its embeddings (the photo's, and its
    mirror image's with auto_flip), and for a photo the faces' rectangles as sent."""

    faces: list[list[Embedding]]
    rects: list[Box]

    def scores(self, other: Embedding) -> list[float]:
        """Yitu similarity of each face to `other`, the better of its embeddings."""
        return [
            max(calibration.yitu_similarity(cosine(e, other)) for e in face) for face in self.faces
        ]


def photo_side(
    image: ImageInput, image_type: int, *, rotate: bool, mirror: bool, limit: int
) -> Side:
    """Runs in the pool: a photo's `limit` largest faces, each with its mirror image's
    embedding too when `mirror` (§9.2 auto_flip)."""
    field = image.name or "image"
    decoded = faces.prepare(image, image_type)
    found = faces.find(decoded, image_type, rotate=rotate, limit=limit, field=field)
    per_face = [[e] for e in found.embeddings]
    if mirror:
        mirror_image = faces.mirrored(decoded)
        flipped = faces.find(mirror_image, image_type, rotate=rotate, limit=limit, field=field)
        for alternatives, embedding in zip(per_face, flipped.embeddings, strict=False):
            alternatives.append(embedding)
    return Side(per_face, [face.box for face in found.detection.faces[:limit]])


def feature_side(call: Call, name: str, limit: int) -> Side | None:
    text = call.params.text(name)
    if text is None:
        return None
    return Side([[e] for e in faces.open_feature(call.services.sealer, text, name)[:limit]], [])


def _neither(*fields: str) -> IdfError:
    return IdfError(
        ErrorKind.missing_one_of, f"one of {', '.join(fields)} is required", field=",".join(fields)
    )


async def database_side(call: Call) -> Embedding:
    """The registered face: the largest of the database photo, or its feature's first."""
    params, services = call.params, call.services
    image = await image_input(
        params, services.settings, ("database_image_content",), faces.PHOTO_LIMITS
    )
    if image is not None:
        image_type = wire.image_type(params, "database_image_type", wire.DATABASE_TYPES, None)
        rotate = params.boolean("auto_rotate_for_database")
        side = await services.pool.run(
            photo_side, image, image_type, rotate=rotate, mirror=False, limit=1
        )
        return side.faces[0][0]
    given = feature_side(call, "database_image_feature", 1)
    if given is None:
        raise _neither("database_image_content", "database_image_feature")
    return given.faces[0][0]


async def query_side(call: Call, limit: int) -> tuple[Side, dict[str, Any] | None]:
    """The query's faces, and the package result when the query is a capture bundle."""
    params, services = call.params, call.services
    image = await image_input(
        params, services.settings, ("query_image_content",), faces.PHOTO_LIMITS
    )
    if image is not None:
        image_type = wire.image_type(params, "query_image_type", wire.QUERY_TYPES, 301)
        side = await services.pool.run(
            photo_side,
            image,
            image_type,
            rotate=params.boolean("auto_rotate_for_query"),
            mirror=params.boolean("auto_flip"),
            limit=limit,
        )
        return side, None
    given = feature_side(call, "query_image_feature", limit)
    if given is not None:
        return given, None
    text = params.text(package.FIELD)
    if text is None:
        raise _neither("query_image_content", "query_image_feature", package.FIELD)
    opts = package.options(params, return_images=False, levels=package.QUERY_LEVELS)
    opened = package.open_package(call, text)
    if opened is None:
        # §9.2 output: a bundle that is not one is `is_valid_package: false`, not an error
        return Side([], []), {"is_valid_package": False}
    analysis = await services.pool.run(package.analyse, opened, [r for _, r in opts.checks])
    front, embedding = analysis.faces[0], analysis.embeddings[0]
    if front is None or embedding is None:
        raise IdfError(
            ErrorKind.no_face, "no face in the package's first frame", field=package.FIELD
        )
    return Side([[embedding]], []), package.result(call, opened, analysis, opts)


def refuse_infrared(params: Params) -> None:
    """§9.2 query_image_additional_info carries an infrared photo and its key points; no
    infrared model is deployed, so a filled one is refused rather than silently ignored
    (the default, empty or `false`, passes)."""
    if params.raw(INFRARED) in (None, False):
        return
    given = wire.section(params, INFRARED)
    if given.has("infrared_face_image_content") or given.has("face_key_point_info"):
        raise IdfError(ErrorKind.unsupported, "infrared comparison is not offered", field=INFRARED)


async def face_pair_verification(call: Call) -> dict[str, Any]:
    params = call.params
    tnr = params.text("true_negative_rate", default="99.99") or ""
    if tnr not in PAIR_TNRS:
        raise IdfError(
            ErrorKind.bad_param,
            f"true_negative_rate must be one of {', '.join(PAIR_TNRS)}",
            field="true_negative_rate",
        )
    limit = params.integer("max_faces_allowed", 1, low=1) or 1
    refuse_infrared(params)
    database = await database_side(call)
    query, package_result = await query_side(call, limit)
    scores = query.scores(database)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    # An invalid bundle verifies nothing: not the same person, similarity 0.
    best = scores[order[0]] if scores else 0.0
    out: dict[str, Any] = {
        "global_request_id": call.request_id,
        "pair_verify_result": 0 if scores and best >= calibration.yitu_threshold(tnr) else 1,
        "pair_verify_similarity": round(best, 2),
    }
    if package_result is not None:
        out["query_image_package_result"] = package_result
    if params.boolean("enable_verify_detail"):
        detail: dict[str, Any] = {"score_list": [round(scores[i], 2) for i in order]}
        if params.boolean("return_face_rect") and query.rects:
            detail["query_face_rect"] = [wire.rect(query.rects[i]) for i in order]
        out["verify_detail"] = detail
    return out


# a database photo, and a query photo or capture bundle
_PAIR = base64_body(faces.PHOTO_LIMITS.max_bytes, package.MAX_PACKAGE_BYTES)
APIS = [
    Api(
        "/face/v1/algorithm/recognition/feature_extraction",
        feature_extraction,
        base64_body(faces.PHOTO_LIMITS.max_bytes),
    ),
    Api("/face/v1/algorithm/recognition/face_pair_verification", face_pair_verification, _PAIR),
]
