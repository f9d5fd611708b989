"""The other documents on `/api/recog.do` and `/api/recogliu.do`: driving and vehicle licences,
the travel permits, passports, bank cards and the Hong Kong and Macao identity cards.

One table row per typeId: the engine's document type, the page it must be, and its items in
the order public client code indexes them (docs/netocr.md cites the sources). Each item is a
`desc` and the canonical field (contracts.documents, docs/ocr.md) or small rule that fills it;
an item the engine does not read (a chip's MRZ, a visual-zone birthplace, a Chinese
commercial code's translation) is present and empty, so that position `n` is always the same
item. Values are as printed, dates `YYYY-MM-DD`, and a value whose check fails is sent as
printed, never corrected.

A recognised document answers status 0, "识别完成", as netocr's own bank-card example and a
real licence-plate answer show (the resident ID card answers 2, cards.py); an image without
the document asked for is `-15`. A licence page is answered as the page it is, as a card's
back sent as typeId 2 is answered as type 3: the vehicle licence's second page sent as 6 is
card type 30 (行驶证副页), and its main page sent as 30 is type 6. The driving licence's second
page has no typeId of its own in public code: typeId 5 reads either page, and its items are
one list for both (the second page's 档案编号 and 记录 after the main page's), so that
position `n` stays the same item whichever page was sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contracts.documents import Document, DocumentType
from contracts.errors import ErrorKind, IdfError
from vendors.common.documents import read_documents
from vendors.common.routing import Call
from vendors.netocr import inputs
from vendors.netocr.wire import Card, Entry, Recognition

SUCCESS = 0
RECOGNISED = "识别完成"
RESERVED = "保留"

Source = Callable[[Document], str]


def field(name: str) -> Source:
    return lambda document: document.value(name) or ""


def unread(document: Document) -> str:
    """An item this engine does not read (it stays in its place, empty)."""
    return ""


def _latin_part(name: str, part: int) -> Source:
    """The surname (0) or given names (1) of a Latin name printed `SURNAME, GIVEN NAMES`."""

    def pick(document: Document) -> str:
        parts = (document.value(name) or "").split(",", 1)
        return parts[part].strip() if len(parts) == 2 else ""

    return pick


def _zone_name(document: Document) -> str:
    return " ".join(p for p in (document.value("surname"), document.value("given_names")) if p)


_SEX = {"M": "男", "F": "女"}


def _zone_sex(document: Document) -> str:
    """The zone's M/F as the visual zone prints it (clients compare 性别 with 男 and 女)."""
    sex = document.value("sex") or ""
    return _SEX.get(sex, "" if sex == "<" else sex)


def _zone_line(number: int) -> Source:
    return field(f"line{number}")


RESERVE: tuple[str, Source] = (RESERVED, unread)


@dataclass(frozen=True)
class Layout:
    type: DocumentType
    items: tuple[tuple[str, Source], ...]
    page: int | None = 1  # the page it is (None: either page of the document)


def _taiwan_booklet(*tail: tuple[str, Source]) -> tuple[tuple[str, Source], ...]:
    """The 1992 booklets (typeIds 10 and 11): the same first 16 items, then their own."""
    return (
        ("证件类型", unread),
        ("证件号码MRZ", unread),
        ("中文姓名", field("name")),
        ("英文姓名", field("name_en")),
        ("性别", field("sex")),
        ("出生日期", field("birth")),
        ("有效期至", field("validity_to")),
        ("签发国代码", unread),
        ("英文姓", _latin_part("name_en", 0)),
        ("英文名", _latin_part("name_en", 1)),
        ("MRZ1", unread),
        ("MRZ2", unread),
        ("持证人国籍代码", unread),
        ("证件号码", field("number")),
        ("身份证号码", unread),
        ("签发日期", field("validity_from")),
        *tail,
    )


