"""The listing phase of an archive crawl: captures of the wanted section and author pages give every story they
list its listed date (``datePublishedRaw``).

A story has its listed date when *any* capture of a listing lists it with a date; where captures disagree, the one
closest in time to the story's own capture wins. From local WARC files every good capture of every listing page is
read. From Wayback and Common Crawl, where each capture costs a polite replay, the latest good capture of each page
is read first; then, in rounds while stories stay undated, :func:`~newscrawler.spiders.listing_budget.next_round`
picks older captures, at most ``NEWSCRAWLER_LISTING_EXTRA_REPLAYS`` per 100 stories in the index
(``newscrawler/archive/listing_extra_replays``). A story no captured listing shows keeps the listed date the crawl
state remembers, else none (counted). A resumed run takes what the chain read
from :class:`~newscrawler.sources.progress.ListingProgress` instead of asking again
(``newscrawler/archive/listings_replayed``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newscrawler.baghdadpost import archive as site
from newscrawler.baghdadpost import listing
from newscrawler.baghdadpost.urls import StoryKey
from newscrawler.dates import isoformat, parse_timestamp
from newscrawler.sources.arguments import SourceArguments
from newscrawler.sources.captures import Capture
from newscrawler.sources.indexstore import CaptureIndex
from newscrawler.sources.progress import Listed, ListingProgress
from newscrawler.sources.requests import capture_request
from newscrawler.sources.selection import listing_candidates
from newscrawler.spiders.arguments import CrawlArguments
from newscrawler.spiders.listing_budget import closest, next_round, seen


class ListingDates:
    def __init__(
        self, crawler: Crawler, args: CrawlArguments, source: SourceArguments, progress: ListingProgress | None = None
    ) -> None:
        self.crawler, self.args, self.source, self.progress = crawler, args, source, progress
        self.stats = crawler.stats
        self.state: Any = getattr(crawler, "crawl_state", None)
        #: Per story: (time of a listing capture, the date it shows), one pair per distinct date.
        self.listed: dict[StoryKey, tuple[tuple[str, str | None], ...]] = {}
        #: Listing captures read or asked for (not asked for again in a later round).
        self.asked: set[tuple[str, str]] = set()
        self.extra_budget = crawler.settings.getfloat("NEWSCRAWLER_LISTING_EXTRA_REPLAYS", 50)
        self.extra = 0
        #: Stories listed by a wanted section's pages (for ``sections``).
        self.in_sections: set[StoryKey] = set()
        self.lost = 0

    def requests(self, index: CaptureIndex[StoryKey, site.ListingId]) -> Iterator[Request]:
        """Requests for the good captures of each wanted listing page (``sections``, ``max_pages``): every one from
        local files, else the latest (the next-latest when it fails)."""
        self._check_sections(index)
        read = self._replay()
        for key, captures in index.listings.items():  # in key order, one listing at a time
            if self._wanted(key, captures) and key not in read:
                candidates = listing_candidates(captures)
                if self.source.kind == "warc":
                    for capture in candidates:
                        yield from self._try(key, [capture])
                else:
                    yield from self._try(key, candidates)

    def more(self, index: CaptureIndex[StoryKey, site.ListingId]) -> list[Request]:
        """A further round of older listing captures for the stories still undated (remote sources, budgeted)."""
        budget = int(self.extra_budget * len(index.items) / 100) - self.extra
        if self.source.kind == "warc" or budget <= 0:
            return []
        undated = {k: min(c.timestamp for c in cs) for k, cs in index.items.items() if not self._dated(k)}
        pages = {k: listing_candidates(cs) for k, cs in index.listings.items() if self._wanted(k, cs)}
        picked = next_round(undated, pages, self.asked, min(budget, max(10, budget // 3)))
        self.extra += len(picked)
        self.stats.inc_value("newscrawler/archive/listing_extra_replays", len(picked))
        return [r for key, capture in picked for r in self._try(key, [capture])]

    def _replay(self) -> set[site.ListingId]:
        """Take in the listings the chain read (none without progress kept); return their keys."""
        keys = set()
        for name, rows in (self.progress.read() if self.progress is not None else {}).items():
            keys.add(site.ListingId(*json.loads(name)))
            for edition, story_id, url, timestamp, date_raw in rows:
                self._saw(site.ListingId(*json.loads(name)), StoryKey(edition, story_id), url, timestamp, date_raw)
        self.stats.inc_value("newscrawler/archive/listings_replayed", len(keys))
        return keys

    def listed_raw(self, key: StoryKey, near: str = "") -> str | None:
        """The date a listing shows for ``key`` (the listing capture closest in time to ``near``, a capture's
        timestamp, where they disagree; else the latest): from this run's captures, else as the crawl state has it."""
        if key in self.listed:
            return closest(self.listed[key], near)
        known = self.state.current(tuple(key)) if self.state is not None else None
        return known.listed_raw if known is not None else None

    def _dated(self, key: StoryKey) -> bool:
        return any(date for _, date in self.listed.get(key, ()))

    def _wanted(self, key: site.ListingId, captures: list[Capture]) -> bool:
        if self.args.max_pages is not None and key.page > self.args.max_pages:
            return False
        names = set().union(*(site.section_names(c.url) for c in captures))
        return key.kind == "author" or not self.args.sections or bool(names & self.args.sections)

    def _check_sections(self, index: CaptureIndex[StoryKey, site.ListingId]) -> None:
        found = set().union(*(site.section_names(c.url) for cs in index.listings.values() for c in cs))
        missing = self.args.sections - found
        if missing:
            names = ", ".join(sorted(missing))
            self.crawler.spider.logger.error("unknown section(s): %s (no capture of it in the archive)", names)  # type: ignore[union-attr]
            raise CloseSpider("unknown_section")

    def _try(self, key: site.ListingId, candidates: list[Capture]) -> Iterator[Request]:
        self.asked.update((c.timestamp, c.url) for c in candidates[:1])
        if candidates:
            meta = {"listing_key": key, "candidates": candidates[1:]}
            yield capture_request(candidates[0], self.source, self.on_listing, self.on_error, **meta)
        else:
            self.stats.inc_value("newscrawler/archive/listing_failed")

    def on_listing(self, response: Response) -> Iterator[Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            yield from self._try(response.meta["listing_key"], response.meta["candidates"])
            return
        timestamp, seen = response.meta["archive_capture"].timestamp, list[Listed]()
        for item in listing.listed_stories(response.selector, fallback=listing.counted_fallback(self.stats)):
            key = site.item_key(response.urljoin(item.href))
            if key is not None:
                seen.append((*key, response.urljoin(item.href), timestamp, item.date_raw))
                self._saw(response.meta["listing_key"], key, seen[-1][2], timestamp, item.date_raw)
        if self.progress is not None:
            self.progress.add(json.dumps(list(response.meta["listing_key"])), seen)

    def _saw(self, page: site.ListingId, key: StoryKey, url: str, timestamp: str, date_raw: str | None) -> None:
        if page.kind == "section":
            self.in_sections.add(key)
        self.listed[key] = seen(self.listed.get(key, ()), timestamp, date_raw)
        if self.state is not None:
            listed_time = isoformat(parse_timestamp(date_raw or ""))
            self.state.saw_listed(tuple(key), url, listed_time, date_raw)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        self.lost += 1
        meta = failure.request.meta  # type: ignore[attr-defined]
        yield from self._try(meta["listing_key"], meta["candidates"])
