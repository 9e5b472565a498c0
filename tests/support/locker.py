"""Test-only extension: take the crawl state's lock as another run would, after the crawl command's preflight
found it free and before the crawl state opens it (the race a second run can lose).

Enable with ``-s EXTENSIONS={"tests.support.locker.TakeStateLock": 5}`` (below the crawl state's 10).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from newscrawler.state.extension import state_path
from newscrawler.state.store import StateStore


class TakeStateLock:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TakeStateLock:
        ext = cls()
        ext.store = StateStore(state_path(crawler.settings, getattr(crawler.spider, "state_scope", "")))
        ext.store.lock()  # its own open file: the crawl state's flock on the same file now fails
        return ext
