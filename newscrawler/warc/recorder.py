"""Downloader middleware: every response the crawl downloads, with its request, into the run's ``.warc.gz``.

On with ``NEWSCRAWLER_WARC``. At priority 950 it is the middleware next to the downloader: it sees each request
as sent (after the cookie, compression and user-agent middlewares) and each response as received, before
``HttpCompressionMiddleware`` (590) decompresses it and before ``RedirectMiddleware`` (600) follows it, so
redirects, 404s and robots.txt are recorded too. Responses served from Scrapy's HTTP cache are not fetches and
are skipped.

The file is written as ``.{run-id}.warc.gz.{pid}.part`` beside the run's export and published when the spider
closes (flush, fsync, rename, directory fsync): a killed run leaves only the temporary file, which the next run
in that directory deletes. Stats: ``newscrawler/warc`` (``file``, ``sha256``, ``records``, ``bytes``),
copied into the run manifest; a write error stops the crawl (reason ``warc_failed``) and publishes no WARC.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from warcio.warcwriter import WARCWriter

from newscrawler.components import switched_off
from newscrawler.exports.atomic import part_path, publish, remove_stale_parts
from newscrawler.exports.feeds import new_run_id, warc_path
from newscrawler.warc.handler import HEAD_META
from newscrawler.warc.records import fetch_records

logger = logging.getLogger(__name__)
#: ``request.meta`` key of the time the request went to the downloader (the record's ``WARC-Date``).
DATE_META = "warc_date"


class WarcRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path: Path | None = None
        self.file: IO[bytes] | None = None
        self.writer: Any = None
        self.records = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_WARC"):
            raise switched_off(cls, "NEWSCRAWLER_WARC is off")
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        self.path = warc_path(settings, spider.name, settings.get("NEWSCRAWLER_RUN_ID") or new_run_id())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_parts(self.path.parent):
            logger.info("removed %s, left by a run that did not finish", stale)
        self.file = part_path(self.path).open("xb")
        self.writer = WARCWriter(self.file, gzip=True)
        info = {"software": "newscrawler (Scrapy, warcio)", "format": "WARC File Format 1.0"}
        self._write(lambda: self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info)), 1)

    def process_request(self, request: Request) -> None:
        request.meta[DATE_META] = datetime.now(UTC)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None or "cached" in response.flags:
            return response
        when = request.meta.pop(DATE_META, None) or datetime.now(UTC)
        records = fetch_records(self.writer, request, response, request.meta.pop(HEAD_META, None), when)
        self._write(lambda: self.writer.write_request_response_pair(records[1], records[0]), 2)
        return response

    def _write(self, write: Any, count: int) -> None:
        try:
            write()
        except OSError as error:
            self._fail(error)
        else:
            self.records += count

    def _fail(self, error: OSError) -> None:
        logger.error("WARC not written, stopping the crawl; no WARC will be published: %s", error)
        self.writer = None
        self._discard()
        self.crawler.stats.set_value("newscrawler/warc_failed", str(error))
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_failed"))

    def spider_closed(self) -> None:
        if self.writer is None or self.file is None or self.path is None:
            return
        self.writer = None
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            publish(part_path(self.path), self.path)
        except OSError as error:
            logger.error("WARC not published: %s", error)
            self._discard()
            return
        logger.info("published %s (%d records)", self.path, self.records)
        self.crawler.stats.set_value("newscrawler/warc", describe_warc(self.path, self.records))

    def _discard(self) -> None:
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                part_path(self.path).unlink()


def describe_warc(path: Path, records: int) -> dict[str, Any]:
    """What the manifest says of a published WARC: name, sha256 of its bytes, records, size."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "sha256": digest.hexdigest(), "records": records, "bytes": path.stat().st_size}
