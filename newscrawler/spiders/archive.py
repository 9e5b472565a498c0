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
   (:mod:`newscrawler.spiders.archive_stories`, ``NEWSCRAWLER_REBUILD_WORKERS``).

Every story found in the index is announced, and every one that yields no record is accounted for, with the
signals of :mod:`newscrawler.sources.signals`.

A run that resumes one that did not finish (:mod:`newscrawler.state.resume`) replays the index pages and listing
captures the chain read (:mod:`newscrawler.sources.progress`) instead of asking again, and skips every story the
chain checked (``skipped:resumed``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawler.baghdadpost import archive as site
from newscrawler.baghdadpost.record import removal
from newscrawler.baghdadpost.urls import StoryKey
from newscrawler.dates import parse_timestamp
from newscrawler.items import Article, Removal
from newscrawler.outcomes import archive_outcome
from newscrawler.sources import revisits
from newscrawler.sources import signals as source_signals
from newscrawler.sources.ahead import Ahead, worker_count
from newscrawler.sources.captures import Capture, latest_first
from newscrawler.sources.cursor import RunCursor, archive_id
from newscrawler.sources.feed import Feed
from newscrawler.sources.index import FAILED, IndexReader
from newscrawler.sources.indexstore import CaptureIndex
from newscrawler.sources.local import LocalAnswers
from newscrawler.sources.progress import IndexProgress, ListingProgress
from newscrawler.sources.requests import capture_request
from newscrawler.sources.selection import index_reason, item_candidates
from newscrawler.sources.warcfiles import WarcFileError
from newscrawler.spiders.archive_listings import ListingDates
from newscrawler.spiders.archive_stories import StoryJob, StoryPlan, StoryRead, provenance, read_story, story_record
from newscrawler.spiders.arguments import CrawlArguments
from newscrawler.state.removals import exported_before, gone
from newscrawler.state.resume import RunChain


class CrawlingSpider(Protocol):
    """What an archive crawl asks of its spider (:class:`~newscrawler.spiders.baghdadpost.BaghdadPostSpider`)."""

    args: CrawlArguments
    crawler: Crawler
    full_crawl: bool

    @property
    def logger(self) -> logging.LoggerAdapter[logging.Logger]: ...


T = TypeVar("T")
P = TypeVar("P")
#: Redirects followed inside the archive from one capture.
MAX_REDIRECTS = 5
#: The request whose callback runs a local rebuild's story phase: no robots.txt, no host to keep to.
LOCAL = {"dont_obey_robotstxt": True, "allow_offsite": True}
NOW: dict[str, Any] = {"dont_filter": True, "meta": LOCAL}


class ArchiveCrawl:
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

    def _progress(self, kind: Callable[[RunChain], P]) -> P | None:
        """What the run reads, kept for a run that resumes it (with crawl state, from an index that is not local)."""
        return kind(self.state.chain) if self.state is not None and self.source.kind != "warc" else None
        #: The story phase's requests, handed to the engine as the downloader asks for work.
        self.feed: Feed | None = None

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

    def _records(self, response: Response, records: list[Article | Removal]) -> Iterator[Article | Removal]:
        yield from records

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

    # -- stories -------------------------------------------------------------------------------------------------

    def _story_feed(self) -> Iterator[Request]:
        """The story phase's requests; a record given from the index alone (a deletion) rides a ``data:`` request."""
        for output in self._story_requests():
            if isinstance(output, Request):
                yield output
            else:
                yield Request("data:,", callback=self._records, cb_kwargs={"records": [output]}, **NOW)

    def _story_requests(self) -> Iterator[Request | Article | Removal]:
        """Each story's first request (or record), read from the index one story at a time, in key order."""
        for key, count in self.index.items.counts():  # all met first: a run stopped midway accounts for every one
            self._send(source_signals.item_found, key=key, captures=count)
        plans = (self._plan(key, captures) for key, captures in self.index.items.items())
        for (key, captures, skip, candidates), read in self._read_ahead(plans):
            if skip:
                self.stats.inc_value(f"newscrawler/archive/skipped/{skip}")
                self._send(source_signals.item_skipped, key=key, reason=skip)
            elif not candidates or self._gone_since_exported(key, captures):
                yield from self._failed(key, index_reason(captures), captures[0].url, latest_first(captures)[0])
            else:
                yield from self._try_story(key, candidates, "", read=read)

    def _gone_since_exported(self, key: StoryKey, captures: list[Capture]) -> bool:
        """The story was exported before and the archive's latest capture of it says it is gone (404/410)."""
        return gone(index_reason(captures)) and exported_before(self.crawler, key)

    def _plan(self, key: StoryKey, captures: list[Capture]) -> StoryPlan:
        skip = self._skip_reason(key)
        resolved, unresolved = revisits.resolve(captures, self.source.kind == "wayback", self._original)
        if unresolved and not skip:
            self.unresolved.add(unresolved)
        return StoryPlan(key, resolved + unresolved, skip, [] if skip else item_candidates(resolved))

    def _original(self, revisit: Capture) -> Capture | None:
        """A revisit's original under the URL the revisit names, at the time it names."""
        if not revisit.refers_to or not revisit.refers_to_url:
            return None
        found = self.index.nearest(revisit.refers_to_url, revisit.refers_to)
        return found if found is not None and found.timestamp[:14] == revisit.refers_to[:14] else None

    def _read_ahead(self, plans: Iterator[StoryPlan]) -> Iterator[tuple[StoryPlan, StoryRead | None]]:
        """Each plan with its first candidate as a worker read it, if one did."""
        if self.ahead is None:
            return ((plan, None) for plan in plans)
        return self.ahead.map(plans, self._job)

    def _job(self, plan: StoryPlan) -> StoryJob | None:
        if not plan.candidates:  # a skipped story has none
            return None
        first = plan.candidates[0]
        return StoryJob(first, plan.key, self.args.base_url, self.listings.listed_raw(plan.key, first.timestamp))

    def _skip_reason(self, key: StoryKey) -> str | None:
        if self.state is not None and self.state.done_before(tuple(key)):
            return "resumed"
        if self.args.sections and key not in self.listings.in_sections:
            return "not_in_sections"
        if not self.args.since:
            return None
        when = parse_timestamp(self.listings.listed_raw(key) or "")
        return "before_since" if when and when < self.args.since else None

    def _try_story(
        self, key: StoryKey, candidates: list[Capture], reason: str, hops: int = 0, read: StoryRead | None = None
    ) -> Iterator[Request | Article | Removal]:
        """Try the first candidate (``read``: as a worker read it), the others in turn if it fails."""
        if not candidates:
            yield from self._failed(key, reason or "no_capture", "")
            return
        meta = {"story_key": key, "candidates": candidates[1:], "hops": hops}
        request = capture_request(candidates[0], self.source, self.on_story, self.on_story_error, **meta)
        response = self.local.answer(request, read and read.archived) if self.local is not None else None
        if response is not None and read is not None and read.article is not None:
            response.meta["article"] = read.article
            self.stats.inc_value("newscrawler/archive/read_ahead")
        yield from self.on_story(response) if response is not None else [request]

    def _local_stories(self, response: Response) -> Iterator[Request | Article | Removal]:
        """The story phase of a local WARC rebuild: records, and requests for the captures answered otherwise."""
        return self._while_running(self._story_requests())

    def _while_running(self, outputs: Iterator[T]) -> Iterator[T]:
        """``outputs`` until the crawl is told to stop (SIGTERM, Ctrl-C): a phase read from local files is one
        callback, which Scrapy's graceful stop would otherwise let run to its end; stories left are interrupted."""
        for output in outputs:
            if not self.crawler.engine.running:
                return
            yield output

    def on_story(self, response: Response) -> Iterator[Request | Article | Removal]:
        key, meta = response.meta["story_key"], response.meta
        if 300 <= response.status < 400 and response.headers.get("Location"):
            yield from self._follow(response)
            return
        listed = self.listings.listed_raw(key, meta["archive_capture"].timestamp)
        article = meta.get("article") or story_record(response, key, self.args.base_url, listed)
        if article is None:
            reason = "not_a_story" if response.status == 200 else f"http_{response.status}"
            yield from self._try_story(key, meta["candidates"], reason)
            return
        if listed is None:
            self.stats.inc_value("newscrawler/archive/no_listing_date")
        capture = meta["archive_capture"]
        article.metadata.update(provenance(self.source.kind, capture, self.index.digest_of(capture)))
        yield article

    def _follow(self, response: Response) -> Iterator[Request | Article | Removal]:
        """A captured redirect: the target's capture nearest in time (or, on Wayback, the one it replays then)."""
        meta, capture = response.meta, response.meta["archive_capture"]
        target = response.urljoin((response.headers.get("Location") or b"").decode("latin-1"))
        nearest = self.index.nearest(target, capture.timestamp)
        if nearest is None and self.source.kind == "wayback":
            nearest = Capture(capture.timestamp, target, mime="text/html")
        if nearest is None or meta["hops"] >= MAX_REDIRECTS:
            yield from self._try_story(meta["story_key"], meta["candidates"], "redirect_not_archived")
            return
        self.stats.inc_value("newscrawler/archive/redirects_followed")
        yield from self._try_story(meta["story_key"], [nearest, *meta["candidates"]], "", meta["hops"] + 1)

    def on_story_error(self, failure: Failure) -> Iterator[Request | Article | Removal]:
        if self.cursor is not None:
            self.cursor.lost += 1
        meta = failure.request.meta  # type: ignore[attr-defined]
        yield from self._try_story(meta["story_key"], meta["candidates"], type(failure.value).__name__)

    def _failed(self, key: StoryKey, reason: str, url: str, latest: Capture | None = None) -> Iterator[Removal]:
        """No capture of ``key`` gave its story. Exported before (crawl state), the story stands unless the
        archive's latest capture says it is gone (404/410): then a deletion record, dated by that capture. A
        newer capture that is an error page served with 200 is no deletion (``skipped:known_not_a_story``)."""
        if exported_before(self.crawler, key) and not archive_outcome(reason).startswith("failed:"):
            if gone(reason) and latest is not None:
                self.stats.inc_value("newscrawler/removed")
                yield removal(key, latest.url, latest.iso_time)
            else:
                self._send(source_signals.item_skipped, key=key, reason=f"known_{reason}")
            return
        self.stats.inc_value(f"newscrawler/archive/story_failed/{reason}")
        self.spider.logger.warning("story not found in the archive (%s): %s %s", reason, key, url)
        self._send(source_signals.item_failed, key=key, reason=reason)

    def _send(self, signal: object, **kwargs: Any) -> None:
        self.crawler.signals.send_catch_log(signal, **kwargs)
