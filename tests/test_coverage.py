"""Field coverage counted by newscrawler.coverage gives the stats spidermon's own counting gives."""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.utils.field_coverage import calculate_field_coverage

from newscrawler.coverage import FieldCoverage
from newscrawler.items import Article
from tests.conftest import SNAPSHOT, read_jsonl

SETTINGS = {"SPIDERMON_ENABLED": True, "NEWSCRAWLER_FIELD_COVERAGE": True}


def articles() -> list[Article]:
    names = {f.name for f in fields(Article)}
    records = [{k: v for k, v in r.items() if k in names} for r in read_jsonl(SNAPSHOT / "expected.jsonl")]
    edge = {**records[0], "headline": "", "imageCaption": "N/A", "mainImage": {"url": "-"}, "authors": []}
    return [Article(**r) for r in [*records, edge]]


def counted_by_spidermon(items: list[Article]) -> dict[str, Any]:
    own = {"SPIDERMON_ADD_FIELD_COVERAGE": True, "SPIDERMON_FIELD_COVERAGE_SKIP_NONE": True}
    crawler = get_crawler(settings_dict={**SETTINGS, **own})
    extension = Spidermon.from_crawler(crawler)
    for item in items:
        extension.item_scraped(item, None, SimpleNamespace(crawler=crawler))
    return crawler.stats.get_stats()


def counted_here(items: list[Article]) -> dict[str, Any]:
    crawler = get_crawler(settings_dict={**SETTINGS, "SPIDERMON_ADD_FIELD_COVERAGE": False})
    extension = FieldCoverage.from_crawler(crawler)
    for item in items:
        extension.item_scraped(item)
    extension.spider_closed()
    return crawler.stats.get_stats()


def test_same_counts_and_shares_as_spidermon() -> None:
    items = articles()
    ours, theirs = counted_here(items), counted_by_spidermon(items)
    assert ours.pop("newscrawler/undated_stories") == sum(
        not ItemAdapter(item).get("datePublished") for item in items
    )  # ours only
    assert ours == theirs
    assert calculate_field_coverage(ours) == calculate_field_coverage(theirs)
    assert ours["spidermon_item_scraped_count/Article"] == len(items)


@pytest.mark.parametrize(
    "settings",
    [{"NEWSCRAWLER_FIELD_COVERAGE": False}, {"SPIDERMON_ADD_FIELD_COVERAGE": True}],
)
def test_off_by_setting_and_while_spidermon_counts(settings: dict[str, Any]) -> None:
    with pytest.raises(NotConfigured):
        FieldCoverage.from_crawler(get_crawler(settings_dict={**SETTINGS, **settings}))
