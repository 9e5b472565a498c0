"""The crawl's own shape with no work in its callbacks: Scrapy's cost of what the callbacks yield.

``GraphRecorder`` (a spider middleware, on in a recording run only) writes, for every response of a real crawl,
the requests and items its callback yielded. ``ReplaySpider`` then crawls the same site again and has each
callback yield exactly those requests and items again, read from the recording instead of from the page: the
same requests, redirects, duplicates and items flow through Scrapy, but nothing is parsed or extracted and no
pipeline or export runs. Between the fetch-only spider and the real crawl, it shows how much of the gap is
Scrapy handling the crawl's output rather than newscrawler's own work.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

#: Where the recording run writes the graph (set by ``run_crawl.py``).
GRAPH_ENV = "BENCH_GRAPH"


class GraphRecorder:
    """``{response url: {"requests": [url, ...], "items": [record, ...]}}`` of one crawl, written at its end."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.graph: dict[str, dict[str, list[Any]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GraphRecorder:
        recorder = cls(crawler.settings.get(GRAPH_ENV))
        crawler.signals.connect(recorder.write, signals.spider_closed)
        return recorder

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        node = self.graph.setdefault(response.url, {"requests": [], "items": []})
        async for output in result:
            if isinstance(output, Request):
                node["requests"].append(output.url)
            else:
                node["items"].append(ItemAdapter(output).asdict())
            yield output

    def write(self) -> None:
        Path(self.path).write_text(json.dumps(self.graph), encoding="utf-8")


class ReplaySpider(Spider):
    """Yields, for each response, what the recorded crawl's callback yielded for it (see the module)."""

    name = "replay"

    def __init__(self, graph: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.graph: dict[str, dict[str, list[Any]]] = json.loads(Path(graph).read_text(encoding="utf-8"))

    async def start(self) -> AsyncIterator[Request]:
        children = {url for node in self.graph.values() for url in node["requests"]}
        for url in self.graph:
            if url not in children:  # the start pages (edition homes)
                yield Request(url, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        node = self.graph.get(response.url, {"requests": [], "items": []})
        for url in node["requests"]:
            yield Request(url)
        yield from node["items"]
