"""Repos and 1:N search (§9.3): register_in_repo (102.1) and retrieval_in_repo (103.1).

Repos live in the shared gallery, one namespace per label (`yitu:1` blacklist, `yitu:2` users,
`yitu:3` clustering), so a repo name is unique within its label and never meets SenseTime's
databases. A repo is made by its first upload. A `user_id` is unique within its repo ("不能
重复"); deleting one removes every face stored under it, in the named repo or, when the body
names none (the manual's own delete sample), in every repo of the label.

Each face keeps the request's `description` and `timestamp` as its remark and, for photo
uploads, a small JPEG of the face (return_face_image) as a data URI beside the embedding, so
that a failed insert leaves nothing behind.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from contracts import calibration
from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec, NewItem, SearchHit
from contracts.images import ImageInput
from engine import face as engine_face
from engine.imaging import face_region
from engine.media import encode_image
from vendors.common.inputs import image_input
from vendors.common.limits import base64_body
from vendors.common.params import Params
from vendors.yitu import faces, wire
from vendors.yitu.routes import Api, Call

LABELS = (1, 2, 3)
NAME_MAX = 18  # bytes, for user_id and repo_name (§9.3)
REPO_CAPACITY = 10_000_000  # "千万量级" (§3, §9.3)
TOP_K_MAX = 10
DEFAULT_REPO = "default"
SEARCH_TNRS = tuple("99." + "9" * n for n in range(1, 8))  # "99.9" … "99.9999999"
FACE_SIDE = 160  # px, the stored face image's longer side
_DATA_URI = "data:image/jpeg;base64,"


def namespace(label: int) -> str:
    return f"yitu:{label}"


def _name(section: Params, field: str, *, required: bool) -> str | None:
    value = section.text(field, required=required)
    if value is not None and (len(value.encode()) > NAME_MAX or "_" in value):
        raise IdfError(
            ErrorKind.bad_param,
            f"{field} must be at most {NAME_MAX} bytes without underscores",
            field=field,
        )
    return value


def _label(section: Params) -> int:
    label = section.integer("label")
    if label is None:
        raise IdfError(ErrorKind.missing_param, "label is required", field="label")
    if label not in LABELS:
        raise IdfError(ErrorKind.bad_param, "label must be 1, 2 or 3", field="label")
    return label


def face_of(image: ImageInput, image_type: int, rotate: bool) -> tuple[Embedding, str]:
    """Runs in the pool: the largest face's embedding and a small JPEG of it as a data URI."""
    found = faces.find(
        faces.prepare(image, image_type), image_type, rotate=rotate, limit=1, field="image_content"
    )
    upright = engine_face.upright(found.image, found.detection.rotation)
    region, _, _ = face_region(
        upright, found.detection.faces[0].revised_box, margin=0.2, max_side=FACE_SIDE
    )
    jpeg = encode_image(region, "jpeg", quality=85)
    return found.embeddings[0], _DATA_URI + base64.b64encode(jpeg).decode()


async def probe(
    call: Call, info: Params, mode: int, *, image_type: int, rotate: bool
) -> tuple[Embedding, str | None]:
    """The embedding a request brings: a photo's largest face (mode 1) or a feature (mode 2),
    with the face's image for a photo."""
    if mode == 2:
        text = info.text("feature_content", required=True) or ""
        return faces.open_feature(call.services.sealer, text, "feature_content")[0], None
    image = await image_input(info, call.services.settings, ("image_content",), faces.REPO_LIMITS)
    if image is None:
        raise IdfError(ErrorKind.missing_param, "image_content is required", field="image_content")
    return await call.services.pool.run(face_of, image, image_type, rotate)


async def register_in_repo(call: Call) -> dict[str, Any]:
    info = wire.section(call.params, "user_info")
    user_id = _name(info, "user_id", required=True) or ""
    label = _label(info)
    if not info.has("image_content") and not info.has("feature_content"):
        return await _delete(call, label, user_id, _name(info, "repo_name", required=False))
    # The manual's table requires repo_name, its own sample omits it: such uploads go to
    # DEFAULT_REPO (docs/yitu.md), which a search without repo_name also covers.
    repo = _name(info, "repo_name", required=False) or DEFAULT_REPO
    mode = call.params.integer("mode", 1, low=1, high=2) or 1
    options = wire.section(call.params, "options")
    image_type = wire.image_type(options, "image_type", wire.REPO_TYPES, 1)
    embedding, face_image = await probe(call, info, mode, image_type=image_type, rotate=False)
    remark = json.dumps(
        {"description": info.raw("description"), "timestamp": info.integer("timestamp")},
        ensure_ascii=False,
    )
    item = NewItem(embedding=embedding, external_id=user_id, remark=remark, image_ref=face_image)
    await call.services.pool.run(_insert, call.services.gallery, namespace(label), repo, item)
    return {}


