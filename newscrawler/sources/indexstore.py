"""An archive's index kept on disk (SQLite), so that a crawl's memory does not grow with the archive.

Every capture read from the index is written to one table, with the item key and listing key it shows (one column
per key field, so that SQL orders keys as Python orders the tuples) and its resource (:func:`resource_key`). The
crawl then reads back one item's (or one listing's) captures at a time, in key order, and finds a redirect's
target by resource. Rows are written in batches; the lookup indexes are built once, when the index phase ends
(:meth:`CaptureIndex.finish`).

The file is a temporary one (deleted when closed, or when the process dies) unless a path is given: beside the
crawl state, where it is emptied when opened for a new run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any, Generic, TypeVar

from newscrawler.sources.captures import Capture
from newscrawler.sources.replay import same_resource
from newscrawler.sources.selection import resource_key

ItemKey = TypeVar("ItemKey", bound=tuple[Any, ...])
ListingKey = TypeVar("ListingKey", bound=tuple[Any, ...])
Key = TypeVar("Key", bound=tuple[Any, ...])
#: A :class:`Capture`'s fields, in the order of its constructor.
CAPTURE_COLUMNS = (
    "timestamp", "url", "status", "mime", "digest", "filename", "offset", "length", "member", "truncated",
    "refers_to", "refers_to_url",
)  # fmt: skip
#: Rows written at once, and keys whose captures are read back at once.
BATCH = 2000
KEYS_AT_ONCE = 256


class KeyedCaptures(Generic[Key]):
    """The captures of one kind of key (items or listings), read back from the index one key at a time."""

    def __init__(self, index: CaptureIndex[Any, Any], prefix: str, make: Callable[..., Key], width: int) -> None:
        self.index, self.make = index, make
        self.columns = [f"{prefix}{n}" for n in range(width)]
        self.key_sql = ", ".join(self.columns)
        self.present = f"{self.columns[0]} IS NOT NULL"

    def items(self) -> Iterator[tuple[Key, list[Capture]]]:
        """Every key with its captures (in the order they were read from the index), keys in ascending order."""
        after: tuple[Any, ...] | None = None
        while keys := self._keys_after(after):
            where = f"{self.present} AND ({self.key_sql}) BETWEEN ({self._marks}) AND ({self._marks})"
            rows = self.index.select(
                f"{self.key_sql}, {_CAPTURE}", f"{where} ORDER BY {self.key_sql}, rowid", *keys[0], *keys[-1]
            )
            for key, group in groupby(rows, key=lambda row: row[: len(self.columns)]):
                yield self.make(*key), [Capture(*row[len(self.columns) :]) for row in group]
            after = keys[-1]

    def counts(self) -> Iterator[tuple[Key, int]]:
        """Every key with its number of captures, keys in ascending order (read as iterated)."""
        self.index.flush()
        group = f"FROM captures WHERE {self.present} GROUP BY {self.key_sql} ORDER BY {self.key_sql}"
        for row in self.index.db.execute(f"SELECT {self.key_sql}, count(*) {group}"):
            yield self.make(*row[:-1]), int(row[-1])

    def keys(self) -> Iterator[Key]:
        return (key for key, _ in self.counts())

    def values(self) -> Iterator[list[Capture]]:
        return (captures for _, captures in self.items())

    def __len__(self) -> int:
        distinct = f"(SELECT DISTINCT {self.key_sql} FROM captures WHERE {self.present})"
        return int(self.index.select_from(distinct, "count(*)")[0][0])

    def captures(self) -> int:
        """How many captures show a key of this kind."""
        return int(self.index.select_from(f"captures WHERE {self.present}", "count(*)")[0][0])

    @property
    def _marks(self) -> str:
        return ", ".join("?" for _ in self.columns)

    def _keys_after(self, after: tuple[Any, ...] | None) -> list[tuple[Any, ...]]:
        since = f" AND ({self.key_sql}) > ({self._marks})" if after is not None else ""
        where = f"{self.present}{since} ORDER BY {self.key_sql} LIMIT {KEYS_AT_ONCE}"
        return self.index.select(f"DISTINCT {self.key_sql}", where, *(after or ()))


_CAPTURE = ", ".join(CAPTURE_COLUMNS)


class CaptureIndex(Generic[ItemKey, ListingKey]):
    """Captures by item key (:attr:`items`), by listing key (:attr:`listings`) and by resource, on disk.

    ``item_key``/``listing_key``: the key types (named tuples), rebuilt from their fields when read back.
    """

    def __init__(self, item_key: type[ItemKey], listing_key: type[ListingKey], path: Path | None = None) -> None:
        self.items: KeyedCaptures[ItemKey] = KeyedCaptures(self, "i", item_key, len(_fields(item_key)))
        self.listings: KeyedCaptures[ListingKey] = KeyedCaptures(self, "l", listing_key, len(_fields(listing_key)))
        self.newest = ""
        self.db = _connect(path)
        key_columns = [*self.items.columns, *self.listings.columns]
        self.db.execute("DROP TABLE IF EXISTS captures")
        self.db.execute(f"CREATE TABLE captures ({', '.join([*CAPTURE_COLUMNS, 'resource', *key_columns])})")
        marks = ", ".join("?" for _ in range(len(CAPTURE_COLUMNS) + 1 + len(key_columns)))
        self._insert = f"INSERT INTO captures VALUES ({marks})"
        self._pending: list[tuple[Any, ...]] = []
        self._items_width, self._listings_width = len(self.items.columns), len(self.listings.columns)

    def add(self, capture: Capture, item: ItemKey | None, listing: ListingKey | None) -> None:
        row = (*_values(capture), resource_key(capture.url))
        row += tuple(item) if item is not None else (None,) * self._items_width
        row += tuple(listing) if listing is not None else (None,) * self._listings_width
        self._pending.append(row)
        self.newest = max(self.newest, capture.timestamp[:14])
        if len(self._pending) >= BATCH:
            self.flush()

    def finish(self) -> None:
        """The index is read: write what is left and build the lookup indexes (once)."""
        self.flush()
        for name, columns, where in (
            ("by_item", self.items.key_sql, self.items.present),
            ("by_listing", self.listings.key_sql, self.listings.present),
        ):
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON captures ({columns}) WHERE {where}")
        self.db.execute("CREATE INDEX IF NOT EXISTS by_resource ON captures (resource)")

    def nearest(self, url: str, timestamp: str) -> Capture | None:
        """The capture of ``url`` (as an index matches it) closest in time to ``timestamp``, revisits left out."""
        found = [c for c in self._of_resource(url) if not c.revisit and same_resource(c.url, url)]
        return min(
            found, key=lambda c: (abs(int(c.timestamp[:14]) - int(timestamp[:14])), c.status != 200), default=None
        )

    def digest_of(self, capture: Capture) -> str | None:
        """The digest the index gives for ``capture`` (found by resource and time), when the capture has none."""
        if capture.digest:
            return capture.digest
        same = [c for c in self._of_resource(capture.url) if c.timestamp == capture.timestamp]
        return next((c.digest for c in same if c.digest), None)

    def select(self, what: str, where: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows of ``SELECT what FROM captures WHERE where``."""
        return self.select_from(f"captures WHERE {where}", what, *args)

    def select_from(self, source: str, what: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows of ``SELECT what FROM source`` (pending rows written first)."""
        self.flush()
        return self.db.execute(f"SELECT {what} FROM {source}", args).fetchall()

    def close(self) -> None:
        self.db.close()

    def _of_resource(self, url: str) -> list[Capture]:
        rows = self.select(_CAPTURE, "resource = ? ORDER BY rowid", resource_key(url))
        return [Capture(*row) for row in rows]

    def flush(self) -> None:
        """Write the rows added since the last write (reads do so first)."""
        if self._pending:
            self.db.execute("BEGIN")
            self.db.executemany(self._insert, self._pending)
            self.db.execute("COMMIT")
            self._pending = []


def _fields(key_type: type[tuple[Any, ...]]) -> tuple[str, ...]:
    return tuple(getattr(key_type, "_fields", ()))


def _values(capture: Capture) -> tuple[Any, ...]:
    return tuple(getattr(capture, name) for name in CAPTURE_COLUMNS)


def _connect(path: Path | None) -> sqlite3.Connection:
    """A connection (usable from the thread that reads local files) to ``path``, or to a private temporary file."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path or "", isolation_level=None, check_same_thread=False)
    if path is not None:  # a cache of the archive's index: rebuilt by a new run, never worth a sync
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    return db
