"""Extension: after a run has published its export, bring ``{data}/corpus/{spider}`` up to date with it (and with
any export an earlier, killed update left out). ``NEWSCRAWLER_CORPUS`` (on) switches it.

A failed update is logged as an error and counted (``newscrawler/corpus/failed``); the exports stay as they are
and the next run, or ``newscrawler corpus``, takes them in.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawler.corpus.update import update_corpus
from newscrawler.exports.feeds import data_dir

logger = logging.getLogger(__name__)


class CorpusUpdater:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_CORPUS", True):
            raise NotConfigured("NEWSCRAWLER_CORPUS is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signals.engine_stopped)
        return ext

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        spider = getattr(self.crawler.spider, "name", None)
        if stats is None or spider is None or not stats.get_value("newscrawler/published"):
            return
        try:
            manifest = update_corpus(data_dir(self.crawler.settings), spider)
        except (OSError, ValueError) as error:
            stats.set_value("newscrawler/corpus/failed", str(error))
            logger.error("corpus not updated (the exports are intact; `newscrawler corpus` retries): %s", error)
            return
        done = manifest.get("lastUpdate", {})
        stats.set_value("newscrawler/corpus/records", manifest["records"]["total"])
        logger.info(
            "corpus: %d stories (%d removed), %s partition(s) rewritten in %ss",
            manifest["records"]["total"],
            manifest["records"]["removed"],
            done.get("partitionsWritten", 0),
            done.get("seconds", 0),
        )
