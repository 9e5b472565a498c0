"""One archived HTTP response (a WARC ``response`` record) and the Scrapy response it becomes.

The Scrapy response carries the capture's original URL, status and headers, and its payload with transfer and
content encodings removed, so the spider and pipelines cannot tell it from a live fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newscrawler.sources.captures import archive_timestamp

#: Headers that describe the bytes as they were sent, not the payload we hand on.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class ArchiveReadError(Exception):
    """A record that cannot be read as an archived HTTP response; the message is one line."""


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    timestamp: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    digest: str | None = None


def read_response_record(stream: IO[bytes]) -> ArchivedResponse:
    """The first record of ``stream`` (plain or gzipped WARC), which must be a ``response`` with HTTP headers."""
    try:
        record = next(iter(ArchiveIterator(stream)))
        if record.rec_type != "response" or record.http_headers is None:
            raise ArchiveReadError(f"not an HTTP response record: {record.rec_type}")
        body = record.content_stream().read()
    except (ArchiveLoadFailed, StopIteration, OSError, ValueError) as error:
        raise ArchiveReadError(f"unreadable WARC record: {error or type(error).__name__}") from None
    headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _WIRE_HEADERS]
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        timestamp=archive_timestamp(record.rec_headers.get_header("WARC-Date") or ""),
        status=int(record.http_headers.get_statuscode() or 0),
        headers=headers,
        body=body,
        digest=record.rec_headers.get_header("WARC-Payload-Digest"),
    )


def scrapy_response(archived: ArchivedResponse, request: Request | None) -> Response:
    """The archived response as Scrapy's response class for its type, at its original URL (``request``: the
    request it answers, if any)."""
    headers = Headers()
    for name, value in archived.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    return cls(url=archived.url, status=archived.status, headers=headers, body=archived.body, request=request)


def header_list(headers: Any) -> list[tuple[str, str]]:
    """Scrapy ``Headers`` as ``(name, value)`` pairs, repeated headers kept, wire headers left out."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
        if name.decode("latin-1").lower() not in _WIRE_HEADERS
    ]
