"""Retries that outlast transient faults: a downloader middleware replacing Scrapy's ``RetryMiddleware``.

* 5xx (``RETRY_HTTP_CODES``), timeouts, refused/reset connections, data loss (``RETRY_EXCEPTIONS``): retried up
  to ``RETRY_TIMES``, each retry after an exponential backoff with jitter (``NEWSCRAWLER_RETRY_BACKOFF``
  seconds, doubling, at most ``NEWSCRAWLER_RETRY_BACKOFF_MAX``). A response flagged ``dataloss`` is retried,
  never passed on.
* 429 and 503 with a usable ``Retry-After`` (seconds or an HTTP date): the whole host pauses until then and the
  request is retried afterwards without using up its retries (up to ``NEWSCRAWLER_RETRY_AFTER_TIMES`` such
  waits); a garbage value is an ordinary retry with backoff (for 429 the host pauses for the backoff too). A
  wait above ``NEWSCRAWLER_MAX_RETRY_AFTER`` closes the spider with reason ``rate_limited``.

Meta keys: ``retry_times`` (Scrapy's), ``retry_after_times``, ``not_before`` (wall-clock time before which the
request is held). Stats: Scrapy's ``retry/*``, ``newscrawler/retry_after/{count,seconds_max}``, and
``newscrawler/retried_status/{status}`` and ``newscrawler/retried_exceptions`` (retried, so not final).
Off with ``RETRY_ENABLED = False``.
"""

from __future__ import annotations

import logging
import time
from typing import Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.response import response_status_message

from newscrawler.retries.backoff import backoff_seconds, retry_after_seconds
from newscrawler.retries.hosts import HostGate, host_gate_of

logger = logging.getLogger(__name__)
RATE_LIMIT_CODES = (429, 503)


class PatientRetryMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        settings = crawler.settings
        self.crawler = crawler
        self.backoff = settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_MAX", 60.0)
        self.max_retry_after = settings.getfloat("NEWSCRAWLER_MAX_RETRY_AFTER", 600.0)
        self.retry_after_times = settings.getint("NEWSCRAWLER_RETRY_AFTER_TIMES", 10)
        self.gate: HostGate = host_gate_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        """Hold the request while its host is paused or its backoff has not run out."""
        waited = await self.gate.admit(request, float(request.meta.get("not_before", 0.0)))
        request.meta["sent_at"] = time.time()
        if waited and self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawler/retry/held_requests")

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False):
            return response
        result = self._answer(request, response)
        if isinstance(result, Request) and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/retried_status/{response.status}")
        return result

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request) and self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawler/retried_exceptions")
        return result

    def _answer(self, request: Request, response: Response) -> Request | Response:
        if "dataloss" in response.flags:
            return self._retry(request, "data_loss") or response
        if response.status in RATE_LIMIT_CODES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None and (self._in_flight(request) or self._waits_left(request)):
                return self._wait_and_retry(request, response, wait)
            if response.status == 429:
                self.gate.pause(self.gate.host_key(request), self._backoff(request))
        if response.status in self.retry_http_codes:
            return self._retry(request, response_status_message(response.status)) or response
        return response

    def _wait_and_retry(self, request: Request, response: Response, wait: float) -> Request | Response:
        """Pause the host for ``wait`` seconds and retry without using a retry; over the limit, stop the run."""
        if wait > self.max_retry_after:
            logger.error(
                "%s asks to wait %.0f s (Retry-After), above NEWSCRAWLER_MAX_RETRY_AFTER=%g: stopping the crawl",
                request.url,
                wait,
                self.max_retry_after,
            )
            self._close("rate_limited")
            return response
        key, in_flight = self.gate.host_key(request), self._in_flight(request)
        self.gate.pause(key, wait)
        logger.info("%s answered %d: pausing %s for %.1f s (Retry-After)", request.url, response.status, key, wait)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawler/retry_after/count")
            self.crawler.stats.max_value("newscrawler/retry_after/seconds_max", wait)
        retry = request.replace(dont_filter=True)
        if not in_flight:  # only an answer to a request sent while the host was not paused uses up a wait
            retry.meta["retry_after_times"] = request.meta.get("retry_after_times", 0) + 1
        return retry

    def _in_flight(self, request: Request) -> bool:
        """The request went out before the host's current pause began: its 429 is that pause's, not its own."""
        since = self.gate.paused_since(self.gate.host_key(request))
        return since is not None and float(request.meta.get("sent_at", since)) < since

    def _waits_left(self, request: Request) -> bool:
        return int(request.meta.get("retry_after_times", 0)) < self.retry_after_times

    def _retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        """Scrapy's retry (counts, limits, give-up log), held back by an exponential backoff."""
        retry = super()._retry(request, reason)
        if retry is not None:
            retry.meta["not_before"] = time.time() + self._backoff(request)
        return retry

    def _backoff(self, request: Request) -> float:
        return backoff_seconds(int(request.meta.get("retry_times", 0)) + 1, self.backoff, self.backoff_max)

    def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        if engine is not None:
            deferred_from_coro(engine.close_spider_async(reason=reason))
