"""The request of every Yitu endpoint, declared once (seed 001 §9; vendors/common/spec.py).

Bodies are JSON objects; images are base64 text (no server paths or links), with the limits of
the API's manual section: 1 MB for 1:1 photos, 3 MB for repos and OCR, a capture bundle of up
to 8 MiB. register_in_repo, retrieval_in_repo and the OCR APIs nest their fields in `user_info`
and `options`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import Field

from contracts.findings import SIGNATURE_VARIANT, Finding
from vendors.common.openapi import Description
from vendors.common.spec import JSON, Media, OneOf, Wire
from vendors.yitu import bundle, faces, ocr, package, repo, wire
from vendors.yitu.recognition import PAIR_TNRS
from vendors.yitu.signature import SignedContent, body_md5

Photo = Annotated[Any, Media.of(faces.PHOTO_LIMITS)]
RepoPhoto = Annotated[Any, Media.of(faces.REPO_LIMITS)]
OcrPhoto = Annotated[Any, Media.of(ocr.OCR_LIMITS)]
Package = Annotated[Any, Media(package.MAX_PACKAGE_BYTES, frozenset())]  # a bundle, no image
DatabaseType = Annotated[int, OneOf(*sorted(wire.DATABASE_TYPES))]
QueryType = Annotated[int, OneOf(*sorted(wire.QUERY_TYPES))]
RepoType = Annotated[int, OneOf(*sorted(wire.REPO_TYPES))]
Level = Annotated[str, OneOf("high", "medium", "low")]
Mode = Annotated[int, Field(ge=1, le=2, description="1 an image, 2 a feature")]
# §9.3: at most 18 bytes, no underscore (characters approximate the bytes here)
Name = Annotated[str, Field(pattern=r"^[^_]{1,18}$")]


class Json(Wire):
    content = (JSON,)


class PackageOptions(Json):
    """The capture bundle's checks (§9.1; also §9.2 for a bundle as the query)."""

    aliases: ClassVar[Mapping[str, str]] = wire.ALIASES

    query_image_package_check_anti_screen: bool | None = None
    query_image_package_check_anti_screen_threshold: Level | None = None
    query_image_package_check_dark_illumination: bool | None = None
    query_image_package_check_dark_illumination_threshold: Level | None = None
    query_image_package_check_anti_picture: bool | None = None
    query_image_package_check_anti_picture_threshold: Level | None = None
    query_image_package_check_anti_eye_blockage: bool | None = None
    query_image_package_check_anti_eye_blockage_threshold: Level | None = None
    query_image_package_check_anti_hole: bool | None = None
    query_image_package_check_anti_hole_threshold: Level | None = None
    query_image_package_return_feature_string: bool | None = None
    query_image_package_feature_number: Annotated[int, Field(ge=1, le=bundle.MAX_FRAMES)] | None = (
        None
    )
    query_image_package_return_image_list: bool | None = None
    query_image_package_check_same_person: bool | None = None


class CheckImagePackage(PackageOptions):
    query_image_package: Package


class FeatureExtraction(Json):
    """CS201.1."""

    image_content: Photo
    image_type: DatabaseType
    auto_rotate: bool | None = None
    max_faces_allowed: Annotated[int, Field(ge=1, le=2)] | None = None
    flip_image: bool | None = None
    remove_watermark: bool | None = None
    idcard_ocr: bool | None = None
    idcard_ocr_mode: Annotated[int, Field(ge=1, le=3)] | None = None


class Infrared(Json):
    infrared_face_image_content: Photo = None
    face_key_point_info: Any = None


class FacePairVerification(PackageOptions):
    """CS202.2: a database photo or feature, and a query photo, feature or capture bundle."""

    one_of = (
        ("database_image_content", "database_image_feature"),
        ("query_image_content", "query_image_feature", "query_image_package"),
    )

    database_image_content: Photo = None
    database_image_type: DatabaseType | None = None
    database_image_feature: str | None = None
    auto_rotate_for_database: bool | None = None
    query_image_content: Photo = None
    query_image_type: QueryType | None = None
    query_image_feature: str | None = None
    query_image_package: Package = None
    auto_rotate_for_query: bool | None = None
    auto_flip: bool | None = None
    true_negative_rate: Annotated[str, OneOf(*PAIR_TNRS)] | None = None
    max_faces_allowed: Annotated[int, Field(ge=1)] | None = None
    enable_verify_detail: bool | None = None
    return_face_rect: bool | None = None
    query_image_additional_info: Infrared | bool | None = None


class RegisterInfo(Json):
    user_id: Name
    label: Annotated[int, OneOf(*repo.LABELS)]
    repo_name: Name | None = None
    image_content: RepoPhoto = None
    feature_content: str | None = None
    description: str | None = None
    timestamp: int | None = None


class RegisterOptions(Json):
    image_type: RepoType | None = None


