"""Captures of local WARC files answered in the spider, without Scrapy's request cycle.

A rebuild from WARC files is CPU-bound, and sending each capture through the scheduler, the downloader and every
downloader middleware cost about a third of it (``benchmarks/README.md``). :class:`LocalAnswers` reads the capture a
request names (or takes it as a worker process read it) and returns its response directly when the downloader
middlewares would pass it on unchanged: a 200 HTML answer that decodes in its charset (the reader has already
removed transfer and content encodings, as for every capture). Any other answer (a redirect, an error status, an
undecodable or non-HTML body, a record that cannot be read) gives None: the request then goes through the
downloader, as every capture did before. The downloader's counts and the ``response_received`` signal are kept for
the answers given here, so monitors and listeners see the same run.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawler.retries.answers import passes_unchanged
from newscrawler.sources.records import ArchivedResponse, ArchiveReadError
from newscrawler.sources.warcfiles import WarcReader


class LocalAnswers:
    """Answers capture requests of ``-a source=warc`` in the spider (see the module)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.reader = WarcReader()
        crawler.signals.connect(self.reader.close, signals.spider_closed)

    def answer(self, request: Request, archived: ArchivedResponse | None = None) -> Response | None:
        """The capture's response (``archived``: its record, already read), or None when it must go through the
        downloader."""
        try:
            response = self.reader.response(request, archived)
        except ArchiveReadError:
            return None
        if not passes_unchanged(response):
            return None
        self._received(request, response)
        return response

    def _received(self, request: Request, response: Response) -> None:
        stats = self.crawler.stats
        if stats is not None:
            for name in ("request_count", "response_count", "response_status_count/200"):
                stats.inc_value(f"downloader/{name}")
        self.crawler.signals.send_catch_log(
            signals.response_received, response=response, request=request, spider=self.crawler.spider
        )
