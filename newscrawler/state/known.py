"""The committed stories as a read-only mapping over the state file, read on demand rather than loaded.

A run sees the state as it was committed when it started: its own observations are staged aside and applied
only after its export is published (:mod:`.store`). So a run can read the ``stories`` table whenever it needs
a story, and a state of hundreds of thousands of stories costs neither memory nor start-up time: each lookup is
one primary-key query (microseconds).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping

from newscrawler.state.store import COLUMNS, StoryState

Key = tuple[str, int]


class KnownStories(Mapping[Key, StoryState]):
    """``(edition, storyId)`` -> :class:`StoryState` of every committed story."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getitem__(self, key: Key) -> StoryState:
        row = self.db.execute(f"SELECT {COLUMNS} FROM stories WHERE edition = ? AND story_id = ?", key).fetchone()
        if row is None:
            raise KeyError(key)
        return StoryState(*row)

    def __contains__(self, key: object) -> bool:
        return self.db.execute("SELECT 1 FROM stories WHERE edition = ? AND story_id = ?", key).fetchone() is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.db.execute("SELECT edition, story_id FROM stories ORDER BY edition, story_id").fetchall())

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM stories").fetchone()[0])

    def oldest_checked(self, limit: int) -> list[StoryState]:
        """Every story never fetched (a failure or a stopped run left it), then up to ``limit`` others, checked
        longest ago first, then by identity."""
        never = "last_checked IS NULL AND content_hash IS NULL"
        unfetched = self._select(f"WHERE {never} ORDER BY edition, story_id")
        order = "ORDER BY coalesce(last_checked, ''), edition, story_id LIMIT ?"
        return unfetched + self._select(f"WHERE NOT ({never}) {order}", limit)

    def _select(self, where: str, *args: object) -> list[StoryState]:
        return [StoryState(*row) for row in self.db.execute(f"SELECT {COLUMNS} FROM stories {where}", args)]
