"""Spider contracts for ``scrapy check`` beside Scrapy's ``@url``/``@returns``/``@scrapes`` (registered in
``SPIDER_CONTRACTS``), so that a check fails when extraction breaks rather than only when a callback raises:

- ``@on_base_url``: the ``@url`` moved to where the crawl reads the site (``-a base_url=``, e.g. a snapshot served
  on loopback), through the spider's ``page_url(url, **arguments)``;
- ``@filled FIELD ...``: every item has each field, with a value (not null, not empty);
- ``@extracted_by PATH``: every item's ``metadata.extraction`` is ``PATH`` (``site``: read by the site's own rules,
  not the generic fallback);
- ``@requests_with KEY ...``: some request the callback returned carries each meta ``KEY`` with a value;
- ``@no_stats PREFIX``: no stat under ``PREFIX`` was counted (e.g. listings read by the fallback).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy import Request
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


def _spider(contract: Contract) -> Any:
    return contract.method.__self__  # type: ignore[attr-defined]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class _Contract(Contract):
    def __init__(self, method: Any, *args: Any) -> None:
        super().__init__(method, *args)
        self.method = method


class OnBaseUrlContract(_Contract):
    """``@on_base_url``: fetch the ``@url`` (written on the real host) where the spider reads the site."""

    name = "on_base_url"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        spider = _spider(self)
        args["url"] = spider.page_url(args["url"], **getattr(spider, "run_arguments", {}))
        return args


class FilledContract(_Contract):
    """``@filled FIELD ...``: each item holds every named field with a value."""

    name = "filled"

    def post_process(self, output: list[Any]) -> None:
        for item in (x for x in output if is_item(x)):
            adapter = ItemAdapter(item)
            missing = [name for name in self.args if _empty(adapter.get(name))]
            if missing:
                raise ContractFail(f"empty fields: {', '.join(missing)}")


class ExtractedByContract(_Contract):
    """``@extracted_by PATH``: each item's ``metadata.extraction`` names ``PATH`` as its method."""

    name = "extracted_by"

    def post_process(self, output: list[Any]) -> None:
        for item in (x for x in output if is_item(x)):
            extraction = (ItemAdapter(item).get("metadata") or {}).get("extraction")
            path = extraction.get("method") if isinstance(extraction, dict) else extraction
            if path != self.args[0]:
                raise ContractFail(f"extracted by {path!r}, not {self.args[0]!r}")


class RequestsWithContract(_Contract):
    """``@requests_with KEY ...``: at least one returned request carries every named meta key with a value."""

    name = "requests_with"

    def post_process(self, output: list[Any]) -> None:
        requests = [x for x in output if isinstance(x, Request)]
        if not any(all(not _empty(r.meta.get(key)) for key in self.args) for r in requests):
            raise ContractFail(f"no request with {', '.join(self.args)} among {len(requests)}")


class NoStatsContract(_Contract):
    """``@no_stats PREFIX``: the crawl counted nothing under ``PREFIX`` while the callback ran."""

    name = "no_stats"

    def post_process(self, output: list[Any]) -> None:
        stats = _spider(self).crawler.stats.get_stats()
        counted = sorted(key for key, value in stats.items() if key.startswith(self.args[0]) and value)
        if counted:
            raise ContractFail(f"counted {', '.join(counted)}")
