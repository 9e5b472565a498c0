"""The report's and the stricter arguments' pure parts, as tables; the state file gaining its section column."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from newscrawler.helptext import plain
from newscrawler.report.archive import Story, find_gaps, per_day
from newscrawler.report.runs import flat_counts
from newscrawler.spiders.argnames import unknown_argument
from newscrawler.state.known import KnownStories
from newscrawler.state.store import StateStore, StoryState

START = date(2020, 10, 1)


def days(*counts: int) -> dict[date, int]:
    return {START + timedelta(n): c for n, c in enumerate(counts)}


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((5, 5, 5, 0, 5, 5, 5), [(3, 3)]),  # one empty day between busy days
        ((5, 5, 0, 0, 0, 5, 5), [(2, 4)]),  # three empty days: one gap
        ((1, 0, 1, 0, 0, 1, 0, 1), []),  # a sparse archive has no gaps
        ((5, 5, 0, 1, 1, 1, 0, 5, 5), []),  # empty days beside quiet ones are not gaps
        ((5, 5, 5, 0, 1, 1, 1, 1, 1, 1, 1), []),  # busy before, quiet after
        ((5, 5, 0, 5, 5, 0, 5, 5), [(2, 2), (5, 5)]),
        ((0, 5, 5), []),  # nothing before the first day: never a gap
        ((), []),
    ],
)
def test_find_gaps(counts: tuple[int, ...], expected: list[tuple[int, int]]) -> None:
    found = find_gaps("en", days(*counts), busy=2, window=3)
    assert [((g.first - START).days, (g.last - START).days) for g in found] == expected


def test_per_day_fills_the_period_with_zeros() -> None:
    stories = [Story("en", 1, START, None), Story("en", 2, START + timedelta(3), None), Story("ar", 3, START, None)]
    assert per_day(stories, "en") == days(1, 0, 0, 1)
    assert per_day(stories, "fr") == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"no_body": 2}, {"no_body": 2}),
        ({"dropped": {"no_body": 2}, "failed": {"http_404": 1}}, {"dropped/no_body": 2, "failed/http_404": 1}),
        ({"ok": True, "n": 1.0, "text": "x"}, {"n": 1}),
        (None, {}),
        ([1, 2], {}),
    ],
)
def test_flat_counts(value: object, expected: dict[str, int]) -> None:
    assert flat_counts(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ``newscrawler`` command", "The newscrawler command"),
        (":func:`~newscrawler.report.write_report` writes", "write_report writes"),
        (":class:`scrapy.Spider`", "scrapy.Spider"),
        ("see `Scrapy <https://scrapy.org>`_", "see Scrapy"),
        ("*every* and **all**", "every and all"),
        ("NAME=VALUE, 2 * 3, a_b", "NAME=VALUE, 2 * 3, a_b"),
    ],
)
def test_plain(text: str, expected: str) -> None:
    assert plain(text) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["edition", "sections"], None),
        (["_job", "_version"], None),
        (["bogus"], "unknown spider argument 'bogus'; known arguments: edition, sections, base_url"),
        (
            ["Edition"],
            "unknown spider argument 'Edition' (did you mean 'edition'?); known arguments: edition, sections, base_url",
        ),
        (
            ["baseurl"],
            "unknown spider argument 'baseurl' (did you mean 'base_url'?); known arguments: edition, sections, "
            "base_url",
        ),
    ],
)
def test_unknown_argument(names: list[str], expected: str | None) -> None:
    assert unknown_argument(names, ("edition", "sections", "base_url")) == expected


def test_older_state_file_gains_the_section_column(tmp_path: Path) -> None:
    """A state file written before sections were stored opens, keeps its rows, and stores sections from then on."""
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE stories (edition TEXT NOT NULL, story_id INTEGER NOT NULL, url TEXT, listed_time TEXT, "
            "listed_raw TEXT, date_modified TEXT, content_hash TEXT, first_seen TEXT NOT NULL, last_seen TEXT, "
            "last_checked TEXT, version INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (edition, story_id));"
            "INSERT INTO stories (edition, story_id, first_seen, version) VALUES ('en', 1, '2020-01-01T00:00:00Z', 1);"
        )
    store = StateStore(path)
    assert KnownStories(store.db)[("en", 1)] == StoryState("en", 1, first_seen="2020-01-01T00:00:00Z", version=1)
    store.stage("run", None, [StoryState("ar", 2, first_seen="x", version=1, section="إيران")])
    store.apply("run")
    assert KnownStories(store.db)[("ar", 2)].section == "إيران"
    store.close()
