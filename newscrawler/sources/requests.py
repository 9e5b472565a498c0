"""Scrapy requests to archives: index queries in the ``cdx`` slot, captures in the ``replay`` slot (or answered
from local files), each marked so that robots.txt, the off-site filter and AutoThrottle leave them alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request

from newscrawler.sources.addon import CDX_SLOT, REPLAY_SLOT
from newscrawler.sources.arguments import SourceArguments
from newscrawler.sources.captures import Capture
from newscrawler.sources.cdx import query_url
from newscrawler.sources.replay import replay_url

_ARCHIVE_META = {"dont_obey_robotstxt": True, "allow_offsite": True, "autothrottle_dont_adjust_delay": True}


def index_request(url: str, callback: Callable[..., Any], errback: Callable[..., Any], **meta: Any) -> Request:
    """A request to an archive's index (CDX, ``collinfo.json``), in the one-at-a-time ``cdx`` slot."""
    return Request(
        url,
        callback=callback,
        errback=errback,
        dont_filter=True,
        meta={**_ARCHIVE_META, "download_slot": CDX_SLOT, "handle_httpstatus_all": True, **meta},
    )


def wayback_query(source: SourceArguments, prefix: str, since: str, resume_key: str, size: int) -> str:
    """A prefix query to the Wayback CDX server, ``size`` captures a page (0: no limit); ``since`` (a timestamp)
    asks only for newer captures."""
    params: dict[str, str | int] = {"showResumeKey": "true", "limit": size} if size else {}
    if since:
        params["from"] = since
    if resume_key:
        params["resumeKey"] = resume_key
    return query_url(source.cdx_url, prefix, **params)


def commoncrawl_query(cdx_api: str, prefix: str, since: str, page: int | None) -> str:
    """A prefix query to one crawl's index; ``page`` None asks how many pages there are."""
    params: dict[str, str | int] = {"showNumPages": "true"} if page is None else {"page": page}
    if since:
        params["from"] = since
    return query_url(cdx_api, prefix, **params)


def capture_request(
    capture: Capture, source: SourceArguments, callback: Callable[..., Any], errback: Callable[..., Any], **meta: Any
) -> Request:
    """A request for one capture's archived response (answered by :mod:`newscrawler.sources.middleware`)."""
    common = {
        **_ARCHIVE_META,
        "capture": capture,
        "archive_source": source.kind,
        "archive_url": source.archive_url,
        "download_slot": REPLAY_SLOT,
        "dont_redirect": True,
        "handle_httpstatus_all": True,
        **meta,
    }
    if source.kind == "wayback":
        url, headers = replay_url(source.archive_url, capture.timestamp, capture.url), {}
    elif source.kind == "commoncrawl":
        url = f"{source.cc_data_url}/{capture.filename}"
        headers = {"Range": f"bytes={capture.offset}-{capture.offset + capture.length - 1}"}
    else:
        url, headers = capture.url, {}
        common["dont_retry"] = True
    return Request(url, callback=callback, errback=errback, headers=headers, dont_filter=True, meta=common)
