"""``scrapy crawl``, stricter: bad spider arguments or an unwritable output stop with one line before any request;
with no ``-o``/``-O`` the run writes its per-run export; a run that did not finish cleanly (unreachable site,
unknown section, shutdown, export failure) exits 1."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from newscrawler.exports.feeds import default_feeds, new_run_id, uses_default_export
from newscrawler.preflight import PreflightError, preflight


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's options; then the per-run export when no ``-o``/``-O`` (or ``FEEDS``) is given; then the
        checks, before Scrapy starts logging: a failed one prints one line and exits 2."""
        super().process_options(args, opts)
        assert self.settings is not None
        if len(args) != 1:
            raise UsageError("give exactly one spider name" if args else "")
        if uses_default_export(self.settings):
            run_id = new_run_id()
            self.settings.set("NEWSCRAWLER_RUN_ID", run_id, priority="cmdline")
            self.settings.set("FEEDS", default_feeds(self.settings, args[0], run_id), priority="cmdline")
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            print(f"error: no spider named {args[0]!r} (scrapy list shows them)", file=sys.stderr)
            sys.exit(2)
        try:
            preflight(spidercls, opts.spargs, self.settings)
        except PreflightError as error:
            print(f"error: {error}", file=sys.stderr)
            sys.exit(2)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        if self.crawler_process.bootstrap_failed or not run_succeeded(stats):
            self.exitcode = 130 if stats.get("finish_reason") == "shutdown" else 1  # stopped on request: resumable


def run_succeeded(stats: dict[str, Any]) -> bool:
    """A run succeeded when it finished cleanly, every feed was stored and no monitor failed.

    >>> run_succeeded({"finish_reason": "finished"}), run_succeeded({"finish_reason": "export_failed"})
    (True, False)
    >>> run_succeeded({"finish_reason": "finished", "feedexport/failed_count/AtomicFileFeedStorage": 1})
    False
    >>> run_succeeded({"finish_reason": "finished", "newscrawler/monitors_failed": 1})
    False
    """
    failed = any(key.startswith("feedexport/failed_count/") for key in stats)
    return stats.get("finish_reason") == "finished" and not failed and not stats.get("newscrawler/monitors_failed")
