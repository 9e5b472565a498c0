"""Listed dates across many listing captures: which date a story keeps, and which older captures to replay next.

Real archives capture page 1 of a section often and deeper pages and author pages rarely, so a story's only listing
may be an old capture of a deep page, or a page captured before the story was deleted. Stories are captured soon
after they appear, and a listing shows a story from its publication until newer stories push it off the last page:
the captures of a listing page just before and just after a story's first capture are the likeliest to list it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

from newscrawler.sources.captures import Capture

K = TypeVar("K", bound=Hashable)
L = TypeVar("L", bound=Hashable)
Seen = tuple[tuple[str, str | None], ...]


def seen(known: Seen, timestamp: str, date: str | None) -> Seen:
    """``known`` (listing capture time, date shown; one pair per distinct date) with one more sighting: a date
    replaces "listed without a date"; a date already known keeps its pair.

    >>> seen(seen(seen((), "2020", None), "2021", "1 May"), "2022", "1 May")
    (('2021', '1 May'),)
    """
    if date is None:
        return known or ((timestamp, None),)
    if any(d == date for _, d in known):
        return known
    return (*(pair for pair in known if pair[1] is not None), (timestamp, date))


def closest(known: Seen, near: str) -> str | None:
    """The date shown by the listing capture closest in time to ``near`` (a 14-digit timestamp; "" for the latest).

    >>> closest((("20201101000000", "1 May"), ("20201120000000", "2 May")), "20201118000000")
    '2 May'
    >>> closest((("20201101000000", "1 May"), ("20201120000000", "2 May")), "")
    '2 May'
    """
    if len(known) == 1 or not near:
        return max(known)[1]
    return min(known, key=lambda pair: (abs(_seconds(pair[0]) - _seconds(near)), pair[0]))[1]


def next_round(
    undated: Mapping[K, str], pages: Mapping[L, list[Capture]], asked: set[tuple[str, str]], budget: int
) -> list[tuple[L, Capture]]:
    """Up to ``budget`` listing captures not yet asked for, those neighbouring (just before or just after) the
    first captures of the most undated stories first. ``undated``: story -> its first capture's timestamp;
    ``pages``: listing page -> its good captures.

    >>> page = [Capture(t, f"u{t}", 200, "text/html") for t in ("2020", "2019", "2018", "2017")]
    >>> undated = {"a": "2018", "b": "2018", "c": "2016"}
    >>> [c.timestamp for _, c in next_round(undated, {"p": page}, {("2020", "u2020")}, 2)]
    ['2017', '2018']
    """
    votes: Counter[tuple[L, Capture]] = Counter()
    for key, captures in pages.items():
        fresh = sorted(c for c in captures if (c.timestamp, c.url) not in asked)
        times = [c.timestamp for c in fresh]
        for first in undated.values():
            at = bisect_left(times, first)
            votes.update((key, c) for c in fresh[max(at - 1, 0) : at + 1])
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0][1].timestamp))
    return [pick for pick, _ in ranked[: max(budget, 0)]]


def _seconds(timestamp: str) -> int:
    """A 14-digit timestamp as a number that orders and subtracts like seconds, closely enough to compare gaps."""
    padded = (timestamp + "00000000000000")[:14]
    year, month, day = int(padded[:4]), int(padded[4:6]), int(padded[6:8])
    hour, minute, second = int(padded[8:10]), int(padded[10:12]), int(padded[12:14])
    return ((((year * 12 + month) * 31 + day) * 24 + hour) * 60 + minute) * 60 + second
