"""SenseTime liveness (seed 000 chapter 4): hacknessScore, interactive, silentLiveness.

Each handler reads the file or data input, runs the engine's whole job in the inference pool
(engine.liveness.score_image or judge_clip) and renders the manual's JSON. Scores go through
contracts.liveness_scores: hacknessScore > 0.95 and video scores > 0.96 mean attack.

The video answer is `livenessRes` (§4.2): `pass`, `score`, `rotation` and `frames`, the key
frames (the peak of each action of the sequence; for silent liveness the most frontal frame),
each with the whole frame, the face cut from it, and its time in the clip in milliseconds;
images are paths or base64 as the deployment returns images. The interactive example prints
`facelImage` where its table says `faceImage`: both are sent.

A clip in which another person appears, or the subject leaves the view, is answered with
chapter 7's own codes, "Liveness target change" (66010207) and "Liveness target lost"
(66010208), with the `data` of every liveness error ({pass:false, score, rotation}).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from contracts import liveness_scores
from contracts.errors import ErrorKind, IdfError
from contracts.images import VIDEO_FORMATS, ImageInput, VideoLimits
from contracts.liveness import Action, ClipOptions, ClipVerdict, KeyFrame
from engine.liveness import judge_clip, score_image
from engine.media import sniff_image_format
from vendors.common.inputs import require_image, video_input
from vendors.common.outputs import render_bytes
from vendors.common.services import Services
from vendors.sensetime import errors, wire
from vendors.sensetime.context import IMAGE_LIMITS, stored_path
from vendors.sensetime.routes import Api, Call

SERVICE = "ssid-liveness"
INPUT_FIELDS = ("file", "data")
# seed 000 §1.2: MP4, AVI, MOV, WMV or RM, 3 s or longer, at most 20 MB; the other containers
# OpenCV's FFmpeg reads (webm, mkv, flv) are accepted too. Clips over 15 s are refused.
VIDEO_LIMITS = VideoLimits(min_seconds=3.0, max_seconds=15.0, formats=VIDEO_FORMATS)
FACE_MARGIN = 0.3  # the face image: the face box grown by this share of its side each way
SILENT = ClipOptions(key_frames=1)


def parse_sequence(call: Call) -> tuple[Action, ...]:
    """`sequence` as clients send it: ['blink'], ["blink","mouth"], blink,mouth, or repeated
    fields (also as PHP's `sequence[]`); names are case-insensitive."""
    params = call.params
    name = params.first_present(("sequence", "sequence[]"))
    if name is None:
        raise IdfError(ErrorKind.missing_param, "sequence is required", field="sequence")
    raw = params.raw(name)
    parts = [
        part.strip().strip("'\"").strip().lower()
        for item in (raw if isinstance(raw, list) else [raw])
        for part in str(item).strip().strip("[]").split(",")
    ]
    try:
        sequence = tuple(Action(part) for part in parts if part)
    except ValueError as exc:
        raise IdfError(
            ErrorKind.bad_param, "sequence holds only blink, mouth, nod and yaw", field="sequence"
        ) from exc
    if not sequence:
        raise IdfError(ErrorKind.missing_param, "sequence is empty", field="sequence")
    return sequence


def image_liveness(services: Services, image: ImageInput, rotate: bool) -> dict[str, Any]:
    verdict = score_image(image, rotate=rotate)
    return {
        "path": stored_path(services, image.data, sniff_image_format(image.data) or "jpg"),
        "rotation": verdict.rotation,
        "pass": verdict.live,
        "score": liveness_scores.sensetime_image_score(verdict.attack_score),
    }


def liveness_res(call: Call, verdict: ClipVerdict) -> Any:
    """`livenessRes` (§4.2), or chapter 7's target-change / target-lost error."""
    score = liveness_scores.sensetime_video_score(verdict.attack_score)
    if verdict.person_changed or verdict.subject_lost:
        outcome = "target_change" if verdict.person_changed else "target_lost"
        code, message = errors.liveness_outcome(SERVICE, outcome)
        data = {"pass": False, "score": score, "rotation": verdict.rotation}
        return wire.respond(call.request, {"code": code, "msg": message, "data": data})
    return {
        "pass": verdict.live,
        "score": score,
        "rotation": verdict.rotation,
        "frames": [frame_bean(call.services, frame) for frame in verdict.key_frames],
    }


def frame_bean(services: Services, frame: KeyFrame) -> dict[str, Any]:
    pixels = frame.image.pixels
    whole = render_bytes(services, _jpeg(pixels), "liveness")
    face = render_bytes(services, _jpeg(_face_crop(pixels, frame)), "liveness")
    return {
        "frameImage": whole,
        "faceImage": face,
        "facelImage": face,
        "timestamp": round(frame.timestamp * 1000),
    }


def _face_crop(pixels: np.ndarray, frame: KeyFrame) -> np.ndarray:
    box = frame.box
    grow = FACE_MARGIN * max(box.width, box.height)
    height, width = pixels.shape[:2]
    left, top = max(int(box.left - grow), 0), max(int(box.top - grow), 0)
    right, bottom = min(int(box.right + grow) + 1, width), min(int(box.bottom + grow) + 1, height)
    return pixels[top:bottom, left:right]


def _jpeg(pixels: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise IdfError(ErrorKind.internal, "a key frame could not be encoded")
    return data.tobytes()


# --- handlers -------------------------------------------------------------------------------


async def hackness_score(call: Call) -> dict[str, Any]:
    """§4.1: is the face in one image a recapture (a print, a screen)?"""
    image = await require_image(call.params, call.services.settings, INPUT_FIELDS, IMAGE_LIMITS)
    rotate = call.params.boolean("rotate")
    return await call.services.pool.run(image_liveness, call.services, image, rotate)


async def interactive(call: Call) -> Any:
    """§4.2: were the actions of `sequence` done in order, live, by one person?"""
    sequence = parse_sequence(call)
    return await _judge(call, sequence)


async def silent_liveness(call: Call) -> Any:
    """§4.3: is the person in the clip live, without any asked-for action?"""
    return await _judge(call, ())


async def _judge(call: Call, sequence: tuple[Action, ...]) -> Any:
    params, services = call.params, call.services
    video = await video_input(params, services.settings, INPUT_FIELDS, VIDEO_LIMITS)
    rotate = params.boolean("rotate")
    options = ClipOptions() if sequence else SILENT
    verdict = await services.pool.run(
        judge_clip, video, sequence=sequence, rotate=rotate, options=options
    )
    return liveness_res(call, verdict)


APIS = [
    Api(SERVICE, "hacknessScore", hackness_score),
    Api(SERVICE, "interactive", interactive),
    Api(SERVICE, "silentLiveness", silent_liveness),
]
