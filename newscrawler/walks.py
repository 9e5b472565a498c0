"""When a paginated listing walk stops on its own: pages that loop back, repeat, or run on without new stories.

Pure rules over page numbers and counts (the site package says how pages are numbered). Settings:
``NEWSCRAWLER_MAX_LISTING_PAGES`` (hard cap per walk) and ``NEWSCRAWLER_LISTING_STALE_PAGES`` (consecutive pages
that list no story not already met this run). Counted as ``newscrawler/listing_stopped/{reason}``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class WalkLimits:
    max_pages: int = 1000
    stale_pages: int = 5


def page_digest(keys: Iterable[object]) -> str:
    """A short digest of the stories a page lists, to recognise a page served again under another number.

    >>> page_digest([("en", 2), ("en", 1)]) == page_digest([("en", 1), ("en", 2)])
    True
    """
    return hashlib.sha1(repr(sorted(map(repr, keys))).encode()).hexdigest()[:16]


def walk_stop(page: int, next_page: int, stale: int, digest: str, seen: list[str], limits: WalkLimits) -> str | None:
    """Why the walk does not go on from ``page`` to ``next_page`` (``None``: it goes on). ``stale`` counts the
    pages in a row, this one included, that listed no new story; ``seen`` holds the digests of the walk's earlier
    pages: a page listing what an earlier one did is the walk coming round again.

    >>> limits = WalkLimits(max_pages=10, stale_pages=3)
    >>> [walk_stop(2, 3, 0, "b", ["a"], limits), walk_stop(4, 1, 0, "b", ["a"], limits)]
    [None, 'pagination_loop']
    >>> walk_stop(4, 5, 0, "a", ["a", "b", "c"], limits)
    'pagination_loop'
    >>> [walk_stop(4, 5, 3, "b", ["a"], limits), walk_stop(10, 11, 0, "b", ["a"], limits)]
    ['no_new_stories', 'max_listing_pages']
    """
    if next_page <= page or digest in seen:
        return "pagination_loop"
    if stale >= limits.stale_pages:
        return "no_new_stories"
    if page >= limits.max_pages:
        return "max_listing_pages"
    return None
