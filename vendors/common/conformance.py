"""Conformance checks: each request against its endpoint's declaration (vendors/common/spec.py).

The gateway is liberal in what it accepts (misspelt names, base64 with line breaks or spaces,
a form starting with '&', Yitu's little-endian time, Waiqin's millisecond timestamps); a team
that tests against it wants to know when its client leans on that liberality, because the real
vendor may not. With `contract_checks = "report"` every finding is put on
`request.state.contract_findings` (the call journal records it) and the call is served as
usual; with `"reject"` a request with findings is answered with the vendor's parameter error
before the handler runs, so it changes nothing. `"off"` (the default) costs nothing.

Only facts the request itself shows are checked: names, JSON and form types, ranges, enums,
patterns, the byte size and magic bytes of images (estimated from the base64 text, never
decoded in full), the body's media type and form syntax. An Auth adds what only it can see
(signature layouts) through `note`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal
from urllib.parse import unquote

from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request

from contracts.errors import ErrorKind, IdfError
from contracts.findings import (
    BASE64_VARIANT,
    CONTENT_TYPE,
    FORM_VARIANT,
    IMAGE_FORMAT,
    IMAGE_LIMIT,
    MISSING_REQUIRED,
    MISSPELT_FIELD,
    OUT_OF_RANGE,
    UNKNOWN_FIELD,
    WRONG_TYPE,
    Finding,
)
from engine.media import sniff_image_format, sniff_video_format
from vendors.common.params import Params
from vendors.common.services import Services
from vendors.common.spec import FORM_DATA, URLENCODED, Media, Wire, media_of, nested_of

Mode = Literal["off", "report", "reject"]
STATE = "contract_findings"

_RANGE_ERRORS = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "enum",
        "literal_error",
        "string_pattern_mismatch",
        "string_too_long",
        "string_too_short",
        "too_long",
        "too_short",
    }
)
_REFUSAL = {
    MISSING_REQUIRED: ErrorKind.missing_param,
    IMAGE_LIMIT: ErrorKind.image_too_large,
    IMAGE_FORMAT: ErrorKind.image_type,
}
_LINK = re.compile(r"^https?://", re.IGNORECASE)
_DATA_URI = re.compile(r"^data:[^,]{0,100};base64,", re.IGNORECASE)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_HEAD_CHARS = 64  # base64 characters decoded to sniff the format: 48 bytes


def findings(request: Request) -> list[Finding]:
    """What the checks found in this request so far."""
    return list(getattr(request.state, STATE, []))


def note(request: Request, services: Services, found: Callable[[], Iterable[Finding]]) -> None:
    """Record an Auth's findings (computed only when checks are on)."""
    if services.settings.contract_checks != "off":
        setattr(request.state, STATE, [*findings(request), *found()])


def check_request(
    request: Request,
    services: Services,
    model: type[Wire] | None,
    params: Params,
    aliases: Mapping[str, str],
) -> None:
    """Check the request against `model` when checks are on; in reject mode refuse it."""
    mode: Mode = services.settings.contract_checks
    if mode == "off" or model is None:
        return
    found = [*findings(request), *inspect(request, model, params, aliases)]
    setattr(request.state, STATE, found)
    if mode == "reject" and found:
        first = found[0]
        kind = _REFUSAL.get(first.rule, ErrorKind.bad_param)
        if first.rule == MISSING_REQUIRED and "|" in first.field:
            kind = ErrorKind.missing_one_of
        raise IdfError(kind, f"{first.field}: {first.detail}", field=first.field)


def inspect(
    request: Request, model: type[Wire], params: Params, aliases: Mapping[str, str]
) -> list[Finding]:
    """Every finding of one request, in a stable order: body, names, fields, images."""
    body = getattr(request, "_body", b"") or b""
    is_json = body.lstrip()[:1] == b"{"
    out = body_findings(request, model, body)
    values, misspelt = canonical(params.sent(), {**aliases, **model.aliases})
    out += misspelt
    out += field_findings(model, values, strict=is_json)
    return _unique(out)


def body_findings(request: Request, model: type[Wire], body: bytes) -> list[Finding]:
    """The body's media type against the declared ones, and a form starting with '&'."""
    out: list[Finding] = []
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length", "")
    has_body = bool(body.strip()) or (length.isdigit() and int(length) > 0) or declared == FORM_DATA
    if has_body and declared not in model.content:
        sent = declared or "no Content-Type"
        out.append(
            Finding(CONTENT_TYPE, "body", f"sent as {sent}; documented: {', '.join(model.content)}")
        )
    if body[:1] == b"&" and (declared == URLENCODED or not declared):
        out.append(Finding(FORM_VARIANT, "body", "the form starts with '&' (an empty first pair)"))
    return out


def canonical(
    sent: Mapping[str, Any], aliases: Mapping[str, str]
) -> tuple[dict[str, Any], list[Finding]]:
    """The given fields under their declared names (blank ones left out, as the handlers
    read them), and a finding per misspelt name."""
    values: dict[str, Any] = {}
    out: list[Finding] = []
    for name, value in sent.items():
        if _blank(value):
            continue
        declared = aliases.get(name)
        if declared is not None:
            out.append(Finding(MISSPELT_FIELD, name, f"read as {declared}"))
            values.setdefault(declared, value)
        else:
            values[name] = value
    return values, out


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, UploadFile):
        return not value.filename and not value.size
    return value is None


