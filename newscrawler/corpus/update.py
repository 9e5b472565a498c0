"""Bring the corpus up to date with the published exports: the runs it has not taken in yet, folded by the merge
rule into the partitions their stories are in (:func:`update_corpus`).

An update is incremental when every new export sorts after the last one taken in (the usual case: each run adds
its own); otherwise (an export taken in is gone, an earlier one appeared, or ``rebuild``) the corpus is rebuilt
from all exports, so that the result is always what a rebuild from the exports alone gives, byte for byte.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawler.corpus.exports import ExportUnit, export_units
from newscrawler.corpus.merge import Record, fold, identity, upgrade
from newscrawler.corpus.store import Generation, current_generation, locked, read_index, read_manifest, read_partition
from newscrawler.exports.schema import SCHEMA_VERSION, read_lines

Key = tuple[str, int]


def partition_of(record: Record) -> str:
    """``{edition}/{YYYY-MM}`` of ``datePublished`` (as the site dates it), or ``{edition}/undated``.

    >>> partition_of({"edition": "en", "datePublished": "2020-11-14T09:00:00+03:00"}), partition_of({"edition": "ar"})
    ('en/2020-11', 'ar/undated')
    """
    published = record.get("datePublished")
    return f"{record.get('edition')}/{published[:7] if published else 'undated'}"


def _order(name: str) -> tuple[str, int]:
    run, _, part = name.partition(".p")
    return run, int(part or 0)


def read_unit(unit: ExportUnit) -> Iterator[Record]:
    """The records of one export file, brought to the current schema."""
    for line in read_lines(unit.path):
        if line.strip():
            yield upgrade(json.loads(line))


@dataclass
class Corpus:
    """The corpus being updated: partitions by name, each its records by key, read from ``previous`` on need."""

    previous: Path | None
    index: dict[Key, str]
    partitions: dict[str, dict[Key, Record]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    #: A story was added or moved to another partition: the key index changes.
    moved: bool = False

    def partition(self, name: str) -> dict[Key, Record]:
        if name not in self.partitions:
            stored = self.previous is not None and name in self.known
            records = read_partition(self.previous, name) if stored and self.previous else iter(())
            self.partitions[name] = {identity(r): r for r in records}
        return self.partitions[name]

    def take(self, record: Record) -> None:
        key: Key = identity(record)
        held_in = self.index.get(key)
        held = self.partition(held_in).pop(key) if held_in is not None else None
        merged = fold(held, record)
        target = partition_of(merged)
        self.partition(target)[key] = merged
        if held_in != target:
            self.index[key], self.moved = target, True


def update_corpus(data: Path, spider: str, rebuild: bool = False) -> dict[str, Any]:
    """Update (or ``rebuild``) ``{data}/corpus/{spider}`` from the exports; return the new manifest (the current
    one when there is nothing new)."""
    started = time.perf_counter()
    with locked(data, spider):
        previous = current_generation(data, spider)
        manifest = read_manifest(previous)
        units = export_units(data, spider)
        included = manifest["runs"]
        new = [u for u in units if u.name not in set(included)]
        present = {u.name for u in units}
        incremental = (
            not rebuild
            and previous is not None
            and all(name in present for name in included)
            and all((u.run_id, u.part) > _order(included[-1]) for u in new if included)
        )
        if incremental and not new:
            return manifest
        taken = new if incremental else units
        corpus = Corpus(previous if incremental else None, read_index(previous) if incremental else {})
        corpus.known = set(manifest["partitions"]) if incremental else set()
        read = 0
        for unit in taken:
            for record in read_unit(unit):
                corpus.take(record)
                read += 1
        return _publish(data, spider, previous, manifest if incremental else None, corpus, taken, read, started)


def _publish(
    data: Path,
    spider: str,
    previous: Path | None,
    old: dict[str, Any] | None,
    corpus: Corpus,
    taken: list[ExportUnit],
    read: int,
    started: float,
) -> dict[str, Any]:
    generation = Generation(data, spider, previous)
    entries: dict[str, Any] = {}
    kept = dict(old["partitions"]) if old is not None else {}
    for name in sorted(set(kept) | set(corpus.partitions)):
        if name in corpus.partitions:
            records = [corpus.partitions[name][k] for k in sorted(corpus.partitions[name])]
            if records:
                entries[name] = generation.write(name, records)
        else:
            generation.keep(name)
            entries[name] = kept[name]
    generation.write_index(corpus.index, unchanged=old is not None and not corpus.moved)
    runs = (old["runs"] if old is not None else []) + [u.name for u in taken]
    manifest = {
        "spider": spider,
        "schemaVersion": SCHEMA_VERSION,
        "generation": int(generation.root.name),
        "updatedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "records": {
            "total": sum(e["records"] for e in entries.values()),
            "removed": sum(e["removed"] for e in entries.values()),
        },
        "runs": runs,
        "partitions": entries,
        "lastUpdate": {
            "mode": "incremental" if old is not None else "rebuild",
            "exportsRead": len(taken),
            "recordsRead": read,
            "partitionsWritten": sum(1 for n in entries if n in corpus.partitions),
            "bytesWritten": generation.bytes_written,
            "seconds": round(time.perf_counter() - started, 3),
        },
    }
    generation.publish(manifest)
    return manifest
