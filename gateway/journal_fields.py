"""A request's fields as the journal keeps them: no image bytes, no secrets.

The body is read back the way the facades read it (JSON, a form, or multipart) with the query
string's fields beside it. Every uploaded file, and every long base64 text (images, videos,
capture bundles, feature strings), becomes `{"bytes": size, "sha256": digest}` of its decoded
bytes, so the same photo sent as a file or as base64 has one digest. Fields named as secrets
are dropped whatever their value. `replay_fields` keeps the images (as base64) for a replay.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message, Scope

# Field names whose values are secrets in some vendor's wire format (netocr's secret, a
# SenseTime login's password, …), in lower case.
SECRET_FIELDS = frozenset(
    {"password", "secret", "appkey", "access_key", "accesskey", "token", "authorization"}
)
MIN_BLOB_TEXT = 256  # shorter text is kept as it is: no image is that small as base64
_BASE64 = re.compile(r"^(data:[\w/+.-]+;base64,)?[A-Za-z0-9+/=\s%_-]+$")


def blob_digest(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def decoded(text: str) -> bytes | None:
    """The bytes of base64 text as clients send it (data: prefix, line breaks, URL-encoded,
    `+` turned into spaces), or None when it is not base64."""
    if len(text) < MIN_BLOB_TEXT or not _BASE64.match(text[:4096]):
        return None
    body = text.split(",", 1)[1] if text.startswith("data:") else text
    if "%" in body:
        body = unquote(body)
    body = re.sub(r"[\r\n\t]", "", body).replace(" ", "+").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def redact(value: Any, *, keep_blobs: bool = False) -> Any:
    """`value` with blobs as digests (or, with `keep_blobs`, as `{"base64": …}`) and secrets
    dropped, recursively through JSON objects and lists."""
    if isinstance(value, dict):
        return {
            k: redact(v, keep_blobs=keep_blobs)
            for k, v in value.items()
            if str(k).lower() not in SECRET_FIELDS
        }
    if isinstance(value, list):
        return [redact(v, keep_blobs=keep_blobs) for v in value]
    if isinstance(value, bytes):
        if keep_blobs:
            return {"file": base64.b64encode(value).decode()}
        return blob_digest(value)
    if isinstance(value, str):
        data = decoded(value)
        if data is not None:
            return {"base64": value} if keep_blobs else blob_digest(data)
    return value


async def request_fields(scope: Scope, body: bytes) -> dict[str, Any]:
    """The fields of a request whose body is `body`: the query string's, then the body's.
    Uploaded files are bytes. A body that reads as none of the formats is a blob."""
    fields: dict[str, Any] = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    if not body:
        return fields
    stripped = body.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            parsed = json.loads(body)
        except ValueError:
            return fields | {"body": body}
        return fields | (parsed if isinstance(parsed, dict) else {"body": parsed})
    content_type = _header(scope, b"content-type")
    if content_type.startswith("multipart/"):
        return fields | await _multipart(scope, body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return fields | {"body": body}
    if "=" in text:
        # netocr's C client sends raw base64: its `+` must survive, so decode only %XX here
        pairs = [part.partition("=") for part in text.split("&") if part]
        return fields | {unquote(k): unquote(v) for k, _, v in pairs}
    return fields | {"body": body}


async def _multipart(scope: Scope, body: bytes) -> dict[str, Any]:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request(dict(scope, type="http"), receive)
    fields: dict[str, Any] = {}
    try:
        async with request.form(max_files=64, max_fields=1000) as form:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    fields[name] = await value.read()
                else:
                    fields[name] = value
    except Exception:  # a malformed body: the facade refused it; keep what it was
        return {"body": body}
    return fields


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1").lower()
    return ""