def field_findings(model: type[Wire], values: Mapping[str, Any], *, strict: bool) -> list[Finding]:
    """Names, types, ranges and required fields by pydantic, then choices and media."""
    out: list[Finding] = []
    try:
        model.model_validate(values, strict=strict)
    except ValidationError as exc:
        out += [_finding(model, error) for error in exc.errors(include_url=False)]
    out += structure_findings(model, values)
    return out


def _finding(model: type[Wire], error: Any) -> Finding:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return Finding(UNKNOWN_FIELD, _path(model, loc[:-1], extra=loc[-1:]), "not declared")
    field = _path(model, loc)
    if kind == "missing":
        return Finding(MISSING_REQUIRED, field, "required")
    rule = OUT_OF_RANGE if kind in _RANGE_ERRORS else WRONG_TYPE
    return Finding(rule, field, error["msg"])


def _path(model: type[Wire], loc: tuple[Any, ...], extra: tuple[Any, ...] = ()) -> str:
    """A field's dotted path from pydantic's location, without its union-branch labels."""
    parts: list[str] = []
    current: type[Wire] | None = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif current is not None and item in current.model_fields:
            parts.append(item)
            current = nested_of(current, item)
        else:
            break
    parts += [str(item) for item in extra]
    return ".".join(parts).replace(".[", "[")


def structure_findings(
    model: type[Wire], values: Mapping[str, Any], prefix: str = ""
) -> list[Finding]:
    """Required choices and images of `model`, and of the sections nested in it."""
    out: list[Finding] = []
    for group in model.one_of:
        if not any(name in values for name in group):
            names = "|".join(prefix + name for name in group)
            out.append(Finding(MISSING_REQUIRED, names, f"one of {', '.join(group)} is required"))
    for name, value in values.items():
        media = media_of(model, name)
        if media is not None:
            out += media_findings(prefix + name, media, value)
        nested = nested_of(model, name)
        if nested is not None and isinstance(value, dict):
            out += structure_findings(nested, value, f"{prefix}{name}.")
    return out


def media_findings(field: str, media: Media, value: Any) -> list[Finding]:
    """An image or video field: how it was sent, its size and its format."""
    if isinstance(value, UploadFile):
        out = [] if media.upload else [Finding(WRONG_TYPE, field, "a file; declared as base64")]
        head = value.file.read(48)
        value.file.seek(0)
        return out + _size_and_format(field, media, value.size or 0, head)
    if not isinstance(value, str):
        return [Finding(WRONG_TYPE, field, f"{type(value).__name__}; declared as {media.kind}")]
    text = value.strip()
    if media.upload:
        return [Finding(WRONG_TYPE, field, "text; declared as a multipart file")]
    if _LINK.match(text) or (len(text) < 4096 and "." in text and not text.startswith("data:")):
        if media.references:
            return []
        return [Finding(WRONG_TYPE, field, "a path or web link; declared as base64")]
    return base64_findings(field, media, text)


def base64_findings(field: str, media: Media, text: str) -> list[Finding]:
    """The base64 variants the real vendor may not decode, then size and format."""
    out: list[Finding] = []

    def variant(detail: str) -> None:
        out.append(Finding(BASE64_VARIANT, field, detail))

    prefix = _DATA_URI.match(text)
    if prefix:
        variant("a data: URI prefix")
        text = text[prefix.end() :]
    if _PERCENT.search(text[:4096]):
        if not media.urlencoded:
            variant("URL-encoded")
        text = unquote(text)
    elif media.urlencoded and any(c in text for c in "+/="):
        variant("not URL-encoded (documented: base64, then URL-encoded)")
    if "\n" in text or "\r" in text:
        variant("line breaks")
    if " " in text:
        variant("spaces (a form parser's reading of '+')")
        text = text.replace(" ", "+")
    text = re.sub(r"\s+", "", text)
    if "-" in text or "_" in text:
        variant("the URL-safe alphabet")
        text = text.replace("-", "+").replace("_", "/")
    if len(text) % 4:
        variant("no '=' padding")
    size = len(text) * 3 // 4 - text[-2:].count("=")
    try:
        head = base64.b64decode(text[:_HEAD_CHARS] + "=" * (-min(len(text), _HEAD_CHARS) % 4))
    except (binascii.Error, ValueError):
        return [*out, Finding(WRONG_TYPE, field, f"not base64; declared as {media.kind}")]
    return out + _size_and_format(field, media, size, head)


def _size_and_format(field: str, media: Media, size: int, head: bytes) -> list[Finding]:
    out: list[Finding] = []
    if size > media.max_bytes:
        out.append(Finding(IMAGE_LIMIT, field, f"{size} bytes; the limit is {media.max_bytes}"))
    if media.formats:
        sniff = sniff_video_format if media.video else sniff_image_format
        fmt = sniff(head)
        if fmt not in media.formats:
            allowed = ", ".join(sorted(media.formats))
            out.append(Finding(IMAGE_FORMAT, field, f"{fmt or 'unknown'}; documented: {allowed}"))
    return out


def _unique(found: list[Finding]) -> list[Finding]:
    """One finding per rule and field (a union reports each of its branches)."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in found:
        key = (item.rule, item.field, item.detail if item.rule == BASE64_VARIANT else "")
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
