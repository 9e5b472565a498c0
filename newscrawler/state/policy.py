"""Incremental rules, as pure functions: what to fetch, when to stop a listing walk, what counts as a change."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from newscrawler.state.store import StoryState

#: Record fields whose change makes a new version (``url`` and ``metadata`` are about the fetch, not the story).
CONTENT_FIELDS = (
    "canonicalUrl",
    "headline",
    "articleBody",
    "imageCaption",
    "mainImage",
    "dateModified",
    "dateModifiedRaw",
    "authors",
    "breadcrumbs",
)


def is_newer(listed_time: str | None, known: StoryState) -> bool:
    """True when a listing shows a time later than the one stored (or either is unknown).

    >>> is_newer("2020-01-02T10:00:00+03:00", StoryState("en", 1, listed_time="2020-01-01T10:00:00+03:00"))
    True
    >>> is_newer("2020-01-01T10:00:00+03:00", StoryState("en", 1, listed_time="2020-01-01T10:00:00+03:00"))
    False
    """
    if listed_time is None or known.listed_time is None:
        return True
    return datetime.fromisoformat(listed_time) > datetime.fromisoformat(known.listed_time)


def within_recheck(listed_time: str | None, newest: str | None, days: float) -> bool:
    """True when ``listed_time`` is within ``days`` of the newest listed time seen this run (the site's clock).

    >>> within_recheck("2020-01-01T00:00:00+03:00", "2020-01-03T23:00:00+03:00", 3)
    True
    >>> within_recheck("2019-12-01T00:00:00+03:00", "2020-01-03T23:00:00+03:00", 3)
    False
    """
    if listed_time is None or newest is None:
        return True
    return datetime.fromisoformat(newest) - datetime.fromisoformat(listed_time) <= timedelta(days=days)


def fetch_decision(known: StoryState | None, listed_time: str | None, newest: str | None, days: float) -> str:
    """Why a listed story is fetched (``new``, ``unfetched``, ``newer``, ``recheck``) or not (``known``).

    >>> fetch_decision(None, "2020-01-01T00:00:00+03:00", None, 3)
    'new'
    """
    if known is None:
        return "new"
    if known.content_hash is None and known.last_checked is None:
        return "unfetched"  # listed before but never fetched (failed, or the run stopped): fetch it now
    if is_newer(listed_time, known):
        return "newer"
    return "recheck" if within_recheck(listed_time, newest, days) else "known"


def content_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the record's content fields, as canonical JSON.

    >>> content_hash({"headline": "a"}) == content_hash({"headline": "a", "url": "elsewhere"})
    True
    """
    content = {name: record.get(name) for name in CONTENT_FIELDS}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def changed(record: Mapping[str, Any], known: StoryState | None) -> bool:
    """True when a fetched record is new, back after a removal, or its ``dateModified`` or content differ from
    what was exported."""
    if known is None or known.content_hash is None or known.removed is not None:
        return True
    return record.get("dateModified") != known.date_modified or content_hash(record) != known.content_hash
