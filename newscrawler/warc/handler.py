"""The HTTP download handler, keeping what Scrapy's response drops: the raw status line and header lines.

Scrapy's :class:`~scrapy.http.Response` has no reason phrase, title-cases header names, and leaves out the
connection headers Twisted keeps apart (``Transfer-Encoding``, ``Connection``, ``Keep-Alive``; ``Content-Length``
is rebuilt). With ``NEWSCRAWLER_WARC`` on, this handler parses responses with a parser that also records the
status line and every header line as received (name case, order and repeats kept) and hands them to the WARC
recorder in ``request.meta["warc_head"]`` as ``(status_line, [(name, value), ...])``. Off, it is Scrapy's
HTTP/1.1 handler unchanged. Built on Scrapy's private HTTP/1.1 classes (written against Scrapy 2.19), the only
hook between Twisted's response and Scrapy's; where the helpers it needs are missing, it records nothing extra
and the recorder writes Scrapy's view of the response.
"""

from __future__ import annotations

import inspect
from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers import http11
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

try:  # Scrapy's private HTTP/1.1 helpers as of 2.19; older Scrapy: no raw heads, Scrapy's view is recorded instead
    from scrapy.exceptions import ResponseDataLossError
    from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions

    SUPPORTED = inspect.iscoroutinefunction(http11.HTTP11DownloadHandler.download_request)
except ImportError:  # pragma: no cover
    SUPPORTED = False

#: ``request.meta`` key of the raw head: ``(status_line, [(name, value), ...])``, bytes as received.
HEAD_META = "warc_head"
RawHead = tuple[bytes, list[tuple[bytes, bytes]]]


class _RecordingParser(http11._LenientHTTPClientParser):
    """Scrapy's lenient parser that also keeps the status line and header lines, attached to the response."""

    def statusReceived(self, status: bytes) -> None:
        self._warc_status: bytes = status
        self._warc_headers: list[tuple[bytes, bytes]] = []
        super().statusReceived(status)  # type: ignore[no-untyped-call]

    def headerReceived(self, name: bytes, value: bytes) -> None:
        self._warc_headers.append((name, value))
        super().headerReceived(name, value)  # type: ignore[no-untyped-call]

    def allHeadersReceived(self) -> None:
        self.response._warc_head = (self._warc_status, self._warc_headers)
        super().allHeadersReceived()  # type: ignore[no-untyped-call]


class _RecordingProtocol(http11._LenientHTTP11ClientProtocol):
    def request(self, request: Any) -> Deferred[Any]:
        result = super().request(request)
        assert self._parser is not None
        self._parser.__class__ = _RecordingParser  # as Scrapy does: the parser holds no extra state until a status
        return result


class _RecordingFactory(http11._LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: Any) -> _RecordingProtocol:
        return _RecordingProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]


class _RecordingAgent(http11._ScrapyAgent):
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        head = getattr(txresponse, "_warc_head", None)
        if head is not None:
            request.meta[HEAD_META] = head
        return super()._cb_bodyready(txresponse, request)


class WarcHTTP11DownloadHandler(http11.HTTP11DownloadHandler):
    """``DOWNLOAD_HANDLERS`` for ``http``/``https``: Scrapy's, plus the raw head when ``NEWSCRAWLER_WARC`` is on."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._recording = SUPPORTED and crawler.settings.getbool("NEWSCRAWLER_WARC")
        if self._recording:
            self._pool._factory = _RecordingFactory

    async def download_request(self, request: Request) -> Response:
        if not self._recording:
            return await super().download_request(request)
        # Scrapy's own download_request, with the recording agent.
        agent = _RecordingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                http11.logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
