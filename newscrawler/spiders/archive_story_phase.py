"""The story phase of an archive crawl (:mod:`newscrawler.spiders.archive`), mixed into
:class:`~newscrawler.spiders.archive.ArchiveCrawl`.

Per story of the index, in key order: skip it (``resumed``, ``not_in_sections``, ``before_since``), fail it for
want of a usable capture, or try its captures latest first through the live crawl's own extraction
(:func:`~newscrawler.spiders.archive_stories.story_record`); redirects are followed inside the archive (at most
:data:`MAX_REDIRECTS` hops); the record's ``url`` is the capture's original URL. A story exported before whose
latest capture says it is gone (404/410) yields a deletion record. Every story is announced
(``item_found``) and every one that yields no record is accounted for (``item_skipped``, ``item_failed``) with the
signals of :mod:`newscrawler.sources.signals`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Protocol, TypeVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from newscrawler.baghdadpost import archive as site
from newscrawler.baghdadpost.record import removal
from newscrawler.baghdadpost.urls import StoryKey
from newscrawler.dates import parse_timestamp
from newscrawler.items import Article, Removal
from newscrawler.outcomes import archive_outcome
from newscrawler.sources import revisits
from newscrawler.sources import signals as source_signals
from newscrawler.sources.ahead import Ahead
from newscrawler.sources.arguments import SourceArguments
from newscrawler.sources.captures import Capture, latest_first
from newscrawler.sources.cursor import RunCursor
from newscrawler.sources.indexstore import CaptureIndex
from newscrawler.sources.local import LocalAnswers
from newscrawler.sources.requests import capture_request
from newscrawler.sources.selection import index_reason, item_candidates
from newscrawler.spiders.archive_listings import ListingDates
from newscrawler.spiders.archive_stories import StoryJob, StoryPlan, StoryRead, provenance, story_record
from newscrawler.spiders.arguments import CrawlArguments
from newscrawler.state.removals import exported_before, gone


class CrawlingSpider(Protocol):
    """What an archive crawl asks of its spider (:class:`~newscrawler.spiders.baghdadpost.BaghdadPostSpider`)."""

    args: CrawlArguments
    crawler: Crawler
    full_crawl: bool

    @property
    def logger(self) -> logging.LoggerAdapter[logging.Logger]: ...


T = TypeVar("T")
#: Redirects followed inside the archive from one capture.
MAX_REDIRECTS = 5
#: The request whose callback runs a local rebuild's story phase: no robots.txt, no host to keep to.
LOCAL = {"dont_obey_robotstxt": True, "allow_offsite": True}
NOW: dict[str, Any] = {"dont_filter": True, "meta": LOCAL}


class StoryPhase:
    """The story phase's requests and callbacks; the crawl that mixes it in sets the attributes below."""

    spider: CrawlingSpider
    args: CrawlArguments
    source: SourceArguments
    crawler: Crawler
    stats: StatsCollector
    #: The crawl state (:mod:`newscrawler.state`), or None.
    state: Any
    index: CaptureIndex[StoryKey, site.ListingId]
    listings: ListingDates
    cursor: RunCursor | None
    local: LocalAnswers | None
    ahead: Ahead[StoryJob, StoryRead | None] | None
    unresolved: revisits.Unresolved

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

    def _records(self, response: Response, records: list[Article | Removal]) -> Iterator[Article | Removal]:
        yield from records

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
        level = logging.WARNING if archive_outcome(reason).startswith("failed:") else logging.INFO  # as a live crawl
        self.spider.logger.log(level, "story not found in the archive (%s): %s %s", reason, key, url)
        self._send(source_signals.item_failed, key=key, reason=reason)

    def _send(self, signal: object, **kwargs: Any) -> None:
        self.crawler.signals.send_catch_log(signal, **kwargs)
