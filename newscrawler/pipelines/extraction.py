"""Count how each record was read: by the site's rules, or with fields from the generic extractor.

Stats: ``newscrawler/extraction/records/{site,generic}`` per record, ``newscrawler/extraction/generic/{field}``
per field that fell back. The generic-extraction monitor judges them; the manifest lists them.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class ExtractionStatsPipeline:
    """Reads ``metadata.extraction``: ``{"method": "site"|"generic", "generic": [fields]}``; a deletion
    record (no ``extraction``) is not counted."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        extraction = (ItemAdapter(item).get("metadata") or {}).get("extraction")
        if extraction is None:
            return item
        fields = extraction.get("generic", [])
        self.stats.inc_value(f"newscrawler/extraction/records/{'generic' if fields else 'site'}")
        for name in fields:
            self.stats.inc_value(f"newscrawler/extraction/generic/{name}")
        if fields:
            logger.debug("read by the generic extractor (%s): %s", ", ".join(fields), ItemAdapter(item).get("url"))
        return item
