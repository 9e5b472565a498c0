"""Incremental archive runs: the newest capture time each archive index has shown, kept in the crawl state file.

A rerun asks the index only for captures from that time on (CDX ``from=``). The time is written only after the
run's export is published, and only when no capture was lost to a transient fault (a timeout, a refused
connection): a run that loses one asks again from the previous time next run, so a fault never costs a story.
"""

from __future__ import annotations

import sqlite3

from scrapy.crawler import Crawler

from newscrawler.exports import signals as export_signals

SCHEMA = "CREATE TABLE IF NOT EXISTS archive_cursors (archive TEXT PRIMARY KEY, newest TEXT NOT NULL, run_id TEXT)"


def archive_id(kind: str, index_url: str, crawls: tuple[str, ...], editions: tuple[str, ...]) -> str:
    """What a cursor belongs to: the source, its index, the crawls and editions asked for.

    >>> archive_id("wayback", "https://web.archive.org/cdx/search/cdx", (), ("en",))
    'wayback https://web.archive.org/cdx/search/cdx en'
    """
    return " ".join([kind, index_url, ",".join(crawls), ",".join(editions)]).replace("  ", " ")


class ArchiveCursors:
    """The ``archive_cursors`` table of an open state database."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.db.execute(SCHEMA)

    def newest(self, archive: str) -> str:
        """The newest capture time (14 digits) seen in ``archive`` by a published run, or ""."""
        row = self.db.execute("SELECT newest FROM archive_cursors WHERE archive = ?", (archive,)).fetchone()
        return str(row[0]) if row else ""

    def advance(self, archive: str, newest: str, run_id: str) -> None:
        """Remember ``newest`` for ``archive`` (never moving the cursor back)."""
        if newest and newest > self.newest(archive):
            self.db.execute("INSERT OR REPLACE INTO archive_cursors VALUES (?, ?, ?)", (archive, newest, run_id))


class RunCursor:
    """One run's use of the cursor: :attr:`since` to ask from, advanced when the run's export is published.

    Without crawl state (``NEWSCRAWLER_STATE=0``) or for local files, :attr:`since` is "" and nothing is kept.
    ``full``: ask for everything, still advancing the cursor.
    """

    def __init__(self, crawler: Crawler, archive: str, full: bool) -> None:
        state = getattr(crawler, "crawl_state", None)
        self.cursors = ArchiveCursors(state.store.db) if state is not None else None
        self.archive, self.run_id = archive, str(getattr(state, "run_id", ""))
        self.since = self.cursors.newest(archive) if self.cursors and not full else ""
        self.newest, self.lost = "", 0
        crawler.signals.connect(self.on_published, export_signals.export_published)
        if self.since and crawler.stats is not None:
            crawler.stats.set_value("newscrawler/archive/index_from", self.since)

    def on_published(self, path: str) -> None:
        if self.cursors is not None and not self.lost:
            self.advance()

    def advance(self) -> None:
        if self.cursors is not None:
            self.cursors.advance(self.archive, self.newest, self.run_id)
