"""WARC records of one fetch, built with warcio: a ``response`` record and its ``request``, concurrent.

Pure functions of what was sent and received. The response record keeps the status line and header lines as
received when the download handler kept them (:mod:`newscrawler.warc.handler`), else Scrapy's view of them
(reason phrase from the status code, header names title-cased); its payload is the body as it came off the
wire, before any ``Content-Encoding`` was undone. A chunked body, which Twisted has already un-chunked, is
written back as one chunk so the kept ``Transfer-Encoding: chunked`` header stays true.
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urldefrag, urlsplit

from scrapy import Request
from scrapy.http import Response
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

from newscrawler.warc.handler import RawHead

Headers = list[tuple[str, str]]


def warc_date(when: datetime) -> str:
    """WARC-Date form (UTC, seconds).

    >>> from datetime import UTC
    >>> warc_date(datetime(2026, 12, 2, 1, 30, 5, 999, tzinfo=UTC))
    '2026-12-02T01:30:05Z'
    """
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: bytes) -> str:
    return value.decode("latin-1")


def response_head(response: Response, raw: RawHead | None) -> tuple[str, str, Headers]:
    """``(protocol, "status reason", headers)`` of a response: as received, or rebuilt from Scrapy's view.

    >>> from scrapy.http import Response
    >>> response_head(Response("http://h/", status=404, headers={"A": ["1", "2"]}, protocol="HTTP/1.1"), None)
    ('HTTP/1.1', '404 Not Found', [('A', '1'), ('A', '2')])
    >>> response_head(Response("http://h/"), (b"HTTP/1.0 200 Fine", [(b"set-cookie", b"a=1")]))
    ('HTTP/1.0', '200 Fine', [('set-cookie', 'a=1')])
    """
    if raw is not None:
        protocol, _, status = _text(raw[0]).partition(" ")
        return protocol, status, [(_text(name), _text(value)) for name, value in raw[1]]
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    headers = [(_text(name), _text(value)) for name, values in response.headers.items() for value in values]
    return response.protocol or "HTTP/1.1", f"{response.status} {reason}".rstrip(), headers


def request_head(request: Request) -> tuple[str, Headers]:
    """``("METHOD /path?query HTTP/1.1", headers)`` as sent: ``Host`` first (the client adds it), then the
    request's headers, then ``Content-Length`` for a body.

    >>> request_head(Request("http://h:8/a?b=1#f", headers={"Accept": "x"}))
    ('GET /a?b=1 HTTP/1.1', [('Host', 'h:8'), ('Accept', 'x')])
    """
    parts = urlsplit(urldefrag(request.url)[0])
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [(_text(name), _text(value)) for name, values in request.headers.items() for value in values]
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    if request.body and not any(name.lower() == "content-length" for name, _ in headers):
        headers.append(("Content-Length", str(len(request.body))))
    return f"{request.method} {target} HTTP/1.1", headers


def wire_body(body: bytes, headers: Headers) -> bytes:
    """The payload as it travels: one chunk and the last chunk when the response says ``chunked``.

    >>> wire_body(b"abc", [("Transfer-Encoding", "chunked")])
    b'3\\r\\nabc\\r\\n0\\r\\n\\r\\n'
    >>> wire_body(b"abc", [])
    b'abc'
    """
    if any(n.lower() == "transfer-encoding" and "chunked" in v.lower() for n, v in headers):
        return (f"{len(body):x}\r\n".encode() + body + b"\r\n" if body else b"") + b"0\r\n\r\n"
    return body


def fetch_records(
    writer: Any, request: Request, response: Response, raw: RawHead | None, when: datetime
) -> tuple[ArcWarcRecord, ArcWarcRecord]:
    """The ``(response, request)`` records of one fetch (warcio fills in the ids, lengths and digests)."""
    url = urldefrag(response.url)[0]
    warc_headers = {"WARC-Date": warc_date(when)}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    protocol, status, headers = response_head(response, raw)
    body = wire_body(response.body, headers)
    resp = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(status, headers, protocol=protocol),
    )
    line, req_headers = request_head(request)
    req = writer.create_warc_record(
        url,
        "request",
        payload=BytesIO(request.body),
        length=len(request.body),
        warc_headers_dict=dict(warc_headers),
        http_headers=StatusAndHeaders(line, req_headers, is_http_request=True),
    )
    return resp, req
