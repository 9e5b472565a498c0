"""The archive as the crawl state knows it: each exported story's day and section, stories per day with the
gaps (days without a story between busy days), stories per section."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from newscrawler.report.records import RecordSummary

#: A run of days without a story is a gap when the days on each side averaged at least this many stories.
BUSY_PER_DAY = 2.0
#: How many days on each side of a run of empty days are averaged.
GAP_WINDOW = 7


@dataclass(frozen=True)
class Story:
    edition: str
    story_id: int
    day: date | None
    section: str | None


@dataclass(frozen=True)
class Gap:
    """Days ``first``..``last`` of ``edition`` without a story; ``before``/``after``: stories per day around."""

    edition: str
    first: date
    last: date
    before: float
    after: float

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def day_of(timestamp: str | None) -> date | None:
    """The site's calendar day of an ISO 8601 time (its own offset kept), or None.

    >>> day_of("2020-11-13T23:30:00+03:00"), day_of(None), day_of("garbage")
    (datetime.date(2020, 11, 13), None, None)
    """
    try:
        return date.fromisoformat(timestamp[:10]) if timestamp else None
    except ValueError:
        return None


def stories_from_state(state: Path) -> list[Story]:
    """Every story the state file holds that was exported at least once (``version`` >= 1); section None where
    the state predates sections (see :func:`fill_sections`). Read-only: the file is never changed."""
    with closing(sqlite3.connect(f"file:{state}?mode=ro", uri=True)) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(stories)")}
        section = "section" if "section" in columns else "NULL"
        rows = db.execute(f"SELECT edition, story_id, listed_time, {section} FROM stories WHERE version >= 1")
        return [Story(ed, int(sid), day_of(listed), sec) for ed, sid, listed, sec in rows]


def stories_from_records(latest: dict[tuple[str, int], RecordSummary]) -> list[Story]:
    """The archive from exported records, when there is no crawl state (``NEWSCRAWLER_STATE=0``, the demo)."""
    return [Story(r.edition, r.story_id, day_of(r.published), r.section) for r in latest.values()]


def fill_sections(stories: list[Story], latest: dict[tuple[str, int], RecordSummary]) -> list[Story]:
    """Stories with the section their latest exported record names, where the state has none."""
    return [
        Story(s.edition, s.story_id, s.day, s.section or getattr(latest.get((s.edition, s.story_id)), "section", None))
        for s in stories
    ]


def per_day(stories: list[Story], edition: str) -> dict[date, int]:
    """Stories per day of one edition, every day from its first to its last included (0 for none)."""
    counts = Counter(s.day for s in stories if s.edition == edition and s.day is not None)
    if not counts:
        return {}
    first, last = min(counts), max(counts)
    return {first + timedelta(n): counts.get(first + timedelta(n), 0) for n in range((last - first).days + 1)}


def find_gaps(edition: str, daily: dict[date, int], busy: float = BUSY_PER_DAY, window: int = GAP_WINDOW) -> list[Gap]:
    """Runs of days without a story, inside the period, where the ``window`` days before and after each
    averaged at least ``busy`` stories a day.

    >>> days = {date(2020, 1, d): n for d, n in enumerate([5, 4, 0, 0, 6, 5, 0, 1, 0, 3], start=1)}
    >>> [(g.first.day, g.last.day, g.before, g.after) for g in find_gaps("en", days, busy=2, window=2)]
    [(3, 4, 4.5, 5.5)]
    """
    ordered = sorted(daily)
    counts = [daily[d] for d in ordered]
    gaps, start = [], None
    for index, count in enumerate(counts):
        if count == 0 and start is None:
            start = index
        if count != 0 and start is not None:
            before = counts[max(0, start - window) : start]
            after = counts[index : index + window]
            if start > 0 and min(_mean(before), _mean(after)) >= busy:
                gaps.append(Gap(edition, ordered[start], ordered[index - 1], _mean(before), _mean(after)))
            start = None
    return gaps


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def per_section(stories: list[Story]) -> dict[str, Counter[str]]:
    """Stories per section, by edition (``(unknown)`` where no section is known)."""
    result: dict[str, Counter[str]] = {}
    for story in stories:
        result.setdefault(story.edition, Counter())[story.section or "(unknown)"] += 1
    return result
