"""The crawl state of one run: opened (and locked) when the crawler starts, committed when its export is
published. Other components reach it as ``crawler.crawl_state``.

Settings: ``NEWSCRAWLER_STATE`` (on by default), ``NEWSCRAWLER_STATE_PATH`` (default
``{NEWSCRAWLER_DATA_DIR}/state/{BOT_NAME}.sqlite3``), ``NEWSCRAWLER_RECHECK_DAYS``,
``NEWSCRAWLER_REVISIT_PER_RUN``, ``NEWSCRAWLER_KNOWN_STREAK``.

Scope: a run whose spider reads another site than its own (``spider.state_scope``: a mirror's or snapshot's host)
keeps its state in ``{BOT_NAME}@{host}.sqlite3`` beside the default file, so it never changes what a crawl of the
site skips. A one-off run with ``-o``/``-O`` keeps no state unless ``-s NEWSCRAWLER_STATE=1`` is given: it
exports everything it crawls.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newscrawler.exports import signals as export_signals
from newscrawler.exports.feeds import SCHEME, data_dir
from newscrawler.state.known import KnownStories
from newscrawler.state.store import StateStore, StoryState

logger = logging.getLogger(__name__)
Key = tuple[str, int]


def state_path(settings: BaseSettings, scope: str = "") -> Path:
    """Where the state file is: ``NEWSCRAWLER_STATE_PATH``, or under the data directory (per ``scope``)."""
    explicit = settings.get("NEWSCRAWLER_STATE_PATH")
    name = f"{settings['BOT_NAME']}@{scope}" if scope else str(settings["BOT_NAME"])
    return Path(explicit).resolve() if explicit else data_dir(settings) / "state" / f"{name}.sqlite3"


def keeps_state(settings: BaseSettings) -> bool:
    """``NEWSCRAWLER_STATE``, except that a one-off ``-o``/``-O`` run keeps none unless it is set on the command
    line (or another setting of at least that priority)."""
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    own = all(str(uri).startswith(SCHEME) for uri in settings.getdict("FEEDS"))  # the per-run export
    one_off = not own and (settings.getpriority("FEEDS") or 0) >= cmdline
    if one_off and (settings.getpriority("NEWSCRAWLER_STATE") or 0) < cmdline:
        return False
    return settings.getbool("NEWSCRAWLER_STATE", True)


def crawl_state_of(crawler: Crawler) -> CrawlState:
    """The run's crawl state; raises ``NotConfigured`` (switching the asking component off) when there is none."""
    state = getattr(crawler, "crawl_state", None)
    if state is None:
        raise NotConfigured("the run keeps no crawl state")
    return state  # type: ignore[no-any-return]


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CrawlState:
    """Known stories (as committed before the run) plus this run's observations, staged and applied around the
    publish."""

    def __init__(self, crawler: Crawler, store: StateStore) -> None:
        self.crawler, self.store = crawler, store
        settings = crawler.settings
        self.recheck_days = settings.getfloat("NEWSCRAWLER_RECHECK_DAYS", 3)
        self.revisit_budget = settings.getint("NEWSCRAWLER_REVISIT_PER_RUN", 20)
        self.known_streak = settings.getint("NEWSCRAWLER_KNOWN_STREAK", 24)
        self.run_id = settings.get("NEWSCRAWLER_RUN_ID") or now()
        #: Committed stories, read from the state file on demand.
        self.known = KnownStories(store.db)
        self.updates: dict[Key, StoryState] = {}
        self.newest_listed: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not keeps_state(crawler.settings):
            raise NotConfigured("NEWSCRAWLER_STATE is off, or a one-off -o/-O run")
        store = StateStore(state_path(crawler.settings, getattr(crawler.spider, "state_scope", "")))
        store.lock()
        ext = cls(crawler, store)
        crawler.crawl_state = ext  # type: ignore[attr-defined]
        crawler.signals.connect(ext.spider_opened, signals.spider_opened)
        crawler.signals.connect(ext.before_publish, export_signals.export_publishing)
        crawler.signals.connect(ext.after_publish, export_signals.export_published)
        crawler.signals.connect(ext.feed_slot_closed, signals.feed_slot_closed)
        crawler.signals.connect(ext.response_received, signals.response_received)
        crawler.signals.connect(ext.engine_stopped, signals.engine_stopped)
        return ext

    def spider_opened(self) -> None:
        started = time.perf_counter()
        for run_id, outcome in self.store.recover():
            logger.warning("crawl state: run %s had stopped before its commit; %s", run_id, outcome)
        self.crawler.stats.set_value("newscrawler/state/known", len(self.known))
        self.crawler.stats.set_value("newscrawler/state/load_seconds", round(time.perf_counter() - started, 3))

    def current(self, key: Key) -> StoryState | None:
        """The story as this run leaves it so far (its updates over the stored row)."""
        return self.updates.get(key) or self.known.get(key)

    def saw_listed(self, key: Key, url: str, listed_time: str | None, listed_raw: str | None) -> None:
        if listed_time and (self.newest_listed is None or listed_time > self.newest_listed):
            self.newest_listed = listed_time
        base = self.current(key) or StoryState(key[0], key[1], first_seen=now())
        self.updates[key] = replace(
            base,
            last_seen=now(),
            listed_raw=listed_raw or base.listed_raw,
            url=url,
            listed_time=max(filter(None, (listed_time, base.listed_time)), default=None),
        )

    def saw_record(self, key: Key, url: str, exported: dict[str, Any] | None) -> None:
        """A story page was fetched; ``exported`` carries ``date_modified``/``content_hash``/``version`` if a
        record goes out, and ``section`` when known."""
        base = self.current(key) or StoryState(key[0], key[1], first_seen=now())
        self.updates[key] = replace(base, url=url, last_checked=now(), **(exported or {}))

    def response_received(self, response: Any, request: Any) -> None:
        """A story that answers 404/410 (deleted) counts as checked, so revisits move on to other stories."""
        key = request.meta.get("story_key")
        if key is not None and response.status in (404, 410):
            self.saw_record(tuple(key), request.url, None)

    def oldest_checked(self) -> list[StoryState]:
        """Known stories to revisit this run: every one never fetched (a failure or a stopped run left it), then
        those checked longest ago, up to the budget."""
        return self.known.oldest_checked(self.revisit_budget)

    def before_publish(self, path: str) -> None:
        self.store.stage(self.run_id, path, list(self.updates.values()))

    def after_publish(self, path: str) -> None:
        count = self.store.apply(self.run_id)
        self.crawler.stats.set_value("newscrawler/state/committed", count)

    def feed_slot_closed(self, slot: Any) -> None:
        """Scrapy's own feeds (``-o``/``-O``): commit once the feed is stored (not crash-atomic: see README)."""
        if not isinstance(slot.uri, str) or not slot.uri.startswith(SCHEME):
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            if not any(k.startswith("feedexport/failed_count/") for k in stats):
                self.before_publish(slot.uri)
                self.after_publish(slot.uri)

    def engine_stopped(self) -> None:
        self._say_if_all_known()
        if not self.crawler.settings.getdict("FEEDS") and self.updates:
            self.before_publish("")
            self.after_publish("")
        self.store.close()

    def _say_if_all_known(self) -> None:
        """One line when the run exported nothing because every story it met was known and unchanged."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        known = int(stats.get("newscrawler/incremental/known", 0)) + int(stats.get("newscrawler/unchanged", 0))
        if known and not stats.get("item_scraped_count"):
            logger.warning(
                "nothing exported: all %d stories met are known and unchanged in %s (-a full=1 fetches them again; "
                "-s NEWSCRAWLER_STATE=0 exports everything)",
                known,
                self.store.path,
            )
