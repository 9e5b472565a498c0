"""Deletions: which failed fetch makes a story removed, and the time stamp a deletion record carries.

A story is removed when the site answers 404 or 410 for it (a transient error, a 5xx, a timeout or an error page
served with 200 never is) and the crawl state holds content exported for it that is not already marked removed:
a run without state, or one that never exported the story, has nothing to take back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

#: HTTP statuses that say a page is gone.
GONE = ("http_404", "http_410")


def gone(reason: str) -> bool:
    """>>> [gone(r) for r in ("http_404", "http_410", "http_503", "not_a_story", "timeout")]
    [True, True, False, False, False]
    """
    return reason in GONE


def exported_before(crawler: Any, key: tuple[str, int]) -> bool:
    """True when the crawl state holds exported content of ``key`` not yet marked removed."""
    state = getattr(crawler, "crawl_state", None)
    known = state.current(key) if state is not None else None
    return known is not None and known.content_hash is not None and known.removed is None


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
