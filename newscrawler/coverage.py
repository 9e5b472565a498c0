"""Field coverage for the monitors: spidermon's counts, kept in a dict and written to the stats once.

Spidermon counts coverage itself with ``SPIDERMON_ADD_FIELD_COVERAGE``, one stats call per field of every record
(through Scrapy 2.19's deprecation wrapper of each stats method), which cost ~5 % of a WARC rebuild
(``benchmarks/README.md``). :class:`FieldCoverage` counts the same keys in memory and adds them to the stats when
the spider closes, before spidermon's own close handler turns them into ``spidermon_field_coverage/...`` shares
(it is listed before spidermon in ``EXTENSIONS``, so its handler runs first).

Keys, as spidermon writes them with this project's settings (``SPIDERMON_FIELD_COVERAGE_SKIP_NONE``, lists not
descended into, dicts all the way down): ``spidermon_item_scraped_count``, ``.../{Type}``, ``.../{Type}/{field}``
and ``.../{Type}/{field}/{key}`` for a dict field. A field counts unless its value is empty (None, ``""``, ``[]``,
``{}``, any falsy value) or one of spidermon's placeholders ``"N/A"`` and ``"-"``.
It also writes ``newscrawler/undated_stories``: records without ``datePublished`` (for the monitors and the
manifest). Off with ``NEWSCRAWLER_FIELD_COVERAGE = False``, and while spidermon's own counting is on (it would
count twice).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

PREFIX = "spidermon_item_scraped_count"
#: Values spidermon skips by default besides empty ones (``SPIDERMON_FIELD_COVERAGE_SKIP_VALUES``).
PLACEHOLDERS = ("N/A", "-")


def covered(fields: Iterable[tuple[str, Any]], prefix: str) -> Iterator[str]:
    """The coverage key of every field with a value, nested dict keys under their field's key.

    >>> list(covered([("a", "x"), ("b", None), ("c", {"url": "u", "w": ""}), ("d", []), ("e", "N/A")], "T"))
    ['T/a', 'T/c', 'T/c/url']
    """
    for name, value in fields:
        if not value or (isinstance(value, str) and value in PLACEHOLDERS):
            continue
        key = f"{prefix}/{name}"
        yield key
        if isinstance(value, dict):
            yield from covered(value.items(), key)


class FieldCoverage:
    """Counts covered fields per record type (see the module)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.counts: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_FIELD_COVERAGE") or settings.getbool("SPIDERMON_ADD_FIELD_COVERAGE"):
            raise NotConfigured
        assert crawler.stats is not None
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.item_scraped, signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        record_type = f"{PREFIX}/{type(item).__name__}"
        self.counts.update((PREFIX, record_type, *covered(ItemAdapter(item).items(), record_type)))

    def spider_closed(self) -> None:
        for key, count in self.counts.items():
            self.stats.inc_value(key, count)
        article = f"{PREFIX}/Article"
        self.stats.set_value(
            "newscrawler/undated_stories", self.counts[article] - self.counts[f"{article}/datePublished"]
        )
