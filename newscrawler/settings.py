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
# Default 100: Scrapy starts that many asyncio tasks for every callback's output; our pipelines are synchronous,
# so the parallelism buys nothing and costs ~0.9 ms of CPU per response (benchmarks/README.md).
CONCURRENT_ITEMS = 1
RETRY_TIMES = 3  # default 2: the site is known to stall under load

# Faults (newscrawler/retries/): Scrapy's RetryMiddleware replaced by one with backoff and Retry-After host pauses.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawler.retries.middleware.PatientRetryMiddleware": 550,
    "newscrawler.retries.robots.RobotsGuard": 540,  # after retries: sees robots.txt's final answer
    "newscrawler.retries.answers.AnswerChecks": 560,  # after decompression (590), before retries
    "newscrawler.retries.answers.RedirectGuard": 650,  # before Scrapy's redirects (600)
    # WARC of the run's fetches (NEWSCRAWLER_WARC): next to the downloader, before decompression and redirects.
    "newscrawler.warc.recorder.WarcRecorder": 950,
}
DOWNLOAD_TIMEOUT = 30  # default 180: a stalled answer is retried sooner
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # default 1 GiB: no story page is near 10 MiB; bigger fails `too_large`
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024  # default 32 MiB: warn about pages far above the site's usual size
#: First retry's backoff in seconds (doubling per retry, times a random 0.5-1.5), and the longest one.
NEWSCRAWLER_RETRY_BACKOFF = 1.0
NEWSCRAWLER_RETRY_BACKOFF_MAX = 60.0
#: A Retry-After above this many seconds stops the crawl (reason `rate_limited`) instead of waiting.
NEWSCRAWLER_MAX_RETRY_AFTER = 600
#: Retry-After waits allowed per request (they do not use up RETRY_TIMES).
NEWSCRAWLER_RETRY_AFTER_TIMES = 10
#: A story page answered 200 without a story is retried this many times (with backoff) before it is dropped.
NEWSCRAWLER_SOFT_ERROR_RETRIES = 2
#: A listing walk stops early (a failure, newscrawler/walks.py) after this many pages, or after this many pages in a
#: row listing only stories its own earlier pages listed.
NEWSCRAWLER_MAX_LISTING_PAGES = 1000
NEWSCRAWLER_LISTING_STALE_PAGES = 5
#: Account for every story met: one outcome each, counted in the stats and the manifest (newscrawler/outcomes.py).
NEWSCRAWLER_OUTCOMES = True

