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

The checks of one stat against one threshold (stories listed, records exported, dates not parsed, download errors,
listing pages failed, archive records unreadable), and the shares of HTTP errors and undated stories, live in
:mod:`newscrawler.monitor_checks`.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from spidermon import MonitorSuite, monitors
from spidermon import settings as spidermon_settings
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action

from newscrawler.exports.manifest import counts_by_prefix
from newscrawler.monitor_checks import (
    DateFailuresMonitor,
    DownloadErrorsMonitor,
    HttpErrorsMonitor,
    ListedStoriesMonitor,
    ListingFailuresMonitor,
    RecordsMonitor,
    UndatedMonitor,
    UnreadableRecordsMonitor,
    stats_sum,
)
from newscrawler.monitoring import FinishReason, interrupted, report_a_level_down

logger = logging.getLogger(__name__)


@monitors.name("generic extraction")
class GenericExtractionMonitor(BaseScrapyMonitor):
    @monitors.name("records read by the site's rules")
    def test_generic_records(self) -> None:
        stats = self.data.stats
        generic = stats_sum(stats, "newscrawler/extraction/records/generic")
        total = stats_sum(stats, "newscrawler/extraction/records/")
        limit = self.crawler.settings.getfloat("NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE")
        fields = _named(counts_by_prefix(stats, "newscrawler/extraction/generic/"))
        message = f"{generic} of {total} records read with the generic extractor ({fields}), above a share of {limit:g}"
        self.assertLessEqual(generic, limit * total, message + " (NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE)")

    @monitors.name("listing pages read by their selectors")
    def test_generic_listings(self) -> None:
        parts = counts_by_prefix(self.data.stats, "newscrawler/extraction/generic_listing/")
        limit = self.crawler.settings.getint("NEWSCRAWLER_MONITOR_MAX_GENERIC_LISTINGS")
        found = _named(parts)
        message = (
            f"listing pages read without their selectors ({found}), above NEWSCRAWLER_MONITOR_MAX_GENERIC_LISTINGS"
        )
        self.assertLessEqual(max(parts.values(), default=0), limit, f"{message}={limit}")


def _named(counts: dict[str, int]) -> str:
    """``counts`` as a monitor's message names them.

    >>> _named({"pagination_loop/en/section/3": 1, "max_listing_pages/ar/section/11": 2})
    'pagination_loop/en/section/3 1, max_listing_pages/ar/section/11 2'
    """
    return ", ".join(f"{name} {count}" for name, count in counts.items())


@monitors.name("stories failed")
class FailedStoriesMonitor(BaseScrapyMonitor):
    @monitors.name("failed stories within their limit")
    def test_failed(self) -> None:
        settings, stats = self.crawler.settings, self.data.stats
        count = stats_sum(stats, "newscrawler/outcomes/failed:")
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
        met, ended = stats.get("newscrawler/outcomes_met", 0), stats_sum(stats, "newscrawler/outcomes/")
        self.assertEqual(met, ended, f"{met} stories met, {ended} with an outcome ({met - ended} unaccounted)")


@monitors.name("listing walks stopped early")
class EarlyStopsMonitor(BaseScrapyMonitor):
    @monitors.name("every walk reached its listing's end or the run's arguments")
    def test_early_stops(self) -> None:
        stops = counts_by_prefix(self.data.stats, "newscrawler/walk_stopped_early/")
        limit = self.crawler.settings.getint("NEWSCRAWLER_MONITOR_MAX_EARLY_STOPS")
        named = _named(stops)
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
        HttpErrorsMonitor,
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
