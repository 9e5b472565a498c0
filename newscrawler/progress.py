"""Live progress on an interactive terminal: one line on standard error, redrawn twice a second.

    pages 23 | listed 450 | fetched 301 | exported 280 | unchanged 0 | skipped 0 | dropped 3 | failed 0 | 330/512
    requests |####   | 45.10 req/s | ETA 00:04    (one line)

Listing pages walked, stories listed and fetched, stories per outcome kind so far (the run's outcome ledger,
:mod:`newscrawler.outcomes`: the words of the manifest, the demo summary and the report), and listing walks stopped
early by a guard when any (each fails the run), then requests done out of the work known so far (done + waiting in
the scheduler + downloading), their rate and the time left at that rate (tqdm). Log lines are written above the bar.
Off (``NotConfigured``) when standard error is not a terminal (cron, systemd, scrapyd: Scrapy's periodic stats line
is the record there) or with ``NEWSCRAWLER_PROGRESS=0``."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Any, Self, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from tqdm import tqdm
from twisted.internet import task

from newscrawler.components import switched_off
from newscrawler.outcomes import describe_outcomes, outcome_ledger_of

#: Seconds between redraws.
INTERVAL = 0.5
BAR_FORMAT = "{desc} | {n_fmt}/{total_fmt} requests |{bar}| {rate_fmt} | ETA {remaining}"


def describe(stats: dict[str, Any], fetched: int, outcomes: Mapping[str, int]) -> str:
    """The counts part of the line, from the crawl's stats and its outcomes so far.

    >>> describe({"newscrawler/listing_pages": 2, "newscrawler/listed_stories": 24}, 21,
    ...          {"exported": 20, "dropped:http_404": 1})
    'pages 2 | listed 24 | fetched 21 | exported 20 | unchanged 0 | skipped 0 | dropped 1 | failed 0'
    >>> describe({"newscrawler/walk_stopped_early/pagination_loop/en/section/3/Iran": 1}, 0, {}).split(" | ")[-1]
    'walks stopped early 1'
    """
    early = sum(int(v) for k, v in stats.items() if k.startswith("newscrawler/walk_stopped_early/"))
    return (
        f"pages {stats.get('newscrawler/listing_pages', 0)} | listed {stats.get('newscrawler/listed_stories', 0)} | "
        f"fetched {fetched} | {describe_outcomes(outcomes, reasons=False)}"
    ) + (f" | walks stopped early {early}" if early else "")


class BarHandler(logging.Handler):
    """Writes log records above the bar (``tqdm.write``), with the level, filters and format of the console
    handler it stands in for."""

    def __init__(self, original: logging.StreamHandler[TextIO]) -> None:
        super().__init__(original.level)
        self.original = original
        self.setFormatter(original.formatter)
        self.filters = list(original.filters)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=self.original.stream)
        except Exception:
            self.handleError(record)


def terminal_width(stream: TextIO) -> int:
    """Columns of the terminal ``stream`` writes to; 0 when it does not say (a terminal of unset size)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return 0


def console_handlers() -> list[logging.StreamHandler[TextIO]]:
    """The root logger's handlers that write to a terminal."""
    return [
        h
        for h in logging.root.handlers
        if type(h) is logging.StreamHandler and getattr(h.stream, "isatty", lambda: False)()
    ]


class Progress:
    """Extension: the progress line. Counts stories fetched itself (responses to requests that carry a
    ``story_key``); everything else comes from the stats."""

    def __init__(self, crawler: Crawler, stream: TextIO) -> None:
        self.crawler, self.stream = crawler, stream
        self.fetched = 0
        self.bar: tqdm[Any] | None = None
        self.loop = task.LoopingCall(self.refresh)
        self.swapped: list[tuple[logging.Handler, logging.Handler]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_PROGRESS", True):
            raise switched_off(cls, "NEWSCRAWLER_PROGRESS is off")
        if not sys.stderr.isatty():
            raise switched_off(cls, "standard error is not a terminal")
        ext = cls(crawler, sys.stderr)
        crawler.signals.connect(ext.spider_opened, signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signals.spider_closed)
        crawler.signals.connect(ext.response_received, signals.response_received)
        return ext

    def spider_opened(self) -> None:
        width = terminal_width(self.stream)
        self.bar = tqdm(
            total=0, unit=" req", file=self.stream, bar_format=BAR_FORMAT, dynamic_ncols=width > 0, ncols=width or 120
        )
        for handler in console_handlers():
            self.swapped.append((handler, BarHandler(handler)))
        for old, new in self.swapped:
            logging.root.removeHandler(old)
            logging.root.addHandler(new)
        self.loop.start(INTERVAL, now=True)

    def response_received(self, response: Any, request: Any) -> None:
        if "story_key" in request.meta:
            self.fetched += 1

    def refresh(self) -> None:
        """Redraw with the current counts and the work known so far."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        done = int(stats.get("downloader/response_count", 0)) + int(stats.get("downloader/exception_count", 0))
        waiting = int(stats.get("scheduler/enqueued", 0)) - int(stats.get("scheduler/dequeued", 0))
        engine = self.crawler.engine
        active = len(engine.downloader.active) if engine is not None else 0
        if self.bar is not None:
            self.bar.total = done + max(waiting, 0) + active
            self.bar.update(done - self.bar.n)
            outcomes = outcome_ledger_of(self.crawler).counts()
            self.bar.set_description_str(describe(stats, self.fetched, outcomes), refresh=False)
            self.bar.refresh()

    def spider_closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.refresh()
        if self.bar is not None:
            self.bar.close()
        for old, new in self.swapped:
            logging.root.removeHandler(new)
            logging.root.addHandler(old)
        self.swapped = []
