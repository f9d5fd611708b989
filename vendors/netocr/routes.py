"""netocr's route table: each path serves a few typeIds, each typeId one job (seed 003; the
recognition paths from public client code, docs/PROTOCOLS.md).

A job takes the `Call` and returns a wire answer; the path's handler only reads `typeId` and
picks the job, so a typeId that a path does not serve is refused in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial

from contracts.errors import ErrorKind, IdfError
from vendors.common.limits import base64_body
from vendors.common.routing import Api, ApiHandler, Call
from vendors.netocr import cards, documents, faces, inputs, liveness
from vendors.netocr.wire import Answer

Job = Callable[[Call], Awaitable[Answer]]

CARD_JOBS: dict[int, Job] = {
    **{type_id: partial(cards.recognise, type_id=type_id) for type_id in cards.TYPES},
    **{type_id: partial(documents.recognise, type_id=type_id) for type_id in documents.LAYOUTS},
}
FACE_JOBS: dict[int, Job] = {9999: faces.card_and_face, 21: faces.compare_recognition}


def type_id(call: Call) -> int:
    value = call.params.integer("typeId")
    if value is None:
        raise IdfError(ErrorKind.missing_param, "typeId is required", field="typeId")
    return value


def by_type(jobs: Mapping[int, Job]) -> ApiHandler:
    served = ", ".join(str(t) for t in jobs)

    async def handle(call: Call) -> Answer:
        chosen = type_id(call)
        job = jobs.get(chosen)
        if job is None:
            detail = f"typeId {chosen} is not served here (served: {served})"
            raise IdfError(ErrorKind.bad_param, detail, field="typeId")
        return await job(call)

    return handle


# A path's body cap: what its images (or video) take as URL-encoded base64 plus the other
# fields, so that a larger body is netocr's size status, -11, not the gateway's bare 413.
IMAGE = inputs.IMAGE_LIMITS.max_bytes
ONE_IMAGE = base64_body(IMAGE, url_encoded=True)
TWO_IMAGES = base64_body(IMAGE, IMAGE, url_encoded=True)
VIDEO = base64_body(inputs.VIDEO_LIMITS.max_bytes, url_encoded=True)


def _api(path: str, jobs: Mapping[int, Job], max_body: int) -> Api:
    name = path.rsplit("/", 1)[-1].removesuffix(".do")
    return Api(name, (path,), by_type(jobs), max_body=max_body)


APIS = [
    _api("/verapi/verFaceImage.do", {21: faces.compare_verdict}, TWO_IMAGES),
    _api("/verapi/verLivenessImage.do", {3035: liveness.image_verdict}, ONE_IMAGE),
    _api("/verapi/verLivenessVideo.do", {3036: liveness.video_verdict}, VIDEO),
    _api("/api/faceliu.do", FACE_JOBS, TWO_IMAGES),
    _api("/api/facerecog.do", FACE_JOBS, TWO_IMAGES),
    _api("/api/recogliu.do", CARD_JOBS, ONE_IMAGE),
    _api("/api/recog.do", CARD_JOBS, ONE_IMAGE),
]
