"""One view of a request's parameters, whatever way the client sent them.

Vendors' clients send form data, multipart, JSON, or (for SenseTime's GET APIs) query strings;
some send field names with the OCR misspellings printed in the manuals (`dbld` for `dbId`).
`Params` reads all of them the same way and raises canonical errors naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, overload

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from contracts.errors import ErrorKind, IdfError
from vendors.common.jsontext import BadJson, parse_json

_TRUE = frozenset({"true", "1", "yes", "on"})
# Items one list parameter may hold where the manual sets no limit (docs/security.md): two
# deletes of a million ids once held both workers for 45 s.
MAX_LIST_ITEMS = 1000
_FALSE = frozenset({"false", "0", "no", "off", ""})


class Repeated(list):
    """The values of a form or query field given more than once: a list where one is asked for
    (an image, a number) is a parameter error, where a list is asked for it is the list."""


class Params:
    def __init__(self, values: Mapping[str, Any], aliases: Mapping[str, str] | None = None) -> None:
        self._sent = dict(values)
        self._values = dict(values)
        for alias, name in (aliases or {}).items():
            if alias in self._values and name not in self._values:
                self._values[name] = self._values[alias]

    def sent(self) -> dict[str, Any]:
        """The fields as the client named them, before aliases (for the conformance checks)."""
        return dict(self._sent)

    def raw(self, name: str) -> Any:
        value = self._values.get(name)
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, UploadFile) and not value.filename and not value.size:
            return None
        return value

    def has(self, name: str) -> bool:
        return self.raw(name) is not None

    def repeated(self, name: str) -> bool:
        """Whether the form or query gave `name` more than once."""
        return isinstance(self.raw(name), Repeated)

    def text(self, name: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.raw(name)
        if value is None:
            if required:
                raise IdfError(ErrorKind.missing_param, f"{name} is required", field=name)
            return default
        if isinstance(value, UploadFile):
            raise IdfError(ErrorKind.bad_param, f"{name} must be text", field=name)
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise IdfError(ErrorKind.bad_param, f"{name} must be true or false", field=name)

    @overload
    def integer(
        self, name: str, default: int, *, low: int | None = None, high: int | None = None
    ) -> int: ...

    @overload
    def integer(
        self, name: str, default: None = None, *, low: int | None = None, high: int | None = None
    ) -> int | None: ...

    def integer(
        self,
        name: str,
        default: int | None = None,
        *,
        low: int | None = None,
        high: int | None = None,
    ) -> int | None:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(str(value).strip())
        except ValueError as exc:
            raise IdfError(ErrorKind.bad_param, f"{name} must be an integer", field=name) from exc
        if (low is not None and number < low) or (high is not None and number > high):
            raise IdfError(ErrorKind.bad_param, f"{name} is out of range", field=name)
        return number

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.raw(name)
        if value is None:
            return default
        try:
            return float(str(value).strip())
        except ValueError as exc:
            raise IdfError(ErrorKind.bad_param, f"{name} must be a number", field=name) from exc

    def text_list(self, name: str, *, max_items: int = MAX_LIST_ITEMS) -> list[str]:
        """A list given as JSON array, comma-separated text, or repeated fields; more than
        `max_items` is a parameter error."""
        items = self._text_list(name)
        if len(items) > max_items:
            raise IdfError(ErrorKind.bad_param, f"{name} holds over {max_items} items", field=name)
        return items

    def _text_list(self, name: str) -> list[str]:
        value = self.raw(name)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value]
        text = str(value).strip()
        if text.startswith("["):
            try:
                values = parse_json(text)
            except BadJson as exc:
                raise IdfError(
                    ErrorKind.bad_param, f"{name} is not a JSON list", field=name
                ) from exc
            if not isinstance(values, list):
                raise IdfError(ErrorKind.bad_param, f"{name} is not a JSON list", field=name)
            return [str(v) for v in values]
        return [part.strip() for part in text.split(",") if part.strip()]

    def first_present(self, names: Iterable[str]) -> str | None:
        return next((n for n in names if self.has(n)), None)


async def read_params(
    request: Request, *, max_part_bytes: int, aliases: Mapping[str, str] | None = None
) -> Params:
    """Merge query parameters with the body (form, multipart or JSON), body winning.

    A body that cannot be parsed (multipart without a boundary, a nameless part, an oversized
    part header, too many fields or files; JSON too deep or with a 4,300-digit number) is a
    parameter error in the vendor's envelope, never a fault."""
    values: dict[str, Any] = {}
    for key in request.query_params:
        items = request.query_params.getlist(key)
        values[key] = Repeated(items) if len(items) > 1 else items[0]
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form_declared = content_type in ("multipart/form-data", "application/x-www-form-urlencoded")
    # HttpURLConnection declares every POST a urlencoded form unless told otherwise
    if form_declared and not (content_type != "multipart/form-data" and await _object(request)):
        try:
            form = await request.form(max_files=16, max_fields=256, max_part_size=max_part_bytes)
        except (HTTPException, MultiPartException, ValueError, KeyError) as exc:
            detail = getattr(exc, "detail", None) or getattr(exc, "message", None) or "malformed"
            raise IdfError(ErrorKind.bad_param, f"request body: {detail}", field="body") from exc
        for key in form:
            parts = form.getlist(key)
            values[key] = Repeated(parts) if len(parts) > 1 else parts[0]
    elif _json_body(content_type, await request.body()):
        body = await request.body()
        if body.strip():
            try:
                parsed = parse_json(body)
            except BadJson as exc:
                raise IdfError(ErrorKind.bad_param, f"request body is {exc}", field="body") from exc
            if not isinstance(parsed, dict):
                raise IdfError(ErrorKind.bad_param, "request body must be a JSON object")
            values.update(parsed)
    return Params(values, aliases)


async def _object(request: Request) -> bool:
    """Whether the body is a JSON object by its first byte (no form field starts with `{`)."""
    return (await request.body()).lstrip()[:1] == b"{"


def _json_body(content_type: str, body: bytes) -> bool:
    """Whether a body is JSON: declared so (`application/json`, `text/json`, `…+json`), or an
    object under another type, as Java clients send it (`StringEntity` posts JSON as
    `text/plain`, HttpURLConnection as a form) and some send no type at all."""
    if content_type.endswith("json"):
        return True
    return body.lstrip()[:1] == b"{"
