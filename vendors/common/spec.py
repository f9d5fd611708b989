"""How a facade declares the request of each endpoint, once: its wire model.

A wire model is a pydantic model of the fields the vendor's manual documents for an endpoint:
each field's name as the manual spells it, its JSON or form type, whether it is required, its
range or enum, and for an image or video the vendor's limits. The handlers keep reading their
parameters as before (vendors/common/params.py, liberal in what they accept); the declarations
are what the gateway *checks* against (vendors/common/conformance.py, `contract_checks`) and
what the OpenAPI description is generated from (vendors/common/openapi.py), so the two never
drift apart.

A vendor's declarations sit beside its route table (vendors/<vendor>/spec.py), one model per
endpoint keyed by the endpoint's first path (`requests_for`), and the facade names them:

    FACADE = Facade(..., apis=APIS, requests=spec.REQUESTS)

Vocabulary, beyond plain pydantic fields:
- `Annotated[Any, Media(...)]`: an image or video (a multipart file, or base64 text), with the
  vendor's byte limit and formats;
- `Annotated[int, OneOf(1, 2, 3)]`: an enum that a form sends as text ("2") and JSON as a
  number, checked after the number is read (pydantic's `Literal` would refuse the text);
- `one_of`: groups of fields of which at least one must be given (SenseTime's "file 和 data
  二选一必填");
- `content`: the body media types the manual documents for the endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from contracts.images import ImageLimits, VideoLimits

if TYPE_CHECKING:  # routing runs the checks, which read these declarations
    from vendors.common.routing import Api

FORM_DATA = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
JSON = "application/json"


class Wire(BaseModel):
    """The base of every declaration: a field the model does not declare is a finding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    content: ClassVar[tuple[str, ...]] = (FORM_DATA,)
    one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    # Misspellings real clients send for a field of this endpoint (misspelt -> declared).
    aliases: ClassVar[Mapping[str, str]] = {}


@dataclass(frozen=True)
class Media:
    """An image or video field: a multipart file (`upload`) or text holding base64 (and, where
    the manual says so, a server path or web link: `references`)."""

    max_bytes: int
    formats: frozenset[str]
    video: bool = False
    upload: bool = False
    references: bool = False
    urlencoded: bool = False  # base64, then URL-encoded (Waiqin's "base64编码后进行urlencode")

    @classmethod
    def of(
        cls,
        limits: ImageLimits | VideoLimits,
        *,
        upload: bool = False,
        references: bool = False,
        urlencoded: bool = False,
    ) -> Media:
        video = isinstance(limits, VideoLimits)
        return cls(limits.max_bytes, limits.formats, video, upload, references, urlencoded)

    @property
    def kind(self) -> str:
        return "video" if self.video else "image"

    def describe(self) -> str:
        formats = "/".join(sorted(self.formats)) or "any format"
        how = "a multipart file" if self.upload else "base64 text"
        if self.urlencoded:
            how += ", then URL-encoded"
        if self.references:
            how += ", a server path or a web link"
        return f"{self.kind} ({formats}, at most {self.max_bytes} bytes) as {how}"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.any_schema()  # checked by conformance.media_findings, not pydantic

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        described: dict[str, Any] = {"type": "string", "description": self.describe()}
        if self.upload:
            described |= {"format": "binary", "contentMediaType": "application/octet-stream"}
        elif not self.references and not self.urlencoded:
            described["contentEncoding"] = "base64"
        return described


class OneOf:
    """An enum of numbers or texts, checked after pydantic has read the value."""

    def __init__(self, *values: int | str) -> None:
        self.values = values

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return handler(schema) | {"enum": list(self.values)}

    def _check(self, value: Any) -> Any:
        if value not in self.values:
            allowed = ", ".join(map(str, self.values))
            raise PydanticCustomError("enum", "must be one of {allowed}", {"allowed": allowed})
        return value


def media_of(model: type[Wire], name: str) -> Media | None:
    """The Media marker of field `name`, or None for a field that is not an image or video."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    return next((m for m in info.metadata if isinstance(m, Media)), None)


def nested_of(model: type[Wire], name: str) -> type[Wire] | None:
    """The wire model a field nests (Yitu's `user_info`, `options`), or None."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    candidates = [info.annotation, *get_args(info.annotation)]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, Wire):
            return candidate
        if get_origin(candidate) is not None:
            candidates.extend(get_args(candidate))
    return None


def api_key(api: Api) -> str:
    """What a declaration is filed under: the endpoint's first path."""
    return api.paths[0]


def requests_for(apis: Sequence[Api], declared: Mapping[str, type[Wire]]) -> dict[str, type[Wire]]:
    """`declared` (first path -> model) checked against the route table: every API must have
    its declaration and every declaration its API, so that neither drifts from the other."""
    served = {api_key(api) for api in apis}
    missing, unknown = served - set(declared), set(declared) - served
    if missing or unknown:
        raise ValueError(f"undeclared: {sorted(missing)}; not served: {sorted(unknown)}")
    return dict(declared)
