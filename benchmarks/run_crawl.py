"""One crawl in this process, for ``crawl_benchmark.py``: prints a JSON line of figures.

python benchmarks/run_crawl.py baghdadpost BASE_URL OUT.jsonl URLS.txt   # real crawl; records request URLs
python benchmarks/run_crawl.py fetchonly BASE_URL - URLS.txt             # fetch the same URLs, do nothing
python benchmarks/run_crawl.py fetchonly-plain BASE_URL - URLS.txt       # the same with Scrapy's defaults only
python benchmarks/run_crawl.py replay BASE_URL - GRAPH.json               # the crawl's outputs, no work (replay.py)

With ``BENCH_GRAPH=PATH`` in the environment, the real crawl also records its graph there for ``replay``.
python benchmarks/run_crawl.py baghdadpost BASE_URL - URLS.txt DATA_DIR    # with crawl state and per-run export

With DATA_DIR the real crawl runs as ``scrapy crawl`` does with no ``-o``: the per-run export and the crawl
state under DATA_DIR (a fresh directory makes a full crawl). The JSON line also gives ``first_request_epoch``
(the epoch time the first request reached the downloader: the caller, which knows when it started this
process, makes it a start-up time) and ``state_load_seconds``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from replay import GRAPH_ENV, ReplaySpider
from scrapy import Request, Spider, signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newscrawler.demo import LOOPBACK_SETTINGS
from newscrawler.exports.feeds import default_feeds, new_run_id


class FetchOnlySpider(Spider):
    """Fetches a list of URLs exactly once each (no redirects followed, no robots.txt of its own), does nothing."""

    name = "fetchonly"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls).read_text(encoding="utf-8").split()

    async def start(self) -> AsyncIterator[Request]:
        for url in self.urls:
            yield Request(url, dont_filter=True, meta={"dont_redirect": True, "handle_httpstatus_all": True})

    def parse(self, response: Any, **kwargs: Any) -> None:
        return None


def main(spider: str, base_url: str, out: str, urls: str, data: str = "") -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    settings = get_project_settings()
    # Stateless unless DATA_DIR is given: every run is a full crawl.
    settings.setdict({**LOOPBACK_SETTINGS, "LOG_LEVEL": "ERROR", "NEWSCRAWLER_STATE": bool(data)}, priority="cmdline")
    if spider == "fetchonly":
        settings.setdict({"ROBOTSTXT_OBEY": False, "ITEM_PIPELINES": {}}, priority="cmdline")
        return run(settings, spider, base_url, urls)
    if spider == "replay":  # the recorded crawl's outputs, no pipelines or export
        settings.setdict({"ITEM_PIPELINES": {}}, priority="cmdline")
        return run(settings, spider, base_url, urls)
    if spider == "fetchonly-plain":  # Scrapy's own components only: none of newscrawler's
        plain = Settings({**LOOPBACK_SETTINGS, "LOG_LEVEL": "ERROR", "TWISTED_REACTOR": settings["TWISTED_REACTOR"]})
        return run(plain, "fetchonly", base_url, urls)
    # crawl_benchmark.py --set NAME=VALUE: settings tried on the real crawl only
    settings.setdict(json.loads(os.environ.get("BENCH_CRAWL_SETTINGS", "{}")), priority="cmdline")
    if os.environ.get(GRAPH_ENV):
        settings.set(GRAPH_ENV, os.environ[GRAPH_ENV], priority="cmdline")
        settings.set("SPIDER_MIDDLEWARES", {**settings.getdict("SPIDER_MIDDLEWARES"), "replay.GraphRecorder": 1000})
    if data:
        run_id = new_run_id()
        settings.setdict({"NEWSCRAWLER_DATA_DIR": data, "NEWSCRAWLER_RUN_ID": run_id}, priority="cmdline")
        settings.set("FEEDS", default_feeds(settings, spider, run_id), priority="cmdline")
    else:
        settings.set("FEEDS", {out: {"format": "jsonl"}}, priority="cmdline")
    run(settings, spider, base_url, urls)


def cpu_seconds() -> float:
    """CPU time of this process (user + system): unlike wall time, barely moved by other jobs on the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(settings: Any, spider: str, base_url: str, urls: str) -> None:
    """Crawl, then print the run's figures as one JSON line."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler({"fetchonly": FetchOnlySpider, "replay": ReplaySpider}.get(spider, spider))
    seen: list[str] = []
    first_request: list[float] = []

    def record(request: Request, **_: Any) -> None:
        if not seen:
            first_request.append(time.time())
        seen.append(request.url)

    crawler.signals.connect(record, signals.request_reached_downloader, weak=False)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    arguments = {"fetchonly": {"urls": urls}, "replay": {"graph": urls}}.get(spider, {"base_url": base_url})
    process.crawl(crawler, **arguments)
    process.start()
    elapsed = time.perf_counter() - started
    if spider not in ("fetchonly", "replay"):
        Path(urls).write_text("\n".join(seen) + "\n", encoding="utf-8")
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(
        json.dumps(
            {
                "spider": spider,
                "seconds": elapsed,
                "requests": len(seen),
                "items": stats.get("item_scraped_count", 0),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "cpu_seconds": cpu_seconds() - cpu_started,
                "first_request_epoch": (first_request or [time.time()])[0],
                "state_load_seconds": stats.get("newscrawler/state/load_seconds"),
                "known": stats.get("newscrawler/state/known"),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:6])
