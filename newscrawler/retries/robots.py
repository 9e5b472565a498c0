"""robots.txt beyond Scrapy's ``RobotsTxtMiddleware`` (RFC 9309): a robots.txt that still answers 5xx or cannot be
fetched after its retries means its host is fully disallowed (its requests fail as ``robots_unavailable``); when no
other host has answered yet, the run stops with reason ``robots_unavailable`` before any page is fetched. A
``Crawl-delay`` for our user agent spaces requests to that host (:mod:`.hosts`). A 404 allows everything (Scrapy's
behaviour, unchanged).

Placed after the retry middleware in the response path, it sees only final answers. Off with ``ROBOTSTXT_OBEY =
False``."""

from __future__ import annotations

import logging
from typing import Self

from protego import Protego
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached

from newscrawler.components import switched_off
from newscrawler.retries.hosts import host_gate_of
from newscrawler.retries.reasons import BadAnswer, failure_reason

logger = logging.getLogger(__name__)


def is_robots_request(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and urlparse_cached(request).path == "/robots.txt"


class RobotsGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.unavailable: set[str] = set()
        self.answered: set[str] = set()
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise switched_off(cls, "ROBOTSTXT_OBEY is off")
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if (urlparse_cached(request).netloc in self.unavailable) and not is_robots_request(request):
            raise BadAnswer("robots_unavailable", request.url, transient=True)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if not is_robots_request(request):
            self.answered.add(urlparse_cached(request).netloc)
            return response
        if response.status >= 500:
            self._unavailable(request, f"HTTP {response.status}")
        elif response.status == 200:
            self._crawl_delay(request, response)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        if is_robots_request(request):
            self._unavailable(request, failure_reason(exception))

    def _crawl_delay(self, request: Request, response: Response) -> None:
        delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.user_agent)
        if delay:
            gate = host_gate_of(self.crawler)
            gate.set_spacing(gate.host_key(request), float(delay))
            logger.info("robots.txt asks for a Crawl-delay of %g s: honoured for %s", delay, request.url)

    def _unavailable(self, request: Request, why: str) -> None:
        netloc = urlparse_cached(request).netloc
        self.unavailable.add(netloc)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(f"newscrawler/robots_unavailable/{netloc}", why)
        if self.answered:
            logger.error("robots.txt of %s unavailable (%s) after retries: that host is disallowed", netloc, why)
            return
        logger.error("robots.txt unavailable (%s) after retries: the site is disallowed, stopping", why)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="robots_unavailable"))
