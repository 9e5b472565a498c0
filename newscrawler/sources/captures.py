"""A capture: one archived fetch of one URL, as an index lists it, and where its bytes are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

#: The kinds of archive a crawl reads (``live`` reads the site itself).
SOURCES = ("live", "wayback", "commoncrawl", "warc")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, order=True)
class Capture:
    """One archived fetch. ``timestamp`` is the archive's 14-digit UTC time (``YYYYmmddHHMMSS``); ``status`` is
    None when the index does not say (a revisit record: ``-``); ``digest`` is the payload digest when given.
    A revisit read from a WARC file keeps the status of its own HTTP headers, with ``mime`` ``warc/revisit``.

    Where the bytes are: ``filename``/``offset``/``length`` name a WARC record (a local file for ``warc``,
    a file on the data server for ``commoncrawl``); a Wayback capture is replayed from ``timestamp`` and ``url``.
    """

    timestamp: str
    url: str
    status: int | None = None
    mime: str = ""
    digest: str | None = None
    filename: str = ""
    offset: int = 0
    length: int = 0
    member: str = ""  # the WARC inside a .wacz file
    #: A payload cut short by the archive (``WARC-Truncated``; Common Crawl's index: ``truncated``).
    truncated: bool = False
    #: A revisit's original, when the record names it: its time (``WARC-Refers-To-Date``, 14 digits) and URL.
    refers_to: str = ""
    refers_to_url: str = ""

    @property
    def revisit(self) -> bool:
        return self.mime == "warc/revisit" or self.status is None

    @property
    def is_html_ok(self) -> bool:
        """A 200 HTML capture: the only kind that can hold a story page."""
        return self.status == 200 and self.mime.split(";")[0].strip().lower() in HTML_TYPES

    @property
    def is_redirect(self) -> bool:
        return self.status is not None and 300 <= self.status < 400

    @property
    def iso_time(self) -> str:
        return iso_timestamp(self.timestamp)


def iso_timestamp(timestamp: str) -> str:
    """An archive timestamp as ISO 8601 UTC; short ones (``2020``, ``202011``) are padded as the CDX API does.

    >>> iso_timestamp("20201114090000"), iso_timestamp("2020")
    ('2020-11-14T09:00:00Z', '2020-01-01T00:00:00Z')
    """
    padded = timestamp + "0101000000"[len(timestamp) - 4 :] if len(timestamp) < 14 else timestamp[:14]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def archive_timestamp(iso: str) -> str:
    """A WARC-Date (ISO 8601, UTC) as a 14-digit archive timestamp.

    >>> archive_timestamp("2020-11-14T09:00:00Z"), archive_timestamp("2020-11-14T09:00:00.123456Z")
    ('20201114090000', '20201114090000')
    """
    return "".join(ch for ch in iso if ch.isdigit())[:14]


def latest_first(captures: list[Capture]) -> list[Capture]:
    """Captures newest first; at one time, a 200 before others (an archive may list a page twice a second)."""
    return sorted(captures, key=lambda c: (c.timestamp, c.status == 200), reverse=True)
