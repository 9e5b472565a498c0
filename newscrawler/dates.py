"""``parse_timestamp``: the site's printed times as aware datetimes in its own zone.

A fast path reads the site's own forms with one regular expression; anything else that could still be one
complete date and time goes to a pinned, reused dateparser parser. Nothing is ever filled in: a text without a
day, month, year, hour and minute gives None, and so does an impossible date or time.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from email.utils import parsedate_to_datetime
from enum import Enum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from newscrawler.baghdadpost.formats import DATE_LABELS, MERIDIEM, MONTHS, TIMEZONE, WEEKDAYS
from newscrawler.text import INVISIBLE_CHARS

ZONE: tzinfo = ZoneInfo(TIMEZONE)
#: Longer texts are never one date: rejected before any parsing.
MAX_LENGTH = 100

_DIGITS = {0x660 + i: str(i) for i in range(10)} | {0x6F0 + i: str(i) for i in range(10)}
_HAMZA_ALEF = dict.fromkeys(map(ord, "أإآٱ"), "ا")
#: Tatweel, tanween and the other short-vowel marks, and every invisible direction or zero-width mark.
_DROPPED = dict.fromkeys(
    [*range(0x064B, 0x0653), 0x0640, *map(ord, INVISIBLE_CHARS), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_FOLD: dict[int, str | None] = {**_DIGITS, **_HAMZA_ALEF, **_DROPPED, 0xA0: " ", 0x202F: " "}


def fold(text: str) -> str:
    """Lower-case ``text``, ASCII its digits, unify hamza forms, drop tatweel, tanween and invisible marks.

    >>> fold("صباحاً ٠٦:٣٣ أيار")
    'صباحا 06:33 ايار'
    """
    return text.translate(_FOLD).lower()


def _folded(words: dict[str, Any] | frozenset[str]) -> dict[str, Any]:
    return {fold(w): (words[w] if isinstance(words, dict) else True) for w in words}


_MONTHS = _folded(MONTHS)
_WEEKDAYS = _folded(WEEKDAYS)
_MERIDIEM = _folded(MERIDIEM)
_LABELS = "|".join(map(re.escape, sorted(_folded(frozenset(DATE_LABELS)), key=len, reverse=True)))
_LABEL = re.compile(rf"^\s*(?:{_LABELS})\s*:?\s*")
_WORD = r"[^\W\d_][^\W\d_.]*\.?"
_MONTH_WORDS = rf"{_WORD}(?:\s+{_WORD})?"
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
_WEEKDAY = rf"(?:(?P<wd>{_WORD})\s*[،,]?\s+)?"
#: The site's own forms, day first (``19 December 2016 11:27 PM``) and month first (``December 19, 2016 …``).
_FORMS = (
    re.compile(
        rf"{_WEEKDAY}(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_WORDS})\s*,?\s+(?P<y>\d{{4}})\s*[,،]?\s+{_TIME}"
        rf"(?:\s*(?P<mer>{_WORD}))?"
    ),
    re.compile(
        rf"{_WEEKDAY}(?P<mon>{_MONTH_WORDS})\s+(?P<d>\d{{1,2}})\s*[,،]?\s+(?P<y>\d{{4}})\s*[,،]?\s+{_TIME}"
        rf"(?:\s*(?P<mer>{_WORD}))?"
    ),
)
_ISO = re.compile(r"\d{4}-\d\d-\d\d[t ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:z|[+-]\d\d:?\d\d)?")
_RFC822 = re.compile(r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d\d:\d\d(?::\d\d)?\s*(?:[+-]\d{4}|gmt|utc?)")
_CANDIDATE = re.compile(r"\d{1,2}:\d{2}")
_YEAR = re.compile(r"\d{4}")


class _Unread(Enum):
    """A reader's answer for a text that is not in its form (None means: in its form, but impossible)."""

    UNREAD = 0


UNREAD = _Unread.UNREAD
Reading = datetime | None | _Unread


