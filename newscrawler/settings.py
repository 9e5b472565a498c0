"""Scrapy settings for newscrawler. Only values that differ from Scrapy's defaults, each with its reason.

Every one can be overridden per run with ``-s NAME=VALUE`` (or in scrapyd's job settings).
"""

import os

from newscrawler.items import EXPORT_FIELDS

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"
# Project commands: `crawl` checks spider arguments before starting and exits non-zero on a failed run.
COMMANDS_MODULE = "newscrawler.commands"

# Politeness towards the real host (Scrapy's defaults are a generic bot name and no throttling).
USER_AGENT = "newscrawler/0.1 (+https://github.com/newscrawler/newscrawler; news archive ingestion)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # default 8: one small news site
DOWNLOAD_DELAY = 0.5  # AutoThrottle's floor
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
HTTPCACHE_ENABLED = False

# Deleted stories answer 404: let the spider's errback see them to count them by reason.
HTTPERROR_ALLOWED_CODES: list[int] = []
RETRY_TIMES = 3  # default 2: the site is known to stall under load

ITEM_PIPELINES = {
    "newscrawler.pipelines.text.TextPipeline": 100,
    "newscrawler.pipelines.dates.DatesPipeline": 200,
    "newscrawler.pipelines.required.RequiredFieldsPipeline": 300,
    "newscrawler.pipelines.duplicates.DuplicatesPipeline": 400,
    "newscrawler.pipelines.versions.VersionsPipeline": 500,  # off without crawl state
}
EXTENSIONS = {
    "newscrawler.state.extension.CrawlState": 10,  # before the middleware and pipeline that use it
    "newscrawler.exports.manifest.ManifestWriter": 20,
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
}
SPIDER_MIDDLEWARES = {"newscrawler.state.middleware.IncrementalMiddleware": 900}
# Archive sources (-a source=wayback|commoncrawl|warc): download slots and the middleware answering captures.
ADDONS = {"newscrawler.sources.addon.ArchiveSources": 0}
#: Seconds between index (CDX) queries, one at a time: the Internet Archive allows about 24 a minute.
NEWSCRAWLER_CDX_DELAY = 2.5
#: Captures per Wayback CDX page (`limit`); further pages are asked for with `resumeKey`.
NEWSCRAWLER_CDX_PAGE_SIZE = 5000
#: Capture downloads (Wayback replay, Common Crawl ranges): seconds apart, and how many at a time.
NEWSCRAWLER_REPLAY_DELAY = 1.0
NEWSCRAWLER_REPLAY_CONCURRENCY = 1

# Incremental runs. The state file remembers every story (listed time, dateModified, content hash, version).
#: Keep crawl state (and crawl incrementally; `-a full=1` fetches everything). Off: every run exports all.
NEWSCRAWLER_STATE = True
#: The state file; default {NEWSCRAWLER_DATA_DIR}/state/newscrawler.sqlite3.
NEWSCRAWLER_STATE_PATH = os.environ.get("NEWSCRAWLER_STATE_PATH", "")
#: Refetch stories listed within this many days of the newest listed time seen in the run.
NEWSCRAWLER_RECHECK_DAYS = 3
#: Known stories revisited per run, checked longest ago first.
NEWSCRAWLER_REVISIT_PER_RUN = 20
#: A listing walk stops after this many consecutive known, not newer stories (two listing pages).
NEWSCRAWLER_KNOWN_STREAK = 24
#: A record without these is not a story and is dropped, counted by the first field missing.
NEWSCRAWLER_REQUIRED_FIELDS = ["headline", "articleBody"]
#: A story's identity: one record per value in a run.
NEWSCRAWLER_IDENTITY_FIELDS = ["edition", "storyId"]

# Exports: UTF-8 with Arabic unescaped (Scrapy escapes non-ASCII in JSON by default), keys in schema order.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = EXPORT_FIELDS
# `atomic://PATH` feeds: written under a temporary name, published by rename with a manifest beside them.
FEED_STORAGES = {"atomic": "newscrawler.exports.storage.AtomicFileFeedStorage"}
#: Where runs write (exports, and later crawl state); also read from the environment.
NEWSCRAWLER_DATA_DIR = os.environ.get("NEWSCRAWLER_DATA_DIR", "data")
#: With no -o/-O, `scrapy crawl` writes {data}/exports/{spider}/{YYYY-MM-DD}/{run-id}.jsonl; False: no export.
NEWSCRAWLER_EXPORT = True
#: Compress the per-run export (`.jsonl.gz`).
NEWSCRAWLER_EXPORT_GZIP = False

# Stories pass their listing's date along in request meta; keep the order a listing gives.
DEPTH_PRIORITY = 0
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

# Monitors (spidermon), run when the spider closes; thresholds documented in newscrawler/monitors.py.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["newscrawler.monitors.CloseMonitors"]
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True  # a null field is not covered (spidermon counts it by default)
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
SPIDERMON_MAX_DOWNLOADER_EXCEPTIONS = 10
NEWSCRAWLER_MONITOR_MIN_LISTED = 1
NEWSCRAWLER_MONITOR_MIN_RECORDS = 0
NEWSCRAWLER_MONITOR_COVERAGE = {"headline": 1.0, "articleBody": 1.0, "dateModified": 0.9}
NEWSCRAWLER_MONITOR_COVERAGE_MIN_RECORDS = 20  # shares of fewer records are noise
NEWSCRAWLER_MONITOR_MAX_DATE_FAILURES = 0
# 4xx/5xx answers allowed: the larger of a count and a share of the requests (deleted stories answer 404).
NEWSCRAWLER_MONITOR_MAX_4XX = 20
NEWSCRAWLER_MONITOR_MAX_4XX_SHARE = 0.02
NEWSCRAWLER_MONITOR_MAX_5XX = 5
NEWSCRAWLER_MONITOR_MAX_5XX_SHARE = 0.01
