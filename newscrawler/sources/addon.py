"""Scrapy add-on: download slots and politeness limits of archive requests, and the middleware that answers
capture requests. Enabled in ``ADDONS``; every limit can be overridden with ``-s``.

* slot ``cdx``: index queries one at a time, ``NEWSCRAWLER_CDX_DELAY`` seconds apart (default 2.5 s: the
  Internet Archive allows about 24 a minute and blocks an IP that goes on after 429s), no jitter;
* slot ``replay``: capture downloads, ``NEWSCRAWLER_REPLAY_CONCURRENCY`` at a time (default 1),
  ``NEWSCRAWLER_REPLAY_DELAY`` seconds apart (default 1.0).

Requests in these slots say ``autothrottle_dont_adjust_delay`` so AutoThrottle leaves the delays as set; 429
and 503 answers are retried by the retry middleware like any other.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings
from scrapy.settings import default_settings as scrapy_defaults

CDX_SLOT = "cdx"
REPLAY_SLOT = "replay"
#: After the retry middleware (550) sees transport statuses; before the cookies/redirect middlewares' view.
MIDDLEWARE_ORDER = 540


class ArchiveSources:
    def update_settings(self, settings: BaseSettings) -> None:
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        slots.setdefault(CDX_SLOT, _slot(1, settings.getfloat("NEWSCRAWLER_CDX_DELAY", 2.5)))
        slots.setdefault(
            REPLAY_SLOT,
            _slot(
                settings.getint("NEWSCRAWLER_REPLAY_CONCURRENCY", 1), settings.getfloat("NEWSCRAWLER_REPLAY_DELAY", 1.0)
            ),
        )
        settings.set("DOWNLOAD_SLOTS", slots, priority="addon")
        settings["DOWNLOADER_MIDDLEWARES"]["newscrawler.sources.middleware.ArchiveMiddleware"] = MIDDLEWARE_ORDER


def _slot(concurrency: int, delay: float) -> dict[str, Any]:
    no_jitter = {"jitter": 0.0} if hasattr(scrapy_defaults, "DOWNLOAD_DELAY_JITTER") else {"randomize_delay": False}
    return {"concurrency": concurrency, "delay": delay, **no_jitter}
