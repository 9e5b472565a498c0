"""The merge rule: how records of any mix of runs (incremental, stateless, archive, rebuild) make one record per
story. Consumers who read the per-run exports themselves apply the same rule (README, "Reading the data").

A record is *observed* at ``metadata.captureTimestamp`` when read from a web archive, else at
``metadata.dateDownloaded`` (a deletion record: at ``removed``). Taking the exports in (run id, part) order and
each file line by line, for each identity (``edition``, ``storyId``):

* a content record observed no earlier than the content held replaces it; it stays marked removed only when the
  removal held was observed after it;
* a deletion record observed no earlier than the content held marks it removed (``removed``: the earliest such
  time, when the story was first seen gone), keeping its content; with no content held, the deletion record
  itself is kept;
* anything observed earlier than what is held changes nothing.

Records of schema 1.x are first brought to 2.0 (:func:`upgrade`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newscrawler.state.policy import content_hash

Record = dict[str, Any]
#: What identifies a story.
IDENTITY = ("edition", "storyId")


def identity(record: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(name) for name in IDENTITY)


def is_removal(record: Mapping[str, Any]) -> bool:
    """A deletion record: ``removed`` set and no content."""
    return bool(record.get("removed")) and "articleBody" not in record


def observed(record: Mapping[str, Any]) -> str:
    """When the record's page was seen (ISO 8601, UTC ``Z``: compared as text).

    >>> observed({"metadata": {"dateDownloaded": "2026-01-02T00:00:00Z", "captureTimestamp": "2020-11-14T09:00:00Z"}})
    '2020-11-14T09:00:00Z'
    """
    if is_removal(record):
        return str(record["removed"])
    metadata = record.get("metadata") or {}
    return str(metadata.get("captureTimestamp") or metadata.get("dateDownloaded") or "")


def upgrade(record: Record) -> Record:
    """A record of schema 1.x as 2.0 would have it (in place): ``extraction`` an object, ``version`` 1 when
    absent, ``contentHash`` computed, ``removed`` null.

    >>> upgrade({"articleBody": "b", "metadata": {"extraction": "site"}})["metadata"]["extraction"]
    {'method': 'site', 'generic': []}
    """
    if "removed" not in record:
        record["removed"] = None
    metadata = record.setdefault("metadata", {})
    metadata.setdefault("version", 1)
    if is_removal(record):
        return record
    metadata.setdefault("contentHash", content_hash(record))
    extraction = metadata.get("extraction", "site")
    if not isinstance(extraction, dict) or "method" not in extraction:
        generic = list(extraction.get("generic", [])) if isinstance(extraction, dict) else []
        metadata["extraction"] = {"method": "generic" if generic else "site", "generic": generic}
    return record


def fold(held: Record | None, record: Record) -> Record:
    """What is held for a story once ``record`` (a later line of the exports) is taken in."""
    if held is None:
        return record
    if is_removal(held):  # a deletion with no content held: any content is kept, marked if older
        if is_removal(record):
            return held if held["removed"] <= record["removed"] else record
        return record if observed(record) >= held["removed"] else {**record, "removed": held["removed"]}
    if observed(record) < observed(held):
        return held
    if is_removal(record):
        return held if held.get("removed") else {**held, "removed": record["removed"]}
    still_removed = held.get("removed") if (held.get("removed") or "") > observed(record) else None
    return {**record, "removed": still_removed}
