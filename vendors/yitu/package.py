"""Capture bundles (§9.1 101.3 check_image_package, and the query side of §9.2 CS202.2).

A bundle is opened and authenticated (bundle.py) with the key of the access id it names, which
must be the caller's when requests are signed; its frames are then analysed in one pass: faces
with 68 landmarks, the passive checks the caller switched on (engine.liveness), whether every
frame shows the frontal frame's person, and the features asked for.

Yitu's check levels are operating points of each check (docs/liveness.md). "high" is the
strictest for every check except dark_illumination, where the level says how much darkness is
allowed: "high" lets very dark scenes pass, "low" only mildly dark ones (§9.1).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from contracts import calibration
from contracts.credentials import Vendor
from contracts.embeddings import Embedding, cosine
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Face
from contracts.images import ImageInput, ImageLimits
from contracts.liveness import CheckRequest, CheckResult, SpoofCheck, Strictness
from engine import face as faces
from engine.liveness import check_frames
from engine.media import decode_base64, decode_image
from vendors.common.limits import base64_body
from vendors.common.params import Params
from vendors.yitu import bundle
from vendors.yitu.faces import seal_feature
from vendors.yitu.routes import Api, Call

FIELD = "query_image_package"
PREFIX = "query_image_package_"
FRAME_LIMITS = ImageLimits(max_bytes=2 * 1024 * 1024)
# The manual sets no bundle size; 8 MiB holds 16 frames of 512 kB, well over what capture
# apps send (a few frames of 50-200 kB each).
MAX_PACKAGE_BYTES = 8 * 1024 * 1024
SAME_PERSON_TNR = "99.99"  # the 1:1 default (§9.2 true_negative_rate)

_STRICT_FIRST = {"high": Strictness.strict, "medium": Strictness.normal, "low": Strictness.lenient}
_DARKNESS_ALLOWED = {
    "high": Strictness.lenient,
    "medium": Strictness.normal,
    "low": Strictness.strict,
}
# Yitu check name -> (canonical check, its level names)
CHECKS: dict[str, tuple[SpoofCheck, dict[str, Strictness]]] = {
    "anti_screen": (SpoofCheck.screen, _STRICT_FIRST),
    "dark_illumination": (SpoofCheck.low_light, _DARKNESS_ALLOWED),
    "anti_picture": (SpoofCheck.printed_photo, _STRICT_FIRST),
    "anti_eye_blockage": (SpoofCheck.eye_occlusion, _STRICT_FIRST),
    "anti_hole": (SpoofCheck.cutout, _STRICT_FIRST),
}
# Default levels: the two APIs' tables differ on anti_screen (§9.1 "high", §9.2 "low").
PACKAGE_LEVELS = {name: "medium" for name in CHECKS} | {"anti_screen": "high"}
QUERY_LEVELS = {name: "medium" for name in CHECKS} | {"anti_screen": "low"}


@dataclass(frozen=True)
class PackageOptions:
    return_images: bool
    return_features: int  # how many frames' features to return; 0: none
    same_person: bool
    checks: tuple[tuple[str, CheckRequest], ...]


def options(params: Params, *, return_images: bool, levels: dict[str, str]) -> PackageOptions:
    """The bundle options of a request, with the API's defaults (§9.1, §9.2)."""
    checks = []
    for name, (check, names) in CHECKS.items():
        if not params.boolean(f"{PREFIX}check_{name}"):
            continue
        field = f"{PREFIX}check_{name}_threshold"
        level = params.text(field, default=levels[name])
        if level not in names:
            raise IdfError(ErrorKind.bad_param, f"{field} must be high, medium or low", field=field)
        checks.append((name, CheckRequest(check=check, strictness=names[level])))
    features = 0
    if params.boolean(f"{PREFIX}return_feature_string"):
        features = params.integer(f"{PREFIX}feature_number", 1, low=1, high=bundle.MAX_FRAMES) or 1
    return PackageOptions(
        return_images=params.boolean(f"{PREFIX}return_image_list", return_images),
        return_features=features,
        same_person=params.boolean(f"{PREFIX}check_same_person"),
        checks=tuple(checks),
    )


