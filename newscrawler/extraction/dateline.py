"""A story's date line: the first labelled date, or weekday-comma-time date, near the headline or the body's end.

News pages print many dates: the visit day in the header, each related or "Most Read" item's date, the story's
own line. The story's own line sits just above or below the headline, or just after the body, and is either
labelled (``Updated: …``) or written out with a weekday and a time (``Monday, 19 December 2016 11:27 PM``); the
other dates on a page are neither, or lie elsewhere. Site packages add their own labels and words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newscrawler.text import clean_text

#: Lines of text looked at before the headline and after the body's last paragraph.
REACH = 3
#: A date line is short.
MAX_LINE = 80
_DIGITS = {0x660 + i: str(i) for i in range(10)} | {0x6F0 + i: str(i) for i in range(10)}
_HAMZA = dict.fromkeys(map(ord, "أإآ"), "ا")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?!\d)")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*\S{1,8})?$")
#: Words a labelled date line may hold besides the date: "Posted on <date> by <name>".
_ON = re.compile(r"^(?:on|at)\s+", re.I)
_BYLINE = re.compile(r"\s+(?:by|بقلم)\s+", re.I)
_NUMERIC_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def fold(text: str) -> str:
    """Case, digits and hamza forms folded, for matching words.

    >>> fold("الإثنين ١٩")
    'الاثنين 19'
    """
    return text.translate(_DIGITS).translate(_HAMZA).casefold()


_ENGLISH_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat"
_ARABIC_WEEKDAYS = "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد"
_ENGLISH_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
#: Egyptian (Gregorian) names, then the Levantine ones (one word each: two-word ones share a first word).
_ARABIC_MONTHS = (
    "يناير فبراير مارس أبريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين"
)


@dataclass(frozen=True)
class DateForms:
    """What a date line may look like: labels before it, weekday and month names in it (English and Arabic by
    default; a site adds its own with :meth:`extended`)."""

    labels: tuple[str, ...] = (
        *("Last Modified", "Last Updated", "Updated", "Published", "Posted", "Date"),
        *("آخر تحديث", "تاريخ التحديث", "تاريخ النشر", "نشر في"),
    )
    weekdays: frozenset[str] = frozenset(map(fold, [*_ENGLISH_WEEKDAYS.split(), "sun", *_ARABIC_WEEKDAYS.split()]))
    months: frozenset[str] = frozenset(map(fold, _ENGLISH_MONTHS.split() + _ARABIC_MONTHS.split()))

    def extended(self, labels: Sequence[str], weekdays: Sequence[str], months: Sequence[str]) -> DateForms:
        """These forms plus a site's own labels and words."""
        return DateForms(
            (*labels, *self.labels),
            self.weekdays | {fold(w) for w in weekdays},
            self.months | {fold(m) for m in months},
        )

    def strip_label(self, line: str) -> tuple[bool, str]:
        """``(labelled, rest)``: whether ``line`` starts with a label (a whole word or words), and the text
        after it without a colon."""
        folded = fold(line)
        for label in _folded_labels(self.labels):
            if folded.startswith(label) and not folded[len(label) : len(label) + 1].isalpha():
                return True, line[len(label) :].strip().lstrip(":：").strip()
        return False, line

    def is_date(self, text: str) -> bool:
        """A year with a month (by name or in a numeric date)."""
        folded = fold(text)
        if not _YEAR.search(folded):
            return False
        return bool(_NUMERIC_DATE.search(folded) or _words_pattern(self.months).search(folded))

    def is_weekday_time(self, text: str) -> bool:
        """``Weekday, … HH:MM …``: a weekday, a comma, a date and a time."""
        match = re.match(r"([^\W\d_]+)\s*[,،]", fold(text))
        return bool(match and match[1] in self.weekdays and _TIME.search(text) and self.is_date(text))


@lru_cache(maxsize=8)
def _folded_labels(labels: tuple[str, ...]) -> list[str]:
    """Labels folded, longest first (a label that begins another is tried after it)."""
    return sorted({fold(label) for label in labels}, key=len, reverse=True)


@lru_cache(maxsize=8)
def _words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Any of ``words`` as a whole word (longest first)."""
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def find_date_line(lines: list[str], first: int, last: int, forms: DateForms) -> str | None:
    """The date line's text without its label (whitespace collapsed) among ``lines`` (page text lines in
    order), looked for from :data:`REACH` lines before line ``first`` (the headline) to as many after ``last``
    (the body's end); None when there is none. A label, date or time alone on its line is joined to the next."""
    window = [clean_text(line) for line in lines[max(0, first - REACH) : last + REACH + 1]]
    for i, line in enumerate(window):
        if not line or len(line) > MAX_LINE:
            continue
        labelled, rest = forms.strip_label(line)
        following = window[i + 1 :]
        if labelled and not rest and following:
            rest, following = following[0], following[1:]
        if following and _TIME_ONLY.match(following[0]) and not _TIME.search(rest):
            rest = f"{rest} {following[0]}"
        if (labelled and forms.is_date(rest)) or forms.is_weekday_time(rest):
            return _BYLINE.split(_ON.sub("", rest))[0] if labelled else rest
    return None
