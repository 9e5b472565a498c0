"""Versioned exports: every record carries ``metadata.version`` and ``metadata.contentHash``; with crawl state a
record goes out only when its story is new, changed, or gone.

New story: version 1. Changed ``dateModified`` or content (:func:`~newscrawler.state.policy.changed`), or back
after a removal: the stored version plus one. Unchanged: dropped, counted as ``newscrawler/unchanged``, logged at
debug level. A deletion record (:class:`~newscrawler.items.Removal`): the stored version plus one, and the state
remembers the story as removed. Without crawl state every record is version 1 (the first this run knows of).
``contentHash`` is :func:`~newscrawler.state.policy.content_hash`, whatever the run. The merge rule consumers
and the corpus apply is in :mod:`newscrawler.corpus.merge`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newscrawler.items import Removal
from newscrawler.outcomes import drop
from newscrawler.state.extension import CrawlState
from newscrawler.state.policy import changed, content_hash


class VersionsPipeline:
    def __init__(self, crawler: Crawler, state: CrawlState | None) -> None:
        self.crawler, self.state = crawler, state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, getattr(crawler, "crawl_state", None))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)  # read in place: asdict() would deep-copy every record
        if isinstance(item, Removal):
            return self._removal(adapter, item)
        digest = content_hash(adapter)
        if self.state is None:
            _stamp(adapter, 1, digest)
            return item
        key = (adapter["edition"], adapter["storyId"])
        known = self.state.known.get(key)
        section = section_of(adapter)
        if not changed(adapter, known):
            self.state.saw_record(key, adapter["url"], {"section": section})
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("newscrawler/unchanged")
            raise drop("unchanged", f"unchanged: {key}", log_level="DEBUG")
        version = (known.version if known else 0) + 1
        _stamp(adapter, version, digest)
        exported = {"date_modified": adapter.get("dateModified"), "content_hash": digest, "version": version}
        self.state.saw_record(key, adapter["url"], {**exported, "section": section, "removed": None})
        return item

    def _removal(self, adapter: ItemAdapter, item: Removal) -> Removal:
        """A deletion record takes the next version; the state keeps its content hash and marks it removed."""
        key = (item.edition, item.storyId)
        known = self.state.known.get(key) if self.state is not None else None
        version = (known.version if known else 0) + 1
        adapter["metadata"] = {**(adapter.get("metadata") or {}), "version": version}
        if self.state is not None:
            self.state.saw_record(key, item.url, {"version": version, "removed": item.removed})
        return item


def _stamp(adapter: ItemAdapter, version: int, digest: str) -> None:
    adapter["metadata"] = {**(adapter.get("metadata") or {}), "version": version, "contentHash": digest}


def section_of(record: Mapping[str, Any]) -> str | None:
    """The name of the record's section: its first breadcrumb's.

    >>> section_of({"breadcrumbs": [{"name": "Iran", "url": "u"}]}), section_of({"breadcrumbs": []})
    ('Iran', None)
    """
    crumbs = record.get("breadcrumbs") or []
    return str(crumbs[0].get("name")) if crumbs and crumbs[0].get("name") else None
