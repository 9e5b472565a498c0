"""One record per story: drop a second record with the same identity in one run."""

from __future__ import annotations

from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawler.components import switched_off
from newscrawler.outcomes import drop


class DuplicatesPipeline:
    """Drop an item whose ``NEWSCRAWLER_IDENTITY_FIELDS`` values were already seen this run
    (counted as ``newscrawler/dropped/duplicate``)."""

    def __init__(self, fields: list[str], stats: StatsCollector) -> None:
        self.fields = fields
        self.stats = stats
        self.seen: set[tuple[Any, ...]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        fields = crawler.settings.getlist("NEWSCRAWLER_IDENTITY_FIELDS")
        if not fields:
            raise switched_off(cls, "NEWSCRAWLER_IDENTITY_FIELDS is empty")
        assert crawler.stats is not None
        return cls(fields, crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        key = tuple(adapter.get(name) for name in self.fields)
        if key in self.seen:
            self.stats.inc_value("newscrawler/dropped/duplicate")
            raise drop(None, f"duplicate {key}")  # the first record of the story ends it
        self.seen.add(key)
        return item
