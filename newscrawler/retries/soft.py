"""Soft errors: a page answered 200 that is not what was asked for (a back end failing for a moment serves its
error page with 200). The caller, which knows what the page should be, asks for a retry here.

``NEWSCRAWLER_SOFT_ERROR_RETRIES`` (default 2) retries per request, each after a backoff as in
:mod:`newscrawler.retries.middleware`; counted as ``newscrawler/soft_retry/{count,reason_count/REASON}``.
"""

from __future__ import annotations

import logging
import time

from scrapy import Request
from scrapy.crawler import Crawler

from newscrawler.retries.backoff import backoff_seconds

logger = logging.getLogger(__name__)


def soft_retry(request: Request | None, crawler: Crawler, reason: str) -> Request | None:
    """A retry of ``request`` held back by a backoff, or ``None`` when its soft retries are used up."""
    settings = crawler.settings
    if request is None:
        return None
    attempt = int(request.meta.get("soft_retry_times", 0)) + 1
    if attempt > settings.getint("NEWSCRAWLER_SOFT_ERROR_RETRIES", 2):
        return None
    wait = backoff_seconds(
        attempt, settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF", 1.0), settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_MAX")
    )
    retry = request.replace(dont_filter=True)
    retry.meta["soft_retry_times"] = attempt
    retry.meta["not_before"] = time.time() + wait
    if crawler.stats is not None:
        crawler.stats.inc_value("newscrawler/soft_retry/count")
        crawler.stats.inc_value(f"newscrawler/soft_retry/reason_count/{reason}")
    logger.info("%s (%s): retrying in %.1f s (soft retry %d)", request.url, reason, wait, attempt)
    return retry
