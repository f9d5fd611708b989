"""The URL-digest authentication of Waiqin's open API (seed 002; PROTOCOLS.md).

`digest` is the lowercase hex MD5 of `<exact body>|<appkey>|<timestamp>`, `timestamp` the
caller's local time as yyyyMMddHHmmss (China Standard Time, UTC+8, for these clients). A call
is refused for an unknown openid, a wrong digest, a timestamp outside the skew window, or a
msg_id already used within that window.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import time
from dataclasses import dataclass

from starlette.requests import Request

from contracts.credentials import Credential, Vendor
from contracts.errors import ErrorKind, IdfError
from vendors.common.routing import Api, Body, Caller
from vendors.common.services import Services

CHINA_UTC_OFFSET = 8 * 3600


@dataclass(frozen=True)
class UrlAuth:
    openid: str
    timestamp: str
    digest: str
    msg_id: str


def digest(body: bytes, appkey: str, timestamp: str) -> str:
    return hashlib.md5(body + f"|{appkey}|{timestamp}".encode()).hexdigest()


def parse_timestamp(timestamp: str) -> float:
    """Seconds since the epoch of a yyyyMMddHHmmss China Standard Time stamp."""
    try:
        parsed = time.strptime(timestamp, "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise IdfError(ErrorKind.auth, "timestamp must be yyyyMMddHHmmss") from exc
    return calendar.timegm(parsed) - CHINA_UTC_OFFSET


class DigestAuth:
    """The facade's Auth: the openid is looked up from the path before the body is read;
    the digest then binds the exact body bytes, never a re-serialisation of them."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def verify(self, request: Request, body: Body, api: Api) -> Caller:
        url = UrlAuth(**request.path_params)
        credential = self.services.credentials.get(Vendor.waiqin, url.openid)
        if credential is None or credential.secret is None:
            raise IdfError(ErrorKind.auth, "unknown openid")
        return Caller(check(self.services, credential, url, await body.read()))


def check(services: Services, credential: Credential, url: UrlAuth, body: bytes) -> Credential:
    assert credential.secret is not None
    expected = digest(body, credential.secret, url.timestamp)
    if not hmac.compare_digest(expected, url.digest.lower()):
        raise IdfError(ErrorKind.auth, "digest does not match")
    skew = services.settings.waiqin_max_skew
    if abs(time.time() - parse_timestamp(url.timestamp)) > skew:
        raise IdfError(ErrorKind.auth, "timestamp is outside the allowed window")
    if not services.replay.first_use(f"waiqin:{url.openid}", url.msg_id, ttl=2 * skew):
        raise IdfError(ErrorKind.replay, "msg_id was used before")
    return credential
