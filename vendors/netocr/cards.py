"""ID-card recognition on `/api/recog.do` (multipart `file`) and `/api/recogliu.do` (base64
`img`), the API netocr's PHP and Java clients call (docs/PROTOCOLS.md).

Only the typeIds that public client code names for documents this engine reads are served
(docs/netocr.md lists the others and why not): 2 二代身份证正面, 3 二代身份证背面, 4 临时身份证,
101 二代身份证正面背面自动分类. The typeId says which side to prefer when an image shows both;
the card's `type` says which side was read. Clients read items by position (1 = 姓名,
6 = 公民身份号码), so every item is present, empty where it could not be read.
"""

from __future__ import annotations

import base64

from contracts.documents import CardSide, IdCard
from contracts.errors import ErrorKind, IdfError
from engine import ocr
from vendors.common.documents import read_cards
from vendors.common.routing import Call
from vendors.netocr import errors, inputs
from vendors.netocr.wire import Card, Entry, Recognition

RECOGNISED = "识别完成"
# typeId -> the side it asks for (None: whichever the image shows).
TYPES: dict[int, CardSide | None] = {
    2: CardSide.front,
    3: CardSide.back,
    4: CardSide.temporary,
    101: None,
}
TYPE_OF_SIDE = {CardSide.front: "2", CardSide.back: "3", CardSide.temporary: "4"}
RESERVED = "保留"
FRONT = (("姓名", "name"), ("性别", "sex"), ("民族", "nation"), ("出生", "birth"))
FRONT_END = (("住址", "address"), ("公民身份号码", "id_number"))
BACK = (("签发机关", "authority"), ("有效期限", "validity"))
PORTRAIT = "头像"


def _entries(card: IdCard, names: tuple[tuple[str, str], ...]) -> tuple[Entry, ...]:
    return tuple(Entry(desc, card.value(name) or "") for desc, name in names)


def front_items(card: IdCard) -> tuple[Entry, ...]:
    """保留, 姓名, 性别, 民族, 出生, 住址, 公民身份号码: the front's items in netocr's order."""
    return (Entry(RESERVED), *_entries(card, FRONT), *_entries(card, FRONT_END))


def card_items(card: IdCard) -> tuple[Entry, ...]:
    """A side's items: the front with its 头像 (the portrait crop as base64), the back's
    签发机关 and 有效期限, or a temporary card's front items, validity and portrait."""
    if card.side is CardSide.back:
        return _entries(card, BACK)
    portrait = Entry(PORTRAIT, base64.b64encode(card.portrait_jpeg or b"").decode())
    if card.side is CardSide.temporary:
        return (*front_items(card), *_entries(card, BACK), portrait)
    return (*front_items(card), portrait)


async def recognise(call: Call, type_id: int) -> Recognition:
    document = await inputs.image(call.services, call.params, inputs.SINGLE)
    _, scan = await call.services.pool.run(read_cards, document, portrait=True)
    card = ocr.pick_side(scan, TYPES[type_id])
    if card is None:
        raise IdfError(ErrorKind.no_document, "no ID card in the image", field=document.name)
    found = Card(TYPE_OF_SIDE[card.side], card_items(card))
    return Recognition((found,), errors.SUCCESS_RECOGNISED, RECOGNISED)
