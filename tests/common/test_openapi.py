"""The OpenAPI documents: generated from the route tables and wire models, valid OpenAPI 3.1
by a real validator, every served API in them with its vendor's authentication, and served
with Swagger UI from the installed package."""

from __future__ import annotations

import pytest

import vendors
from tests.harness import gateway
from vendors.common.openapi import document
from vendors.common.spec import api_key

FACADES = {facade.name: facade for facade in vendors.FACADES}
validate = pytest.importorskip("openapi_spec_validator").validate  # a dev dependency


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    return {name: document(facade, facade.openapi) for name, facade in FACADES.items()}


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    with gateway(tmp_path_factory.mktemp("openapi")) as client:
        yield client


@pytest.mark.parametrize("vendor", sorted(FACADES))
def test_each_document_is_valid_openapi_3_1(docs, vendor):
    doc = docs[vendor]
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # raises on any violation of the 3.1 schema or its semantic rules


@pytest.mark.parametrize("vendor", sorted(FACADES))
def test_every_served_api_is_an_operation_with_its_declared_body(docs, vendor):
    doc, facade = docs[vendor], FACADES[vendor]
    for api in facade.apis:
        model = facade.requests[api_key(api)]
        for path in api.paths:
            for method in api.methods:
                operation = doc["paths"][path][method.lower()]
                if method == "GET":
                    names = {p["name"] for p in operation.get("parameters", ())}
                    assert set(model.model_fields) <= names
                else:
                    content = operation["requestBody"]["content"]
                    assert set(content) == set(model.content)
                    schema = doc["components"]["schemas"][model.__name__]
                    assert set(schema["properties"]) == set(model.model_fields)


def test_images_carry_the_vendors_limits(docs):
    detect = docs["sensetime"]["components"]["schemas"]["Image"]["properties"]
    assert detect["file"]["format"] == "binary"
    assert "5242880 bytes" in detect["data"]["description"]
    photo = docs["yitu"]["components"]["schemas"]["FeatureExtraction"]["properties"]
    assert photo["image_content"]["contentEncoding"] == "base64"
    assert "1048576 bytes" in photo["image_content"]["description"]
    assert photo["image_type"]["enum"] == [1, 2, 3, 4, 5, 7, 9, 101]


def test_each_vendors_authentication_is_described(docs):
    sensetime = docs["sensetime"]
    assert sensetime["components"]["securitySchemes"]["token"]["name"] == "authorization"
    login = sensetime["paths"]["/guns/mgr/login"]["post"]
    assert login["security"] == []
    detect = sensetime["paths"]["/ssid-face/v2/detect"]["post"]
    assert {"token": []} in detect["security"]
    yitu = docs["yitu"]
    assert set(yitu["components"]["securitySchemes"]) == {"accessId", "signature"}
    ocr = yitu["paths"]["/face/basic/ocr"]["post"]
    assert ocr["security"] == [{"accessId": [], "signature": []}]
    (path,) = docs["waiqin"]["paths"]
    parameters = docs["waiqin"]["paths"][path]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["openid", "timestamp", "digest", "msg_id"]
    assert "MD5" in next(p for p in parameters if p["name"] == "digest")["description"]
    netocr = docs["netocr"]["components"]["schemas"]["VerFaceImage"]
    assert {"key", "secret", "typeId"} <= set(netocr["required"])
    assert netocr["properties"]["typeId"]["enum"] == [21]


def test_documents_and_docs_page_are_served(http, docs):
    for vendor, doc in docs.items():
        reply = http.get(f"/openapi/{vendor}.json")
        assert reply.status_code == 200
        assert reply.json() == doc
    assert http.get("/openapi/acme.json").status_code == 404
    page = http.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    start = http.get("/docs/start.js").text
    assert all(f"/openapi/{vendor}.json" in start for vendor in docs)
    bundle = http.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "SwaggerUIBundle" in bundle.text[:100000] or len(bundle.content) > 100000
    assert http.get("/docs/assets/swagger-ui.css").status_code == 200