ITEM_PIPELINES = {
    "newscrawler.pipelines.text.TextPipeline": 100,
    "newscrawler.pipelines.dates.DatesPipeline": 200,
    "newscrawler.pipelines.required.RequiredFieldsPipeline": 300,
    "newscrawler.pipelines.duplicates.DuplicatesPipeline": 400,
    "newscrawler.pipelines.extraction.ExtractionStatsPipeline": 450,  # counts site-rule vs generic records
    "newscrawler.pipelines.versions.VersionsPipeline": 500,  # version + content hash; drops unchanged with state
}
EXTENSIONS = {
    "newscrawler.state.extension.CrawlState": 10,  # before the middleware and pipeline that use it
    "newscrawler.exports.manifest.ManifestWriter": 20,
    "newscrawler.corpus.extension.CorpusUpdater": 25,  # after the manifest: the corpus takes in the run's export
    "newscrawler.outcomes.OutcomeLedger": 30,  # closes its books before the monitors read them
    "newscrawler.progress.Progress": 35,  # off unless standard error is a terminal
    "newscrawler.coverage.FieldCoverage": 40,  # writes its counts before spidermon turns them into shares
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
    # Scrapy 2.19's remote control (an aiohttp server taking commands), on by default: scheduled runs do not use
    # it, and importing aiohttp alone added ~0.18 s to every start-up (an order here instead of None brings it back).
    "scrapy.extensions.remote_control.RemoteControl": None,
    # Scrapy's telnet console, on by default: no scheduled run is debugged through it, and each run logged its
    # password (-s TELNETCONSOLE_ENABLED=1 still brings it back).
    "scrapy.extensions.telnet.TelnetConsole": None,
    # Scrapy's feed exporter, publishing the per-run export in parts at checkpoints (see below).
    "scrapy.extensions.feedexport.FeedExporter": None,
    "newscrawler.exports.checkpoints.CheckpointFeedExporter": 0,
}
# Scrapy's HTTP/1.1 handler, also keeping raw status lines and header lines for the WARC (unchanged when off).
DOWNLOAD_HANDLERS = {
    "http": "newscrawler.warc.handler.WarcHTTP11DownloadHandler",
    "https": "newscrawler.warc.handler.WarcHTTP11DownloadHandler",
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
#: Worker processes that read and extract story pages ahead during a local WARC rebuild (-a source=warc), which
#: waits on nothing but the CPU; -1: one less than the CPU count (at most 4); 0: all in the crawl's process.
NEWSCRAWLER_REBUILD_WORKERS = -1

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
# Checkpoints: a long run publishes its export in parts, with the crawl state committed with each, so a kill
# loses at most the work since the last one. Whichever comes first; 0 switches that trigger off. 15 minutes is
# ~800 stories at the archive's polite rate (~3,300 an hour): a kill costs at most that; a commit (fsync, rename,
# one SQLite transaction) costs milliseconds, and a 3-day backfill makes ~300 parts.
#: Records per part.
NEWSCRAWLER_CHECKPOINT_ITEMS = 5000
#: Seconds per part (the open part is published once it is this old and holds a record).
NEWSCRAWLER_CHECKPOINT_SECONDS = 900
#: Live progress line on an interactive terminal (never shown when stderr is not a terminal); 0: off.
NEWSCRAWLER_PROGRESS = True
#: Write every fetch (request and raw response) to {run-id}.warc.gz beside the export.
NEWSCRAWLER_WARC = False
#: After a run publishes its export, update {data}/corpus/{spider}/ (one record per story; newscrawler/corpus/).
NEWSCRAWLER_CORPUS = True

# Stories pass their listing's date along in request meta; keep the order a listing gives.
DEPTH_PRIORITY = 0
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

# Monitors (spidermon), run when the spider closes; thresholds documented in newscrawler/monitors.py.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["newscrawler.monitors.CloseMonitors"]
# Field coverage (spidermon_field_coverage/Article/{field}) is counted by newscrawler.coverage.FieldCoverage with the
# same keys at a fraction of the cost; spidermon's own counting would count every record twice.
SPIDERMON_ADD_FIELD_COVERAGE = False
#: Count field coverage for the monitors (a null or empty field is not covered).
NEWSCRAWLER_FIELD_COVERAGE = True
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
SPIDERMON_MAX_DOWNLOADER_EXCEPTIONS = 10
NEWSCRAWLER_MONITOR_MIN_LISTED = 1
NEWSCRAWLER_MONITOR_MIN_RECORDS = 0
NEWSCRAWLER_MONITOR_COVERAGE = {"headline": 1.0, "articleBody": 1.0, "dateModified": 0.9}
NEWSCRAWLER_MONITOR_COVERAGE_MIN_RECORDS = 20  # shares of fewer records are noise
NEWSCRAWLER_MONITOR_MAX_DATE_FAILURES = 0
# Generic extraction: records with fields the site's rules did not find, listing pages read without selectors.
NEWSCRAWLER_MONITOR_MAX_GENERIC_SHARE = 0.05
NEWSCRAWLER_MONITOR_MAX_GENERIC_LISTINGS = 0
# 4xx/5xx answers allowed: the larger of a count and a share of the requests (deleted stories answer 404).
NEWSCRAWLER_MONITOR_MAX_4XX = 20
NEWSCRAWLER_MONITOR_MAX_4XX_SHARE = 0.02
NEWSCRAWLER_MONITOR_MAX_5XX = 5
NEWSCRAWLER_MONITOR_MAX_5XX_SHARE = 0.01
# Stories that failed (after retries): the larger of a count and a share of the stories met.
NEWSCRAWLER_MONITOR_MAX_FAILED = 5
NEWSCRAWLER_MONITOR_MAX_FAILED_SHARE = 0.01
# A listing or author page that failed after its retries cut a walk short: the run fails.
NEWSCRAWLER_MONITOR_MAX_LISTING_FAILURES = 0
# Exported stories without datePublished (no listing capture dated them): above this share the run fails.
NEWSCRAWLER_MONITOR_MAX_UNDATED = 0.02
# Damaged WARC records skipped (each may have held a story): above this count the run fails.
NEWSCRAWLER_MONITOR_MAX_UNREADABLE = 0
#: Remote archives (wayback, commoncrawl): older listing captures replayed for stories still undated after the latest
#: capture of each listing page, at most this many per 100 stories in the index (benchmarks/README.md).
NEWSCRAWLER_LISTING_EXTRA_REPLAYS = 50

# `scrapy check`: contracts beside Scrapy's @url/@returns/@scrapes, so a check fails when extraction breaks.
SPIDER_CONTRACTS = {
    "newscrawler.contracts.OnBaseUrlContract": 10,
    "newscrawler.contracts.FilledContract": 20,
    "newscrawler.contracts.ExtractedByContract": 30,
    "newscrawler.contracts.RequestsWithContract": 40,
    "newscrawler.contracts.NoStatsContract": 50,
}
# Listing walks a guard may stop early (loop, repeated stories, hard cap, short of the pager's last page).
NEWSCRAWLER_MONITOR_MAX_EARLY_STOPS = 0
