"""Runs that resume: a run that did not finish (SIGKILL, OOM kill, reboot, SIGTERM, Ctrl-C) is resumed by the next
run of the same command (same spider, same arguments) on the same crawl state.

Each run is a row of ``run_chain``: its command, the run it resumes (``resumes``: the previous run's id, or none)
and the chain it belongs to (``chain``: the id of the first run of an unbroken series of resumed runs, and that
run's start time). A run is finished when its finish reason is ``finished``; any other end, or none at all (the
process was killed), makes the next run of the command resume it.

What a resumed run skips: every story the chain has already checked (its state row's ``last_checked`` is from the
chain's start on, and so was committed with a published part of the chain), and every archive index page and
listing capture the chain has read (:mod:`newscrawler.sources.progress`). Progress rows are deleted once a run of
the chain finishes.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

SCHEMA = """
CREATE TABLE IF NOT EXISTS run_chain (
    run_id TEXT PRIMARY KEY, command TEXT NOT NULL, resumes TEXT, chain TEXT NOT NULL, chain_start TEXT NOT NULL,
    started TEXT NOT NULL, finish_reason TEXT);
"""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RunChain:
    """This run's row of ``run_chain``, written when the run starts; :meth:`finish` records how it ended."""

    def __init__(self, db: sqlite3.Connection, run_id: str, command: str) -> None:
        self.db, self.run_id = db, run_id
        db.executescript(SCHEMA)
        previous = db.execute(
            "SELECT run_id, chain, chain_start, finish_reason FROM run_chain WHERE command = ? AND run_id != ?"
            " ORDER BY started DESC, rowid DESC LIMIT 1",
            (command, run_id),
        ).fetchone()
        started = utc_now()
        unfinished = previous is not None and previous[3] != "finished"
        #: The run this one resumes, or None.
        self.resumes: str | None = previous[0] if unfinished else None
        self.chain: str = previous[1] if unfinished else run_id
        self.chain_start: str = previous[2] if unfinished else started
        db.execute(
            "INSERT OR REPLACE INTO run_chain VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (run_id, command, self.resumes, self.chain, self.chain_start, started),
        )

    def done_before(self, last_checked: str | None) -> bool:
        """True when a story checked at ``last_checked`` was checked by the runs this one resumes (so by a published
        part)."""
        return self.resumes is not None and self.checked_in_chain(last_checked)

    def checked_in_chain(self, last_checked: str | None) -> bool:
        """True when a story checked at ``last_checked`` was checked by this run or the runs it resumes (a part
        committed at a checkpoint makes this run's own stories known in the state file)."""
        return last_checked is not None and last_checked >= self.chain_start

    def finish(self, reason: str | None) -> None:
        """Record how the run ended; a finished run ends its chain, whose progress rows go."""
        self.db.execute("UPDATE run_chain SET finish_reason = ? WHERE run_id = ?", (reason, self.run_id))
        if reason == "finished":
            tables = [row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'chain_%'")]
            for table in tables:  # the progress of the chain (here and in newscrawler.sources.progress)
                self.db.execute(f"DELETE FROM {table} WHERE chain = ?", (self.chain,))
