"""Test-only extension: how many story requests the scheduler held at most, counted from Scrapy's signals.

Enable with ``-s EXTENSIONS={..., "tests.support.waiting.StoryRequestsWaiting": 0}``; the run's stats then hold
``test/story_requests_waiting_max`` (requests with a ``story_key`` scheduled but not yet handed to the downloader
nor dropped) and ``test/story_requests_scheduled``.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler


class StoryRequestsWaiting:
    def __init__(self, crawler: Crawler) -> None:
        self.stats, self.waiting = crawler.stats, 0
        crawler.signals.connect(self.scheduled, signals.request_scheduled)
        crawler.signals.connect(self.left, signals.request_reached_downloader)
        crawler.signals.connect(self.left, signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoryRequestsWaiting:
        return cls(crawler)

    def scheduled(self, request: Request, **_: Any) -> None:
        if "story_key" in request.meta and self.stats is not None:
            self.waiting += 1
            self.stats.inc_value("test/story_requests_scheduled")
            self.stats.max_value("test/story_requests_waiting_max", self.waiting)

    def left(self, request: Request, **_: Any) -> None:
        if "story_key" in request.meta:
            self.waiting -= 1
