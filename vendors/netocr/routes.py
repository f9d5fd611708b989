"""netocr's route table: each path serves a few typeIds, each typeId one job (seed 003; the
recognition paths from public client code, docs/PROTOCOLS.md).

A job takes the `Call` and returns a wire answer; the path's handler only reads `typeId` and
picks the job, so a typeId that a path does not serve is refused in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial

from contracts.errors import ErrorKind, IdfError
from vendors.common.routing import Api, ApiHandler, Call
from vendors.netocr import cards, faces, liveness
from vendors.netocr.wire import Answer

Job = Callable[[Call], Awaitable[Answer]]

CARD_JOBS: dict[int, Job] = {
    type_id: partial(cards.recognise, type_id=type_id) for type_id in cards.TYPES
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


def _api(path: str, jobs: Mapping[int, Job]) -> Api:
    name = path.rsplit("/", 1)[-1].removesuffix(".do")
    return Api(name, (path,), by_type(jobs))


APIS = [
    _api("/verapi/verFaceImage.do", {21: faces.compare_verdict}),
    _api("/verapi/verLivenessImage.do", {3035: liveness.image_verdict}),
    _api("/verapi/verLivenessVideo.do", {3036: liveness.video_verdict}),
    _api("/api/faceliu.do", FACE_JOBS),
    _api("/api/facerecog.do", FACE_JOBS),
    _api("/api/recogliu.do", CARD_JOBS),
    _api("/api/recog.do", CARD_JOBS),
]
