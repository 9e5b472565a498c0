"""Spider ``baghdadpost``: edition home pages -> section listings (all pages) and author pages -> stories.

Routing only: every response goes through :meth:`parse`, which picks a handler by the URL's kind, so
``scrapy parse --spider baghdadpost <any site URL>`` works. Each story, identified by ``(edition, storyId)``,
is requested once, whatever link variant, slug or redirect leads to it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newscrawler.baghdadpost import listing
from newscrawler.baghdadpost.record import build_article, removal
from newscrawler.baghdadpost.story import parse_story
from newscrawler.baghdadpost.urls import (
    EDITIONS,
    HOST,
    StoryKey,
    canonical_of,
    describe,
    home_url,
    listing_page,
    onto_base,
    path_info,
    rebase,
    story_key,
)
from newscrawler.dates import isoformat, parse_timestamp
from newscrawler.items import Article, Removal
from newscrawler.outcomes import OutcomeLedger, outcome_ledger_of
from newscrawler.retries.reasons import failure_outcome, failure_reason
from newscrawler.retries.soft import soft_retry
from newscrawler.spiders.archive import ArchiveCrawl
from newscrawler.spiders.arguments import SPIDER_ARGUMENTS, ArgumentError, parse_arguments, state_scope
from newscrawler.spiders.listing_walks import ListingWalks
from newscrawler.spiders.sections import SectionCheck
from newscrawler.state.removals import exported_before, gone, utc_now


class BaghdadPostSpider(Spider):
    """Arguments (``-a``): ``edition`` (en, ar, all), ``sections`` (ids or slugs, comma-separated),
    ``since`` (stop paging a listing past this date), ``max_pages`` (per listing), ``base_url`` (a mirror),
    ``source`` (live, or an archive: wayback, commoncrawl, warc; see :mod:`newscrawler.spiders.archive`).

    The callbacks' contracts (``scrapy check -a base_url=...``, :mod:`newscrawler.contracts`) read pages of the
    bundled snapshot (``fixtures/site``) wherever ``base_url`` serves it."""

    name = "baghdadpost"
    walks: ListingWalks

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: The arguments as given, recorded in the run manifest.
        self.run_arguments = {k: str(kwargs.pop(k)) for k in SPIDER_ARGUMENTS if k in kwargs}
        self.args = parse_arguments(**self.run_arguments)
        #: Fetch every listed story (the incremental middleware lets everything through).
        self.full_crawl = self.args.full
        super().__init__(*args, **kwargs)
        self.allowed_domains = [urlsplit(self.args.base_url).hostname or ""]
        #: Whose crawl state this run uses: "" for the site itself, a mirror's host for a mirror or snapshot.
        self.state_scope = state_scope(self.args.base_url)
        self._requested: set[StoryKey] = set()
        self._homes_left = len(self.args.editions)
        self._sections = SectionCheck(self.args.sections)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.walks = ListingWalks(crawler)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        if self.args.source.is_archive:  # pages come from an archive's captures, not from following links
            self.archive = ArchiveCrawl(self)  # held here: signals keep only weak references to its handlers
            async for request in self.archive.start():
                yield request
            return
        for edition in self.args.editions:
            yield Request(home_url(self.args.base_url, edition), errback=self.on_home_error, dont_filter=True)

    @classmethod
    def page_url(cls, url: str, **arguments: str) -> str:
        """Where ``scrapy parse``/``scrapy check`` fetch ``url``, any URL of the site (canonical or a variant, or
        on the mirror ``base_url`` names); :class:`ArgumentError` (one line) for a URL on another host."""
        base_url = parse_arguments(**{k: v for k, v in arguments.items() if k in SPIDER_ARGUMENTS}).base_url
        target = onto_base(url, base_url)
        if target is None:
            raise ArgumentError(f"{url} is on neither {HOST} nor base_url {base_url}: give -a base_url= of its host")
        return target

    @staticmethod
    def describe_page(url: str) -> str:
        """What kind of page ``url`` is, in words (``scrapy parse`` says it of a page that gives no record)."""
        return describe(url)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request | Article]:
        """Route a response by the kind of page its URL names.

        @url https://www.thebaghdadpost.com/ar/Story/1208
        @on_base_url
        @returns items 1 1
        @scrapes canonicalUrl storyId edition inLanguage headline breadcrumbs
        @filled headline articleBodyParagraphs dateModifiedRaw mainImage imageCaption breadcrumbs
        @extracted_by site
        """
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
        """Follow the home page's links to the sections asked for.

        @url https://www.thebaghdadpost.com/en/
        @on_base_url
        @returns items 0 0
        @returns requests 2
        """
        edition = path_info(response.url).edition
        links = listing.section_links(response.selector, edition)
        if not links and (retry := self._retry_empty(response, "home")):
            yield retry
            return
        if edition not in self.args.editions and self._sections.missing():  # read to say where they are
            self._sections.saw_other_edition(links, edition)
            self._fail_sections()
        for link in links:
            if self._sections.wanted(link):
                yield self._follow(response, link.href)
        self._homes_left -= 1
        if self._homes_left == 0 and self._sections.missing():
            others = [e for e in EDITIONS if e not in self.args.editions]
            for other in others:
                yield Request(home_url(self.args.base_url, other), errback=self._fail_sections, dont_filter=True)
            if not others:
                self._fail_sections()

    def _fail_sections(self, failure: Failure | None = None) -> None:
        self.logger.error("%s", self._sections.message(self.args.editions))
        raise CloseSpider("unknown_section")

    def _retry_empty(self, response: TextResponse, kind: str) -> Request | None:
        """A home page linking no section or a listing listing no story is a soft error: the retry, or None
        (counted and logged) when its retries are used up and the page is taken as it is."""
        retry = soft_retry(response.request, self.crawler, f"empty_{kind}")
        if retry is None:
            self.crawler.stats.inc_value(f"newscrawler/listing_stopped/empty_{kind}")
            self.logger.warning("%s page with nothing on it, after retries: %s", kind, response.url)
        return retry

    def parse_listing(self, response: TextResponse) -> Iterator[Request]:
        """Request every listed story not requested yet; then the next page, unless past ``since``/``max_pages``,
        or the walk ends or stops early (:mod:`newscrawler.walks`, on this walk's own pages only).

        @url https://www.thebaghdadpost.com/en/Section/1/Iraq-News
        @on_base_url
        @returns items 0 0
        @returns requests 2
        @requests_with story_key listed_date listed_time
        @requests_with listing_next
        @no_stats newscrawler/extraction/generic_listing/
        """
        fallback = listing.counted_fallback(self.crawler.stats)
        items = listing.listed_stories(response.selector, fallback=fallback)
        if not items and (retry := self._retry_empty(response, path_info(response.url).kind)):
            yield retry
            return
        walk = self.walks.walk_of(response)
        walk.declare(listing.declared_last_page(response.selector, response.url))
        reached_since, listed = False, []
        self.crawler.stats.inc_value("newscrawler/listing_pages")
        for item in items:
            self.crawler.stats.inc_value("newscrawler/listed_stories")
            when = parse_timestamp(item.date_raw or "")
            if (key := story_key(item.href)) is not None:
                listed.append((key, isoformat(when)))
            if self.args.since and when and when < self.args.since:
                reached_since = True
                if key not in self._requested:
                    self._skip(key, "skipped:since")
                continue
            yield from self._story_request(response, item, isoformat(when))
        next_href = listing.next_page(response.selector, response.url, fallback=fallback)
        if reached_since or (self.args.max_pages is not None and listing_page(response.url) >= self.args.max_pages):
            return  # the user's arguments end the walk here
        if not next_href:
            self.walks.ended(walk, response.url)
        elif self.walks.goes_on(walk, response.url, response.urljoin(next_href), [k for k, _ in listed]):
            meta = {"listing_next": True, "walk": walk, "listed_on_page": listed}
            yield self._follow(response, next_href, meta=meta)

    def _story_request(self, response: Response, item: listing.ListedStory, listed: str | None) -> Iterator[Request]:
        key = story_key(item.href)
        if key is None or key in self._requested:
            return
        self._requested.add(key)
        self.outcomes.met(key)
        meta = {"story_key": key, "listed_date": item.date_raw, "listed_time": listed}
        yield self._follow(response, item.href, errback=self.on_story_error, meta=meta)

    def story_request(self, key: tuple[str, int], url: str | None, listed_raw: str | None) -> Request | None:
        """A request for a known story at its last URL (moved onto this crawl's base URL), unless already
        requested this run; the incremental middleware revisits old stories with it."""
        story = StoryKey(*key)
        if story in self._requested or not url or self.args.source.is_archive:
            return None
        self._requested.add(story)
        self.outcomes.met(story)
        meta = {"story_key": story, "listed_date": listed_raw, "revisit": True}
        target = self.args.base_url + urlsplit(url).path
        return Request(target, callback=self.parse, errback=self.on_story_error, meta=meta)

    def parse_story(self, response: TextResponse) -> Iterator[Request | Article]:
        """The story's record (and requests for its authors' pages).

        @url https://www.thebaghdadpost.com/en/Story/20131/Countdown-to-mullahs-belligerence-begins
        @on_base_url
        @returns items 1 1
        @scrapes url canonicalUrl storyId edition inLanguage headline authors breadcrumbs metadata
        @filled headline articleBodyParagraphs dateModifiedRaw mainImage imageCaption authors breadcrumbs
        @extracted_by site
        """
        key = response.meta.get("story_key") or story_key(response.url)
        page = parse_story(response.selector)
        if page is None and (retry := soft_retry(response.request, self.crawler, "not_a_story")):
            yield retry
            return
        if page is None or key is None:
            self._skip(key, "dropped:not_a_story")
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
            kwargs.setdefault("errback", self.on_listing_error)
            url = (canonical_of(url) or url) + ("?" + urlsplit(url).query if urlsplit(url).query else "")
        return Request(rebase(url, self.args.base_url), **kwargs)

    def on_story_error(self, failure: Failure) -> Iterator[Removal]:
        """Count a story that could not be fetched (deleted: 404), by reason, and log which: a WARNING when it
        failed (it may cost the story), INFO when it was dropped (the answer is final, such as a deleted story's); a
        story exported before and now answering 404/410 gets a deletion record (:mod:`newscrawler.state.removals`)."""
        reason, request = failure_reason(failure), failure.request  # type: ignore[attr-defined]
        key = request.meta.get("story_key")
        if key is not None and gone(reason) and exported_before(self.crawler, tuple(key)):
            self.crawler.stats.inc_value("newscrawler/removed")
            self.logger.info("story removed from the site (%s): %s", reason, request.url)
            yield removal(StoryKey(*key), request.url, utc_now())
            return
        outcome = failure_outcome(failure)
        self._skip(key, outcome)
        self.crawler.stats.inc_value(f"newscrawler/story_failed/{reason}")
        level = logging.WARNING if outcome.startswith("failed:") else logging.INFO
        self.logger.log(level, "story not fetched (%s): %s", reason, request.url)

    def on_listing_error(self, failure: Failure) -> None:
        """A listing or author page that failed after its retries: that walk stops, the run goes on (and fails);
        a page past the last its walk's pager declared that answers 404/410 is the listing's end (counted)."""
        reason = failure_reason(failure)
        if self.walks.past_end(failure.request, reason):  # type: ignore[attr-defined]
            return
        self.crawler.stats.inc_value(f"newscrawler/listing_failed/{reason}")
        self.logger.error("listing walk stopped, page not fetched (%s): %s", reason, failure.request.url)  # type: ignore[attr-defined]

    @property
    def outcomes(self) -> OutcomeLedger:
        return outcome_ledger_of(getattr(self, "crawler", None))

    def _skip(self, key: tuple[str, int] | None, outcome: str) -> None:
        """End a story met on a page (``key`` None: not a story URL) with ``outcome``."""
        if key is not None:
            self.outcomes.end(tuple(key), outcome)

    def on_home_error(self, failure: Failure) -> None:
        self.logger.error("cannot fetch %s: %s", failure.request.url, failure.getErrorMessage())  # type: ignore[attr-defined]
        raise CloseSpider("site_unreachable")
