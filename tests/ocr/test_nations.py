from engine.ocr import NATIONS, normalise_nation


def test_the_56_official_names_are_listed_once():
    assert len(NATIONS) == 56
    assert len(set(NATIONS)) == 56


def test_official_names_and_the_suffix_zu_are_accepted():
    assert normalise_nation("汉") == "汉"
    assert normalise_nation("维吾尔") == "维吾尔"
    assert normalise_nation("藏族") == "藏"


def test_a_reading_one_edit_from_a_single_name_is_normalised():
    assert normalise_nation("维吾") == "维吾尔"
    assert normalise_nation("柯尔克孝") == "柯尔克孜"


def test_ambiguous_or_unknown_readings_are_not_guessed():
    assert normalise_nation("汊") is None  # every one-character name is one edit away
    assert normalise_nation("布衣") is None  # 布依 and 布朗 are both one edit away
    assert normalise_nation("瓦尔肯") is None  # the joke specimen's nation
