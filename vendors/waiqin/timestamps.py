"""The `timestamp` of Waiqin's URL as clients really write it (PROTOCOLS.md "What real
clients send").

The manual's form is the caller's local time as `yyyyMMddHHmmss`. Java SDKs build it with the
pattern `yyyyMMddHHmmSS`, where `SS` is *milliseconds*: the seconds are missing and the last two
or three digits (14 or 15 characters) count milliseconds, so such a stamp only says which
minute it was made in. A stamp is read as every instant range it can mean (a 14-digit one both
ways) and accepted when one of them lies within the skew window, at minute precision for the
millisecond form. The clock is China Standard Time unless `waiqin_timezone` says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from contracts.errors import ErrorKind, IdfError

CHINA = "Asia/Shanghai"
_CHINA_FIXED = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving since 1991
_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{14,15}$")


def zone(name: str) -> dt.tzinfo:
    """An IANA zone name (`Asia/Shanghai`) or a fixed offset (`+08:00`, `UTC+8`)."""
    text = name.strip()
    offset = _OFFSET.match(text)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        if text == CHINA:  # a host without the tz database still knows China's clock
            return _CHINA_FIXED
        raise ValueError(f"unknown time zone {name!r}") from exc


def _instant(text: str, pattern: str, tz: dt.tzinfo) -> float | None:
    try:
        return dt.datetime.strptime(text, pattern).replace(tzinfo=tz).timestamp()
    except ValueError:
        return None


def readings(timestamp: str, tz: dt.tzinfo) -> list[tuple[float, float]]:
    """The ranges of instants `timestamp` can stand for, as (start, end) epoch seconds.

    Raises `auth` (field `timestamp`) when it is neither form.
    """
    text = timestamp.strip()
    if not _DIGITS.match(text):
        raise IdfError(
            ErrorKind.auth, "timestamp must be yyyyMMddHHmmss (14 digits)", field="timestamp"
        )
    found: list[tuple[float, float]] = []
    if len(text) == 14:
        second = _instant(text, "%Y%m%d%H%M%S", tz)
        if second is not None:
            found.append((second, second + 1))
    minute = _instant(text[:12], "%Y%m%d%H%M", tz)
    if minute is not None:
        found.append((minute, minute + 60))  # yyyyMMddHHmm + milliseconds
    if not found:
        raise IdfError(ErrorKind.auth, "timestamp is not a date and time", field="timestamp")
    return found


def check_window(timestamp: str, tz: dt.tzinfo, now: float, skew: float) -> None:
    """Raise `auth` (field `timestamp`, its own message) unless a reading is within `skew`."""
    for start, end in readings(timestamp, tz):
        if start - skew <= now < end + skew:
            return
    raise IdfError(
        ErrorKind.auth, f"timestamp is outside the allowed {skew:g}s window", field="timestamp"
    )


def format_now(now: float, tz: dt.tzinfo) -> str:
    """`yyyyMMddHHmmss` of `now` in `tz`, as the manual's clients write it."""
    return dt.datetime.fromtimestamp(now, tz).strftime("%Y%m%d%H%M%S")