LAYOUTS: dict[int, Layout] = {
    5: Layout(
        DocumentType.driving_licence,
        (
            RESERVE,
            ("证号", field("id_number")),
            ("姓名", field("name")),
            ("性别", field("sex")),
            ("住址", field("address")),
            ("出生日期", field("birth")),
            ("初始领证日期", field("first_issue_date")),
            ("准驾车型", field("class")),
            ("有效起始日期", field("valid_from")),
            ("有效期限", field("valid")),
            ("有效截止日期", field("valid_to")),
            # the second page (副页): idfacade's, after the SDK's eleven
            ("档案编号", field("file_number")),
            ("记录", field("record")),
        ),
        page=None,
    ),
    6: Layout(
        DocumentType.vehicle_licence,
        (
            RESERVE,
            ("号牌号码", field("plate_number")),
            ("车辆类型", field("vehicle_type")),
            ("所有人", field("owner")),
            ("住址", field("address")),
            ("品牌型号", field("model")),
            ("车辆识别代号", field("vin")),
            ("发动机号码", field("engine_number")),
            ("注册日期", field("register_date")),
            ("发证日期", field("issue_date")),
            ("使用性质", field("use_character")),
        ),
    ),
    30: Layout(  # 机动车行驶证副页: the SDK's four items, then the page's other fields
        DocumentType.vehicle_licence,
        (
            RESERVE,
            ("号牌号码", field("plate_number")),
            ("档案编号", field("file_number")),
            ("行驶证识别代码", field("barcode")),
            ("核定载人数", field("passengers")),
            ("总质量", field("gross_mass")),
            ("整备质量", field("unladen_mass")),
            ("核定载质量", field("approved_load")),
            ("外廓尺寸", field("dimensions")),
            ("准牵引总质量", field("traction_mass")),
            ("备注", field("comment")),
            ("检验记录", field("inspection_record")),
        ),
        page=2,
    ),
    9: Layout(  # 往来港澳通行证, the 2005 booklet
        DocumentType.exit_entry_hk_macao,
        (
            ("类型标识", unread),
            ("证件号码MRZ", unread),
            ("中文姓名", field("name")),
            ("英文姓名", field("name_en")),
            ("性别", field("sex")),
            ("出生日期", field("birth")),
            ("有效期至", field("validity_to")),
            ("签发国代码", unread),
            ("英文姓", _latin_part("name_en", 0)),
            ("英文名", _latin_part("name_en", 1)),
            ("MRZ1", unread),
            ("MRZ2", unread),
            ("持证人国籍代码", unread),
            ("证件号码", field("number")),
            ("出生地", unread),
            ("签发地点", field("issue_place")),
            ("签发日期", field("validity_from")),
        ),
    ),
    10: Layout(  # 台湾居民来往大陆通行证: the count printed on the page is item 19
        DocumentType.taiwan_travel,
        _taiwan_booklet(
            ("签发次数", unread),
            ("现住址", unread),
            ("职业", unread),
            ("签发次数", field("issue_count")),
            ("签发地代码", unread),
        ),
    ),
    11: Layout(
        DocumentType.exit_entry_taiwan,
        _taiwan_booklet(("签发次数", field("issue_count")), ("现住址", unread), ("职业", unread)),
    ),
    13: Layout(
        DocumentType.passport,
        (
            ("护照类型", field("document_type")),
            ("护照号码MRZ", field("document_number")),
            ("本国姓名", unread),
            ("英文姓名", _zone_name),
            ("性别", _zone_sex),
            ("出生日期", field("birth")),
            ("有效期至", field("expiry")),
            ("签发国代码", field("country")),
            ("英文姓", field("surname")),
            ("英文名", field("given_names")),
            ("MRZ1", _zone_line(1)),
            ("MRZ2", _zone_line(2)),
            ("持证人国籍代码", field("nationality")),
            ("护照号码", field("document_number")),
            ("出生地点", unread),
            ("签发地点", unread),
            ("签发日期", unread),
            ("RFID MRZ", unread),
            ("OCR MRZ", field("mrz")),
            ("出生地点拼音", unread),
            ("签发地点拼音", unread),
            ("身份号码", unread),
            ("本国姓名拼音OCR", unread),
            ("性别OCR", unread),
            ("持证人国籍代码OCR", unread),
            ("身份证号码OCR", unread),
            ("出生日期OCR", unread),
            ("有效期至OCR", unread),
            ("签发机关OCR", unread),
            ("本国姓", unread),
            ("本国名", unread),
        ),
    ),
    14: Layout(  # 港澳居民来往内地通行证, the photo side
        DocumentType.hk_macao_travel,
        (
            RESERVE,
            ("证件号码", field("number")),
            ("中文姓名", field("name")),
            ("英文姓名", field("name_en")),
            ("性别", field("sex")),
            ("出生日期", field("birth")),
            ("本证有效期至", field("validity_to")),
            ("英文姓", _latin_part("name_en", 0)),
            ("英文名", _latin_part("name_en", 1)),
            ("港澳证件号码", unread),
            ("签发日期", field("validity_from")),
            ("有效期限", field("validity")),
            ("签发机关", field("authority")),
            ("换证次数", field("issue_count")),
            ("其它姓名", unread),
        ),
    ),
    17: Layout(
        DocumentType.bank_card,
        (
            ("卡号", field("card_number")),
            ("银行卡类型", field("card_type")),
            ("银行卡名称", field("card_name")),
            ("银行名称", field("bank_name")),
            ("银行编号", field("issuer_code")),
            ("有效日期", field("expiry")),
            ("银行卡持有人", field("holder")),
        ),
    ),
    22: Layout(  # 往来港澳通行证, the 2014 card
        DocumentType.exit_entry_hk_macao,
        (
            RESERVE,
            ("证件号码", field("number")),
            ("中文姓名", field("name")),
            ("英文姓名", field("name_en")),
            ("出生日期", field("birth")),
            ("性别", field("sex")),
            ("有效期限", field("validity")),
            ("签发地点", field("issue_place")),
            ("MRZ1", unread),
            ("MRZ2", unread),
            ("MRZ3", unread),
            ("签发日期", field("validity_from")),
            ("有效期至", field("validity_to")),
        ),
    ),
    25: Layout(  # 台湾居民来往大陆通行证, the 2015 card
        DocumentType.taiwan_travel,
        (
            RESERVE,
            ("中文姓名", field("name")),
            ("英文姓名", field("name_en")),
            ("出生日期", field("birth")),
            ("性别", field("sex")),
            ("有效期限", field("validity")),
            ("签发地点", field("issue_place")),
            ("证件号码", field("number")),
            ("签发次数", field("issue_count")),
            ("签发机关", field("authority")),
        ),
    ),
    1001: Layout(
        DocumentType.hk_id,
        (
            RESERVE,
            ("中文姓名", field("name")),
            ("拼音姓名", field("name_en")),
            ("性别", field("sex")),
            ("出生日期", field("birth")),
            ("签发日期", field("issue_date")),
            ("身份证号码", field("id_number")),
            ("符号标记", field("symbols")),
            ("中文电码", field("name_code")),
            ("电码译文", unread),
            ("电码矫正姓名", unread),
        ),
    ),
    1005: Layout(
        DocumentType.macao_id,
        (
            RESERVE,
            ("中文姓名", field("name")),
            ("拼音姓名", field("name_en")),
            ("性别", field("sex")),
            ("出生日期", field("birth")),
            ("签发日期", field("issue_date")),
            ("有效期至", field("valid_to")),
            ("身份证号码", field("id_number")),
            ("首次发证", field("first_issue_date")),
            ("中文电码", unread),
            ("电码译文", unread),
        ),
    ),
}


