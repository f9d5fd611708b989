"""SenseTime OCR of the other documents (seed 000 §6.5–§6.18): bank cards, Hong Kong and
Macao identity cards, the residence and travel permits, the foreigner's permanent residence
card, driving and vehicle licences, business licences, organisation code certificates, account
opening permits and passports.

One table row per API: its path, the document type, the list key of its answer (with the
spellings the manual also prints: its OCR turned I into l), and each bean key with the
canonical field it carries. Every API answers `path`, `images` (the upright crop, with
extraInfo) and its list, one entry per document found, each bean `text`, `score` (a string),
`rect` (with extraInfo) and `valid` (false where the value breaks its form or its number
fails a check; the value is never corrected). An image without that document is 65040301.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contracts.documents import Document, DocumentScan, DocumentType
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput
from engine import ocr
from engine.media import decode_image
from vendors.common.inputs import require_image
from vendors.common.outputs import render_bytes
from vendors.common.routing import ApiHandler
from vendors.common.services import Services
from vendors.sensetime.context import IMAGE_LIMITS, stored_path
from vendors.sensetime.ocr import IMAGE_FIELDS, SERVICE, rect
from vendors.sensetime.routes import Api, Call

BIRTH = "birth"  # a birthBean of year, month and day (§6.6 …)
SEX_LETTERS = {"男": "男 M", "女": "女 F"}  # §6.6 and §6.7 print both


@dataclass(frozen=True)
class Endpoint:
    name: str
    type: DocumentType
    key: str  # the list in `data`
    fields: dict[str, str]  # bean key -> canonical field
    aliases: tuple[str, ...] = ()  # the list key as the manual also prints it
    birth_bean: bool = True  # `birth` is a birthBean (else a plain bean with YYYY-MM-DD)
    result_type: str | None = None  # "side" (0 front, 1 back) or "page" ("1", "2")
    bilingual_sex: bool = False
    yymmdd: frozenset[str] = field(default_factory=frozenset)  # keys sent as the MRZ prints
    paths: tuple[str, ...] = ()  # the API name as the manual also prints it


PERMIT = {
    "name": "name",
    "gender": "sex",
    "birth": "birth",
    "address": "address",
    "number": "id_number",
    "authority": "authority",
    "validDate": "validity",
    "passNumber": "pass_number",
}
ENDPOINTS = (
    Endpoint(
        "bankCard",
        DocumentType.bank_card,
        "cardInfos",
        {
            "bankName": "bank_name",
            "cardName": "card_name",
            "cardIdentificationNumber": "issuer_code",
            "cardNumber": "card_number",
            "cardType": "card_type",
            "validDate": "expiry",
            "holderName": "holder",
        },
    ),
    Endpoint(
        "hkIdcard",
        DocumentType.hk_id,
        "hkIdcardInfos",
        {
            "name": "name",
            "nameCode": "name_code",
            "birth": "birth",
            "gender": "sex",
            "symbolMarker": "symbols",
            "issueDate": "issue_date",
            "registrationDate": "registration_date",
            "idNumber": "id_number",
        },
        aliases=("hkldcardInfos", "hkldCardInfos"),
        bilingual_sex=True,
        paths=("hkldcard",),
    ),
    Endpoint(
        "macaoidcard",
        DocumentType.macao_id,
        "macaoIdcardInfos",
        {
            "firstName": "surname",
            "secondName": "given_name",
            "number": "id_number",
            "height": "height",
            "birth": "birth",
            "issueDate": "first_issue_date",
            "validDate": "valid_to",
            "currentIssueDate": "issue_date",
            "gender": "sex",
        },
        aliases=("macaoldcardInfos",),
        bilingual_sex=True,
        paths=("macaoIdcard",),
    ),
    Endpoint(
        "hkMacaoPermit",
        DocumentType.hk_macao_residence,
        "hkMacaoPermitInfos",
        PERMIT,
        result_type="side",
    ),
    Endpoint(
        "taiwanIdcard",
        DocumentType.taiwan_residence,
        "taiwanIdcardInfos",
        PERMIT,
        result_type="side",
        aliases=("taiwanldcardInfos",),
        paths=("taiwanldcard",),
    ),
    Endpoint(
        "hkMacaoReturnPermit",
        DocumentType.hk_macao_travel,
        "hkMacaoReturnPermitInfos",
        {
            "chineseName": "name",
            "englishName": "name_en",
            "birth": "birth",
            "gender": "sex",
            "authority": "authority",
            "validDate": "validity",
            "number": "number",
            "changeTimes": "issue_count",
        },
        aliases=("hkmacaoReturnPermitInfos",),
    ),
    Endpoint(
        "taiwanReturnPermit",
        DocumentType.taiwan_travel,
        "taiwanReturnPermitInfos",
        {
            "chineseName": "name",
            "englishName": "name_en",
            "birth": "birth",
            "gender": "sex",
            "authority": "authority",
            "authorityAddr": "issue_place",
            "validDate": "validity",
            "number": "number",
            "changeTimes": "issue_count",
        },
    ),
    Endpoint(
        "foreignerPermit",
        DocumentType.foreign_permanent,
        "foreignerPermitInfos",
        {
            "chineseName": "name",
            "englishName": "name_en",
            "birth": "birth",
            "gender": "sex",
            "authority": "authority",
            "nationality": "nationality",
            "validPeriod": "validity",
            "number": "number",
        },
    ),
    Endpoint(
        "driverLicense",
        DocumentType.driving_licence,
        "driverInfos",
        {
            "name": "name",
            "gender": "sex",
            "birth": "birth",
            "address": "address",
            "expireDate": "valid_to",
            "issueDate": "first_issue_date",
            "drivingType": "class",
            "idCard": "id_number",
            "nationality": "nationality",
            "validFrom": "valid_from",
            "record": "record",
            "fileNumber": "file_number",
            "barcode": "barcode",
        },
        birth_bean=False,
        result_type="page",
    ),
    Endpoint(
        "vehicleLicense",
        DocumentType.vehicle_licence,
        "vehicleInfos",
        {
            "vin": "vin",
            "engineNumber": "engine_number",
            "engineNo": "engine_number",  # the example's spelling
            "owner": "owner",
            "registerDate": "register_date",
            "address": "address",
            "useCharacter": "use_character",
            "vehicleType": "vehicle_type",
            "model": "model",
            "issueDate": "issue_date",
            "plateNumber": "plate_number",
            "plateNo": "plate_number",  # the example's spelling
            # the second page (resultType "2")
            "fileNumber": "file_number",
            "apc": "passengers",
            "grossMass": "gross_mass",
            "unladenMass": "unladen_mass",
            "approvedLoad": "approved_load",
            "overallDimension": "dimensions",
            "tractionMass": "traction_mass",
            "comment": "comment",
            "inspectionRecord": "inspection_record",
            "barcode": "barcode",
        },
        birth_bean=False,
        result_type="page",
    ),
    Endpoint(
        "businessLicense",
        DocumentType.business_licence,
        "businessInfos",
        {
            "pers": "legal_person",
            "capital": "capital",
            "dateEstablish": "established",
            "code": "code",
            "scope": "scope",
            "name": "name",
            "time": "term",
            "type": "type",
            "address": "address",
        },
    ),
    Endpoint(
        "organizationCode",
        DocumentType.organisation_code,
        "organizationInfos",
        {
            "cop": "authority",
            "pers": "legal_person",
            "code": "code",
            "name": "name",
            "num": "registration_number",
            "time": "validity",
            "type": "type",
            "addr": "address",
        },
    ),
    Endpoint(
        "bankAccount",
        DocumentType.bank_account,
        "bankAccountInfos",
        {
            "accountNumber": "account_number",
            "legalRepresentative": "legal_person",
            "number": "number",
            "grantNumber": "grant_number",
            "bankName": "bank_name",
            "date": "date",
            "name": "name",
        },
    ),
    Endpoint(
        "passportMRZ",
        DocumentType.passport,
        "passportMRZInfos",
        {
            "expireDate": "expiry",
            "machineData1": "line1",
            "machineData2": "line2",
            "gender": "sex",
            "birth": "birth",
            "countryCode": "country",
            "passportNumber": "document_number",
            "name": "name",
        },
        birth_bean=False,
        yymmdd=frozenset({"expireDate", "birth"}),
    ),
)


# --- engine work, run in the inference pool -------------------------------------------------


def read(
    services: Services, image: ImageInput, kind: DocumentType
) -> tuple[str | None, DocumentScan]:
    """The documents of `kind` in the image; the input is kept (path mode) only when one was
    found, as for the ID card."""
    decoded = decode_image(image)
    scan = ocr.scan_documents(decoded, kind)
    if not scan.documents:
        what = "some other text" if scan.lines else "no text"
        raise IdfError(
            ErrorKind.no_document,
            f"no {kind.value.replace('_', ' ')} was found in the image (it shows {what})",
            field=image.name,
        )
    return stored_path(services, image.data, decoded.format, "ocr"), scan


# --- rendering ------------------------------------------------------------------------------


def bean(document: Document, name: str, extra: bool, *, value: str | None = None) -> dict:
    """A field bean; a field not read is an empty, invalid bean (as §6.11's validDate)."""
    found = document.fields.get(name)
    if name == "name" and found is None and document.type is DocumentType.passport:
        found = _passport_name(document)
    out: dict[str, Any] = {
        "text": value if value is not None else (found.value if found else ""),
        "score": str(float(found.score)) if found else "0.0",
    }
    if extra:
        out["rect"] = rect(found.box if found else None)
    out["valid"] = found is not None and found.valid and document.checks.get(name, True)
    return out


def _passport_name(document: Document) -> Any:
    surname, given = document.fields.get("surname"), document.fields.get("given_names")
    if surname is None:
        return None
    text = f"{surname.value} {given.value}".strip() if given else surname.value
    return surname.model_copy(update={"name": "name", "value": text})


def info(endpoint: Endpoint, document: Document, rotate: bool, extra: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in endpoint.fields.items():
        found = document.fields.get(name)
        if key == BIRTH and endpoint.birth_bean:
            out[key] = _birth_bean(document, extra)
        elif key in endpoint.yymmdd and found is not None and found.valid:
            out[key] = bean(document, name, extra, value=found.value[2:].replace("-", ""))
        elif name == "sex" and endpoint.bilingual_sex and found is not None:
            out[key] = bean(document, name, extra, value=SEX_LETTERS.get(found.value))
        else:
            out[key] = bean(document, name, extra)
    if endpoint.result_type == "side":
        out["resultType"] = document.page - 1
    elif endpoint.result_type == "page":
        out["resultType"] = str(document.page)  # the example sends a string
    out["rotation"] = document.rotation // 90 if rotate else 0
    return out


def _birth_bean(document: Document, extra: bool) -> dict[str, Any]:
    """birthBean: year, month and day of the printed date; the table names the day `data`,
    the examples `day`: both are sent."""
    found = document.fields.get("birth")
    parts = found.value.split("-") if found is not None and found.valid else ["", "", ""]
    out = {
        key: bean(document, "birth", extra, value=part)
        for key, part in zip(("year", "month", "day"), parts, strict=True)
    }
    out["data"] = out["day"]
    return out


# --- handler --------------------------------------------------------------------------------


def handler(endpoint: Endpoint) -> ApiHandler:
    async def recognise(call: Call) -> dict[str, Any]:
        rotate, extra = call.params.boolean("rotate"), call.params.boolean("extraInfo")
        image = await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)
        path, scan = await call.services.pool.run(read, call.services, image, endpoint.type)
        infos = [info(endpoint, document, rotate, extra) for document in scan.documents]
        data: dict[str, Any] = {"path": path}
        if extra:
            data["images"] = [
                {"roilImage": render_bytes(call.services, d.crop_jpeg, "ocr")}
                for d in scan.documents
            ]
        else:
            data["images"] = []
        data[endpoint.key] = infos
        for alias in endpoint.aliases:
            data[alias] = infos
        return data

    return recognise


APIS = [
    Api(SERVICE, name, handler(endpoint))
    for endpoint in ENDPOINTS
    for name in (endpoint.name, *endpoint.paths)
]
