"""XML or JSON, as the caller's `format` asks (seed 003: "如果format为空,则默认返回xml").

Both are escaped by their serialisers (`&`, `<`, `"` in a name or an address stay data), and
characters XML 1.0 cannot carry at all are dropped from the XML. A negative answer writes the
character 是 only as an escape (`\\u662f` in JSON, `&#26159;` in XML): a parser reads the same
text, while the public C client, which decides by searching the raw answer for 是, sees none
(docs/PROTOCOLS.md "What real clients send").
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from enum import StrEnum

from starlette.requests import Request
from starlette.responses import Response

from contracts.errors import ErrorKind, IdfError
from vendors.common.params import Params
from vendors.netocr.wire import Answer

YES = "是"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STATE = "netocr_format"


class Format(StrEnum):
    xml = "xml"
    json = "json"


def read_format(request: Request, params: Params) -> Format:
    """The caller's format (also spelt `formate`), remembered on the request so that an error
    raised later is answered in it; empty or absent means XML."""
    text = (params.text("format") or "").strip().lower()
    try:
        chosen = Format(text or Format.xml)
    except ValueError as exc:
        raise IdfError(ErrorKind.bad_param, f"format {text!r}", field="format") from exc
    setattr(request.state, _STATE, chosen)
    return chosen


def chosen_format(request: Request) -> Format:
    """The format read for this request, XML where none was read (the body did not parse)."""
    return getattr(request.state, _STATE, Format.xml)


def serialise(answer: Answer, fmt: Format) -> tuple[bytes, str]:
    """The answer's bytes and media type."""
    if fmt is Format.json:
        text = json.dumps(answer.json(), ensure_ascii=False)
        if answer.negative:
            text = text.replace(YES, "\\u662f")
        return text.encode("utf-8"), "application/json;charset=UTF-8"
    text = XML_DECLARATION + _NOT_XML.sub("", ET.tostring(answer.xml(), encoding="unicode"))
    if answer.negative:
        text = text.replace(YES, "&#26159;")
    return text.encode("utf-8"), "text/xml;charset=UTF-8"


def respond(request: Request, answer: Answer) -> Response:
    body, media_type = serialise(answer, chosen_format(request))
    return Response(body, media_type=media_type)
