"""SenseTime's advanced toolkit (seed 000 chapter 5, service `ssid-advanced`, error prefix 64):
quality, attribute, encoder, decoder, defake.

Every face of the input is reported (`face`, faceId from 0, largest first). Field names follow
the manual's tables, with the example's spelling sent beside where they differ: `mouth` and
`mouse`, `left_cheek` and `left-cheek`, `confidence` and `conf`, `encodedImage` and
`encodeImage`. Every number is measured by the engine; what each means, how well it does and
what it cannot do is in docs/sensetime-advanced.md. Attribute keys 3 (skin colour), 8
(ethnicity) and 11 (dark skin tone) are never estimated: they are sent as value "0" with
confidence 0.0, so that clients which threshold confidence ignore them.
"""

from __future__ import annotations

import json
from typing import Any

import cv2
import numpy as np

import engine.face as face_engine
from contracts.attributes import FaceAttributes, Gender, Mask
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Face, Quality
from contracts.images import DecodedImage, ImageInput
from engine.face import Expression
from engine.imaging import embed_watermark, examine_swap, read_watermark, watermark_secrets
from engine.media import decode_image, encode_image
from vendors.common.inputs import require_image
from vendors.common.outputs import render_bytes
from vendors.common.services import Services
from vendors.sensetime.context import IMAGE_LIMITS, detect_image, stored_path
from vendors.sensetime.face import headpose
from vendors.sensetime.routes import Api, Call

SERVICE = "ssid-advanced"
IMAGE_FIELDS = ("file", "data")

# §5.2 keys and values
AGE, BEARD, SKIN, MASK, MASK_POSITION, GLASSES, GENDER = "1", "2", "3", "4", "5", "6", "7"
ETHNICITY, EXPRESSION, HAT, DARK_SKIN, HELMET = "8", "9", "10", "11", "12"
NOT_ESTIMATED = (SKIN, ETHNICITY, DARK_SKIN)  # never inferred: see the module docstring
GENDER_VALUES = {Gender.female: "0", Gender.male: "1"}  # §5.2: the reverse of §2.2
EXPRESSION_VALUES = {
    Expression.angry: "0",
    Expression.happy: "1",
    Expression.sad: "2",
    Expression.calm: "3",
    Expression.surprised: "4",
}


# --- quality (§5.1) -------------------------------------------------------------------------


def _points5(face: Face) -> np.ndarray:
    return np.array([(p.x, p.y) for p in face.revised_landmarks5], np.float64)


def quality_bean(quality: Quality, cheeks: tuple[float, float]) -> dict[str, Any]:
    """qualityBean: the lighting, eyes, pose, blur, mouth and per-region visibility."""
    light = quality.lighting
    seen = quality.visibility
    if light is None or len(seen) != 5 or len(quality.eye_openness) != 2:
        raise IdfError(ErrorKind.internal, "the quality measures are incomplete")
    mouth = round(quality.mouth_closed, 6)
    left_cheek, right_cheek = (round(v, 6) for v in cheeks)
    return {
        "score": round(quality.score, 6),
        "light": {
            "mean": round(light.mean, 4),
            "var": round(light.variance, 4),
            "over_dark": round(light.dark_fraction, 6),
            "over_glare": round(light.glare_fraction, 6),
        },
        # `valid`: how visible the eye is (occlusion measure); `open`: its openness
        "left_eyestate": {"valid": round(seen[0], 6), "open": round(quality.eye_openness[0], 6)},
        "right_eyestate": {"valid": round(seen[1], 6), "open": round(quality.eye_openness[1], 6)},
        "headpose": headpose(quality),
        "blur": round(quality.sharpness, 6),
        "mouth": mouth,
        "mouse": mouth,
        "occlusion": {
            "left_eye": round(seen[0], 6),
            "right_eye": round(seen[1], 6),
            "nose": round(seen[2], 6),
            "mouth": round(min(seen[3], seen[4]), 6),
            "left_cheek": left_cheek,
            "right_cheek": right_cheek,
            "left-cheek": left_cheek,
            "right-cheek": right_cheek,
        },
    }


