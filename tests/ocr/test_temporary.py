"""A temporary resident ID card (SenseTime seed 000 §6.4) carries the fields of both sides on one.

No temporary card is in ../shared/data, so one is laid out from the synthetic s1 scans: the
front, with the back's 签发机关 and 有效期限 rows added below the number, as the temporary card
prints them.
"""

from contracts.documents import CardSide, CardSource, IdNumberCheck
from engine import ocr
from tests.ocr.pixels import decoded, temporary_card


def test_temporary_card_reads_all_fields(ocr_models, load, synthetic):
    truth = synthetic[0]
    pixels = temporary_card(load(truth["files"]["front"]), load(truth["files"]["back"]))
    card = ocr.read_id_card(decoded(pixels))
    assert card.side is CardSide.temporary
    for name in ("name", "sex", "nation", "birth", "address", "id_number", "authority"):
        assert card.value(name) == truth[name]
    assert card.value("validity") == truth["valid"]
    assert card.id_number_check is IdNumberCheck.valid
    assert card.source.source is CardSource.temporary
