"""OpenAPI 3.1 of one facade, generated from its route table and wire models (never by hand).

Every `Api` of the table becomes an operation on each of its paths and methods; its request is
the endpoint's wire model (vendors/common/spec.py): a GET's fields are query parameters, a
POST's the request body in each media type the manual documents; a `{name}` in the path is a
path parameter. The answer of every operation is the vendor's envelope (HTTP 200 for business
outcomes and errors alike, docs/PROTOCOLS.md), and each vendor's authentication is described
by its `Description`: security schemes where OpenAPI has one (SenseTime's token header, Yitu's
signed headers), and in words where it has none (Waiqin's digest URL, netocr's form fields).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from vendors.common.routing import Api, Facade
from vendors.common.spec import Wire, api_key

OPENAPI_VERSION = "3.1.0"
_PATH_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
_REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Description:
    """What a facade's OpenAPI says beyond its routes and models."""

    title: str
    summary: str  # the document's description: the vendor, its envelope, its authentication
    envelope: Callable[[str], dict[str, Any]]  # a path -> the JSON schema of its answers
    security_schemes: Mapping[str, Any] = field(default_factory=dict)
    security: Sequence[Mapping[str, list[str]]] = ()
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    answers: tuple[str, ...] = ("application/json",)  # the media types answers come in


def version() -> str:
    try:
        return metadata.version("idfacade")
    except metadata.PackageNotFoundError:
        return "0"


def document(facade: Facade, description: Description) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `facade`."""
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for api in facade.apis:
        model = facade.requests.get(api_key(api))
        if model is not None:
            _add_schemas(model, schemas)
        for path in api.paths:
            item = paths.setdefault(path, {})
            for method in api.methods:
                item[method.lower()] = operation(facade, description, api, path, method, model)
    components: dict[str, Any] = {"schemas": schemas}
    if description.security_schemes:
        components["securitySchemes"] = dict(description.security_schemes)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": description.title,
            "version": version(),
            "description": description.summary,
        },
        "paths": paths,
        "components": components,
    }


def operation(
    facade: Facade,
    description: Description,
    api: Api,
    path: str,
    method: str,
    model: type[Wire] | None,
) -> dict[str, Any]:
    doc = api.handler.__doc__ or (model.__doc__ if model else None) or ""
    out: dict[str, Any] = {
        "operationId": f"{re.sub(r'[^0-9A-Za-z]+', '_', path).strip('_')}_{method.lower()}",
        "summary": api.name,
        "description": " ".join(doc.split()),
        "tags": [api.group or facade.name],
    }
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "description": description.path_parameters.get(name, name),
        }
        for name in _PATH_PARAMETER.findall(path)
    ]
    if model is not None and method == "GET":
        parameters += query_parameters(model)
    elif model is not None:
        out["requestBody"] = {
            "required": True,
            "content": {media: {"schema": {"$ref": _ref(model)}} for media in model.content},
        }
    if parameters:
        out["parameters"] = parameters
    out["security"] = [] if api.open else list(description.security)
    envelope = description.envelope(path)
    out["responses"] = {
        "200": {
            "description": "The vendor's envelope: a success, or an error with its code",
            "content": {media: {"schema": envelope} for media in description.answers},
        }
    }
    return out


def query_parameters(model: type[Wire]) -> list[dict[str, Any]]:
    """A GET's fields as query parameters (SenseTime's getDbInfo and get)."""
    schema = _clean(model.model_json_schema(ref_template=_REF))
    required = set(schema.get("required", ()))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _ref(model: type[Wire]) -> str:
    return _REF.format(model=model.__name__)


def _add_schemas(model: type[Wire], schemas: dict[str, Any]) -> None:
    """The model's schema and those it nests, under their class names (each name once)."""
    schema = _clean(model.model_json_schema(ref_template=_REF))
    nested = schema.pop("$defs", {})
    for name, value in {**nested, model.__name__: schema}.items():
        value = _with_choices(value, model if name == model.__name__ else None)
        if schemas.get(name, value) != value:
            raise ValueError(f"two wire models are named {name}")
        schemas[name] = value


def _with_choices(schema: dict[str, Any], model: type[Wire] | None) -> dict[str, Any]:
    """A model's `one_of` groups as `anyOf` of `required` (at least one of each group)."""
    if model is None or not model.one_of:
        return schema
    groups = [{"anyOf": [{"required": [name]} for name in group]} for group in model.one_of]
    return schema | {"allOf": groups}


def _clean(value: Any) -> Any:
    """The schema without `null` alternatives (no vendor documents a null field) and without
    pydantic's `default: null`."""
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _clean(item) for key, item in value.items()}
    if out.get("default", ...) is None:
        del out["default"]
    if "anyOf" in out:
        kept = [item for item in out["anyOf"] if item != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out = kept[0] | out
        else:
            out["anyOf"] = kept
    return out


def documents(facades: Sequence[Facade], described: Mapping[str, Description]) -> dict[str, Any]:
    """Every facade's document by vendor name."""
    return {facade.name: document(facade, described[facade.name]) for facade in facades}
