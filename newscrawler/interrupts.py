"""Ctrl-C and SIGTERM for a crawl process, in place of Scrapy's handlers (whose notice is an INFO log line).

The first SIGINT or SIGTERM prints one line on standard error at any log level, records the signal's name in every
crawler's stats as ``newscrawler/interrupted`` (the monitors and the exit status read it) and stops the crawlers
gracefully: requests in flight end, the export is published, the crawl state committed. A second signal stops the
process at once, leaving unpublished what was not yet published (the next run fetches it again).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from newscrawler.exitcodes import INTERRUPTED

if TYPE_CHECKING:  # importing Scrapy takes a second: stop_before_start() is installed before that
    from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess

#: The stat a stop on purpose leaves: the signal's name.
STAT = "newscrawler/interrupted"
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def announce(line: str) -> None:
    """Write ``line`` on standard error, above the progress line when there is one."""
    tqdm.write(line, file=sys.stderr)


def first_notice(name: str) -> str:
    """What the first signal does, and how to force a stop.

    >>> first_notice("SIGTERM")
    'newscrawler: SIGTERM: stopping after the requests in flight, then publishing (send SIGTERM again to force)'
    >>> first_notice("SIGINT")[-40:]
    'publishing (press Ctrl-C again to force)'
    """
    again = "press Ctrl-C again" if name == "SIGINT" else f"send {name} again"
    return f"newscrawler: {name}: stopping after the requests in flight, then publishing ({again} to force)"


def stop_before_start() -> None:
    """Until :class:`GracefulStop` is installed (nothing fetched yet, nothing to publish), the first SIGINT or
    SIGTERM exits at once with status 130 and one line, instead of a ``KeyboardInterrupt`` traceback."""

    def _exit(signum: int, _: FrameType | None) -> None:
        os.write(2, f"newscrawler: {signal.Signals(signum).name}: stopped before the crawl began\n".encode())
        raise SystemExit(INTERRUPTED)

    for signum in SIGNALS:
        signal.signal(signum, _exit)


class GracefulStop:
    """The signal handlers of one crawler process; :meth:`install` them before ``process.start(False)``."""

    def __init__(self, process: CrawlerProcess | AsyncCrawlerProcess) -> None:
        self.process = process

    def install(self) -> None:
        self._handle(self._first)

    def _handle(self, handler: Any) -> None:
        for signum in SIGNALS:
            signal.signal(signum, handler)

    def _first(self, signum: int, _: FrameType | None) -> None:
        self._handle(self._second)
        _reactor().callFromThread(self._stop, signal.Signals(signum).name)  # no I/O inside a signal handler

    def _second(self, signum: int, _: FrameType | None) -> None:
        self._handle(signal.SIG_IGN)
        _reactor().callFromThread(self._force, signal.Signals(signum).name)

    def _stop(self, name: str) -> None:
        announce(first_notice(name))
        self._stop_once_started(name)

    def _stop_once_started(self, name: str) -> None:
        """Stop the crawlers (then ``start()`` returns, as after a finished crawl), once none is still starting:
        a crawler stopped before its engine runs would crawl on."""
        if any(c.crawling and not (c.engine and c.engine.running) for c in self.process.crawlers):
            _reactor().callLater(0.1, self._stop_once_started, name)
            return
        from scrapy.utils.defer import deferred_from_coro

        for crawler in self.process.crawlers:
            if crawler.stats is not None:
                crawler.stats.set_value(STAT, name)
        deferred_from_coro(self.process.stop())

    def _force(self, name: str) -> None:
        announce(f"newscrawler: {name} again: stopping now; what was not published is fetched again by the next run")
        with contextlib.suppress(RuntimeError):  # already stopping
            _reactor().stop()


def _reactor() -> Any:
    """The installed reactor (imported late: the crawler process installs the asyncio one first)."""
    from twisted.internet import reactor

    return reactor
