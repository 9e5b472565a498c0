"""``scrapy crawl``, stricter: bad spider arguments stop with one line before any request, and a run that did
not finish cleanly (unreachable site, unknown section, shutdown) exits non-zero."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newscrawler.preflight import PreflightError, preflight


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1:
            assert self.crawler_process is not None and self.settings is not None
            try:
                preflight(self.crawler_process.spider_loader.load(args[0]), opts.spargs, self.settings)
            except PreflightError as error:
                print(f"error: {error}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
        crawlers = self.crawler_process.crawlers if self.crawler_process else set()
        if self.exitcode == 0 and any(_finish_reason(c) != "finished" for c in crawlers):
            self.exitcode = 1


def _finish_reason(crawler: object) -> str | None:
    stats = getattr(crawler, "stats", None)
    return stats.get_value("finish_reason") if stats is not None else None
