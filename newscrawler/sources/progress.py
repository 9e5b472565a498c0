"""What an archive run has read, kept for the run that resumes it (:mod:`newscrawler.state.resume`): index pages
and listing captures. Neither holds a record, so each is committed at once, in its own transaction, once read;
nothing waits for a published part. Rows belong to the chain of resumed runs and go when a run of it finishes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import astuple

from newscrawler.sources.captures import Capture
from newscrawler.state.resume import RunChain

SCHEMA = """
CREATE TABLE IF NOT EXISTS chain_index_pages (
    chain TEXT NOT NULL, query TEXT NOT NULL, page INTEGER NOT NULL, next_key TEXT, captures TEXT NOT NULL,
    PRIMARY KEY (chain, query, page));
CREATE TABLE IF NOT EXISTS chain_listings (chain TEXT NOT NULL, listing TEXT NOT NULL, seen TEXT NOT NULL,
    PRIMARY KEY (chain, listing));
"""
#: One story a listing capture shows: edition, story id, URL, capture time, date shown.
Listed = tuple[str, int, str, str, str | None]


class IndexProgress:
    """Archive index pages the chain has read, each with the captures it kept and the key of the next page.

    A replays the pages read (no request) and asks only for the next one.
    """

    def __init__(self, chain: RunChain) -> None:
        self.db, self.chain = chain.db, chain.chain
        self.db.executescript(SCHEMA)

    def read(self, query: str) -> Iterator[tuple[list[Capture], str | None]]:
        """The pages of ``query`` read so far, in order: their captures and the key of the page after each."""
        rows = self.db.execute(
            "SELECT captures, next_key FROM chain_index_pages WHERE chain = ? AND query = ? ORDER BY page",
            (self.chain, query),
        )
        for captures, next_key in rows:
            yield [Capture(*fields) for fields in json.loads(captures)], next_key

    def add(self, query: str, captures: list[Capture], next_key: str | None) -> None:
        page = self.db.execute(
            "SELECT count(*) FROM chain_index_pages WHERE chain = ? AND query = ?", (self.chain, query)
        ).fetchone()[0]
        self.db.execute(
            "INSERT OR REPLACE INTO chain_index_pages VALUES (?, ?, ?, ?, ?)",
            (self.chain, query, page, next_key, json.dumps([astuple(c) for c in captures])),
        )


class ListingProgress:
    """Listing captures the chain has read, each with the stories it shows; a resumed run does not ask again."""

    def __init__(self, chain: RunChain) -> None:
        self.db, self.chain = chain.db, chain.chain
        self.db.executescript(SCHEMA)

    def read(self) -> dict[str, list[Listed]]:
        """The stories each listing (by :func:`json.dumps` of its key) showed, for every listing read."""
        rows = self.db.execute("SELECT listing, seen FROM chain_listings WHERE chain = ?", (self.chain,))
        return {listing: [tuple(s) for s in json.loads(seen)] for listing, seen in rows}

    def add(self, listing: str, seen: list[Listed]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO chain_listings VALUES (?, ?, ?)", (self.chain, listing, json.dumps(seen))
        )
