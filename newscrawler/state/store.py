"""The crawl state file (SQLite) and its lock; staged rows become state only once their export is published."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import IO

SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    edition TEXT NOT NULL, story_id INTEGER NOT NULL, url TEXT, listed_time TEXT, listed_raw TEXT,
    date_modified TEXT, content_hash TEXT, first_seen TEXT NOT NULL, last_seen TEXT, last_checked TEXT,
    version INTEGER NOT NULL DEFAULT 0, section TEXT, PRIMARY KEY (edition, story_id));
CREATE TABLE IF NOT EXISTS staged (
    run_id TEXT NOT NULL, edition TEXT NOT NULL, story_id INTEGER NOT NULL, url TEXT, listed_time TEXT,
    listed_raw TEXT, date_modified TEXT, content_hash TEXT, first_seen TEXT NOT NULL, last_seen TEXT,
    last_checked TEXT, version INTEGER NOT NULL DEFAULT 0, section TEXT, PRIMARY KEY (run_id, edition, story_id));
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, export_path TEXT, status TEXT NOT NULL, staged_at TEXT, applied_at TEXT);
"""


class StateLockedError(Exception):
    """Another run holds the state file."""


@dataclass(slots=True)
class StoryState:
    """What the state knows of one story. Times are ISO 8601 (site times with offset, others UTC ``Z``)."""

    edition: str
    story_id: int
    url: str | None = None
    listed_time: str | None = None
    listed_raw: str | None = None
    date_modified: str | None = None
    content_hash: str | None = None
    first_seen: str = ""
    last_seen: str | None = None
    last_checked: str | None = None
    version: int = 0
    #: The story's section (its first breadcrumb's name) when last fetched.
    section: str | None = None
    #: When a run first found the exported story gone (UTC), None while it is on the site.
    removed: str | None = None


def probe_lock(path: Path) -> None:
    """Raise :class:`StateLockedError` when a run holds the lock of the state file at ``path`` (taking and
    releasing it otherwise)."""
    lock = Path(f"{path}.lock")
    if not lock.exists():
        return
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise StateLockedError(
                f"another run is using the crawl state {path} (pid {handle.read().strip()})"
            ) from None


COLUMNS = ", ".join(f.name for f in fields(StoryState))


def add_missing_columns(db: sqlite3.Connection) -> None:
    """Bring a state file written by an older version up to :class:`StoryState`: columns added since are
    added (nullable, so old rows read as unknown); nothing is rewritten or dropped."""
    for table in ("stories", "staged"):
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for name in (f.name for f in fields(StoryState) if f.name not in present):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} TEXT")


#: A row's values in column order (``dataclasses.astuple`` deep-copies, ten times slower).
as_row = attrgetter(*(f.name for f in fields(StoryState)))
PLACEHOLDERS = ", ".join("?" for _ in fields(StoryState))


class StateStore:
    """One SQLite file; :meth:`lock` before any change, held until :meth:`close` (or the process ends)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock: IO[str] | None = None
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        add_missing_columns(self.db)

    def lock(self) -> None:
        """Take the run lock (a ``flock`` the kernel drops when the process dies); raise if another run has it."""
        handle = Path(f"{self.path}.lock").open("a+")  # noqa: SIM115 (held for the whole run)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StateLockedError(f"another run is using the crawl state {self.path} (pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def stage(self, run_id: str, export_path: str | None, rows: list[StoryState]) -> None:
        """Write a run's rows aside, with the export they belong to, in one transaction."""
        with self._transaction():
            self.db.execute("DELETE FROM staged WHERE run_id = ?", (run_id,))
            self.db.executemany(
                f"INSERT INTO staged (run_id, {COLUMNS}) VALUES (?, {PLACEHOLDERS})",
                [(run_id, *as_row(row)) for row in rows],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, 'staged', datetime('now'), NULL)", (run_id, export_path)
            )

    def apply(self, run_id: str) -> int:
        """Make a run's staged rows the state, in one transaction; return how many."""
        with self._transaction():
            count = self.db.execute(
                f"INSERT OR REPLACE INTO stories ({COLUMNS}) SELECT {COLUMNS} FROM staged WHERE run_id = ?", (run_id,)
            ).rowcount
            self.db.execute("DELETE FROM staged WHERE run_id = ?", (run_id,))
            self.db.execute(
                "UPDATE runs SET status = 'applied', applied_at = datetime('now') WHERE run_id = ?", (run_id,)
            )
        return int(count)

    def discard(self, run_id: str) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM staged WHERE run_id = ?", (run_id,))
            self.db.execute("UPDATE runs SET status = 'discarded' WHERE run_id = ?", (run_id,))

    def recover(self) -> list[tuple[str, str]]:
        """Settle runs that stopped between staging and applying: applied when their export was published,
        discarded when not. Returns ``(run_id, "applied"|"discarded")`` for each."""
        settled = []
        for run_id, export in self.db.execute("SELECT run_id, export_path FROM runs WHERE status = 'staged'"):
            published = export is not None and Path(export).exists()
            self.apply(run_id) if published else self.discard(run_id)
            settled.append((run_id, "applied" if published else "discarded"))
        return settled

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
