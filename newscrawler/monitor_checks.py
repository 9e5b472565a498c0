"""Threshold and archive checks of the run monitors (:class:`~newscrawler.monitors.CloseMonitors` runs them).

Each compares a stat (or the sum of stats under a prefix) with a threshold setting: at least it, at most it, or
at most a share of a count; the settings, defaults and stats are listed in :mod:`newscrawler.monitors`. A check
that a run stopped on purpose can fail alone (stories listed, records exported) says ``interrupted`` instead
(:func:`newscrawler.monitoring.interrupted`).
"""

from __future__ import annotations

from typing import Any

from spidermon import monitors
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor

from newscrawler.monitoring import interrupted


def stats_sum(stats: dict[str, Any], prefix: str) -> int:
    """The sum of the numeric stats whose keys start with ``prefix``."""
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int | float))


class _Threshold(BaseScrapyMonitor):
    """A stat (or a sum of stats) compared with a setting: at least it, or at most it."""

    setting = ""
    default = 0.0
    at_least = False

    def observed(self) -> float:
        raise NotImplementedError

    @monitors.name("within its threshold")
    def test_threshold(self) -> None:
        threshold = self.crawler.settings.getfloat(self.setting, self.default)
        value = self.observed()
        if self.at_least:
            if value < threshold:
                interrupted(self, f"{value:g} is below {self.setting}={threshold:g}")
            self.assertGreaterEqual(value, threshold, f"{value:g} is below {self.setting}={threshold:g}")
        else:
            self.assertLessEqual(value, threshold, f"{value:g} is above {self.setting}={threshold:g}")


@monitors.name("stories listed")
class ListedStoriesMonitor(_Threshold):
    setting, default, at_least = "NEWSCRAWLER_MONITOR_MIN_LISTED", 1, True

    def observed(self) -> float:
        return float(self.data.stats.get("newscrawler/listed_stories", 0))


@monitors.name("records exported")
class RecordsMonitor(_Threshold):
    setting, default, at_least = "NEWSCRAWLER_MONITOR_MIN_RECORDS", 0, True

    def observed(self) -> float:
        return float(self.data.stats.get("item_scraped_count", 0))


@monitors.name("dates not parsed")
class DateFailuresMonitor(_Threshold):
    setting = "NEWSCRAWLER_MONITOR_MAX_DATE_FAILURES"

    def observed(self) -> float:
        return float(stats_sum(self.data.stats, "newscrawler/date_unparsed/"))


@monitors.name("download errors")
class DownloadErrorsMonitor(_Threshold):
    setting, default = "SPIDERMON_MAX_DOWNLOADER_EXCEPTIONS", 10

    def observed(self) -> float:
        stats = self.data.stats
        return float(stats.get("downloader/exception_count", 0) - stats.get("newscrawler/retried_exceptions", 0))


@monitors.name("listing pages failed")
class ListingFailuresMonitor(_Threshold):
    setting = "NEWSCRAWLER_MONITOR_MAX_LISTING_FAILURES"

    def observed(self) -> float:
        return float(stats_sum(self.data.stats, "newscrawler/listing_failed/"))


@monitors.name("archive records unreadable")
class UnreadableRecordsMonitor(_Threshold):
    setting = "NEWSCRAWLER_MONITOR_MAX_UNREADABLE"

    def observed(self) -> float:
        return float(stats_sum(self.data.stats, "newscrawler/archive/unreadable/"))


@monitors.name("HTTP errors")
class HttpErrorsMonitor(BaseScrapyMonitor):
    @monitors.name("4xx and 5xx answers within their limits")
    def test_http_errors(self) -> None:
        settings, stats = self.crawler.settings, self.data.stats
        requests = float(stats.get("downloader/request_count", 0))
        for family in ("4", "5"):
            retried = stats_sum(stats, f"newscrawler/retried_status/{family}")  # outlasted by a retry: not final
            count = stats_sum(stats, f"downloader/response_status_count/{family}") - retried
            name = f"NEWSCRAWLER_MONITOR_MAX_{family}XX"
            limit = max(settings.getfloat(name), settings.getfloat(f"{name}_SHARE") * requests)
            self.assertLessEqual(count, limit, f"{count} {family}xx answers, above {limit:g} ({name}, {name}_SHARE)")


@monitors.name("undated stories")
class UndatedMonitor(BaseScrapyMonitor):
    @monitors.name("share of records without datePublished within its limit")
    def test_undated(self) -> None:
        stats = self.data.stats
        records = int(stats.get("item_scraped_count", 0))
        undated = int(stats.get("newscrawler/undated_stories", 0))
        limit = self.crawler.settings.getfloat("NEWSCRAWLER_MONITOR_MAX_UNDATED")
        message = f"{undated} of {records} records without datePublished, above a share of {limit:g}"
        self.assertLessEqual(undated, limit * records, message + " (NEWSCRAWLER_MONITOR_MAX_UNDATED)")
