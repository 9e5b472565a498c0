"""``scrapy crawl``, stricter: bad spider arguments stop with one line before any request, and a run that did
not finish cleanly (unreachable site, unknown section, shutdown) exits 1."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newscrawler.preflight import PreflightError, preflight


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name" if args else "")
        assert self.crawler_process is not None and self.settings is not None
        try:
            preflight(self.crawler_process.spider_loader.load(args[0]), opts.spargs, self.settings)
        except PreflightError as error:
            print(f"error: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        finished = crawler.stats is not None and crawler.stats.get_value("finish_reason") == "finished"
        if self.crawler_process.bootstrap_failed or not finished:
            self.exitcode = 1
