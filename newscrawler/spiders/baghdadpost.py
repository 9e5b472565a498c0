"""Spider ``baghdadpost``: edition home pages -> section listings (all pages) and author pages -> stories.

Routing only: every response goes through :meth:`parse`, which picks a handler by the URL's kind, so
``scrapy parse --spider baghdadpost <any site URL>`` works. Each story, identified by ``(edition, storyId)``,
is requested once, whatever link variant, slug or redirect leads to it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newscrawler.baghdadpost import listing
from newscrawler.baghdadpost.record import build_article
from newscrawler.baghdadpost.story import parse_story
from newscrawler.baghdadpost.urls import (
    StoryKey,
    canonical_of,
    home_url,
    listing_page,
    path_info,
    rebase,
    story_key,
)
from newscrawler.dates import isoformat, parse_timestamp
from newscrawler.items import Article
from newscrawler.spiders.archive import ArchiveCrawl
from newscrawler.spiders.arguments import SPIDER_ARGUMENTS, parse_arguments


class BaghdadPostSpider(Spider):
    """Arguments (``-a``): ``edition`` (en, ar, all), ``sections`` (ids or slugs, comma-separated),
    ``since`` (stop paging a listing past this date), ``max_pages`` (per listing), ``base_url`` (a mirror),
    ``source`` (live, or an archive: wayback, commoncrawl, warc; see :mod:`newscrawler.spiders.archive`)."""

    name = "baghdadpost"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: The arguments as given, recorded in the run manifest.
        self.run_arguments = {k: str(kwargs.pop(k)) for k in SPIDER_ARGUMENTS if k in kwargs}
        self.args = parse_arguments(**self.run_arguments)
        #: Fetch every listed story (the incremental middleware lets everything through).
        self.full_crawl = self.args.full
        super().__init__(*args, **kwargs)
        self.allowed_domains = [urlsplit(self.args.base_url).hostname or ""]
        self._requested: set[StoryKey] = set()
        self._homes_left = len(self.args.editions)
        self._sections_found: set[str] = set()

    async def start(self) -> AsyncIterator[Request]:
        if self.args.source.is_archive:  # pages come from an archive's captures, not from following links
            self.archive = ArchiveCrawl(self)  # held here: signals keep only weak references to its handlers
            async for request in self.archive.start():
                yield request
            return
        for edition in self.args.editions:
            yield Request(home_url(self.args.base_url, edition), errback=self.on_home_error, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request | Article]:
        """Route a response by the kind of page its URL names."""
        kind = path_info(response.url).kind
        if not isinstance(response, TextResponse):
            return
        if kind == "home":
            yield from self.parse_home(response)
        elif kind in ("section", "author"):
            yield from self.parse_listing(response)
        elif kind == "story":
            yield from self.parse_story(response)

    def parse_home(self, response: TextResponse) -> Iterator[Request]:
        edition = path_info(response.url).edition
        for link in listing.section_links(response.selector, edition):
            if self._wanted_section(link):
                yield self._follow(response, link.href)
        self._homes_left -= 1
        missing = self.args.sections - self._sections_found
        if self._homes_left == 0 and missing:
            self.logger.error(
                "unknown section(s): %s (not linked from any edition's home page)", ", ".join(sorted(missing))
            )
            raise CloseSpider("unknown_section")

    def _wanted_section(self, link: listing.SectionLink) -> bool:
        names = {str(link.section_id), link.slug.lower()}
        self._sections_found |= names & self.args.sections
        return not self.args.sections or bool(names & self.args.sections)

    def parse_listing(self, response: TextResponse) -> Iterator[Request]:
        """Request every listed story not requested yet; then the next page, unless past ``since``/``max_pages``."""
        reached_since = False
        for item in listing.listed_stories(response.selector):
            self.crawler.stats.inc_value("newscrawler/listed_stories")
            when = parse_timestamp(item.date_raw or "")
            if self.args.since and when and when < self.args.since:
                reached_since = True
                continue
            yield from self._story_request(response, item, isoformat(when))
        next_href = listing.next_page(response.selector, response.url)
        pages = listing_page(response.url)
        if next_href and not reached_since and (self.args.max_pages is None or pages < self.args.max_pages):
            yield self._follow(response, next_href, meta={"listing_next": True})

    def _story_request(self, response: Response, item: listing.ListedStory, listed: str | None) -> Iterator[Request]:
        key = story_key(item.href)
        if key is None or key in self._requested:
            return
        self._requested.add(key)
        meta = {"story_key": key, "listed_date": item.date_raw, "listed_time": listed}
        yield self._follow(response, item.href, errback=self.on_story_error, meta=meta)

    def story_request(self, key: tuple[str, int], url: str | None, listed_raw: str | None) -> Request | None:
        """A request for a known story at its last URL (moved onto this crawl's base URL), unless already
        requested this run; the incremental middleware revisits old stories with it."""
        story = StoryKey(*key)
        if story in self._requested or not url or self.args.source.is_archive:
            return None
        self._requested.add(story)
        meta = {"story_key": story, "listed_date": listed_raw, "revisit": True}
        target = self.args.base_url + urlsplit(url).path
        return Request(target, callback=self.parse, errback=self.on_story_error, meta=meta)

    def parse_story(self, response: TextResponse) -> Iterator[Request | Article]:
        key = response.meta.get("story_key") or story_key(response.url)
        page = parse_story(response.selector)
        if page is None or key is None:
            self.crawler.stats.inc_value("newscrawler/dropped/not_a_story")
            self.logger.warning("not a story page, dropped: %s", response.url)
            return
        for _, href in page.authors:
            yield self._follow(response, href)
        yield build_article(page, key, response.url, self.args.base_url, response.meta.get("listed_date"))

    def _follow(self, response: Response, href: str, **kwargs: Any) -> Request:
        """A request for a link, on the crawl's base URL; sections and authors in canonical form."""
        url = response.urljoin(href)
        if path_info(url).kind in ("section", "author"):
            url = (canonical_of(url) or url) + ("?" + urlsplit(url).query if urlsplit(url).query else "")
        return Request(rebase(url, self.args.base_url), **kwargs)

    def on_story_error(self, failure: Failure) -> None:
        """Count a story that could not be fetched (deleted: 404), by reason, and log which."""
        reason = _failure_reason(failure)
        self.crawler.stats.inc_value(f"newscrawler/story_failed/{reason}")
        self.logger.warning("story not fetched (%s): %s", reason, failure.request.url)  # type: ignore[attr-defined]

    def on_home_error(self, failure: Failure) -> None:
        self.logger.error("cannot fetch %s: %s", failure.request.url, failure.getErrorMessage())  # type: ignore[attr-defined]
        raise CloseSpider("site_unreachable")


def _failure_reason(failure: Failure) -> str:
    response = getattr(failure.value, "response", None)
    return f"http_{response.status}" if response is not None else type(failure.value).__name__
