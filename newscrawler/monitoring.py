"""spidermon plumbing for ``newscrawler/monitors.py``: the ``interrupted`` verdict of a run stopped on purpose, the
finish-reason monitor that gives it, and spidermon's own report logged a level down.

A run stopped on purpose (Ctrl-C, SIGTERM: ``newscrawler/interrupted``, ``newscrawler/interrupts.py``) falls short
of a full run; a check that only such a stop can fail calls :func:`interrupted` before asserting, and ends as
skipped with the reason ``interrupted: …``, which the results record as the verdict.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import monitors
from spidermon.contrib.scrapy.monitors import FinishReasonMonitor
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor

from newscrawler.interrupts import STAT

# spidermon (1.27) logs through Spider.log(), deprecated since Scrapy 2.13: not ours to fix, nothing to act on.
warnings.filterwarnings(
    "ignore", r"Spider\.log\(\) is deprecated", ScrapyDeprecationWarning, module=r"spidermon\.contrib\.scrapy\.runners"
)


def interrupted(monitor: BaseScrapyMonitor, shortfall: str) -> None:
    """In a run stopped on purpose, end ``monitor``'s check as skipped with reason ``interrupted: shortfall``
    instead of failing it; otherwise do nothing."""
    signal_name = monitor.data.stats.get(STAT)
    if signal_name:
        monitor.skipTest(f"interrupted: {shortfall} (the run was stopped by {signal_name})")


@monitors.name("Finish Reason Monitor")
class FinishReason(FinishReasonMonitor):
    """spidermon's, with a run stopped on purpose ``interrupted`` rather than failed."""

    @monitors.name("Should have the expected finished reason(s)")
    def test_should_finish_with_expected_reason(self) -> None:
        reasons = self.crawler.settings.getlist("SPIDERMON_EXPECTED_FINISH_REASONS", ["finished"])
        if self.data.stats.get("finish_reason") not in reasons:
            interrupted(self, f"finished with {self.data.stats.get('finish_reason')!r}")
        super().test_should_finish_with_expected_reason()


class SpidermonReport(logging.Filter):
    """Logs spidermon's own report one level down, its table of monitors at DEBUG and each failure (a traceback)
    at INFO: the monitors' results are logged in one line, an ERROR when one failed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("[Spidermon]") and record.levelno in (logging.INFO, logging.ERROR):
            record.levelno = logging.DEBUG if record.levelno == logging.INFO else logging.INFO
            record.levelname = logging.getLevelName(record.levelno)
        return True


def report_a_level_down(spider: Any) -> None:
    """Put :class:`SpidermonReport` on ``spider``'s logger (spidermon logs its report there), once."""
    spider_logger = spider.logger.logger
    if not any(isinstance(f, SpidermonReport) for f in spider_logger.filters):
        spider_logger.addFilter(SpidermonReport())
