"""Test-only extension: SIGKILL the crawl process at an exact point, for crash-safety tests.

Enable with ``-s EXTENSIONS={"tests.support.killer.KillAt": N}`` and ``-s KILL_AT=POINT``; N below the crawl
state's 10 runs first on a signal, N above runs after it. Points: ``first_item`` (on the first record),
``publishing`` (before the export is renamed), ``published`` (after the rename).
"""

from __future__ import annotations

import os
import signal
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newscrawler.exports import signals as export_signals

POINTS = {
    "first_item": signals.item_scraped,
    "publishing": export_signals.export_publishing,
    "published": export_signals.export_published,
}


class KillAt:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KillAt:
        ext = cls()
        crawler.signals.connect(ext.kill, POINTS[crawler.settings["KILL_AT"]])
        return ext

    def kill(self, **_: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)
