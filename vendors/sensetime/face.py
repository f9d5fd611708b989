"""SenseTime 1:1 face APIs (seed 000 §2.1–§2.8): detect, quality, extract, verify,
compareImages, singleImageVerify, select.

Each handler reads its inputs (vendors.sensetime.context turns file / data / context + index
into faces), runs the engine in the inference pool, and renders the manual's JSON: field names
as the manual's examples print them, both spellings where its example and table differ
(`mouse`/`mouth`, `maxFace`/`maxface`, `feature`/`Feature`). Scores are cosines mapped to
SenseTime's 0..1 scale by contracts.calibration.
"""

from __future__ import annotations

from typing import Any

import engine.face as face_engine
from contracts import calibration
from contracts.embeddings import Embedding, cosine
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box, Detection, Face, Point, Quality
from contracts.images import DecodedImage, ImageInput, VideoInput, VideoLimits
from engine.imaging import holder_and_portrait, mark_faces
from engine.media import decode_video, sniff_video_format
from vendors.common.inputs import require_image, video_input
from vendors.common.outputs import render_image
from vendors.common.services import Services
from vendors.sensetime.context import (
    IMAGE_LIMITS,
    FaceImage,
    FaceSubject,
    Fields,
    decode_feature,
    detect_image,
    embedding_of,
    encode_feature,
    faces_then,
    make_context,
    quality_of,
    stored_path,
)
from vendors.sensetime.routes import Api, Call

SERVICE = "ssid-face"
IMAGE_FIELDS = ("file", "data")
# seed 000 §1.2: MP4, AVI, MOV, WMV or RM; 3 s or longer; at most 20 MB
VIDEO_LIMITS = VideoLimits(
    min_seconds=3.0, max_frames=12, formats=frozenset({"mp4", "avi", "mov", "wmv", "rm"})
)


# --- rendering ------------------------------------------------------------------------------


def vertex(box: Box) -> dict[str, int]:
    return {
        "left": round(box.left),
        "top": round(box.top),
        "right": round(box.right),
        "bottom": round(box.bottom),
    }


def points(values: tuple[Point, ...]) -> list[dict[str, float]]:
    return [{"x": round(p.x, 6), "y": round(p.y, 6)} for p in values]


def rect_bean(face: Face, rotate: bool) -> dict[str, Any]:
    """rectBean (§2.1): `revisedVertex` only when rotation was asked for."""
    rect: dict[str, Any] = {"vertex": vertex(face.box)}
    if rotate:
        rect["revisedVertex"] = vertex(face.revised_box)
    rect["confidence"] = round(face.score, 6)
    return rect


def landmarks_bean(face: Face, rotate: bool) -> dict[str, Any]:
    """landmarksBean (§2.1): occlusion is 0 for an occluded point, 1 for a visible one."""
    occluded = face.quality.occlusion if face.quality else ()
    bean: dict[str, Any] = {
        "points": points(face.landmarks5),
        "occlusion": [0 if hidden else 1 for hidden in occluded],
    }
    if rotate:
        bean["revisedPoints"] = points(face.revised_landmarks5)
    return bean


def headpose(quality: Quality) -> dict[str, float]:
    pose = quality.pose
    return {"yaw": round(pose.yaw, 4), "pitch": round(pose.pitch, 4), "roll": round(pose.roll, 4)}


def quality_bean(quality: Quality) -> dict[str, Any]:
    """qualityBean (§2.3): the table says `mouth`, the example `mouse`; both are sent."""
    mouth = round(quality.mouth_closed, 6)
    return {
        "headpose": headpose(quality),
        "blur": round(quality.sharpness, 6),
        "mouth": mouth,
        "mouse": mouth,
    }


def similarity(a: Embedding, b: Embedding) -> float:
    """SenseTime's 0..1 similarity; refused for a model the calibration was not fitted for."""
    calibration.load_calibration().check_model(a.model)
    return round(calibration.sensetime_similarity(cosine(a, b)), 6)


def envelope(found: FaceImage, faces: list[dict[str, Any]]) -> dict[str, Any]:
    """The head every per-face result shares (§2.2–§2.4): path, numOfFaces, rotation, faces."""
    return {
        "path": found.path,
        "numOfFaces": len(found.detection.faces),
        "rotation": found.detection.rotation,
        "faces": faces,
    }


# --- engine work, run in the inference pool -------------------------------------------------


def detect_and_mark(services: Services, image: ImageInput, rotate: bool) -> dict[str, Any]:
    # Quality is measured here for its landmark occlusion flags, and travels in the context.
    found = detect_image(services, image, rotate, with_quality=True)
    upright = found.upright
    assert upright is not None
    return {
        "path": found.path,
        "numOfFaces": len(found.subjects),
        "markedImg": render_image(services, mark_faces(upright, found.detection.faces), "face"),
        "rotation": found.detection.rotation,
        "context": make_context(services, found),
        "faces": [
            {
                "faceId": str(face.index),
                "rect": rect_bean(face, rotate),
                "landmarks": landmarks_bean(face, rotate),
            }
            for face in found.detection.faces
        ],
    }


