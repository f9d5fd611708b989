"""Face comparison (typeId 21, seed 003 §1) and 人证合一 (typeId 9999, §4).

Scores are the engine's cosines on netocr's 0..100 scale (contracts.calibration: 50 is the
default operating point, higher means more likely the same person), so the threshold moves
with the calibration. For 9999 the ID card is read first and its printed portrait is compared
with the live photo, in one trip through the inference pool.
"""

from __future__ import annotations

from contracts import calibration
from contracts.documents import CardSide, IdCard
from contracts.embeddings import Match
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput
from engine import face, ocr
from vendors.common.documents import read_cards
from vendors.common.routing import Call
from vendors.netocr import cards, errors, inputs
from vendors.netocr.wire import Card, Entry, Recognition, Verdict

COMPARED = "比对完成"
COMPARE_TYPE = "21"
CARD_AND_FACE_TYPE = "9999"


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def number(value: float) -> str:
    """A score as the manual prints one: "100.0", "0.54066247"."""
    return str(round(value, 4))


def _judged(match: Match) -> tuple[float, bool]:
    score = calibration.netocr_similarity(match.score)
    return score, score >= calibration.netocr_threshold()


async def compare_verdict(call: Call) -> Verdict:
    """`/verapi/verFaceImage.do`: 判定结果 and 判定值 both in `desc` (§1's example)."""
    score, same = _judged(await _compare(call))
    entries = (Entry(f"判定结果:{yes_no(same)}"), Entry(f"判定值:{number(score)}"))
    return Verdict(entries, errors.SUCCESS_VERAPI, "成功", negative=not same)


async def compare_recognition(call: Call) -> Recognition:
    """typeId 21 on `/api/faceliu.do`: the 9999 answer's two judgement items, no card."""
    score, same = _judged(await _compare(call))
    items = (Entry("判定值", number(score)), Entry("判定结果", yes_no(same)))
    card = Card(COMPARE_TYPE, items)
    return Recognition((card,), errors.SUCCESS_COMPARED, COMPARED, negative=not same)


async def card_and_face(call: Call) -> Recognition:
    """typeId 9999: items 判定值, 判定结果, 保留, 姓名, 性别, 民族, 出生, 住址, 公民身份号码."""
    document = await inputs.image(call.services, call.params, inputs.CARD)
    live = await inputs.image(call.services, call.params, inputs.LIVE)
    card, match = await call.services.pool.run(portrait_vs_live, document, live)
    score, same = _judged(match)
    items = (
        Entry("判定值", number(score)),
        Entry("判定结果", yes_no(same)),
        *cards.front_items(card),
    )
    card_info = Card(CARD_AND_FACE_TYPE, items)
    return Recognition((card_info,), errors.SUCCESS_COMPARED, COMPARED, negative=not same)


async def _compare(call: Call) -> Match:
    first = await inputs.image(call.services, call.params, inputs.CARD)
    second = await inputs.image(call.services, call.params, inputs.LIVE)
    return await call.services.pool.run(face.compare, first, second)


def portrait_vs_live(document: ImageInput, live: ImageInput) -> tuple[IdCard, Match]:
    """The card's front and the comparison of its printed portrait with the live photo
    (blocking: run it in the pool)."""
    _, scan = read_cards(document, portrait=True)
    card = ocr.pick_side(scan, CardSide.front)
    if card is None or card.side is CardSide.back:
        raise IdfError(ErrorKind.no_document, "no ID card front in the image", field=document.name)
    if card.portrait_jpeg is None:
        raise IdfError(ErrorKind.no_face, "no portrait on the card", field=document.name)
    portrait = ImageInput(data=card.portrait_jpeg, limits=document.limits, name=document.name)
    return card, face.compare(portrait, live)
