"""Run monitors (spidermon), checked when the spider closes; each is a stat against a threshold setting.

* stories listed, ``newscrawler/listed_stories`` >= ``NEWSCRAWLER_MONITOR_MIN_LISTED`` (1): an empty or broken
  site fails;
* records exported, ``item_scraped_count`` >= ``NEWSCRAWLER_MONITOR_MIN_RECORDS`` (0: an incremental run may
  export none);
* field coverage, ``spidermon_field_coverage/Article/{field}`` >= ``NEWSCRAWLER_MONITOR_COVERAGE`` (headline and
  articleBody 1.0, dateModified 0.9), when at least ``NEWSCRAWLER_MONITOR_COVERAGE_MIN_RECORDS`` (20) were exported;
* dates not parsed, ``newscrawler/date_unparsed/*`` <= ``NEWSCRAWLER_MONITOR_MAX_DATE_FAILURES`` (0);
* generic extraction (the markup changed): the share of records with fields from the generic extractor
  <= ``NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE`` (0.05), and listing pages read without their selectors
  <= ``NEWSCRAWLER_MONITOR_MAX_GENERIC_LISTINGS`` (0); the failure names the fields that fell back, how often;
* download errors, ``downloader/exception_count`` less those retried (``newscrawler/retried_exceptions``) <=
  ``SPIDERMON_MAX_DOWNLOADER_EXCEPTIONS`` (10);
* HTTP errors, ``downloader/response_status_count/4xx`` <= the larger of ``NEWSCRAWLER_MONITOR_MAX_4XX`` (20) and
  ``NEWSCRAWLER_MONITOR_MAX_4XX_SHARE`` (0.02) of the requests (deleted stories answer 404); ``5xx`` likewise with
  ``NEWSCRAWLER_MONITOR_MAX_5XX`` (5) and ``…_SHARE`` (0.01); answers that were retried
  (``newscrawler/retried_status/*``) are not counted;
* stories failed, ``newscrawler/outcomes/failed:*`` <= the larger of ``NEWSCRAWLER_MONITOR_MAX_FAILED`` (5) and
  ``NEWSCRAWLER_MONITOR_MAX_FAILED_SHARE`` (0.01) of the stories met;
* every story accounted for: ``newscrawler/outcomes_met`` == the sum of ``newscrawler/outcomes/*``;
* listing pages failed, ``newscrawler/listing_failed/*`` <= ``NEWSCRAWLER_MONITOR_MAX_LISTING_FAILURES`` (0);
* damaged archive records skipped, ``newscrawler/archive/unreadable/*`` <= ``NEWSCRAWLER_MONITOR_MAX_UNREADABLE``
  (0): a record that could not be read may have held a story;
* undated stories, records without ``datePublished`` (``newscrawler/undated_stories``, from field coverage) <=
  ``NEWSCRAWLER_MONITOR_MAX_UNDATED`` (0.02) of the records exported;
* listing walks stopped early by a guard, ``newscrawler/walk_stopped_early/{reason}/{listing}`` <=
  ``NEWSCRAWLER_MONITOR_MAX_EARLY_STOPS`` (0): the failure names each reason and listing (:mod:`newscrawler.walks`);
* finish reason in ``SPIDERMON_EXPECTED_FINISH_REASONS`` (finished).

Results go to the stats as ``newscrawler/monitors`` (so into the run manifest) and to the log in one line;
spidermon's own report is logged one level down. In a run stopped on purpose, the checks such a stop alone can
fail (stories listed, records exported, field coverage, stories failed as ``failed:interrupted``, the finish
reason) say ``interrupted`` instead of failing; the others still fail (``newscrawler/monitoring.py``).
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from spidermon import MonitorSuite, monitors
from spidermon import settings as spidermon_settings
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action

from newscrawler.exports.manifest import counts_by_prefix
from newscrawler.monitoring import FinishReason, interrupted, report_a_level_down

logger = logging.getLogger(__name__)


def _sum(stats: dict[str, Any], prefix: str) -> int:
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
        return float(_sum(self.data.stats, "newscrawler/date_unparsed/"))


@monitors.name("download errors")
class DownloadErrorsMonitor(_Threshold):
    setting, default = "SPIDERMON_MAX_DOWNLOADER_EXCEPTIONS", 10

    def observed(self) -> float:
        stats = self.data.stats
        return float(stats.get("downloader/exception_count", 0) - stats.get("newscrawler/retried_exceptions", 0))


@monitors.name("generic extraction")
class GenericExtractionMonitor(BaseScrapyMonitor):
    @monitors.name("records read by the site's rules")
    def test_generic_records(self) -> None:
        stats = self.data.stats
        generic = _sum(stats, "newscrawler/extraction/records/generic")
        total = _sum(stats, "newscrawler/extraction/records/")
        limit = self.crawler.settings.getfloat("NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE")
        fields = ", ".join(f"{k} {v}" for k, v in counts_by_prefix(stats, "newscrawler/extraction/generic/").items())
        message = f"{generic} of {total} records read with the generic extractor ({fields}), above a share of {limit:g}"
        self.assertLessEqual(generic, limit * total, message + " (NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE)")

    @monitors.name("listing pages read by their selectors")
    def test_generic_listings(self) -> None:
        parts = counts_by_prefix(self.data.stats, "newscrawler/extraction/generic_listing/")
        limit = self.crawler.settings.getint("NEWSCRAWLER_MONITOR_MAX_GENERIC_LISTINGS")
        found = ", ".join(f"{k} {v}" for k, v in parts.items())
        message = (
            f"listing pages read without their selectors ({found}), above NEWSCRAWLER_MONITOR_MAX_GENERIC_LISTINGS"
        )
        self.assertLessEqual(max(parts.values(), default=0), limit, f"{message}={limit}")


@monitors.name("HTTP errors")
class HttpErrorsMonitor(BaseScrapyMonitor):
    @monitors.name("4xx and 5xx answers within their limits")
    def test_http_errors(self) -> None:
        settings, stats = self.crawler.settings, self.data.stats
        requests = float(stats.get("downloader/request_count", 0))
        for family in ("4", "5"):
            retried = _sum(stats, f"newscrawler/retried_status/{family}")  # outlasted by a retry: not final
            count = _sum(stats, f"downloader/response_status_count/{family}") - retried
            name = f"NEWSCRAWLER_MONITOR_MAX_{family}XX"
            limit = max(settings.getfloat(name), settings.getfloat(f"{name}_SHARE") * requests)
            self.assertLessEqual(count, limit, f"{count} {family}xx answers, above {limit:g} ({name}, {name}_SHARE)")


@monitors.name("stories failed")
class FailedStoriesMonitor(BaseScrapyMonitor):
    @monitors.name("failed stories within their limit")
    def test_failed(self) -> None:
        settings, stats = self.crawler.settings, self.data.stats
        count = _sum(stats, "newscrawler/outcomes/failed:")
        limit = max(
            settings.getfloat("NEWSCRAWLER_MONITOR_MAX_FAILED", 5),
            settings.getfloat("NEWSCRAWLER_MONITOR_MAX_FAILED_SHARE", 0.01) * stats.get("newscrawler/outcomes_met", 0),
        )
        stopped = int(stats.get("newscrawler/outcomes/failed:interrupted", 0))
        if count > limit and count - stopped <= limit:
            interrupted(self, f"{count} stories failed ({stopped} interrupted), above {limit:g}")
        self.assertLessEqual(count, limit, f"{count} stories failed, above {limit:g} (NEWSCRAWLER_MONITOR_MAX_FAILED…)")


@monitors.name("stories accounted for")
class OutcomesMonitor(BaseScrapyMonitor):
    @monitors.name("every story met has one outcome")
    def test_outcomes(self) -> None:
        stats = self.data.stats
        met, ended = stats.get("newscrawler/outcomes_met", 0), _sum(stats, "newscrawler/outcomes/")
        self.assertEqual(met, ended, f"{met} stories met, {ended} with an outcome ({met - ended} unaccounted)")


@monitors.name("listing pages failed")
class ListingFailuresMonitor(_Threshold):
    setting = "NEWSCRAWLER_MONITOR_MAX_LISTING_FAILURES"

    def observed(self) -> float:
        return float(_sum(self.data.stats, "newscrawler/listing_failed/"))


@monitors.name("archive records unreadable")
class UnreadableRecordsMonitor(_Threshold):
    setting = "NEWSCRAWLER_MONITOR_MAX_UNREADABLE"

    def observed(self) -> float:
        return float(_sum(self.data.stats, "newscrawler/archive/unreadable/"))


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


@monitors.name("listing walks stopped early")
class EarlyStopsMonitor(BaseScrapyMonitor):
    @monitors.name("every walk reached its listing's end or the run's arguments")
    def test_early_stops(self) -> None:
        stops = counts_by_prefix(self.data.stats, "newscrawler/walk_stopped_early/")
        limit = self.crawler.settings.getint("NEWSCRAWLER_MONITOR_MAX_EARLY_STOPS")
        named = ", ".join(f"{name} {count}" for name, count in stops.items())
        message = (
            f"{sum(stops.values())} listing walks stopped early ({named}), above NEWSCRAWLER_MONITOR_MAX_EARLY_STOPS"
        )
        self.assertLessEqual(sum(stops.values()), limit, f"{message}={limit}")


@monitors.name("field coverage")
class CoverageMonitor(BaseScrapyMonitor):
    @monitors.name("required share of records has each field")
    def test_coverage(self) -> None:
        stats = self.data.stats
        if stats.get("item_scraped_count", 0) < self.crawler.settings.getint(
            "NEWSCRAWLER_MONITOR_COVERAGE_MIN_RECORDS"
        ):
            return  # too few records for a share to mean anything
        for field, share in self.crawler.settings.getdict("NEWSCRAWLER_MONITOR_COVERAGE").items():
            got = float(stats.get(f"spidermon_field_coverage/Article/{field}", 0))
            if got < float(share):
                interrupted(self, f"{field} in {got:.1%} of records, below {share:.0%}")
            self.assertGreaterEqual(got, float(share), f"{field} in {got:.1%} of records, below {share:.0%}")


class RecordResults(Action):
    """Put the results into the stats (``newscrawler/monitors``, for the manifest) and the log."""

    def run_action(self) -> None:
        results = {r.monitor.name: _outcome(r) for r in self.result.monitor_results}
        failed = sorted(name for name, outcome in results.items() if outcome.startswith("failed"))
        stats = self.data.crawler.stats
        stats.set_value("newscrawler/monitors", {"passed": not failed, "results": results})
        stats.set_value("newscrawler/monitors_failed", len(failed))
        stopped = sum(outcome.startswith("interrupted") for outcome in results.values())
        if failed:
            logger.error("monitors failed: %s", "; ".join(f"{n}: {results[n][len('failed: ') :]}" for n in failed))
        elif stopped:
            logger.info("monitors: %d passed, %d interrupted", len(results) - stopped, stopped)
        else:
            logger.info("monitors: all %d passed", len(results))


def _outcome(result: Any) -> str:
    """``passed``, ``interrupted: why``, ``skipped: why`` or ``failed: why`` for one spidermon monitor result."""
    status = spidermon_settings.MONITOR.STATUS
    if result.status == status.SKIPPED:
        return str(result.reason) if str(result.reason).startswith("interrupted") else f"skipped: {result.reason}"
    if result.status in spidermon_settings.MONITOR.STATUSES.SUCCESSFUL:
        return "passed"
    return f"failed: {str(result.reason).strip().splitlines()[-1] if result.reason else result.status}"


class CloseMonitors(MonitorSuite):
    """The monitors run when the spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``)."""

    def init_data(self, data: Any) -> None:
        super().init_data(data)
        report_a_level_down(data.spider)

    monitors: ClassVar[list[type]] = [
        ListedStoriesMonitor,
        RecordsMonitor,
        CoverageMonitor,
        DateFailuresMonitor,
        DownloadErrorsMonitor,
        GenericExtractionMonitor,
        HttpErrorsMonitor,
        FailedStoriesMonitor,
        OutcomesMonitor,
        ListingFailuresMonitor,
        UndatedMonitor,
        UnreadableRecordsMonitor,
        EarlyStopsMonitor,
        FinishReason,
    ]
    monitors_finished_actions: ClassVar[list[type]] = [RecordResults]
