"""The crawl state of one run: opened (and locked) when the crawler starts, committed when its export is
published. Other components reach it as ``crawler.crawl_state``.

With checkpoints (:mod:`newscrawler.exports.checkpoints`) the state is committed with each published part: a
story's row waits (:attr:`CrawlState.pending`) until its record is written to the open part, and goes with that
part; observations without a record go with the next part, or alone when no record waits. A run that did not
finish is resumed by the next run of the same command (:mod:`newscrawler.state.resume`).

Settings: ``NEWSCRAWLER_STATE`` (on by default), ``NEWSCRAWLER_STATE_PATH`` (default
``{NEWSCRAWLER_DATA_DIR}/state/{BOT_NAME}.sqlite3``), ``NEWSCRAWLER_RECHECK_DAYS``,
``NEWSCRAWLER_REVISIT_PER_RUN``, ``NEWSCRAWLER_KNOWN_STREAK``.

Scope: a run whose spider reads another site than its own (``spider.state_scope``: a mirror's or snapshot's host)
keeps its state in ``{BOT_NAME}@{host}.sqlite3`` beside the default file, so it never changes what a crawl of the
site skips. A one-off run with ``-o``/``-O`` keeps no state unless ``-s NEWSCRAWLER_STATE=1`` is given: it
exports everything it crawls.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.defer import deferred_from_coro

from newscrawler.components import switched_off
from newscrawler.exports import signals as export_signals
from newscrawler.exports.feeds import SCHEME, data_dir
from newscrawler.state.known import KnownStories
from newscrawler.state.resume import RunChain
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
        raise NotConfigured()  # the asking component is off: the state logged why
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
        #: Rows of stories whose record is on its way to the export (committed with the part that holds it).
        self.pending: dict[Key, StoryState] = {}
        #: Rows sealed at a checkpoint, by the path of the part they are committed with.
        self.sealed: dict[str, list[StoryState]] = {}
        self.newest_listed: str | None = None
        self._chain: RunChain | None = None
        #: Why the state could not be written (the run stops, publishing nothing), or "".
        self.failed = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not keeps_state(crawler.settings):
            raise switched_off(cls, "NEWSCRAWLER_STATE is off, or a one-off -o/-O run")
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
        try:
            self.chain  # noqa: B018  # recorded now: a state that cannot be written stops the run before any story
        except sqlite3.OperationalError as error:
            self._stop_crawl(error)

    def _stop_crawl(self, error: sqlite3.Error) -> None:
        self.failed = str(error)
        logger.error("crawl state cannot be written, stopping the crawl; nothing will be published: %s", error)
        self.crawler.stats.set_value("newscrawler/state_failed", str(error))
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="state_failed"))

    @property
    def chain(self) -> RunChain:
        """This run in its chain of resumed runs (recorded when first asked for, once the spider exists)."""
        if self._chain is None:
            spider = self.crawler.spider
            command = json.dumps([getattr(spider, "name", ""), getattr(spider, "run_arguments", {})], sort_keys=True)
            self._chain = RunChain(self.store.db, self.run_id, command)
        return self._chain

    @property
    def resumes(self) -> str | None:
        """The id of the run this one resumes (it had not finished), or None."""
        return None if self.failed else self.chain.resumes

    def done_before(self, key: Key) -> bool:
        """True when the run resumes a chain that has already checked this story (and committed it)."""
        if self.chain.resumes is None:
            return False  # most runs resume nothing: no look-up for every story listed
        known = self.known.get(key)
        return self.chain.done_before(known.last_checked if known is not None else None)

    def known_before_chain(self, key: Key) -> StoryState | None:
        """The story as the state knew it before this run (and the runs it resumes) began, or None: what a listing
        walk's streak of known stories is judged on, never what this run's other walks fetched and committed."""
        known = self.known.get(key)
        return None if known is None or self.chain.checked_in_chain(known.last_checked) else known

    def current(self, key: Key) -> StoryState | None:
        """The story as this run leaves it so far (its updates over the stored row)."""
        return self.pending.get(key) or self.updates.get(key) or self.known.get(key)

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
        row = replace(base, url=url, last_checked=now(), **(exported or {}))
        if exported and exported.get("content_hash"):
            self.pending[key] = row
            self.updates.pop(key, None)
        else:
            self.updates[key] = row

    def written(self, key: Key) -> None:
        """The record of ``key`` was written to the open part: its row goes with that part."""
        row = self.pending.pop(key, None)
        if row is not None:
            self.updates[key] = row

    def seal(self, path: str) -> None:
        """A checkpoint: the rows so far (records written to the part closing) go with the part at ``path``."""
        self.sealed[path] = list(self.updates.values())
        self.updates = {}

    def commit_observations(self) -> None:
        """Commit the rows that wait for no record (no record is in the open part), without a publication."""
        if self.updates:
            self.store.stage(self.run_id, None, list(self.updates.values()))
            self._applied(self.store.apply(self.run_id))
            self.updates = {}

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
        """Stage the rows of the part at ``path`` (the run's last publication: every row left); raises when the
        state cannot be written (then nothing is published)."""
        if self.failed:
            raise sqlite3.OperationalError(f"the crawl state cannot be written: {self.failed}")
        rows = self.sealed.pop(path, None)
        if rows is None:
            rows, self.updates, self.pending = [*self.updates.values(), *self.pending.values()], {}, {}
        self.store.stage(self.run_id, path, rows)

    def after_publish(self, path: str) -> None:
        if self.failed:
            return
        self._applied(self.store.apply(self.run_id))

    def _applied(self, count: int) -> None:
        self.crawler.stats.inc_value("newscrawler/state/committed", count)

    def feed_slot_closed(self, slot: Any) -> None:
        """Scrapy's own feeds (``-o``/``-O``): commit once the feed is stored (not crash-atomic: see README)."""
        if not isinstance(slot.uri, str) or not slot.uri.startswith(SCHEME):
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            if not any(k.startswith("feedexport/failed_count/") for k in stats):
                self.before_publish(slot.uri)
                self.after_publish(slot.uri)

    def engine_stopped(self) -> None:
        if self.failed:
            self.store.close()
            return
        self._say_if_all_known()
        if not self.crawler.settings.getdict("FEEDS") and (self.updates or self.pending):
            self.before_publish("")
            self.after_publish("")
        self.chain.finish(self.crawler.stats.get_value("finish_reason"))
        self.store.close()

    def _say_if_all_known(self) -> None:
        """One line when the run exported nothing because every story it met was known and unchanged."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        known = int(stats.get("newscrawler/incremental/known", 0)) + int(stats.get("newscrawler/unchanged", 0))
        if known and not stats.get("item_scraped_count"):
            # A one-off -o/-O run asked for state would write an empty file: say why at any level; a scheduled run
            # that finds nothing new is normal, and says so at INFO.
            logger.log(
                logging.WARNING if self.crawler.settings.getdict("FEEDS") else logging.INFO,
                "nothing exported: all %d stories met are known and unchanged in %s (-a full=1 fetches them again; "
                "-s NEWSCRAWLER_STATE=0 exports everything)",
                known,
                self.store.path,
            )
