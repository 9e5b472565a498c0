"""Versioned exports for incremental runs: a record goes out only when its story is new or changed.

New story: ``metadata.version`` 1. Changed ``dateModified`` or content (:func:`~newscrawler.state.policy.changed`):
the stored version plus one. Unchanged: dropped, counted as ``newscrawler/unchanged``, logged at debug level.
Consumers upsert on ``(edition, storyId)`` and keep the highest version. Off without crawl state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newscrawler.outcomes import drop
from newscrawler.state.extension import CrawlState, crawl_state_of
from newscrawler.state.policy import changed, content_hash


class VersionsPipeline:
    def __init__(self, crawler: Crawler, state: CrawlState) -> None:
        self.crawler, self.state = crawler, state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawl_state_of(crawler))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)  # read in place: asdict() would deep-copy every record
        key = (adapter["edition"], adapter["storyId"])
        known = self.state.known.get(key)
        section = section_of(adapter)
        if not changed(adapter, known):
            self.state.saw_record(key, adapter["url"], {"section": section})
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("newscrawler/unchanged")
            raise drop("unchanged", f"unchanged: {key}", log_level="DEBUG")
        version = (known.version if known else 0) + 1
        adapter["metadata"] = {**(adapter.get("metadata") or {}), "version": version}
        self.state.saw_record(
            key,
            adapter["url"],
            {
                "date_modified": adapter.get("dateModified"),
                "content_hash": content_hash(adapter),
                "version": version,
                "section": section,
            },
        )
        return item


def section_of(record: Mapping[str, Any]) -> str | None:
    """The name of the record's section: its first breadcrumb's.

    >>> section_of({"breadcrumbs": [{"name": "Iran", "url": "u"}]}), section_of({"breadcrumbs": []})
    ('Iran', None)
    """
    crumbs = record.get("breadcrumbs") or []
    return str(crumbs[0].get("name")) if crumbs and crumbs[0].get("name") else None
