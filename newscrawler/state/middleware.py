"""Incremental crawling as a spider middleware: it sees the spider's requests and drops the ones not needed.

The spider marks story requests from listings with ``meta["story_key"]``, ``meta["listed_time"]`` (ISO or None)
and ``meta["listed_date"]`` (raw), and next-page requests with ``meta["listing_next"]`` and
``meta["listed_on_page"]`` (every story the page lists: key and listed time). This middleware lets a story
through when :func:`~newscrawler.state.policy.fetch_decision` says so, stops a listing walk after
``NEWSCRAWLER_KNOWN_STREAK`` consecutive stories its own pages list that were known before the run (a story
other walks met this run, or fetched, counts as it was before the run), and adds up to
``NEWSCRAWLER_REVISIT_PER_RUN`` revisits
of the stories checked longest ago (built by the spider's ``story_request``). ``spider.full_crawl`` true: every
request passes. Counted as ``newscrawler/incremental/{decision}``.

A run that resumes one that did not finish (:mod:`newscrawler.state.resume`) skips every story the resumed runs
have checked (``resumed``, outcome ``skipped:known``); those stories neither lengthen nor break a listing's streak
of known stories, so the walk goes on past them to where the resumed run stopped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawler.outcomes import outcome_ledger_of
from newscrawler.state.extension import CrawlState, crawl_state_of
from newscrawler.state.policy import fetch_decision


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler, state: CrawlState) -> None:
        self.crawler, self.state = crawler, state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawl_state_of(crawler))

    def _count(self, name: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/incremental/{name}")

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for request in start:
            yield request
        spider = self.crawler.spider
        if spider is None or getattr(spider, "full_crawl", False) or not hasattr(spider, "story_request"):
            return
        for known in self.state.oldest_checked():
            if self.state.done_before((known.edition, known.story_id)):
                continue  # checked by the run this one resumes
            request = spider.story_request((known.edition, known.story_id), known.url, known.listed_raw)
            if request is not None:
                self._count("revisit")
                yield request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        full = bool(getattr(self.crawler.spider, "full_crawl", False))
        for output in result:
            if isinstance(output, Request) and "listed_time" in output.meta and "story_key" in output.meta:
                meta = output.meta
                key = tuple(meta["story_key"])
                if self.state.done_before(key):
                    self._count("resumed")
                    outcome_ledger_of(self.crawler).end(key, "skipped:known")
                    continue
                self.state.saw_listed(key, output.url, meta["listed_time"], meta.get("listed_date"))
                if not full and not self._wanted(output):
                    continue
            elif isinstance(output, Request) and output.meta.get("listing_next"):
                streak = self._streak(int(response.meta.get("known_streak", 0)), output.meta.get("listed_on_page", []))
                if not full and streak >= self.state.known_streak:
                    self._count("listing_stopped")
                    continue
                output.meta["known_streak"] = streak
            yield output

    def _streak(self, streak: int, listed: Iterable[tuple[tuple[str, int], str | None]]) -> int:
        """The walk's streak of known stories after a page listing ``listed`` (key, listed time), in page order:
        a story counts when it was known before the run and is not listed later than stored."""
        for key, listed_time in listed:
            known = self.state.known_before_chain((key[0], key[1]))  # never what this run's other walks did
            decision = fetch_decision(known, listed_time, self.state.newest_listed, 0)
            streak = streak + 1 if decision in ("recheck", "known") else 0
        return streak

    def _wanted(self, request: Request) -> bool:
        key = tuple(request.meta["story_key"])
        known = self.state.known.get(key)
        decision = fetch_decision(known, request.meta["listed_time"], self.state.newest_listed, self.state.recheck_days)
        self._count(decision)
        if decision == "known":
            outcome_ledger_of(self.crawler).end(key, "skipped:known")
        return decision != "known"

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        items = [output async for output in result]
        for output in self.process_spider_output(response, items):
            yield output
