"""The live spider's listing walks: each listing page read hands its :class:`~newscrawler.walks.Walk` on to the
next page's request (``meta["walk"]``); a walk a guard stops early is counted by reason and listing
(``newscrawler/walk_stopped_early/{reason}/{listing}``, and by reason alone as
``newscrawler/listing_stopped/{reason}``) and logged as an error: the monitor "listing walks stopped early"
fails the run."""

from __future__ import annotations

import logging
from collections.abc import Hashable

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawler.baghdadpost.listing import walk_name
from newscrawler.baghdadpost.urls import listing_page
from newscrawler.walks import Walk, WalkLimits, ended_short

logger = logging.getLogger(__name__)
#: Stats prefix of walks stopped early, by ``{reason}/{listing}``.
EARLY_STOP_STAT = "newscrawler/walk_stopped_early/"


class ListingWalks:
    """Walk bookkeeping for a spider: limits from the settings, counts into the crawler's stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits = WalkLimits(
            crawler.settings.getint("NEWSCRAWLER_MAX_LISTING_PAGES", 1000),
            crawler.settings.getint("NEWSCRAWLER_LISTING_STALE_PAGES", 5),
        )

    @staticmethod
    def walk_of(response: Response) -> Walk:
        """The walk ``response`` is a page of: handed on by the previous page, or a new one on a first page."""
        walk = response.meta.get("walk")
        return walk if isinstance(walk, Walk) else Walk(walk_name(response.url))

    def goes_on(self, walk: Walk, url: str, next_url: str, keys: list[Hashable]) -> bool:
        """Take in the page at ``url`` listing ``keys``; True when the walk goes on to ``next_url``."""
        stop = walk.step(listing_page(url), listing_page(next_url), keys, self.limits)
        if stop is not None:
            self.stopped_early(walk, stop, url)
        return stop is None

    def ended(self, walk: Walk, url: str) -> None:
        """The walk ended at ``url`` (no next page): flagged when its pager declared more pages."""
        if ended_short(listing_page(url), walk.declared_last):
            self.stopped_early(walk, "short_of_last_page", url)

    def past_end(self, request: Request, reason: str) -> bool:
        """True (counted as ``newscrawler/listing_ended/{reason}``) when a listing page that could not be fetched
        for ``reason`` lies past the last page its walk's pager declared and answered 404/410: the listing's end."""
        walk = request.meta.get("walk")
        if reason not in ("http_404", "http_410") or not isinstance(walk, Walk) or walk.declared_last is None:
            return False
        if listing_page(request.url) <= walk.declared_last:
            return False
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/listing_ended/{reason}")
        logger.info("listing walk %s ended: %s past its last page answers %s", walk.listing, request.url, reason)
        return True

    def stopped_early(self, walk: Walk, reason: str, url: str) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"newscrawler/listing_stopped/{reason}")
            stats.inc_value(f"{EARLY_STOP_STAT}{reason}/{walk.listing}")
        detail = f", its pager declares {walk.declared_last} pages" if reason == "short_of_last_page" else ""
        logger.error("listing walk %s stopped early (%s) at %s%s", walk.listing, reason, url, detail)
