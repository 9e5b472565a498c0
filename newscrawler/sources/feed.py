"""Requests handed to the engine as the downloader asks for work, rather than all at once.

A story phase of a quarter of a million stories would otherwise put a quarter of a million requests in the
scheduler (about 1.2 KiB each) before the first is sent. :class:`Feed` takes requests from a lazy iterator only
while the scheduler holds fewer than ``bound``: again each time a request reaches the downloader, and whenever the
crawl goes idle (see :meth:`Feed.top_up`). What the iterator does per request (read a story's captures from the
index, decide to skip or fail it) is thus done when its request is about to be needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler


class Feed:
    """Requests of ``requests`` scheduled at most ``bound`` waiting at a time (requests they lead to aside)."""

    def __init__(self, crawler: Crawler, requests: Iterator[Request], bound: int) -> None:
        self.crawler, self.bound = crawler, bound
        self._requests: Iterator[Request] | None = requests
        self._busy = False
        crawler.signals.connect(self._on_reached, signals.request_reached_downloader)

    @property
    def spent(self) -> bool:
        """Every request of the iterator was handed to the engine."""
        return self._requests is None

    def top_up(self) -> None:
        """Schedule requests until ``bound`` wait in the scheduler or the iterator is spent (nothing while the
        engine is stopping, nor when called back while the iterator runs: a signal it sent)."""
        if self._busy:
            return
        self._busy = True
        try:
            while self._room():
                self._hand_on()
        finally:
            self._busy = False

    def _room(self) -> bool:
        engine = self.crawler.engine
        return self._requests is not None and engine is not None and engine.running and self._waiting() < self.bound

    def _hand_on(self) -> None:
        request = next(self._requests, None) if self._requests is not None else None
        if request is None:
            self._requests = None
        elif self.crawler.engine is not None:
            self.crawler.engine.crawl(request)

    def _on_reached(self, request: Request, **kwargs: Any) -> None:
        self.top_up()

    def _waiting(self) -> int:
        slot = getattr(self.crawler.engine, "_slot", None)  # the engine's scheduler (no public handle)
        scheduler = getattr(slot, "scheduler", None)
        return len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
