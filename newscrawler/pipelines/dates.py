"""Normalise dates: each ``*Raw`` text to ISO 8601 with the site's offset, by ``parse_timestamp``."""

from __future__ import annotations

import logging
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawler.dates import isoformat, parse_timestamp, warm_up
from newscrawler.items import Removal

logger = logging.getLogger(__name__)
#: Normalised field -> the raw text it is read from.
DATE_FIELDS = {"dateModified": "dateModifiedRaw", "datePublished": "datePublishedRaw"}


class DatesPipeline:
    """A raw date that does not parse keeps its ``*Raw`` value, gets a null normalised field, is counted
    (``newscrawler/date_unparsed/{field}``) and logged with the story's URL."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        warm_up()
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Removal):
            return item
        adapter = ItemAdapter(item)
        for name, raw_name in DATE_FIELDS.items():
            raw = adapter.get(raw_name)
            adapter[name] = isoformat(parse_timestamp(raw)) if raw else None
            if raw and adapter[name] is None:
                self.stats.inc_value(f"newscrawler/date_unparsed/{name}")
                logger.warning("unparsed %s %r in %s", raw_name, raw, adapter.get("url"))
        return item