def parse_timestamp(text: str) -> datetime | None:
    """Read one complete date and time as printed by the site; an aware datetime in Asia/Baghdad, or None.

    >>> parse_timestamp("Last Modified: Monday، 19 December 2016 11:27 PM").isoformat()
    '2016-12-19T23:27:00+03:00'
    >>> parse_timestamp("آخر تحديث: الأحد، ٢٤ أيار ٢٠٢٠ ٠٦:٣٣ ص").isoformat()
    '2020-05-24T06:33:00+03:00'
    >>> parse_timestamp("19 December 2016") is None, parse_timestamp("N/A") is None
    (True, True)
    """
    if not text or len(text) > MAX_LENGTH:
        return None
    folded = _LABEL.sub("", fold(text)).strip()
    for read in (_read_words, _read_iso, _read_rfc822):
        reading = read(folded)
        if reading is not UNREAD:
            return reading
    if _CANDIDATE.search(folded) and _YEAR.search(folded):
        return _fallback(folded)
    return None


def _read_words(folded: str) -> Reading:
    """The site's forms with month names; UNREAD when a word is not a known month, weekday or AM/PM."""
    for form in _FORMS:
        match = form.fullmatch(folded)
        if match and _known_words(match):
            return _from_match(match)
    return UNREAD


def _known_words(match: re.Match[str]) -> bool:
    return (
        match["mon"] in _MONTHS
        and (not match["wd"] or match["wd"] in _WEEKDAYS)
        and (not match["mer"] or match["mer"] in _MERIDIEM)
    )


def _from_match(match: re.Match[str]) -> datetime | None:
    hour = _hour(int(match["h"]), match["mer"])
    if hour is None:
        return None
    parts = int(match["y"]), _MONTHS[match["mon"]], int(match["d"]), hour, int(match["mi"]), int(match["s"] or 0)
    try:
        return datetime(*parts, tzinfo=ZONE)
    except ValueError:
        return None


def _read_iso(folded: str) -> Reading:
    """ISO 8601 date and time (``2016-12-19 23:27``, ``2016-12-19T20:27:00Z``); naive means Baghdad time."""
    if not _ISO.fullmatch(folded):
        return UNREAD
    try:
        return _in_zone(datetime.fromisoformat(folded.upper()))
    except ValueError:
        return None


def _read_rfc822(folded: str) -> Reading:
    """RFC 822 as in the site's RSS (``Fri, 13 Nov 2020 05:28:00 +0300``)."""
    if not _RFC822.fullmatch(folded):
        return UNREAD
    try:
        return _in_zone(parsedate_to_datetime(folded))
    except (TypeError, ValueError):
        return None


def _in_zone(when: datetime) -> datetime:
    return when.astimezone(ZONE) if when.tzinfo else when.replace(tzinfo=ZONE)


def _hour(hour: int, meridiem: str | None) -> int | None:
    """24-hour clock hour from a printed hour and a known AM/PM word, or None when impossible."""
    if meridiem is None:
        return hour if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if _MERIDIEM[meridiem] else 0)


def _fallback(folded: str) -> datetime | None:
    """dateparser, pinned to the site's languages, for forms outside the fast path; never fills a part."""
    parsed = _parser().get_date_data(folded)
    when: datetime | None = parsed.date_obj if parsed else None
    return _in_zone(when) if when else None


def warm_up() -> None:
    """Build the fallback parser now (dateparser loads its locale data on first use, ~0.1-1 s), so that no
    later call pays for it. The dates pipeline calls this when the crawl starts."""
    for sample in ("January 1, 2020 10:00 AM", "كانون الثاني 1، 2020 10:00 ص", "1 يناير 2020 10:00"):
        _parser().get_date_data(sample)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from dateparser.date import DateDataParser

    # ar-IQ: the Arabic locale that knows both the Iraqi/Levantine and the Egyptian month names.
    return DateDataParser(
        locales=["en", "ar-IQ"],
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": TIMEZONE,
            "PREFER_LOCALE_DATE_ORDER": False,
            "PARSERS": ["absolute-time", "timestamp"],
        },
    )


def isoformat(when: datetime | None) -> str | None:
    """ISO 8601 with offset, seconds kept: ``2016-12-19T23:27:00+03:00``; None stays None."""
    return when.isoformat() if when else None
