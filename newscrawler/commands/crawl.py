"""``scrapy crawl``, stricter: a bad setting value, bad spider arguments or an unwritable output stop with one line
before any request (exit 2); another run holding the crawl state skips this one (exit 75); with no ``-o``/``-O`` the
run writes its per-run export; Ctrl-C or SIGTERM stops it with one line (exit 130); a run that did not finish
cleanly (unreachable site, unknown section, export failure) or whose monitors failed exits 1
(``newscrawler/exitcodes.py``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from scrapy.commands import ScrapyHelpFormatter
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from newscrawler import exitcodes
from newscrawler.exports.feeds import default_feeds, new_run_id, uses_default_export
from newscrawler.interrupts import GracefulStop, stop_before_start
from newscrawler.preflight import PreflightError, StateBusy, preflight
from newscrawler.settingchecks import SettingError, check_settings
from newscrawler.state.store import StateLockedError

logger = logging.getLogger(__name__)
#: Scrapy's start-up listings (components enabled, settings overridden): shown only at LOG_LEVEL=DEBUG, so that an
#: error of a run at INFO stands out from a screen, not two hundred lines.
STARTUP_LOGGERS = ("scrapy.middleware", "scrapy.addons", "scrapy.crawler")


class Command(ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        """Scrapy's options; the exit statuses as the help's epilog, line by line."""
        super().add_options(parser)
        parser.formatter_class = _KeepLines
        parser.epilog = exitcodes.help_epilog()

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's options; the settings' values; then the per-run export when no ``-o``/``-O`` (or ``FEEDS``) is
        given; then the checks, before Scrapy starts logging: a failed one prints one line and exits 2 (75 when
        another run holds the crawl state)."""
        stop_before_start()
        super().process_options(args, opts)
        assert self.settings is not None
        if len(args) != 1:
            raise UsageError("give exactly one spider name" if args else "")
        try:
            check_settings(self.settings)
        except SettingError as error:
            _stop(f"error: {error}", exitcodes.BAD_INPUT)
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
        except StateBusy as error:
            _stop(f"skipped: {error}", exitcodes.SKIPPED)
        except PreflightError as error:
            _stop(f"error: {error}", exitcodes.BAD_INPUT)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Crawl, with newscrawler's Ctrl-C/SIGTERM handling in place of Scrapy's; set the exit status."""
        assert isinstance(self.crawler_process, CrawlerProcess | AsyncCrawlerProcess)
        GracefulStop(self.crawler_process).install()  # acts once the reactor runs, on every crawler by then
        _quiet_startup(str(self.settings.get("LOG_LEVEL", "INFO")) if self.settings is not None else "INFO")
        crawler = self._create_crawler(args[0])
        started = self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start(install_signal_handlers=False)
        error = _start_error(started)
        if isinstance(error, StateLockedError):  # taken since the preflight checked it
            _stop(f"skipped: {error}", exitcodes.SKIPPED)
        if error is not None:
            logger.error("the crawl could not start", exc_info=error)
        stats = crawler.stats.get_stats() if crawler.stats else {}
        self.exitcode = exitcodes.crawl_exit_status(stats, self.crawler_process.bootstrap_failed)


def _quiet_startup(level: str) -> None:
    """Below DEBUG, Scrapy's start-up listings are not logged (their warnings and errors still are)."""
    if level.upper() != "DEBUG":
        for name in STARTUP_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


def _start_error(started: Any) -> BaseException | None:
    """The exception a crawl's task ended with (``AsyncCrawlerProcess``), which retrieves it; ``None`` otherwise
    (a Deferred's failure is logged by Scrapy)."""
    if isinstance(started, asyncio.Future) and started.done() and not started.cancelled():
        return started.exception()
    return None


class _KeepLines(argparse.RawDescriptionHelpFormatter, ScrapyHelpFormatter):
    """Scrapy's help layout, with the description and epilog kept as written."""


def _stop(line: str, status: int) -> None:
    print(line, file=sys.stderr)
    sys.exit(status)


def run_succeeded(stats: dict[str, Any]) -> bool:
    """A run succeeded when it finished cleanly, every feed was stored and no monitor failed.

    >>> run_succeeded({"finish_reason": "finished"}), run_succeeded({"finish_reason": "export_failed"})
    (True, False)
    >>> run_succeeded({"finish_reason": "finished", "feedexport/failed_count/AtomicFileFeedStorage": 1})
    False
    >>> run_succeeded({"finish_reason": "finished", "newscrawler/monitors_failed": 1})
    False
    """
    return exitcodes.crawl_exit_status(stats) == exitcodes.OK