def measure_quality(services: Services, image: ImageInput, rotate: bool) -> dict[str, Any]:
    found = detect_image(services, image, rotate, with_quality=True)
    upright = found.upright
    assert upright is not None
    rgb = cv2.cvtColor(upright.pixels, cv2.COLOR_BGR2RGB)
    faces = []
    for face in found.detection.faces:
        if face.quality is None:
            raise IdfError(ErrorKind.internal, "quality was not measured")
        bean = quality_bean(face.quality, face_engine.cheek_visibility(rgb, _points5(face)))
        faces.append({"faceId": str(face.index), "quality": bean})
    return {
        "path": found.path,
        "numOfFaces": len(faces),
        "face": faces,
        "rotation": found.detection.rotation,
    }


# --- attribute (§5.2) -----------------------------------------------------------------------


def bean(key: str, value: str, confidence: float) -> dict[str, Any]:
    """attributeBean: the table's `confidence` and the example's `conf`, both in [0, 1]."""
    confidence = round(float(np.clip(confidence, 0.0, 1.0)), 6)
    return {"key": key, "value": value, "confidence": confidence, "conf": confidence}


def _yes(flag: bool, score: float) -> tuple[str, float]:
    return ("1", score) if flag else ("0", 1.0 - score)


def attribute_beans(
    image: DecodedImage, detection: Any, index: int, basic: FaceAttributes
) -> list[dict[str, Any]]:
    """The twelve keys of §5.2 for one face, in key order; `basic` its age, gender and mask."""
    face = detection.faces[index]
    rgb = cv2.cvtColor(face_engine.upright(image, detection.rotation).pixels, cv2.COLOR_BGR2RGB)
    points = _points5(face)
    worn = face_engine.appearance(rgb, points)
    position = (
        None
        if basic.mask is Mask.undetermined
        else face_engine.mask_position(rgb, points, basic.mask is Mask.worn)
    )
    expression, expression_confidence = face_engine.expression(image, detection, index)
    beans = {key: bean(key, "0", 0.0) for key in NOT_ESTIMATED}
    beans[AGE] = bean(AGE, str(round(basic.age)), basic.age_group_confidence)
    beans[BEARD] = bean(BEARD, *_yes(worn.beard, worn.beard_score))
    if basic.mask is Mask.undetermined:
        beans[MASK] = bean(MASK, "0", 0.0)
    elif position is not None and basic.mask is not Mask.worn:  # pulled under the mouth
        beans[MASK] = bean(MASK, "1", 0.5 + abs(0.5 - basic.mask_score))
    else:
        beans[MASK] = bean(MASK, *_yes(basic.mask is Mask.worn, basic.mask_score))
    # Without a mask its position is not applicable: value 0 with confidence 0.
    beans[MASK_POSITION] = bean(
        MASK_POSITION, str(int(position or 0)), 0.0 if position is None else beans[MASK]["conf"]
    )
    beans[GLASSES] = bean(GLASSES, str(int(worn.glasses)), worn.glasses_score)
    beans[GENDER] = bean(GENDER, GENDER_VALUES[basic.gender], basic.gender_confidence)
    beans[EXPRESSION] = bean(EXPRESSION, EXPRESSION_VALUES[expression], expression_confidence)
    beans[HAT] = bean(HAT, *_yes(worn.hat, worn.hat_score))
    beans[HELMET] = bean(HELMET, *_yes(worn.helmet, worn.helmet_score))
    return [beans[key] for key in sorted(beans, key=int)]


def estimate_attributes(services: Services, image: ImageInput, rotate: bool) -> dict[str, Any]:
    found = face_engine.detect_with_attributes(decode_image(image), rotate=rotate)
    rotation = found.detection.rotation
    faces = [
        {
            "faceId": str(face.index),
            "attribute": attribute_beans(found.image, found.detection, face.index, basic),
            "rotation": rotation,
        }
        for face, basic in zip(found.detection.faces, found.attributes, strict=True)
    ]
    path = stored_path(services, image.data, found.image.format)
    return {"path": path, "numOfFaces": len(faces), "face": faces, "rotation": rotation}