def _insert(gallery: Any, space: str, repo: str, item: NewItem) -> None:
    """Make the repo on first use and store the face, unless the repo holds the user_id already
    (checked inside the insert's transaction: of two concurrent uploads of one user_id, one
    wins)."""
    try:
        gallery.collection(space, repo)
    except IdfError as exc:
        if exc.kind is not ErrorKind.not_found:
            raise
        try:
            gallery.create_collection(
                CollectionSpec(namespace=space, name=repo, max_size=REPO_CAPACITY)
            )
        except IdfError as race:  # another request made it first
            if race.kind is not ErrorKind.already_exists:
                raise
    try:
        gallery.insert(space, repo, item, exclusive=True)
    except IdfError as taken:
        if taken.kind is not ErrorKind.already_exists:
            raise
        raise IdfError(
            ErrorKind.already_exists,
            f"user_id {item.external_id} is already in repo {repo}",
            field="user_id",
        ) from taken


async def _delete(call: Call, label: int, user_id: str, repo: str | None) -> dict[str, Any]:
    gallery = call.services.gallery
    deleted = await call.services.pool.run(_remove, gallery, namespace(label), user_id, repo)
    if not deleted:
        raise IdfError(
            ErrorKind.not_found, f"user_id {user_id} is not in the repo", field="user_id"
        )
    return {}


def _remove(gallery: Any, space: str, user_id: str, repo: str | None) -> int:
    """Delete the user's faces from `repo`, or from every repo of the namespace; how many."""
    repos = [repo] if repo else [info.name for info in gallery.collections(space)]
    return sum(len(gallery.delete_external(space, name, user_id)) for name in repos)


async def retrieval_in_repo(call: Call) -> dict[str, Any]:
    info, options = wire.section(call.params, "user_info"), wire.section(call.params, "options")
    label = _label(info)
    repo = _name(info, "repo_name", required=False)
    tnr = options.text("true_negative_rate", default="99.99999") or ""
    if tnr not in SEARCH_TNRS:
        raise IdfError(
            ErrorKind.bad_param,
            "true_negative_rate must be one of " + ", ".join(SEARCH_TNRS),
            field="true_negative_rate",
        )
    top_k = options.integer("return_topk_face", 1, low=1, high=TOP_K_MAX) or 1
    mode = call.params.integer("mode", 1, low=1, high=2) or 1
    image_type = wire.image_type(options, "image_type", wire.REPO_TYPES, 301)
    rotate = options.boolean("auto_rotate")
    embedding, _ = await probe(call, info, mode, image_type=image_type, rotate=rotate)
    hits = await call.services.pool.run(
        _search, call.services.gallery, namespace(label), embedding, repo, top_k
    )
    threshold = calibration.yitu_threshold(tnr)
    with_image = options.boolean("return_face_image")
    return {"repo_result": [_render(hit, threshold, with_image) for hit in hits]}


def _search(
    gallery: Any, space: str, embedding: Embedding, repo: str | None, top_k: int
) -> list[SearchHit]:
    return gallery.search(space, embedding, collections=[repo] if repo else None, top_k=top_k)


def _render(hit: SearchHit, threshold: float, with_image: bool) -> dict[str, Any]:
    confidence = calibration.yitu_similarity(hit.score)
    remark = json.loads(hit.remark) if hit.remark else {}
    out: dict[str, Any] = {
        "user_id": hit.external_id,
        "repo_name": hit.collection,
        "confidence": round(confidence, 2),
        "is_same_person": confidence >= threshold,
        "description": remark.get("description"),
    }
    if with_image and hit.image_ref and hit.image_ref.startswith(_DATA_URI):
        out["face_image_content"] = hit.image_ref.removeprefix(_DATA_URI)
    return out


_BODY = base64_body(faces.REPO_LIMITS.max_bytes)
APIS = [
    Api("/face/basic/register_in_repo", register_in_repo, _BODY),
    Api("/face/basic/retrieval_in_repo", retrieval_in_repo, _BODY),
]
