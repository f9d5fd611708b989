"""Waiqin URL timestamps as clients write them: the manual's seconds, Java's milliseconds."""

import datetime as dt

import pytest

from contracts.errors import ErrorKind, IdfError
from vendors.waiqin.timestamps import check_window, readings, zone

CHINA = zone("Asia/Shanghai")
# 2026-12-01 10:20:30 in Beijing
NOW = dt.datetime(2026, 12, 1, 10, 20, 30, tzinfo=CHINA).timestamp()


def test_the_manual_form_is_read_to_the_second():
    assert (NOW, NOW + 1) in readings("20261201102030", CHINA)


@pytest.mark.parametrize("stamp", ["20261201102045", "202612011020045", "202612011020999"])
def test_java_millisecond_form_is_read_as_its_minute(stamp):
    minute = dt.datetime(2026, 12, 1, 10, 20, tzinfo=CHINA).timestamp()
    assert (minute, minute + 60) in readings(stamp, CHINA)


def test_a_14_digit_stamp_whose_last_digits_are_not_seconds_is_read_as_milliseconds():
    minute = dt.datetime(2026, 12, 1, 10, 20, tzinfo=CHINA).timestamp()
    assert readings("20261201102075", CHINA) == [(minute, minute + 60)]


def test_minute_precision_window_accepts_the_whole_minute_and_the_skew():
    check_window("202612011020999", CHINA, NOW, 300)  # same minute
    check_window("202612011015999", CHINA, NOW, 300)  # 10:15:59 + 300 s covers 10:20:30
    with pytest.raises(IdfError) as refused:
        check_window("202612011014999", CHINA, NOW, 300)
    assert refused.value.kind is ErrorKind.auth and refused.value.field == "timestamp"


def test_a_stamp_outside_the_window_is_refused_naming_the_timestamp():
    with pytest.raises(IdfError) as refused:
        check_window("20261201095959", CHINA, NOW, 300)
    assert refused.value.field == "timestamp" and "window" in refused.value.detail


@pytest.mark.parametrize("stamp", ["2026120110203", "2026-12-01 10:20", "20261301102030", ""])
def test_malformed_stamps_are_refused(stamp):
    with pytest.raises(IdfError) as refused:
        readings(stamp, CHINA)
    assert refused.value.field == "timestamp"


def test_the_clock_zone_is_a_setting():
    utc = zone("+00:00")
    check_window("20261201022030", utc, NOW, 5)
    with pytest.raises(IdfError):
        check_window("20261201102030", utc, NOW, 5)
    assert zone("UTC+8").utcoffset(None) == dt.timedelta(hours=8)
    with pytest.raises(ValueError):
        zone("Mars/Olympus")
