"""The console's forms: sign in and out, add and revoke credentials, search a gallery with a
photo, compare two photos, read an ID card. Each POST checks the CSRF token first; uploads
are bounded before they are read, and the engine runs in the inference pool like any call."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import engine.face
import engine.media
import engine.ocr
from contracts import calibration
from contracts.credentials import Vendor
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput, ImageLimits
from gateway.console import session, views
from gateway.console.render import page
from gateway.console.session import Admin
from gateway.credentials import mint

UPLOAD = ImageLimits(max_bytes=10 * 1024 * 1024)
MAX_MATCHES = 50


async def login_form(request: Request) -> Response:
    if session.current(request) is not None:
        return RedirectResponse("/console", status_code=303)
    return page(request, "login.html", None)


async def login(request: Request) -> Response:
    services = views.services_of(request)
    form = await _form(request)
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    credential = services.credentials.get(Vendor.admin, username)
    address = request.client.host if request.client else ""
    guard = request.app.state.console_logins
    try:
        matched = await guard.check(
            credential.secret_hash if credential else None, password, username, address
        )
    except IdfError as refused:  # too many failed sign-ins
        return page(request, "login.html", None, status=429, error=refused.detail)
    if not matched:
        return page(request, "login.html", None, status=401, error="Wrong username or password.")
    response = RedirectResponse("/console", status_code=303)
    session.start(request, response, username)
    return response


async def logout(request: Request, admin: Admin) -> Response:
    response = RedirectResponse("/console/login", status_code=303)
    session.end(response)
    return response


async def add_credential(request: Request, admin: Admin) -> Response:
    form = await _form(request)
    try:
        vendor = Vendor(str(form.get("vendor") or ""))
    except ValueError:
        return await views.credentials(request, admin, error="Choose a vendor.")
    grants = [g.strip() for g in str(form.get("grants") or "").split(",") if g.strip()]
    name = str(form.get("name") or "").strip() or None
    credential, shown = mint(vendor, grants or None, name)
    try:
        views.credential_store(request).add(credential)
    except ValueError as exists:
        return await views.credentials(request, admin, error=str(exists))
    return await views.credentials(request, admin, shown=shown, shown_vendor=vendor.value)


async def revoke_credential(request: Request, admin: Admin) -> Response:
    form = await _form(request)
    vendor, principal = str(form.get("vendor") or ""), str(form.get("principal") or "")
    if vendor == Vendor.admin and principal == admin.username:
        return await views.credentials(request, admin, error="You cannot revoke your own account.")
    try:
        removed = views.credential_store(request).remove(Vendor(vendor), principal)
    except ValueError:
        removed = False
    if not removed:
        return await views.credentials(request, admin, error=f"No {vendor} credential {principal}.")
    return RedirectResponse("/console/credentials", status_code=303)


async def search(request: Request, admin: Admin) -> Response:
    namespace, name = request.path_params["namespace"], request.path_params["name"]
    services = views.services_of(request)
    form = await _form(request)
    try:
        photo = await _image(form, "photo")
        top = _number(form.get("top"), 5, 1, MAX_MATCHES)
        found = await services.pool.run(engine.face.embed_face, photo, rotate=True)
        hits = await services.pool.run(
            services.gallery.search, namespace, found.embedding, collections=[name], top_k=top
        )
    except IdfError as error:
        return await views.gallery_page(request, admin, error=_said(error))
    roots = views.image_roots(services)
    matches = [
        views.item_view(hit, roots)
        | {"score": hit.score, "scaled": views.scaled(namespace, hit.score)}
        for hit in hits
    ]
    return await views.gallery_page(request, admin, matches=matches)


async def compare(request: Request, admin: Admin) -> Response:
    services = views.services_of(request)
    form = await _form(request)
    try:
        first, second = await _image(form, "first"), await _image(form, "second")
        match = await services.pool.run(engine.face.compare, first, second, rotate=True)
    except IdfError as error:
        return page(request, "try.html", admin, error=_said(error))
    similarity = calibration.sensetime_similarity(match.score)
    threshold = calibration.sensetime_threshold()
    result = {
        "cosine": match.score,
        "similarity": similarity,
        "threshold": threshold,
        "same": similarity >= threshold,
    }
    return page(request, "try.html", admin, comparison=result)


async def read_card(request: Request, admin: Admin) -> Response:
    services = views.services_of(request)
    form = await _form(request)
    try:
        image = await _image(form, "card")
        card = await services.pool.run(_read_card, image)
    except IdfError as error:
        return page(request, "try.html", admin, error=_said(error))
    if card is None:
        return page(request, "try.html", admin, error="No ID card was found in the photo.")
    shown = {
        "side": card.side.value,
        "check": card.id_number_check.value if card.id_number_check else "",
        "fields": [(name, f.value, f.score) for name, f in card.fields.items()],
    }
    return page(request, "try.html", admin, card=shown)


def _read_card(image: ImageInput) -> Any:
    decoded = engine.media.decode_image(image)
    return engine.ocr.read_id_card(decoded, data=image.data)


async def try_page(request: Request, admin: Admin) -> Response:
    return page(request, "try.html", admin)


async def _form(request: Request) -> FormData:
    """The posted form, bounded (two files, a few fields); a malformed one is a 400 page."""
    try:
        return await request.form(max_files=2, max_fields=16, max_part_size=UPLOAD.max_bytes)
    except (HTTPException, MultiPartException, ValueError, KeyError) as exc:
        raise HTTPException(400, "malformed form") from exc


async def _image(form: FormData, field: str) -> ImageInput:
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        raise IdfError(ErrorKind.missing_param, f"choose a {field} image", field=field)
    if upload.size is not None and upload.size > UPLOAD.max_bytes:
        raise IdfError(ErrorKind.image_too_large, f"{field} is over 10 MiB", field=field)
    data = await upload.read(UPLOAD.max_bytes + 1)
    if len(data) > UPLOAD.max_bytes:
        raise IdfError(ErrorKind.image_too_large, f"{field} is over 10 MiB", field=field)
    return ImageInput(data=data, limits=UPLOAD, name=field)


def _number(value: object, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(str(value)), low), high)
    except ValueError:
        return default


def _said(error: IdfError) -> str:
    """A canonical error as a sentence for the page."""
    detail = error.detail or str(error.kind).replace("_", " ")
    return detail[:1].upper() + detail[1:] + ("" if detail.endswith(".") else ".")