def embeddings(found: FaceImage) -> list[tuple[FaceSubject, Embedding]]:
    return [(s, embedding_of(s)) for s in found.subjects]


def qualities(found: FaceImage) -> list[tuple[FaceSubject, Quality]]:
    return [(s, quality_of(s)) for s in found.subjects]


def holder_vs_portrait(services: Services, image: ImageInput, rotate: bool) -> dict[str, Any]:
    found = detect_image(services, image, rotate)
    if len(found.detection.faces) < 2:
        raise IdfError(
            ErrorKind.no_face,
            "a live face and the ID card's portrait are needed",
            field=image.name,
        )
    upright = found.upright
    assert upright is not None
    holder, portrait = holder_and_portrait(upright, found.detection.faces)
    live, card = (embedding_of(found.subjects[face.index]) for face in (holder, portrait))
    return {
        "path": found.path,
        "similarity": similarity(live, card),
        "rotation": found.detection.rotation,
    }


def best_frame(services: Services, video: VideoInput, rotate: bool) -> dict[str, Any]:
    """The sampled frame whose largest face has the best overall quality score (§2.8)."""
    decoded = decode_video(video)
    best: tuple[Quality, DecodedImage, Detection] | None = None
    for frame in decoded.frames:
        detection = face_engine.detect(frame.image, rotate=rotate)
        if detection.faces:
            measured = face_engine.quality(frame.image, detection, 0)  # 0 is the largest
            if best is None or measured.score > best[0].score:
                best = (measured, frame.image, detection)
    if best is None:
        raise IdfError(ErrorKind.no_face, "no sampled frame shows a face", field=video.name)
    measured, image, detection = best
    face = detection.faces[0].model_copy(update={"quality": measured})
    frame_face = {
        "faceId": str(face.index),
        "faceRect": rect_bean(face, rotate),
        "landmarks": landmarks_bean(face, rotate),
        "quality": {"headpose": headpose(measured)},
    }
    upright = face_engine.upright(image, detection.rotation)
    return {
        "path": stored_path(services, video.data, sniff_video_format(video.data) or "video"),
        "frameImage": render_image(services, upright, "face"),
        "rotation": detection.rotation,
        # seed 000 §2.8: the table says `maxface`, the example `maxFace`
        "maxFace": frame_face,
        "maxface": frame_face,
    }


# --- handlers -------------------------------------------------------------------------------


async def detect(call: Call) -> dict[str, Any]:
    """§2.1: every face, a marked image, and the context later calls take instead."""
    image = await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(detect_and_mark, call.services, image, rotate)


async def quality(call: Call) -> dict[str, Any]:
    """§2.3: head pose, sharpness and mouth state of the selected faces."""
    found, measured = await faces_then(call, qualities)
    return envelope(
        found, [{"faceId": str(s.face_id), "quality": quality_bean(q)} for s, q in measured]
    )


async def extract(call: Call) -> dict[str, Any]:
    """§2.4: a feature string per selected face (table `Feature`, example `feature`)."""
    found, described = await faces_then(call, embeddings)
    faces = []
    for subject, embedding in described:
        feature = encode_feature(call.services, embedding)
        faces.append({"faceId": str(subject.face_id), "feature": feature, "Feature": feature})
    return envelope(found, faces)


async def verify(call: Call) -> dict[str, Any]:
    """§2.5: the similarity of two feature strings."""
    first, second = (
        decode_feature(call.services, call.params.text(name, required=True) or "", name)
        for name in ("feature1", "feature2")
    )
    return {"similarity": similarity(first, second)}


async def compare_images(call: Call) -> dict[str, Any]:
    """§2.6: every selected face of the first image against every one of the second."""
    # one pool trip per side: detect, select and embed together
    done = [await faces_then(call, embeddings, Fields.prefixed(p)) for p in ("first", "second")]
    sides = [found for found, _ in done]
    first, second = [described for _, described in done]
    return {
        "result": [
            {
                "firstFaceId": str(a.face_id),
                "secondFaceId": str(b.face_id),
                "similarity": similarity(x, y),
            }
            for a, x in first
            for b, y in second
        ],
        "firstRotation": sides[0].detection.rotation,
        "secondRotation": sides[1].detection.rotation,
        "firstPath": sides[0].path,
        "secondPath": sides[1].path,
    }


async def single_image_verify(call: Call) -> dict[str, Any]:
    """§2.7: one photo of a person holding their ID card; the live face against the card's."""
    image = await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(holder_vs_portrait, call.services, image, rotate)


async def select(call: Call) -> dict[str, Any]:
    """§2.8: the frame of a video whose face has the best quality."""
    video = await video_input(call.params, call.services.settings, IMAGE_FIELDS, VIDEO_LIMITS)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(best_frame, call.services, video, rotate)


APIS = [
    Api(SERVICE, "detect", detect),
    Api(SERVICE, "quality", quality),
    Api(SERVICE, "extract", extract),
    Api(SERVICE, "verify", verify),
    Api(SERVICE, "compareImages", compare_images),
    Api(SERVICE, "singleImageVerify", single_image_verify),
    Api(SERVICE, "select", select),
]
