"""``parse_timestamp``: every form the site prints, in both editions, and texts that must give None.

The whole table also runs under other machine time zones (``test_table_under_other_time_zones``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newscrawler.dates import parse_timestamp

EGYPTIAN = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
IRAQI = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

VALID = [
    ("Last Modified: Monday، 19 December 2016 11:27 PM", "2016-12-19T23:27:00+03:00"),
    ("Last Modified: Tuesday، 16 July 2019 04:37 PM", "2019-07-16T16:37:00+03:00"),
    ("Wednesday، 22 April 2020 12:02 AM", "2020-04-22T00:02:00+03:00"),
    ("14 March 2019 02:51 PM", "2019-03-14T14:51:00+03:00"),
    ("18 July 2019 07:31 PM", "2019-07-18T19:31:00+03:00"),
    ("  \n Last Modified:   Monday،  19 December 2016   11:27 PM \t", "2016-12-19T23:27:00+03:00"),
    ("last modified: monday، 19 december 2016 11:27 pm", "2016-12-19T23:27:00+03:00"),
    ("Monday, 19 December 2016 11:27 PM", "2016-12-19T23:27:00+03:00"),
    ("19 December 2016 12:00 AM", "2016-12-19T00:00:00+03:00"),
    ("19 December 2016 12:00 PM", "2016-12-19T12:00:00+03:00"),
    ("19 December 2016 12:59 AM", "2016-12-19T00:59:00+03:00"),
    ("29 February 2020 11:59 PM", "2020-02-29T23:59:00+03:00"),
    ("01 July 2005 10:00 AM", "2005-07-01T10:00:00+04:00"),  # Iraq kept summer time until 2007
    ("01 January 2005 10:00 AM", "2005-01-01T10:00:00+03:00"),
    ("19\u00a0December\u00a02016\u00a011:27\u00a0PM", "2016-12-19T23:27:00+03:00"),
    ("\u200f19 December 2016 11:27 PM\u200e", "2016-12-19T23:27:00+03:00"),
    ("آخر تحديث: الاثنين، 19 ديسمبر 2016 11:27 م", "2016-12-19T23:27:00+03:00"),
    ("آخر تحديث: الإثنين، 19 كانون الأول 2016 11:27 م", "2016-12-19T23:27:00+03:00"),
    ("الأحد، ٢٤ أيار ٢٠٢٠ ٠٦:٣٣ ص", "2020-05-24T06:33:00+03:00"),
    ("19 ديسمبر 2016 11:27 م", "2016-12-19T23:27:00+03:00"),
    ("١٩ ديسمبر ٢٠١٦ ١١:٢٧ مساءً", "2016-12-19T23:27:00+03:00"),
    ("19 ديسمبر 2016 11:27 صباحاً", "2016-12-19T11:27:00+03:00"),
    ("19 ديسمبر 2016 11:27 مساء", "2016-12-19T23:27:00+03:00"),
    ("19 ديسمبر 2016 12:05 ص", "2016-12-19T00:05:00+03:00"),
    ("19 ديسمبر 2016 12:05 م", "2016-12-19T12:05:00+03:00"),
    ("\u200fآخر تحديث:\u00a0\u200fالأحد،\u061c 04 ديسمبر 2016 11:08 ص\u200f", "2016-12-04T11:08:00+03:00"),
    ("٢٩ شباط ٢٠٢٠ ١١:٥٩ م", "2020-02-29T23:59:00+03:00"),
    ("آخر تحديث: السبت، 24 كانون الأول 2016 01:53 م", "2016-12-24T13:53:00+03:00"),
    ("19 December 2016 23:27", "2016-12-19T23:27:00+03:00"),
    # outside the fast path: dateparser, pinned to the site's languages
    ("December 19, 2016 11:27 PM", "2016-12-19T23:27:00+03:00"),
    ("2016-12-19 23:27", "2016-12-19T23:27:00+03:00"),
    ("Fri, 13 Nov 2020 05:28:00 +0300", "2020-11-13T05:28:00+03:00"),
    ("Fri, 13 Nov 2020 02:28:00 GMT", "2020-11-13T05:28:00+03:00"),
    ("19 كانون الأول 2016 23:27:05", "2016-12-19T23:27:05+03:00"),
    ("كانون الثاني 19، 2016 11:27 م", "2016-01-19T23:27:00+03:00"),
    ("2016-02-19T23:27:00+00:00", "2016-02-20T02:27:00+03:00"),
]
VALID += [
    (f"1{n % 9} {name} 2019 0{n % 9 + 1}:15 ص", f"2019-{n:02d}-1{n % 9}T0{n % 9 + 1}:15:00+03:00")
    for n, name in enumerate(EGYPTIAN, 1)
]
VALID += [
    (
        f"الخميس، 1{n % 9} {name} 2018 0{n % 9 + 1}:45 م".translate(INDIC),
        f"2018-{n:02d}-1{n % 9}T{n % 9 + 13:02d}:45:00+03:00",
    )
    for n, name in enumerate(IRAQI, 1)
]

INVALID = [
    "",
    " ",
    "N/A",
    "n/a",
    "-",
    "0",
    "None",
    "null",
    "TBD",
    "Today",
    "yesterday",
    "Last Modified:",
    "آخر تحديث:",
    "19 December 2016",  # date only
    "Wednesday, 22 April 2020",  # the header's visit day: no time
    "11:27 PM",  # time only
    "12 PM",
    "December 2016",
    "December 2016 11:27 PM",  # month and year
    "31 June 2019 10:00 AM",  # impossible date
    "29 February 2019 10:00 AM",  # not a leap year
    "19 December 2016 13:27 PM",  # impossible hour with PM
    "19 December 2016 00:27 AM",
    "19 December 2016 11:75 PM",
    "19 December 2016 24:00",
    "19 Decembruary 2016 11:27 PM",
    "32 ديسمبر 2016 11:27 م",
    "19 ديسمبر 11:27 م",
    "آخر تحديث",
    "Last Modified: soon",
    "Breaking: 12 killed in 2019 attack at 11:27",
    "x" * 10_000,
    "19 December 2016 11:27 PM " * 50,
    "<div class='date'>19 December 2016 11:27 PM</div>",
    "١٩/١٢",
    "2016",
    "11:27",
]


@pytest.mark.parametrize(("text", "iso"), VALID)
def test_table_valid(text: str, iso: str) -> None:
    parsed = parse_timestamp(text)
    assert parsed is not None and parsed.isoformat() == iso
    assert str(getattr(parsed.tzinfo, "key", "")) == "Asia/Baghdad"


@pytest.mark.parametrize("text", INVALID)
def test_table_none(text: str) -> None:
    assert parse_timestamp(text) is None


def test_table_sizes() -> None:
    assert len(INVALID) >= 25 and len(VALID) >= 50


@pytest.mark.skipif(os.environ.get("NEWSCRAWLER_TZ_CHILD") == "1", reason="already in a child run")
@pytest.mark.parametrize("zone", ["UTC", "Asia/Riyadh", "America/New_York"])
def test_table_under_other_time_zones(zone: str) -> None:
    env = {**os.environ, "TZ": zone, "NEWSCRAWLER_TZ_CHILD": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k", "table"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