class RegisterInRepo(Json):
    """§9.3: upload (mode 1 image, 2 feature) or, with neither, delete the user_id."""

    mode: Mode | None = None
    user_info: RegisterInfo
    options: RegisterOptions | None = None


class SearchInfo(Json):
    label: Annotated[int, OneOf(*repo.LABELS)]
    repo_name: Annotated[str, Field(pattern=r"^[^_]{0,18}$")] | None = None
    image_content: RepoPhoto = None
    feature_content: str | None = None


class SearchOptions(Json):
    true_negative_rate: Annotated[str, OneOf(*repo.SEARCH_TNRS)] | None = None
    return_topk_face: Annotated[int, Field(ge=1, le=repo.TOP_K_MAX)] | None = None
    image_type: RepoType | None = None
    auto_rotate: bool | None = None
    return_face_image: bool | None = None


class RetrievalInRepo(Json):
    mode: Mode | None = None
    user_info: SearchInfo
    options: SearchOptions | None = None


class OcrInfo(Json):
    """Mode 1: the photo as `image_content`; mode 2: the captured document as
    `feature_content`."""

    one_of = (("image_content", "feature_content"),)

    image_content: OcrPhoto = None
    feature_content: OcrPhoto = None


class OcrOptions(Json):
    ocr_type: Annotated[int, OneOf(*ocr.TYPES["ocr_type"])]
    ocr_mode: Annotated[int, Field(ge=1, le=4)] | None = None


class DistinguishOptions(Json):
    distinguish_type: Annotated[int, OneOf(*ocr.TYPES["distinguish_type"])] | None = None


class ClassificationOptions(Json):
    license_type: Annotated[int, OneOf(*ocr.TYPES["license_type"])]


class Ocr(Json):
    """105.1."""

    mode: Mode | None = None
    user_info: OcrInfo
    options: OcrOptions


class Distinguish(Json):
    """105.2."""

    mode: Mode | None = None
    user_info: OcrInfo
    options: DistinguishOptions | None = None


class LicenseClassification(Json):
    """105.3."""

    mode: Mode | None = None
    user_info: OcrInfo
    options: ClassificationOptions


DECLARED: dict[str, type[Wire]] = {
    "/face/basic/check_image_package": CheckImagePackage,
    "/face/v1/algorithm/recognition/feature_extraction": FeatureExtraction,
    "/face/v1/algorithm/recognition/face_pair_verification": FacePairVerification,
    "/face/basic/register_in_repo": RegisterInRepo,
    "/face/basic/retrieval_in_repo": RetrievalInRepo,
    "/face/basic/ocr": Ocr,
    "/face/basic/distinguish": Distinguish,
    "/face/basic/license_classification": LicenseClassification,
}


def signature_findings(signed: SignedContent, body: bytes, skew: float) -> list[Finding]:
    """The signature layouts only some clients write (PROTOCOLS.md "What real clients send"):
    the gateway reads them, the vendor's Java service may not."""
    out = []
    big_endian, _ = signed.timestamps
    if abs(time.time() - big_endian) > skew:
        out.append(Finding(SIGNATURE_VARIANT, "x-signature", "the time is little-endian (PHP)"))
    if signed.body_md5.lower() != body_md5(body):
        detail = "the MD5 slot holds bin2hex(substr(md5(body), 8, 16)) (PHP)"
        out.append(Finding(SIGNATURE_VARIANT, "x-signature", detail))
    return out


# --- the OpenAPI description ----------------------------------------------------------------

ENVELOPE = {
    "type": "object",
    "required": ["rtn", "message"],
    "properties": {
        "rtn": {"type": "integer", "description": "0 on success, negative on an error"},
        "message": {"type": "string"},
    },
}
OPENAPI = Description(
    title="Yitu FaceSaaS 1.7.14 (idfacade)",
    summary=(
        "The API of seed 001 as idfacade serves it. Bodies are JSON objects; every answer is "
        "HTTP 200 with `{rtn, message, …}` (`rtn` 0 on success, negative on an error; the "
        "codes are idfacade's, docs/yitu.md).\n\n"
        "**Authentication.** `x-access-id` names the account; `x-signature` is the hex of the "
        "RSA (PKCS#1 v1.5) encryption, with the service's public key, of AccessKey ‖ MD5 of "
        "the exact body as 32 hex characters ‖ Unix time as 4 bytes big-endian ‖ 8 random "
        "bytes ‖ up to 41 bytes of the customer's own content. A signature is accepted once, "
        "within `yitu_max_skew` seconds. Private clouds may run unsigned "
        '(`yitu_signature = "off"`).'
    ),
    envelope=lambda path: ENVELOPE,
    security_schemes={
        "accessId": {"type": "apiKey", "in": "header", "name": "x-access-id"},
        "signature": {
            "type": "apiKey",
            "in": "header",
            "name": "x-signature",
            "description": "hex RSA encryption of the signed content (see the description)",
        },
    },
    security=[{"accessId": [], "signature": []}],
)
