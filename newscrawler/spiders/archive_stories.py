"""A local rebuild's story phase, planned per story and read ahead in worker processes.

:class:`StoryPlan` is what the story phase decides for a story before trying it: skip it, fail it for want of a
usable capture, or try its candidates (latest first). For the first candidate of each story tried, a worker reads
the capture and builds the record (:func:`read_story`) while the crawl's process handles earlier stories
(:mod:`newscrawler.sources.ahead`). The crawl's process takes the worker's copy of the capture for its checks,
counts and signals, and the worker's record in place of parsing the page again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from scrapy.http import Response, TextResponse

from newscrawler.baghdadpost.record import build_article
from newscrawler.baghdadpost.story import parse_story
from newscrawler.baghdadpost.urls import StoryKey
from newscrawler.items import Article
from newscrawler.retries.answers import passes_unchanged
from newscrawler.sources.captures import Capture
from newscrawler.sources.records import ArchivedResponse, ArchiveReadError, scrapy_response
from newscrawler.sources.warcfiles import WarcReader


class StoryPlan(NamedTuple):
    key: StoryKey
    captures: list[Capture]
    #: Why the story is not tried (``not_in_sections``, ``before_since``), or None.
    skip: str | None
    #: The captures to try, latest first (none usable: the story fails with the index's reason).
    candidates: list[Capture]


@dataclass(frozen=True)
class StoryJob:
    """Everything a worker needs to build a story's record from one capture."""

    capture: Capture
    key: StoryKey
    base_url: str
    listed: str | None


class StoryRead(NamedTuple):
    """A capture read by a worker, and the record of its story page (None: not a plain 200 story page)."""

    archived: ArchivedResponse
    article: Article | None


@cache
def _reader() -> WarcReader:
    return WarcReader()  # one per worker process, its files kept open


def read_story(job: StoryJob) -> StoryRead | None:
    """``job.capture`` and the record of its story page, as the crawl's process builds it from that capture: no
    record for an answer other than a plain 200 HTML page (see :func:`~newscrawler.retries.answers.passes_unchanged`)
    or a page without a story. None when the capture cannot be read (the crawl's process finds out why)."""
    try:
        archived = _reader().read(job.capture)
    except ArchiveReadError:
        return None
    response = scrapy_response(archived, None)
    article = story_record(response, job.key, job.base_url, job.listed) if passes_unchanged(response) else None
    return StoryRead(archived, article)


def story_record(response: Response, key: StoryKey, base_url: str, listed: str | None) -> Article | None:
    """The record of story ``key`` from a page answered 200 (``listed``: the date its listing showed); None for
    any other answer, or a page without a story. The crawl's process and the workers build records with it."""
    if response.status != 200 or not isinstance(response, TextResponse):
        return None
    page = parse_story(response.selector)
    return build_article(page, key, response.url, base_url, listed) if page is not None else None


def provenance(source: str, capture: Capture, digest: str | None) -> dict[str, str]:
    """``metadata`` keys of a record read from an archive: source, capture time (UTC) and digest when known.

    >>> provenance("warc", Capture("20201114090000", "u", 200), "sha1:AB")
    {'source': 'warc', 'captureTimestamp': '2020-11-14T09:00:00Z', 'digest': 'sha1:AB'}
    """
    found = {"source": source, "captureTimestamp": capture.iso_time}
    known = capture.digest or digest
    return {**found, "digest": known} if known else found
