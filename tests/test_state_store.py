"""The crawl state file read as a mapping: what a run sees of the committed stories (real SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawler.state.known import KnownStories
from newscrawler.state.store import StateStore, StoryState

ROWS = [
    StoryState("en", 3, url="u3", last_checked="2026-01-02T00:00:00Z", first_seen="f", version=2),
    StoryState("en", 1, url="u1", last_checked=None, first_seen="f", listed_raw="١٩ كانون الأول ٢٠١٦"),
    StoryState("ar", 9, url="u9", last_checked="2026-01-01T00:00:00Z", first_seen="f"),
    StoryState("ar", 2, url="u2", last_checked="2026-01-02T00:00:00Z", first_seen="f"),
    StoryState("en", 4, url="u4", last_checked=None, first_seen="f"),
]


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    store = StateStore(tmp_path / "state.sqlite3")
    store.stage("run-1", None, ROWS)
    store.apply("run-1")
    return store


def test_lookups_give_the_committed_rows(store: StateStore) -> None:
    known = KnownStories(store.db)
    assert len(known) == 5
    assert known.get(("en", 1)) == ROWS[1] and known[("ar", 9)] == ROWS[2]
    assert known.get(("en", 99)) is None and ("en", 99) not in known and ("en", 3) in known
    assert sorted(known) == sorted((r.edition, r.story_id) for r in ROWS)


def test_never_fetched_first_then_oldest_checked_then_by_identity(store: StateStore) -> None:
    expected = sorted(ROWS, key=lambda s: (s.last_checked or "", s.edition, s.story_id))
    never = [s for s in expected if s.last_checked is None and s.content_hash is None]
    checked = [s for s in expected if s not in never]
    assert len(never) == 2
    assert KnownStories(store.db).oldest_checked(1) == never + checked[:1]
    assert KnownStories(store.db).oldest_checked(10) == expected


def test_staged_rows_are_not_known_until_applied(store: StateStore) -> None:
    known = KnownStories(store.db)
    store.stage("run-2", None, [StoryState("en", 7, first_seen="f")])
    assert ("en", 7) not in known
    store.apply("run-2")
    assert known[("en", 7)].story_id == 7
