"""How The Baghdad Post prints times, and in which zone.

Story pages: ``Last Modified: Monday، 19 December 2016 11:27 PM`` (Template A, after the body), the same
without label above the title (Template B), ``آخر تحديث: الاثنين، 19 ديسمبر 2016 11:27 م`` (Arabic).
Listings: ``14 March 2019 02:51 PM`` / ``19 ديسمبر 2016 11:27 م``. The page header's visit day is no story date.
Arabic dates use Egyptian or Iraqi/Levantine month names, ASCII or Arabic-Indic digits, ص/م or صباحاً/مساءً.
Words are written plainly here; :func:`newscrawler.dates.fold` makes matching insensitive to case, hamza forms,
tatweel and tanween.
"""

from __future__ import annotations

#: IANA zone of every time the site prints (UTC+03:00 since 2008, with summer time before).
TIMEZONE = "Asia/Baghdad"

#: Labels printed before a story's date line.
DATE_LABELS = ("Last Modified", "Last Update", "Last Updated", "آخر تحديث", "اخر تحديث", "تاريخ التحديث")


def _numbered(names: str) -> dict[str, int]:
    """Month names in calendar order, numbered from 1."""
    return {name.replace("_", " "): n for n, name in enumerate(names.split(), 1)}


MONTHS: dict[str, int] = {
    **_numbered("january february march april may june july august september october november december"),
    **_numbered("jan feb mar apr may jun jul aug sep oct nov dec"),
    "sept": 9,
    # Egyptian names (transliterated Gregorian), then spelling variants seen in Arabic news.
    **_numbered("يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"),
    **{"إبريل": 4, "يونيه": 6, "يوليه": 7, "أغشت": 8},
    # Iraqi / Levantine (Syriac) names.
    **_numbered("كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول"),
}

WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split()
)

#: Words after the time: False for before noon, True for after.
MERIDIEM: dict[str, bool] = {
    **dict.fromkeys(("am", "a.m.", "ص", "صباحاً", "صباحا", "صباح"), False),
    **dict.fromkeys(("pm", "p.m.", "م", "مساءً", "مساء"), True),
}
