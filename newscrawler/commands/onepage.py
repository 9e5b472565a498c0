"""Settings for the commands that look at single pages (``scrapy parse``, ``scrapy check``): the page asked for
and nothing else. No crawl state is read or written, no export, manifest, monitors, outcome ledger, progress line
or WARC; robots.txt is not asked for and nothing is retried (a retry, a robots.txt fetch or a revisit would be a
request the user did not ask for)."""

from __future__ import annotations

from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: What a one-page command switches off; any of them given with ``-s`` stands.
ONE_PAGE: dict[str, Any] = {
    "NEWSCRAWLER_STATE": False,
    "NEWSCRAWLER_EXPORT": False,
    "NEWSCRAWLER_OUTCOMES": False,
    "NEWSCRAWLER_PROGRESS": False,
    "NEWSCRAWLER_WARC": False,
    "NEWSCRAWLER_FIELD_COVERAGE": False,
    "SPIDERMON_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "RETRY_ENABLED": False,
    "NEWSCRAWLER_SOFT_ERROR_RETRIES": 0,
    "TELNETCONSOLE_ENABLED": False,
    # AutoThrottle starts 5 s apart (AUTOTHROTTLE_START_DELAY): a check's few pages stay DOWNLOAD_DELAY apart.
    "AUTOTHROTTLE_ENABLED": False,
    # The command's own lines (the record, what the page is, why there is none) are the output.
    "LOG_LEVEL": "ERROR",
}


def one_page_settings(settings: BaseSettings) -> None:
    """Apply :data:`ONE_PAGE` above the project's settings, leaving what the command line set (``-s``, ``-L``)."""
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    for name, value in ONE_PAGE.items():
        if (settings.getpriority(name) or 0) < cmdline:
            settings.set(name, value, priority="cmdline")
