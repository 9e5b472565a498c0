"""Checkpoints: a long run publishes its per-run export in parts, and commits its crawl state with each part.

Scrapy's feed exporter, with one change for the per-run export (``atomic://``): every
``NEWSCRAWLER_CHECKPOINT_ITEMS`` records, or once ``NEWSCRAWLER_CHECKPOINT_SECONDS`` have passed since the open
part began and it holds a record, the part is closed and published (fsync, rename, then its manifest) and the
next part opened. The crawl state rows of the records in the part, and every observation that holds no record
(listing sightings, unchanged or deleted stories), are staged before the rename and applied after it (see
:mod:`newscrawler.state.extension`): the published part stays the commit point. When the time passes while the
open part is empty (an archive's index or listing phase), the observations are committed alone.

Naming (:func:`~newscrawler.exports.feeds.part_of`): a run that reaches a checkpoint publishes
``{run-id}.p00001.jsonl``, ``.p00002``... each with its manifest (``part``, ``final``); the part published when
the run closes is ``final`` (it may hold no record). A run that never reaches one publishes ``{run-id}.jsonl`` as
before. A stop on request (SIGTERM, Ctrl-C) closes the run the same way: what it had is published, and the next
run of the same command resumes (:mod:`newscrawler.state.resume`).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter, FeedSlot
from twisted.internet import task

from newscrawler.exports.storage import AtomicFileFeedStorage

logger = logging.getLogger(__name__)
#: How often the clock is looked at when no record comes (a checkpoint is never later than this past due).
TICK_SECONDS = 5.0


class CheckpointFeedExporter(FeedExporter):
    """``FeedExporter`` whose ``atomic://`` feed is published in parts (the other feeds are Scrapy's as ever)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.every_items = crawler.settings.getint("NEWSCRAWLER_CHECKPOINT_ITEMS", 5000)
        self.every_seconds = crawler.settings.getfloat("NEWSCRAWLER_CHECKPOINT_SECONDS", 900)
        self.part_began = time.monotonic()
        self.clock = task.LoopingCall(self.tick)
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        exporter = cls(crawler)
        crawler.signals.connect(exporter.stop_clock, signals.spider_closed)  # first: no checkpoint while closing
        crawler.signals.connect(exporter.open_spider, signals.spider_opened)
        crawler.signals.connect(exporter.start_clock, signals.spider_opened)
        crawler.signals.connect(exporter.close_spider, signals.spider_closed)
        crawler.signals.connect(exporter.item_scraped, signals.item_scraped)
        return exporter

    def start_clock(self) -> None:
        if self.every_seconds > 0:
            self.clock.start(min(TICK_SECONDS, self.every_seconds), now=False)

    def stop_clock(self, spider: Spider, reason: str) -> None:
        self.closing = True
        if self.clock.running:
            self.clock.stop()
        parts = [slot.storage.part or 0 for slot in self._atomic()]  # type: ignore[attr-defined]
        if reason == "shutdown" and parts:
            at = f" at part {max(parts)}" if any(parts) else ""
            logger.info(  # the signal's notice already said so at any level (newscrawler.interrupts)
                "stopped on request%s: rerun the same command to resume", at
            )

    def item_scraped(self, item: Any, spider: Spider) -> None:
        super().item_scraped(item, spider)
        state = getattr(self.crawler, "crawl_state", None)
        if state is not None:
            adapter = ItemAdapter(item)
            state.written((adapter.get("edition"), adapter.get("storyId")))
        if any(self._due(slot) for slot in self.slots):
            self.checkpoint()

    def tick(self) -> None:
        """The clock: a checkpoint when one is due; with no record waiting, commit the observations alone."""
        if any(self._due(slot) for slot in self.slots):
            self.checkpoint()
        elif time.monotonic() - self.part_began >= self.every_seconds:
            state = getattr(self.crawler, "crawl_state", None)
            if state is not None and not any(s.itemcount for s in self._atomic()):
                state.commit_observations()
            self.part_began = time.monotonic()

    def checkpoint(self) -> None:
        """Publish the open part of the per-run export (with the state its records make) and open the next."""
        self.slots = [self._next_part(slot) if slot.itemcount and _atomic(slot) else slot for slot in self.slots]
        self.part_began = time.monotonic()

    def _due(self, slot: FeedSlot) -> bool:
        if self.closing or not (_atomic(slot) and slot.itemcount):
            return False
        late = self.every_seconds > 0 and time.monotonic() - self.part_began >= self.every_seconds
        return late or (self.every_items > 0 and slot.itemcount >= self.every_items)

    def _atomic(self) -> list[FeedSlot]:
        return [slot for slot in self.slots if _atomic(slot)]

    def _next_part(self, slot: FeedSlot) -> FeedSlot:
        storage: AtomicFileFeedStorage = slot.storage  # type: ignore[assignment]
        storage.part, storage.final = storage.part or 1, False
        state = getattr(self.crawler, "crawl_state", None)
        if state is not None:
            state.seal(str(storage.final_path))
        self._schedule_slot_close(slot, slot.spider)
        # batch 1: Scrapy stores an empty batch only when it is the first, and a run's last part is always stored
        following = self._start_new_batch(1, slot.uri, self.feeds[slot.uri_template], slot.spider, slot.uri_template)
        following.storage.part = storage.part + 1  # type: ignore[attr-defined]
        return following


def _atomic(slot: FeedSlot) -> bool:
    return isinstance(slot.storage, AtomicFileFeedStorage)