def open_package(call: Call, text: str) -> bundle.Bundle | None:
    """The authenticated bundle, or None when it is not one (`is_valid_package: false`): not
    base64, not a bundle, or not authentic. Only a package over the size limit is an error."""
    try:
        data = decode_base64(text, max_bytes=MAX_PACKAGE_BYTES, field=FIELD)
        return bundle.unpack(data, lambda access_id: _bundle_key(call, access_id))
    except bundle.InvalidBundle:
        return None
    except IdfError as exc:
        if exc.kind is ErrorKind.bad_param:
            return None
        raise


def _bundle_key(call: Call, access_id: str) -> bytes | None:
    """SHA-256 of the access id's AccessKey, as the credential store keeps it (bundle.py); a
    signed request may only bring its own access id's bundles."""
    signer = call.caller.credential
    if signer is not None and access_id != signer.principal:
        return None
    credential = call.services.credentials.get(Vendor.yitu, access_id)
    stored = credential.secret_hash if credential is not None else None
    scheme, _, digest = (stored or "").partition("$")
    return bytes.fromhex(digest) if scheme == "sha256" else None


@dataclass(frozen=True)
class Analysis:
    """A bundle's frames analysed: each one's largest face (68 points, upright frame) and its
    embedding (None where a frame has no face), and the verdicts of the checks asked for."""

    faces: list[Face | None]
    embeddings: list[Embedding | None]
    verdicts: list[CheckResult]


def analyse(package: bundle.Bundle, checks: list[CheckRequest]) -> Analysis:
    images, found, embeddings = [], [], []
    for i, data in enumerate(package.frames):
        decoded = decode_image(ImageInput(data=data, limits=FRAME_LIMITS, name=f"{FIELD}[{i}]"))
        detection = faces.detect(decoded, rotate=True, landmarks68=True)
        images.append(faces.upright(decoded, detection.rotation))
        found.append(detection.largest())
        embeddings.append(faces.embed(decoded, detection) if detection.faces else None)
    return Analysis(found, embeddings, check_frames(images, found, checks))


def same_person(embeddings: list[Embedding | None]) -> bool:
    """Whether every frame with a face shows the first frame's person (at TNR 99.99%)."""
    first, *rest = embeddings
    if first is None:
        return False
    needed = calibration.yitu_threshold(SAME_PERSON_TNR)
    return all(
        calibration.yitu_similarity(cosine(first, other)) >= needed
        for other in rest
        if other is not None
    )


def result(
    call: Call, package: bundle.Bundle, analysis: Analysis, opts: PackageOptions
) -> dict[str, Any]:
    """The `query_image_package_result` object (§9.1 output table)."""
    out: dict[str, Any] = {
        "is_valid_package": True,
        "customer_defined_content": package.content,
    }
    if opts.return_images:
        out["query_image_contents"] = [base64.b64encode(f).decode() for f in package.frames]
    if opts.same_person:
        out["is_same_person"] = same_person(analysis.embeddings)
    if opts.return_features:
        chosen = [e for e in analysis.embeddings[: opts.return_features] if e is not None]
        if not chosen:
            raise IdfError(ErrorKind.no_face, "no face found in the package", field=FIELD)
        out["feature_string"] = seal_feature(call.services.sealer, chosen)
    for (name, _), verdict in zip(opts.checks, analysis.verdicts, strict=True):
        if name == "dark_illumination" and verdict.valid and not verdict.passed:
            raise IdfError(
                ErrorKind.bad_param,
                "the capture is darker than the threshold allows",
                field="dark_illumination",
            )
        out[f"is_{name}_check_valid"] = verdict.valid
        out[f"is_{name}_check_passed"] = verdict.passed
        out[f"is_{name}_check_score"] = verdict.score
    return out


async def check_image_package(call: Call) -> dict[str, Any]:
    params = call.params
    text = params.text(FIELD, required=True) or ""
    opts = options(params, return_images=True, levels=PACKAGE_LEVELS)
    package = open_package(call, text)
    if package is None:
        return {"query_image_package_result": {"is_valid_package": False}}
    analysis = await call.services.pool.run(analyse, package, [r for _, r in opts.checks])
    return {"query_image_package_result": result(call, package, analysis, opts)}


APIS = [
    Api(
        "/face/basic/check_image_package",
        check_image_package,
        max_body=base64_body(MAX_PACKAGE_BYTES),
    )
]
