"""A listing walk (the pages of one section or author listing, read one after another) and why it stops.

A walk stops only on evidence about its own pages, never on what other walks met: a story an author page, the
home page or another section already led to still counts as new to this walk. It **ends** at its listing's end
(no next page; an empty page) or where the user's arguments or the incremental known-stories streak stop it.
It **stops early**, a failure, when a guard ends it:

* ``pagination_loop``: the next page's number is not after this one, or a page lists exactly the stories one of
  the walk's earlier pages listed (the listing serves that page again under another number);
* ``repeated_stories``: ``NEWSCRAWLER_LISTING_STALE_PAGES`` pages in a row list only stories the walk's earlier
  pages listed (a listing serving old pages in another order; a live listing shifts by a few stories, never by
  whole pages in a row);
* ``max_listing_pages``: the hard cap, ``NEWSCRAWLER_MAX_LISTING_PAGES``;
* ``short_of_last_page``: the walk ended before the last page its pager declared.

Pure rules over page numbers and story keys; the site package says how pages are numbered and what a pager
declares. The spider counts early stops as ``newscrawler/walk_stopped_early/{reason}/{listing}``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

#: Reasons a guard stops a walk early (each a failure of the run).
EARLY_STOPS = ("pagination_loop", "repeated_stories", "max_listing_pages", "short_of_last_page")


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


def walk_stop(page: int, next_page: int, stale: int, repeated: bool, limits: WalkLimits) -> str | None:
    """Why the walk does not go on from ``page`` to ``next_page`` (``None``: it goes on). ``stale`` counts the
    pages in a row, this one included, that listed only stories the walk's earlier pages listed; ``repeated``:
    this page lists exactly what one of them did.

    >>> limits = WalkLimits(max_pages=10, stale_pages=3)
    >>> [walk_stop(2, 3, 0, False, limits), walk_stop(4, 1, 0, False, limits), walk_stop(4, 5, 0, True, limits)]
    [None, 'pagination_loop', 'pagination_loop']
    >>> [walk_stop(4, 5, 3, False, limits), walk_stop(10, 11, 0, False, limits)]
    ['repeated_stories', 'max_listing_pages']
    """
    if next_page <= page or repeated:
        return "pagination_loop"
    if stale >= limits.stale_pages:
        return "repeated_stories"
    if page >= limits.max_pages:
        return "max_listing_pages"
    return None


def ended_short(page: int, declared_last: int | None) -> bool:
    """True when a walk that ends at ``page`` ends before the last page its pager declared.

    >>> [ended_short(3, 45), ended_short(45, 45), ended_short(3, None)]
    [True, False, False]
    """
    return declared_last is not None and page < declared_last


@dataclass
class Walk:
    """One listing's walk so far, handed from page to page (the next page's request carries it): what its own
    pages listed, and the last page its pager declared (the latest page that declared one)."""

    listing: str
    digests: set[str] = field(default_factory=set)
    stories: set[Hashable] = field(default_factory=set)
    stale: int = 0
    declared_last: int | None = None

    def step(self, page: int, next_page: int, keys: list[Hashable], limits: WalkLimits) -> str | None:
        """Take in ``page``'s stories; why the walk stops here rather than going to ``next_page`` (or None)."""
        digest = page_digest(keys)
        repeated = digest in self.digests
        self.stale = self.stale + 1 if self.stories.issuperset(keys) else 0
        self.digests.add(digest)
        self.stories.update(keys)
        return walk_stop(page, next_page, self.stale, repeated, limits)

    def declare(self, last: int | None) -> None:
        """Note the last page a page's pager declares (None: this page declares none)."""
        if last is not None:
            self.declared_last = last
