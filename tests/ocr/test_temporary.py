"""A temporary resident ID card (SenseTime seed 000 §6.4) carries the fields of both sides on one.

No temporary card is in ../shared/data, so one is laid out from the synthetic s1 scans: the
front, with the back's 签发机关 and 有效期限 rows added below the number, as the temporary card
prints them.
"""

import numpy as np

from contracts.documents import CardSide, CardSource, IdNumberCheck
from engine import ocr
from tests.ocr.pixels import decoded


def _temporary(front, back):
    filler = np.tile(front[400:430, 60:600], (4, 2, 1))[:110, : front.shape[1]]
    card = np.vstack([front[:560], filler, front[560:]])
    card[565:600, 87:557] = back[434:469, 230:700]
    card[615:650, 87:577] = back[507:542, 230:720]
    return card


def test_temporary_card_reads_all_fields(ocr_models, load, synthetic):
    truth = synthetic[0]
    pixels = _temporary(load(truth["files"]["front"]), load(truth["files"]["back"]))
    card = ocr.read_id_card(decoded(pixels))
    assert card.side is CardSide.temporary
    for name in ("name", "sex", "nation", "birth", "address", "id_number", "authority"):
        assert card.value(name) == truth[name]
    assert card.value("validity") == truth["valid"]
    assert card.id_number_check is IdNumberCheck.valid
    assert card.source.source is CardSource.temporary
