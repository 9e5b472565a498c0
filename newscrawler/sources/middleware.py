"""Downloader middleware: a request for a capture (``meta["capture"]``) is answered with the archived response,
at its original URL, with its archived status and headers, whatever the source:

* ``warc``: read from the local file, nothing downloaded;
* ``wayback``: the replay (``{archive_url}/{timestamp}id_/{url}``) downloaded; the archive's own redirect to the
  exact timestamp of a capture is followed here, and a captured redirect's ``Location`` is turned back into the
  live URL it names (the Internet Archive rewrites it to an archive URL, pywb does not);
* ``commoncrawl``: one gzipped WARC record downloaded with ``Range``, then read.

``meta["archive_capture"]`` then holds the capture actually served (its time may differ from the one asked for).
Transport answers (429, 503) are retried by Scrapy's retry middleware, which sees them before this one.
"""

from __future__ import annotations

import io
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from newscrawler.sources.captures import Capture
from newscrawler.sources.records import ArchiveReadError, read_response_record, scrapy_response
from newscrawler.sources.replay import parse_replay_url, same_resource
from newscrawler.sources.warcfiles import WarcReader

#: Archive-side redirects to an exact timestamp followed for one capture before giving up.
MAX_TIMESTAMP_HOPS = 5


class ArchiveMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.reader = WarcReader()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.reader.close, signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> Response | None:
        capture = request.meta.get("capture")
        if capture is None or request.meta.get("archive_source") != "warc":
            return None
        try:
            return self.reader.response(request)
        except ArchiveReadError as error:
            raise IgnoreRequest(str(error)) from None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        source = request.meta.get("archive_source")
        if request.meta.get("capture") is None or source == "warc":
            return response
        if source == "commoncrawl":
            return self._from_range(request, response)
        return self._from_replay(request, response)

    def _from_range(self, request: Request, response: Response) -> Response:
        if response.status not in (200, 206):
            raise IgnoreRequest(f"data server answered {response.status} for {request.url}")
        try:
            archived = read_response_record(io.BytesIO(response.body))
        except ArchiveReadError as error:
            raise IgnoreRequest(f"{request.url}: {error}") from None
        request.meta["archive_capture"] = request.meta["capture"]
        return scrapy_response(archived, request)

    def _from_replay(self, request: Request, response: Response) -> Request | Response:
        archive_url = request.meta["archive_url"]
        asked = parse_replay_url(response.url, archive_url) or parse_replay_url(request.url, archive_url)
        capture: Capture = request.meta["capture"]
        original, timestamp = asked if asked else (capture.url, capture.timestamp)
        location = (response.headers.get("Location") or b"").decode("latin-1")
        target = parse_replay_url(response.urljoin(location), archive_url) if location else None
        if response.status in (301, 302, 303, 307, 308) and target and same_resource(target[0], original):
            return self._timestamp_hop(request, response.urljoin(location))
        headers = response.headers.copy()
        if target:  # a captured redirect, rewritten by the archive: hand on the live URL it names
            headers["Location"] = target[0]
        served = _memento_timestamp(response) or timestamp
        request.meta["archive_capture"] = Capture(served, original, response.status, capture.mime, capture.digest)
        return response.replace(url=original, headers=headers)

    def _timestamp_hop(self, request: Request, url: str) -> Request:
        hops = int(request.meta.get("archive_hops", 0)) + 1
        if hops > MAX_TIMESTAMP_HOPS:
            raise IgnoreRequest(f"the archive redirected {hops} times: {request.url}")
        return request.replace(url=url, meta={**request.meta, "archive_hops": hops}, dont_filter=True)


def _memento_timestamp(response: Response) -> str | None:
    """The capture time the archive says it served (``Memento-Datetime``), as a 14-digit timestamp."""
    from email.utils import parsedate_to_datetime

    value = response.headers.get("Memento-Datetime")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.decode("latin-1")).strftime("%Y%m%d%H%M%S")
    except (TypeError, ValueError):
        return None
