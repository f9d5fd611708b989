"""The URL-digest authentication of Waiqin's open API (seed 002; PROTOCOLS.md).

`digest` is the lowercase hex MD5 of `<exact body>|<appkey>|<timestamp>`, `timestamp` the
caller's local time (vendors/waiqin/timestamps.py reads both forms clients write). A call is
refused for an unknown openid, a wrong digest, a timestamp outside the skew window (its own
code, 40002), or a msg_id or digest already used within that window: the digest covers the
body, appkey and timestamp but not msg_id, so a captured request re-sent under a fresh msg_id
is a replay too. msg_id is any text the path holds: a uuid with or without hyphens, digits,
`Y0000<n>`, a fixed string. Everything the path alone can show (openid, the digest's shape,
the timestamp's window) is checked before a byte of the body is read.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from datetime import tzinfo
from functools import partial

from starlette.requests import Request

from contracts.credentials import Vendor
from contracts.errors import ErrorKind, IdfError
from vendors.common.conformance import note
from vendors.common.routing import Api, Body, Caller
from vendors.common.services import Services
from vendors.waiqin import spec, timestamps

_DIGEST = re.compile(r"^[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class UrlAuth:
    openid: str
    timestamp: str
    digest: str
    msg_id: str


def digest(body: bytes, appkey: str, timestamp: str) -> str:
    return hashlib.md5(body + f"|{appkey}|{timestamp}".encode()).hexdigest()


class DigestAuth:
    """The facade's Auth: the openid is looked up from the path before the body is read;
    the digest then binds the exact body bytes, never a re-serialisation of them."""

    def __init__(self, services: Services) -> None:
        self.services = services
        # An unknown zone stops the gateway at start-up, not each call.
        self.zone = timestamps.zone(services.settings.waiqin_timezone)

    async def verify(self, request: Request, body: Body, api: Api) -> Caller:
        url = UrlAuth(**request.path_params)
        credential = self.services.credentials.get(Vendor.waiqin, url.openid)
        if credential is None or credential.secret is None:
            raise IdfError(ErrorKind.auth, "unknown openid")
        if not _DIGEST.match(url.digest):
            raise IdfError(ErrorKind.auth, "digest is not 32 hex digits")
        skew = self.services.settings.waiqin_max_skew
        timestamps.check_window(url.timestamp, self.zone, time.time(), skew)
        check(self.services, credential.secret, url, await body.read(), self.zone)
        found = partial(spec.url_findings, url.timestamp, url.digest, self.zone, skew)
        note(request, self.services, found)
        return Caller(credential)


def check(services: Services, appkey: str, url: UrlAuth, body: bytes, zone: tzinfo) -> None:
    expected = digest(body, appkey, url.timestamp)
    if not hmac.compare_digest(expected, url.digest.lower()):
        raise IdfError(ErrorKind.auth, "digest does not match")
    skew = services.settings.waiqin_max_skew
    timestamps.check_window(url.timestamp, zone, time.time(), skew)
    # A stamp stays acceptable for its minute plus the skew on either side.
    if not services.replay.first_use(f"waiqin:{url.openid}", url.msg_id, ttl=2 * skew + 60):
        raise IdfError(ErrorKind.replay, "msg_id was used before")
    if not services.replay.first_use(f"waiqin-digest:{url.openid}", expected, ttl=2 * skew + 60):
        raise IdfError(ErrorKind.replay, "this request was sent before")
