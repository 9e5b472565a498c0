"""Drop records that are not a story: a page without the fields every story has is never exported."""

from __future__ import annotations

from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawler.components import switched_off
from newscrawler.items import Removal
from newscrawler.outcomes import drop


class RequiredFieldsPipeline:
    """Drop an item missing any of ``NEWSCRAWLER_REQUIRED_FIELDS``; count it as
    ``newscrawler/dropped/missing_{field}`` (the first field missing). Deletion records pass."""

    def __init__(self, fields: list[str], stats: StatsCollector) -> None:
        self.fields = fields
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        fields = crawler.settings.getlist("NEWSCRAWLER_REQUIRED_FIELDS")
        if not fields:
            raise switched_off(cls, "NEWSCRAWLER_REQUIRED_FIELDS is empty")
        assert crawler.stats is not None
        return cls(fields, crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Removal):  # a deletion record carries no content by design
            return item
        adapter = ItemAdapter(item)
        for name in self.fields:
            if adapter.get(name) in (None, "", [], {}):
                self.stats.inc_value(f"newscrawler/dropped/missing_{name}")
                raise drop(f"dropped:missing_{name}", f"missing {name}: {adapter.get('url')}")
        return item