def items(layout: Layout, document: Document) -> tuple[Entry, ...]:
    """The document's items in the typeId's order, every one present."""
    return tuple(Entry(desc, source(document)) for desc, source in layout.items)


async def recognise(call: Call, type_id: int) -> Recognition:
    """One card per document of the typeId's kind found in `img` / `file`."""
    layout = LAYOUTS[type_id]
    image = await inputs.image(call.services, call.params, inputs.SINGLE)
    _, scan = await call.services.pool.run(read_documents, image, layout.type)
    found = [(answered, d) for d in scan.documents if (answered := _page_type(type_id, d))]
    if not found:
        what = "other text, not this document" if scan.lines else "no text"
        detail = f"no {layout.type.value} in the image ({what})"
        raise IdfError(ErrorKind.no_document, detail, field=image.name)
    cards = tuple(Card(str(answered), items(LAYOUTS[answered], d)) for answered, d in found)
    return Recognition(cards, SUCCESS, RECOGNISED)


def _page_type(type_id: int, document: Document) -> int | None:
    """The typeId of the page read: the one asked where it is that page, else the typeId of
    the same document's other page (None where none is served)."""
    if LAYOUTS[type_id].page in (None, document.page):
        return type_id
    kind = LAYOUTS[type_id].type
    pages = (t for t, layout in LAYOUTS.items() if layout.type is kind)
    return next((t for t in pages if LAYOUTS[t].page == document.page), None)
