"""SenseTime 1:N feature databases (seed 000 chapter 3): databases, features, search, bulk import.

Each handler reads the manual's form fields, runs vendors.sensetime.features (the databases over
the gallery) in the inference pool, and renders the manual's JSON. Scores leave the gallery as
cosines and are mapped to SenseTime's 0..1 scale by contracts.calibration; a `threshold` is on
that scale. Decisions where the manual is silent are in docs/sensetime-feature.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from contracts import calibration
from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionInfo, GalleryItem, ItemPatch, NewItem, SearchHit
from engine.gallery import MAX_TOP_K
from vendors.common.outputs import shown_path
from vendors.common.params import Params
from vendors.common.services import Services
from vendors.sensetime.auth import is_admin
from vendors.sensetime.bulk import launch, prepare_import
from vendors.sensetime.context import (
    FaceImage,
    decode_feature,
    embedding_of,
    encode_feature,
    faces_then,
)
from vendors.sensetime.features import SERVICE, FeatureDbs, largest
from vendors.sensetime.routes import Api, Call

FACE = "Face"  # the only feature type (§3.1 dbType; chapter 7 040704 "Type should be Face")
DB_NAME = re.compile(r"[0-9A-Za-z]{1,128}")  # §3.1 "允许数字、英文"; §3.3 "[0-9A-Za-z]"
MAX_DB_SIZE = 2**31 - 1  # §3.1 maxSize: the service is Java, its sizes are ints


# --- parameters -----------------------------------------------------------------------------


def db_name(params: Params, name: str) -> str:
    """A database name by its rule (rendered 040510, as the manual's §3.3 sample shows)."""
    value = params.text(name, required=True) or ""
    if not DB_NAME.fullmatch(value):
        raise IdfError(ErrorKind.bad_param, field=name)
    return value


def face_type(params: Params, name: str) -> str:
    if (params.text(name, default=FACE) or FACE).lower() != FACE.lower():
        raise IdfError(ErrorKind.bad_param, field=name)  # rendered 040704 "Type should be Face"
    return FACE


def feature(call: Call) -> Embedding:
    return decode_feature(
        call.services, call.params.text("feature", required=True) or "", "feature"
    )


def db_owner(call: Call) -> str | None:
    """Whose databases the caller sees: its own in account mode, every one in open mode or
    for an admin account."""
    credential = call.caller.credential
    return None if credential is None or is_admin(credential) else credential.principal


def given_fields(params: Params) -> dict[str, str]:
    """externalUuid and remark as item fields, only those given: an update keeps the rest."""
    values = {"external_id": params.text("externalUuid"), "remark": params.text("remark")}
    return {key: value for key, value in values.items() if value is not None}


def search_options(params: Params) -> tuple[int, float | None]:
    """§3.10 count (default 1) and threshold (SenseTime's 0..1 scale; none by default)."""
    count = params.integer("count", 1, low=1, high=MAX_TOP_K) or 1
    return count, params.number("threshold")


# --- rendering ------------------------------------------------------------------------------


def feature_bean(item: GalleryItem, services: Services) -> dict[str, Any]:
    """§3.4.2 featureBean."""
    return {"featureId": item.item_id, "image": shown_path(services, item.image_ref)}


def db_info(info: CollectionInfo) -> dict[str, Any]:
    """§3.2 dbInfoRes; normalizeSrc/normalizeDst are the calibration's cosine → score knots,
    printed as the manual's example prints them (Java floats widened to double, then "f")."""
    cosines, scores = calibration.sensetime_knots()
    return {
        "dbId": info.name,
        "dbName": info.metadata.get("dbName", info.name),
        "dbType": info.metadata.get("dbType", FACE),
        "maxSize": str(info.max_size),
        "currentSize": info.size,
        "normalizeSrc": java_floats(cosines),
        "normalizeDst": java_floats(scores),
    }


def java_floats(values: Sequence[float]) -> str:
    """ "0.4000000059604645f,…": each value as a float32 printed at double precision."""
    return ",".join(f"{float(np.float32(v))!r}f" for v in values)


def hits(
    info: CollectionInfo, found: list[SearchHit], threshold: float | None, services: Services
) -> list[dict[str, Any]]:
    """§3.10/§3.11 featureInfoRes per hit, best first, none under the threshold."""
    rows = []
    for hit in found:
        score = round(calibration.sensetime_similarity(hit.score), 6)
        if threshold is None or score >= threshold:
            rows.append(
                {
                    "score": score,
                    "image": shown_path(services, hit.image_ref),
                    "externalUuid": hit.external_id,
                    "dbId": info.name,
                    "dbName": info.metadata.get("dbName", info.name),
                    "remark": hit.remark,
                    "type": info.metadata.get("dbType", FACE),
                    "featureId": hit.item_id,
                }
            )
    return rows


# --- databases ------------------------------------------------------------------------------


async def add_db(call: Call) -> dict[str, Any]:
    """§3.1: a new database; its dbId is its dbName."""
    params = call.params
    name = db_name(params, "dbName")
    max_size = params.integer("maxSize", low=1, high=MAX_DB_SIZE)
    if max_size is None:
        raise IdfError(ErrorKind.missing_param, "maxSize is required", field="maxSize")
    metadata = {"dbName": name, "dbType": face_type(params, "dbType")}
    # Oracle storage hints (§3.1 nameSpace, tempSpace) are kept but mean nothing here.
    metadata |= {k: v for k in ("nameSpace", "tempSpace") if (v := params.text(k)) is not None}
    dbs = FeatureDbs.of(call.services, db_owner(call))
    info = await call.services.pool.run(dbs.create, name, max_size, metadata)
    return {"dbId": info.name}


async def get_db_info(call: Call) -> dict[str, Any]:
    """§3.2."""
    name = db_name(call.params, "dbId")
    dbs = FeatureDbs.of(call.services, db_owner(call))
    return db_info(await call.services.pool.run(dbs.info, name))


async def delete_db(call: Call) -> dict[str, Any]:
    """§3.3: the database, its features and the images kept for them."""
    name = db_name(call.params, "dbId")
    await call.services.pool.run(FeatureDbs.of(call.services, db_owner(call)).drop, name)
    return {"dbId": name}


# --- features -------------------------------------------------------------------------------


async def extract(call: Call) -> dict[str, Any]:
    """§3.4.1: the feature of the largest face, for insert and searchByFeature."""
    found, embedding = await faces_then(call, lambda found: embedding_of(largest(found)))
    subject = largest(found)
    return {
        "path": found.path,
        "numOfFaces": len(found.detection.faces),
        "rotation": found.detection.rotation,
        "faces": [
            {"faceId": str(subject.face_id), "feature": encode_feature(call.services, embedding)}
        ],
    }


async def insert(call: Call) -> dict[str, Any]:
    """§3.4.2: a feature string into a database; `imageUrl` is the caller's and kept as given."""
    params = call.params
    name = db_name(params, "dbId")
    new = NewItem(
        embedding=feature(call),
        image_ref=params.text("imageUrl", required=True),
        **given_fields(params),
    )
    dbs = FeatureDbs.of(call.services, db_owner(call))
    item = await call.services.pool.run(dbs.insert, name, new)
    return feature_bean(item, call.services)


async def insert_by_image(call: Call) -> dict[str, Any]:
    """§3.5.1: the largest face of an image into a database; the image is kept."""
    name = db_name(call.params, "dbId")
    dbs = FeatureDbs.of(call.services, db_owner(call))
    await call.services.pool.run(dbs.info, name)  # an unknown dbId costs no detection
    fields = given_fields(call.params)
    _, item = await faces_then(call, lambda found: dbs.insert_image(name, found, **fields))
    return feature_bean(item, call.services)


async def bulk_import(call: Call) -> str:
    """§3.5.2: a server folder's images, imported in the background; the answer names the logs."""
    params = call.params
    name = db_name(params, "dbId")
    folder = params.text("data", required=True) or ""
    job = await call.services.pool.run(
        prepare_import, call.services, name, folder, params.boolean("rotate"), db_owner(call)
    )
    launch(job, call.services.pool)
    return f"进度详见日志: {job.process_log}, 失败信息详见日志: {job.error_info}"


async def update(call: Call) -> dict[str, Any]:
    """§3.6: replace a feature string (and its image path, externalUuid, remark)."""
    params = call.params
    name = db_name(params, "dbId")
    feature_id = params.text("featureId", required=True) or ""
    try:
        embedding = feature(call)
    except IdfError as exc:
        if exc.kind is not ErrorKind.bad_token:
            raise
        # §3.6's sample: a bad feature here is "Param feature-->code illegal errors" (010205)
        raise IdfError(ErrorKind.bad_param, "feature-->code", field="feature") from exc
    patch = ItemPatch(
        embedding=embedding,
        image_ref=params.text("imageUrl", required=True),
        **given_fields(params),
    )
    dbs = FeatureDbs.of(call.services, db_owner(call))
    item = await call.services.pool.run(dbs.update, name, feature_id, patch)
    return feature_bean(item, call.services)


async def update_by_image(call: Call) -> dict[str, Any]:
    """§3.7: replace a feature by the largest face of a new image, which is kept instead."""
    params = call.params
    name = db_name(params, "dbId")
    feature_id = params.text("featureId", required=True) or ""
    dbs = FeatureDbs.of(call.services, db_owner(call))
    await call.services.pool.run(dbs.get, name, feature_id)  # unknown ids cost no detection
    if params.first_present(("file", "data", "context")) is None:
        # §3.7's sample: "Param file can not be blank" (010202), not the two-field 010201
        raise IdfError(ErrorKind.missing_param, "file is required", field="file")
    fields = given_fields(params)
    _, item = await faces_then(
        call, lambda found: dbs.update_image(name, feature_id, found, **fields)
    )
    return feature_bean(item, call.services)


async def get(call: Call) -> dict[str, Any]:
    """§3.8 featureInfoRes."""
    name = db_name(call.params, "dbId")
    feature_id = call.params.text("featureId", required=True) or ""
    dbs = FeatureDbs.of(call.services, db_owner(call))
    info, item = await call.services.pool.run(dbs.get, name, feature_id)
    return {
        "featureId": item.item_id,
        "image": shown_path(call.services, item.image_ref),
        "feature": encode_feature(call.services, item.embedding),
        "remark": item.remark,
        "externalUuid": item.external_id,
        "dbId": info.name,
        "dbName": info.metadata.get("dbName", info.name),
    }


async def delete(call: Call) -> list[dict[str, str]]:
    """§3.9: status "0" deleted, "1" not (no such feature in the database)."""
    name = db_name(call.params, "dbId")
    ids = call.params.text_list("featureIds")
    if not ids:
        raise IdfError(ErrorKind.missing_param, "featureIds is required", field="featureIds")
    dbs = FeatureDbs.of(call.services, db_owner(call))
    deleted = await call.services.pool.run(dbs.delete, name, ids)
    return [{"featureId": i, "status": "0" if deleted[i] else "1"} for i in ids]


# --- search ---------------------------------------------------------------------------------


async def search_by_feature(call: Call) -> list[dict[str, Any]]:
    """§3.10: the most similar features of a database, with their feature strings."""
    params = call.params
    face_type(params, "featureType")
    name = db_name(params, "dbId")
    query = feature(call)
    count, threshold = search_options(params)
    dbs = FeatureDbs.of(call.services, db_owner(call))
    info, found = await call.services.pool.run(dbs.search, name, query, count)
    rows = hits(info, found, threshold, call.services)
    # §3.10's table (not its example) gives each hit its feature string
    items = await call.services.pool.run(dbs.items, name, [row["featureId"] for row in rows])
    return [
        {**row, "feature": encode_feature(call.services, items[row["featureId"]].embedding)}
        for row in rows
        if row["featureId"] in items
    ]


async def search_by_image(call: Call) -> list[dict[str, Any]]:
    """§3.11: the most similar features of a database to the largest face of an image."""
    params = call.params
    face_type(params, "type")
    name = db_name(params, "dbId")
    count, threshold = search_options(params)
    dbs = FeatureDbs.of(call.services, db_owner(call))
    await call.services.pool.run(dbs.info, name)  # an unknown dbId costs no detection

    def search(found: FaceImage) -> tuple[CollectionInfo, list[SearchHit]]:
        return dbs.search(name, embedding_of(largest(found)), count)

    _, (info, result) = await faces_then(call, search)
    return hits(info, result, threshold, call.services)


# The manual prints the search APIs under /feature/v2/ (§3.10, §3.11); clients use both.
_ALSO_FEATURE = ("/feature/v2",)
# §3.2 and §3.8 are GET with form fields: query parameters or a body are both read.
_GET = ("GET", "POST")

APIS = [
    Api(SERVICE, "addDb", add_db),
    Api(SERVICE, "getDbInfo", get_db_info, _GET),
    Api(SERVICE, "deleteDb", delete_db),
    Api(SERVICE, "extract", extract),
    Api(SERVICE, "insert", insert),
    Api(SERVICE, "insertByImage", insert_by_image),
    Api(SERVICE, "bulkImport", bulk_import),
    Api(SERVICE, "update", update),
    Api(SERVICE, "updateByImage", update_by_image),
    Api(SERVICE, "get", get, _GET),
    Api(SERVICE, "delete", delete),
    Api(SERVICE, "searchByFeature", search_by_feature, prefixes=_ALSO_FEATURE),
    Api(SERVICE, "searchByImage", search_by_image, prefixes=_ALSO_FEATURE),
]
