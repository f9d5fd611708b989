"""The two public specimens: invalid check digits are read as printed and flagged."""

from contracts.documents import CardSide, CardSource, IdNumberCheck
from engine import ocr


def _truth(ground_truth, file):
    return next(card for card in ground_truth if file in card["files"].values())


def test_invalid_check_digit_is_flagged_never_corrected(ground_truth, scan):
    truth = _truth(ground_truth, "specimen_weixiaobao_front.png")
    (card,) = scan("specimen_weixiaobao_front.png").cards
    assert card.side is CardSide.front
    assert card.value("id_number") == truth["id_number"] == "11204416541220243X"
    assert card.id_number_check is IdNumberCheck.bad_check_digit
    assert card.fields["id_number"].valid  # well-formed: only the check digit is wrong
    for name in ("name", "sex", "nation", "birth", "address"):
        assert card.value(name) == truth[name]


def test_a_page_with_both_sides_gives_two_cards(ground_truth, scan):
    truth = _truth(ground_truth, "specimen_airobot_bw_a4.png")
    front, back = scan("specimen_airobot_bw_a4.png").cards
    assert (front.side, back.side) == (CardSide.front, CardSide.back)
    assert front.value("id_number") == truth["id_number"]
    assert front.id_number_check is IdNumberCheck.bad_check_digit
    for name in ("sex", "birth", "address"):
        assert front.value(name) == truth[name]
    assert back.value("authority") == truth["authority"]
    assert back.value("validity") == truth["valid"]
    assert front.card.box.bottom < back.card.box.top


def test_a_nation_outside_the_56_is_read_as_printed_and_marked_invalid(scan):
    front = scan("specimen_airobot_bw_a4.png").cards[0]
    nation = front.fields["nation"]
    assert (nation.value, nation.valid) == ("瓦尔肯", False)


def test_the_greyscale_page_is_classified_as_a_copy(scan):
    for card in scan("specimen_airobot_bw_a4.png").cards:
        assert card.source.source is CardSource.copy


def test_pick_side_prefers_the_side_asked_for(scan):
    both = scan("specimen_airobot_bw_a4.png")
    assert ocr.pick_side(both, CardSide.back).side is CardSide.back
    assert ocr.pick_side(both, CardSide.front).side is CardSide.front
    only_front = scan("specimen_weixiaobao_front.png")
    assert ocr.pick_side(only_front, CardSide.back).side is CardSide.front
