"""CDX index queries and answers, in both dialects.

* The Internet Archive's (``output=json``): one JSON array of arrays, the first row naming the fields
  (``original``, ``statuscode``, ``mimetype``, ``digest``, ``timestamp``, ...); with ``showResumeKey=true`` an
  empty row then a one-item row carrying the key for the next page (``resumeKey=``).
* pywb's and Common Crawl's: one JSON object per line (``url``, ``status``, ``mime``, ``digest``, ``filename``,
  ``offset``, ``length``); Common Crawl pages with ``showNumPages=true`` (``{"pages": N}``) and ``page=``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from newscrawler.sources.captures import Capture

#: Field names of the Internet Archive's dialect, as pywb's.
_IA_FIELDS = {"original": "url", "statuscode": "status", "mimetype": "mime"}


class CdxError(Exception):
    """An index answer that is not CDX; the message is one line."""


@dataclass
class CdxPage:
    """One answer: its captures and, when the index pages with resume keys, the key of the next page."""

    captures: list[Capture] = field(default_factory=list)
    resume_key: str | None = None
    #: In the Internet Archive's dialect, which pages with resume keys (pywb's cuts its answer at ``limit``).
    keyed: bool = False


def query_url(cdx_url: str, prefix: str, **params: str | int) -> str:
    """A prefix query (JSON output); ``params`` add ``from``, ``limit``, ``resumeKey``, ``page``...

    >>> query_url("https://web.archive.org/cdx/search/cdx", "example.com/en/story/", limit=5)
    'https://web.archive.org/cdx/search/cdx?url=example.com%2Fen%2Fstory%2F&matchType=prefix&output=json&limit=5'
    """
    query = {"url": prefix, "matchType": "prefix", "output": "json", **{k: str(v) for k, v in params.items()}}
    return f"{cdx_url}?{urlencode(query)}"


def parse_cdx(text: str) -> CdxPage:
    """Captures in either dialect (an empty answer is no captures); raise :class:`CdxError` on anything else.

    >>> page = parse_cdx('[["original","timestamp","statuscode"],["http://a/x","2020","200"],[],["k1"]]')
    >>> page.captures[0].url, page.captures[0].status, page.resume_key
    ('http://a/x', 200, 'k1')
    """
    body = text.strip()
    if not body:
        return CdxPage()
    try:
        return _parse_ia(json.loads(body)) if body.startswith("[") else _parse_lines(body)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise CdxError(f"the index answered something that is not CDX JSON ({_snippet(body)}): {error}") from None


def parse_num_pages(text: str) -> int | None:
    """The page count of a ``showNumPages=true`` answer, or None when the index does not page that way.

    >>> parse_num_pages('{"pages": 3, "pageSize": 5, "blocks": 12}'), parse_num_pages('{"url": "x"}')
    (3, None)
    """
    try:
        answer = json.loads(text.strip().splitlines()[0]) if text.strip() else None
    except ValueError:
        return None
    pages = answer.get("pages") if isinstance(answer, dict) else None
    return int(pages) if isinstance(pages, int) else None


def _parse_ia(rows: Any) -> CdxPage:
    if not isinstance(rows, list):
        raise TypeError("not an array of rows")
    if not rows:
        return CdxPage(keyed=True)
    header = [_IA_FIELDS.get(name, name) for name in rows[0]]
    page = CdxPage(keyed=True)
    body = rows[1:]
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        page.resume_key, body = str(body[-1][0]), body[:-2]
    page.captures = [_capture(dict(zip(header, row, strict=True))) for row in body if row]
    return page


def _parse_lines(body: str) -> CdxPage:
    return CdxPage([_capture(json.loads(line)) for line in body.splitlines() if line.strip()])


def _capture(fields: dict[str, Any]) -> Capture:
    status = str(fields.get("status", "-"))
    mime = str(fields.get("mime", ""))
    return Capture(
        timestamp=str(fields["timestamp"]),
        url=str(fields["url"]),
        status=int(status) if status.isdigit() else None,
        mime="warc/revisit" if mime == "warc/revisit" or (status == "-" and not mime) else mime.lower(),
        digest=(str(fields["digest"]) if fields.get("digest") not in (None, "-") else None),
        filename=str(fields.get("filename", "")),
        offset=int(fields.get("offset", 0) or 0),
        length=int(fields.get("length", 0) or 0),
        truncated=bool(fields.get("truncated")),  # Common Crawl: "length" when it cut the payload
    )


def _snippet(body: str) -> str:
    return repr(body[:40] + ("..." if len(body) > 40 else ""))
