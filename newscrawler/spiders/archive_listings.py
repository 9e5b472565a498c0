"""The listing phase of an archive crawl: the latest good capture of each wanted section and author page gives
every story it lists its listed date (``datePublishedRaw``); the latest listing capture that lists a story wins.
A story no captured listing shows keeps the listed date the crawl state remembers, else none (counted)."""

from __future__ import annotations

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
from newscrawler.sources.requests import capture_request
from newscrawler.sources.selection import listing_candidates
from newscrawler.spiders.arguments import CrawlArguments


class ListingDates:
    def __init__(self, crawler: Crawler, args: CrawlArguments, source: SourceArguments) -> None:
        self.crawler, self.args, self.source = crawler, args, source
        self.stats = crawler.stats
        self.state: Any = getattr(crawler, "crawl_state", None)
        #: Per story: (time of the listing capture, the date it shows).
        self.listed: dict[StoryKey, tuple[str, str | None]] = {}
        #: Stories listed by a wanted section's pages (for ``sections``).
        self.in_sections: set[StoryKey] = set()
        self.lost = 0

    def requests(self, index: CaptureIndex[StoryKey, site.ListingId]) -> Iterator[Request]:
        """Requests for the latest good capture of each wanted listing page (``sections``, ``max_pages``)."""
        self._check_sections(index)
        for key, captures in index.listings.items():  # in key order, one listing at a time
            if self._wanted(key, captures):
                yield from self._try(key, listing_candidates(captures))

    def listed_raw(self, key: StoryKey) -> str | None:
        """The date a listing shows for ``key``: from this run's captures, else as the crawl state has it."""
        if key in self.listed:
            return self.listed[key][1]
        known = self.state.current(tuple(key)) if self.state is not None else None
        return known.listed_raw if known is not None else None

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
        if candidates:
            meta = {"listing_key": key, "candidates": candidates[1:]}
            yield capture_request(candidates[0], self.source, self.on_listing, self.on_error, **meta)
        else:
            self.stats.inc_value("newscrawler/archive/listing_failed")

    def on_listing(self, response: Response) -> Iterator[Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            yield from self._try(response.meta["listing_key"], response.meta["candidates"])
            return
        timestamp = response.meta["archive_capture"].timestamp
        for item in listing.listed_stories(response.selector, fallback=listing.counted_fallback(self.stats)):
            key = site.item_key(response.urljoin(item.href))
            if key is not None:
                self._saw(key, response, item.href, timestamp, item.date_raw)

    def _saw(self, key: StoryKey, response: Response, href: str, timestamp: str, date_raw: str | None) -> None:
        if response.meta["listing_key"].kind == "section":
            self.in_sections.add(key)
        if key not in self.listed or self.listed[key][0] < timestamp:
            self.listed[key] = (timestamp, date_raw)
        if self.state is not None:
            listed_time = isoformat(parse_timestamp(date_raw or ""))
            self.state.saw_listed(tuple(key), response.urljoin(href), listed_time, date_raw)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        self.lost += 1
        meta = failure.request.meta  # type: ignore[attr-defined]
        yield from self._try(meta["listing_key"], meta["candidates"])