# --- watermark (§5.3, §5.4) -----------------------------------------------------------------


def secret(call: Call, name: str) -> bytes:
    """`code` (Byte[32]) or `key` (Byte[4]): text as UTF-8, or a JSON array of byte values, as
    a Java client serialising a byte[] sends it."""
    text = call.params.text(name, required=True) or ""
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        try:
            values = json.loads(stripped)
            if isinstance(values, list) and all(
                isinstance(v, int) and -128 <= v <= 255 for v in values
            ):
                return bytes(v % 256 for v in values)
        except json.JSONDecodeError:
            pass
    return text.encode("utf-8")


def mark(services: Services, image: ImageInput, code: bytes, key: bytes) -> dict[str, Any]:
    decoded = decode_image(image)
    marked = embed_watermark(decoded.pixels, code, key)
    # PNG: a lossless copy keeps the whole mark; it survives later JPEG compression too.
    encoded = render_bytes(services, encode_image(marked, "png"), "watermark", "png")
    return {
        "encodedImage": encoded,
        "encodeImage": encoded,
        "key": key.rstrip(b"\0").decode("utf-8", errors="replace"),
    }


def verify_mark(image: ImageInput, code: bytes, key: bytes) -> dict[str, Any]:
    reading = read_watermark(decode_image(image).pixels, key, code)
    # The code read from the mark, only when the mark is genuine: otherwise it is noise.
    carried = reading.code.rstrip(b"\0").decode("utf-8", errors="replace")
    return {
        "score": round(reading.score, 6),
        "key": key.rstrip(b"\0").decode("utf-8", errors="replace"),
        "code": carried if reading.trusted else None,
    }


# --- defake (§5.5) --------------------------------------------------------------------------


def examine(services: Services, image: ImageInput, rotate: bool) -> dict[str, Any]:
    decoded = decode_image(image)
    detection = face_engine.detect(decoded, rotate=rotate, landmarks68=True)
    face = detection.largest()
    if face is None:
        raise IdfError(ErrorKind.no_face, "no face was found", field=image.name or "file")
    upright = face_engine.upright(decoded, detection.rotation)
    evidence = examine_swap(upright.pixels, face)
    return {
        "path": stored_path(services, image.data, decoded.format),
        "pass": evidence.passed,
        "score": round(evidence.score, 6),
        "rotation": detection.rotation,
    }


# --- handlers -------------------------------------------------------------------------------


async def _image(call: Call) -> ImageInput:
    return await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)


async def quality(call: Call) -> dict[str, Any]:
    """§5.1: lighting, eyes, pose, blur, mouth and occlusion of every face."""
    image = await _image(call)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(measure_quality, call.services, image, rotate)


async def attribute(call: Call) -> dict[str, Any]:
    """§5.2: the attribute list of every face."""
    image = await _image(call)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(estimate_attributes, call.services, image, rotate)


async def encoder(call: Call) -> dict[str, Any]:
    """§5.3: the image with `code` marked invisibly under `key`."""
    image = await _image(call)
    code, key = watermark_secrets(secret(call, "code"), secret(call, "key"))
    return await call.services.pool.run(mark, call.services, image, code, key)


async def decoder(call: Call) -> dict[str, Any]:
    """§5.4: the share of `code`'s bits the mark under `key` disagrees with (< 0.1 trusted)."""
    image = await _image(call)
    code, key = watermark_secrets(secret(call, "code"), secret(call, "key"))
    return await call.services.pool.run(verify_mark, image, code, key)


async def defake(call: Call) -> dict[str, Any]:
    """§5.5: whether the largest face looks pasted in."""
    image = await _image(call)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(examine, call.services, image, rotate)


APIS = [
    Api(SERVICE, "quality", quality),
    Api(SERVICE, "attribute", attribute),
    Api(SERVICE, "encoder", encoder),
    Api(SERVICE, "decoder", decoder),
    Api(SERVICE, "defake", defake),
]
