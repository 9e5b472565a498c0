"""Spider routing for archive sources (``-a source=wayback|commoncrawl|warc``).

Three phases, each started when the crawl goes idle after the previous one:

1. **index**: every capture under the site's prefixes (:func:`~newscrawler.baghdadpost.archive.index_prefixes`),
   from CDX queries (only newer than the last published run's, with crawl state) or from the local WARC files,
   grouped by story and by listing page;
2. **listings**: listed dates from the listings' captures (:mod:`newscrawler.spiders.archive_listings`);
3. **stories**: per story, captures are tried latest first through the live crawl's own extraction
   (:func:`~newscrawler.baghdadpost.story.parse_story`, :func:`~newscrawler.baghdadpost.record.build_article`);
   redirects are followed inside the archive; the record's ``url`` is the capture's original URL. From local WARC
   files, worker processes read each story's first candidate and build its record ahead of the crawl
   (:mod:`newscrawler.spiders.archive_stories`, ``NEWSCRAWLER_REBUILD_WORKERS``); the phase's requests and
   callbacks are :mod:`newscrawler.spiders.archive_story_phase`'s.

Every story found in the index is announced, and every one that yields no record is accounted for, with the
signals of :mod:`newscrawler.sources.signals`.

A run that resumes one that did not finish (:mod:`newscrawler.state.resume`) replays the index pages and listing
captures the chain read (:mod:`newscrawler.sources.progress`) instead of asking again, and skips every story the
chain checked (``skipped:resumed``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response

from newscrawler.baghdadpost import archive as site
from newscrawler.baghdadpost.urls import StoryKey
from newscrawler.sources import revisits
from newscrawler.sources.ahead import Ahead, worker_count
from newscrawler.sources.captures import Capture
from newscrawler.sources.cursor import RunCursor, archive_id
from newscrawler.sources.feed import Feed
from newscrawler.sources.index import FAILED, IndexReader
from newscrawler.sources.indexstore import CaptureIndex
from newscrawler.sources.local import LocalAnswers
from newscrawler.sources.progress import IndexProgress, ListingProgress
from newscrawler.sources.warcfiles import WarcFileError
from newscrawler.spiders.archive_listings import ListingDates
from newscrawler.spiders.archive_stories import StoryJob, StoryRead, read_story
from newscrawler.spiders.archive_story_phase import LOCAL, CrawlingSpider, StoryPhase
from newscrawler.state.resume import RunChain

P = TypeVar("P")


class ArchiveCrawl(StoryPhase):
    """The three phases' routing; the story phase's requests and callbacks are :class:`StoryPhase`'s."""

    def __init__(self, spider: CrawlingSpider) -> None:
        self.spider, self.args, self.source = spider, spider.args, spider.args.source
        self.crawler, self.stats = spider.crawler, spider.crawler.stats
        self.state: Any = getattr(self.crawler, "crawl_state", None)
        self.index: CaptureIndex[StoryKey, site.ListingId] = CaptureIndex(StoryKey, site.ListingId, self._index_path())
        self.crawler.signals.connect(self._close_index, signals.spider_closed)
        self.listings = ListingDates(self.crawler, self.args, self.source, self._progress(ListingProgress))
        self.cursor = self._cursor()
        self.reader = IndexReader(
            self.add,
            self.source,
            site.index_prefixes(self.args.editions),
            site.is_site_page,
            self.stats,
            since=self.cursor.since if self.cursor else "",
            page_size=self.crawler.settings.getint("NEWSCRAWLER_CDX_PAGE_SIZE", 5000),
            progress=self._progress(IndexProgress) if self.source.kind == "wayback" else None,
        )
        self.phase = "index"
        #: Local WARC captures answered without the request cycle (off while the run writes a WARC of its fetches).
        warc_out = self.crawler.settings.getbool("NEWSCRAWLER_WARC")
        self.local = LocalAnswers(self.crawler) if self.source.kind == "warc" and not warc_out else None
        #: Story pages of local captures read ahead in worker processes (NEWSCRAWLER_REBUILD_WORKERS).
        self.ahead = self._ahead() if self.local is not None else None
        #: Why the crawl must stop (a WARC file that cannot be read), or "".
        self.failed = ""
        self.unresolved = revisits.Unresolved(self.stats, self.spider.logger)
        #: The story phase's requests, handed to the engine as the downloader asks for work.
        self.feed: Feed | None = None

    def _progress(self, kind: Callable[[RunChain], P]) -> P | None:
        """What the run reads, kept for a run that resumes it (with crawl state, from an index that is not local)."""
        return kind(self.state.chain) if self.state is not None and self.source.kind != "warc" else None

    def _ahead(self) -> Ahead[StoryJob, StoryRead | None]:
        ahead = Ahead(read_story, worker_count(self.crawler.settings.getint("NEWSCRAWLER_REBUILD_WORKERS", -1)))
        self.crawler.signals.connect(ahead.close, signals.spider_closed)
        return ahead

    def _index_path(self) -> Path | None:
        """Where the index is kept: beside the crawl state, or (None) in a temporary file."""
        state = getattr(self.crawler, "crawl_state", None)
        return state.store.path.with_suffix(".index.sqlite3") if state is not None else None

    def _close_index(self) -> None:
        self.index.close()
        path = self._index_path()
        if path is not None:
            path.unlink(missing_ok=True)

    def _cursor(self) -> RunCursor | None:
        if self.source.kind == "warc":
            return None
        index = self.source.cdx_url if self.source.kind == "wayback" else self.source.cc_index_url
        archive = archive_id(self.source.kind, index, self.source.crawls, self.args.editions)
        return RunCursor(self.crawler, archive, self.spider.full_crawl)

    async def start(self) -> AsyncIterator[Request]:
        self.crawler.signals.connect(self.on_idle, signals.spider_idle)
        if self.source.kind == "warc":
            try:
                await asyncio.to_thread(self.reader.read_files)
            except WarcFileError as error:
                self.spider.logger.error("%s", error)
                self.failed = FAILED
        for request in self.reader.start_requests():
            yield request

    def add(self, capture: Capture) -> None:
        """Keep one capture from the index, if it is a page of a wanted edition."""
        item, page = site.item_key(capture.url), site.listing_id(capture.url)
        edition = item.edition if item else page.edition if page else None
        if edition in self.args.editions:
            self.index.add(capture, item, page)

    def on_idle(self) -> None:
        """Start the next phase; the spider closes when the story phase has nothing left."""
        if self.failed:
            raise CloseSpider(self.failed)
        if self.phase == "stories":
            if self.feed is not None and not self.feed.spent:
                self.feed.top_up()
                raise DontCloseSpider
            self._close_cursor()
            return
        if self.phase == "listings" and (more := self.listings.more(self.index)):
            for request in more:  # older listing captures for stories still undated (remote sources)
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
        if self.phase == "index":
            self.index.finish()
        self.phase = "listings" if self.phase == "index" else "stories"
        if self.phase == "stories" and self.state is not None:
            self.state.commit_observations()  # the listings' findings: no record is written before the story phase
        if self.local is None and self.phase == "stories":
            # as many story requests wait as the downloader takes at once (each may lead to a few more)
            waiting = max(1, self.crawler.settings.getint("CONCURRENT_REQUESTS"))
            self.feed = Feed(self.crawler, self._story_feed(), waiting)
            self.feed.top_up()
            raise DontCloseSpider
        if self.local is not None:  # one callback reads the phase's captures from the files
            callback = self._local_listings if self.phase == "listings" else self._local_stories
            requests = [Request("data:,", callback=callback, dont_filter=True, meta=LOCAL)]
        else:
            requests = list(self._listing_requests())
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _listing_requests(self) -> Iterator[Request]:
        self.stats.set_value("newscrawler/archive/stories_in_index", len(self.index.items))
        self.stats.set_value("newscrawler/archive/captures", self.index.items.captures())
        self.stats.set_value("newscrawler/listed_stories", self._stories_in_archive())
        yield from self.listings.requests(self.index)

    def _local_listings(self, response: Response) -> Iterator[Request]:
        """The listing phase of a local WARC rebuild: requests only for the captures not answered here."""
        assert self.local is not None
        for request in self._while_running(self._listing_requests()):
            answer = self.local.answer(request)
            yield from [request] if answer is None else self.listings.on_listing(answer)

    def _stories_in_archive(self) -> int:
        """What the monitors count as listed: the stories in the index, and on an incremental run (asking only
        for newer captures) the stories earlier runs found there."""
        state = getattr(self.crawler, "crawl_state", None)
        if self.cursor is None or not self.cursor.since or state is None:
            return len(self.index.items)
        known = state.known
        return len(known) + sum(1 for key, _ in self.index.items.counts() if tuple(key) not in known)

    def _close_cursor(self) -> None:
        if self.cursor is not None:
            self.cursor.newest, self.cursor.lost = self.index.newest, self.cursor.lost + self.listings.lost
