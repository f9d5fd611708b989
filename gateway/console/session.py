"""Signing in to the admin console: a sealed, expiring session cookie and a CSRF token.

The cookie holds a token sealed by the deployment key (vendors.common.tokens) that names the
admin account and a random nonce; it is HttpOnly, SameSite=Strict, Secure when the request
came over TLS, scoped to /console, and lives `console_session_ttl` seconds from the last page
seen (each page renews it). The account is looked up on every request, so removing it signs
its sessions out at once. Every form carries the CSRF token, an HMAC of the nonce: a POST
without it (or from another origin) is refused. Failed sign-ins are limited per username and
per address as SenseTime's login is (vendors.common.logins.LoginGuard).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from contracts.credentials import Vendor
from contracts.errors import IdfError
from vendors.common.services import Services
from vendors.common.tokens import seal, unseal

COOKIE = "idfacade_console"
PATH = "/console"
PURPOSE = "console-session"
CSRF_PURPOSE = "console-csrf"


@dataclass(frozen=True)
class Admin:
    """The signed-in admin of a request, and the token its forms must echo."""

    username: str
    nonce: str
    csrf: str


def current(request: Request) -> Admin | None:
    """The admin this request's cookie signs in, or None (no cookie, expired, tampered, or the
    account is gone)."""
    services: Services = request.app.state.services
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        payload = unseal(services.sealer, PURPOSE, token)
    except IdfError:
        return None
    username, nonce = str(payload.get("u", "")), str(payload.get("n", ""))
    if not nonce or services.credentials.get(Vendor.admin, username) is None:
        return None
    return Admin(username, nonce, csrf_token(services, nonce))


def csrf_token(services: Services, nonce: str) -> str:
    return services.sealer.sign(CSRF_PURPOSE, nonce.encode()).hex()


def csrf_ok(request: Request, admin: Admin, given: object) -> bool:
    """The form's token matches the session's, and the browser says it posted from here."""
    if not isinstance(given, str) or not hmac.compare_digest(given, admin.csrf):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def start(request: Request, response: Response, username: str) -> None:
    """Sign `username` in on `response`: a new session, a new nonce."""
    issue(request, response, username, secrets.token_urlsafe(16))


def issue(request: Request, response: Response, username: str, nonce: str) -> None:
    services: Services = request.app.state.services
    ttl = float(getattr(services.settings, "console_session_ttl", 1800.0))
    token = seal(services.sealer, PURPOSE, {"u": username, "n": nonce}, ttl=ttl)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(ttl),
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def end(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict")
