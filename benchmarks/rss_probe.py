"""Benchmark-only extension: the crawl's peak RSS when its index phase ends, then the crawl stops at once.

Enable with ``-s EXTENSIONS={..., "rss_probe.IndexPhasePeak": 0}`` (``benchmarks`` on ``PYTHONPATH``) and
``-s RSS_PROBE_OUT=FILE``: on the first capture request (the listing phase's first), ``VmHWM`` of
``/proc/self/status`` (KiB) is written to FILE and the process exits (status 0).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler


class IndexPhasePeak:
    def __init__(self, out: Path) -> None:
        self.out = out

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPhasePeak:
        probe = cls(Path(crawler.settings["RSS_PROBE_OUT"]))
        crawler.signals.connect(probe.scheduled, signals.request_scheduled)
        return probe

    def scheduled(self, request: Request, **_: Any) -> None:
        if "capture" in request.meta:
            status = Path("/proc/self/status").read_text()
            peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
            self.out.write_text(peak)
            os._exit(0)
