"""Exported records, read back from export files (plain or gzip) and kept as small summaries."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawler.items import EXPORT_FIELDS

#: Fields every record has by construction; coverage is reported for the others.
IDENTITY_FIELDS = ("url", "canonicalUrl", "storyId", "edition", "inLanguage", "removed", "metadata")
COVERAGE_FIELDS = tuple(name for name in EXPORT_FIELDS if name not in IDENTITY_FIELDS)
#: Normalised date fields and the raw text each is parsed from.
DATE_FIELDS = {"datePublished": "datePublishedRaw", "dateModified": "dateModifiedRaw"}


@dataclass(frozen=True)
class RecordSummary:
    """What the report needs of one exported record."""

    edition: str
    story_id: int
    version: int | None
    headline: str | None
    section: str | None
    published: str | None
    filled: frozenset[str]
    unparsed: tuple[tuple[str, str], ...]
    extraction: str | None

    @property
    def key(self) -> tuple[str, int]:
        return (self.edition, self.story_id)

    @property
    def is_removal(self) -> bool:
        """A deletion record: no content, only word that the story is gone."""
        return self.headline is None and not self.filled


def is_filled(value: Any) -> bool:
    """A field counts as covered when it holds something (not None, "", [] or {})."""
    return value not in (None, "", [], {})


def summarise(record: dict[str, Any]) -> RecordSummary:
    """The summary of one exported record.

    >>> s = summarise({"edition": "ar", "storyId": 3, "headline": "x", "datePublishedRaw": "؟", "metadata": {}})
    >>> sorted(s.filled), s.unparsed, s.version
    (['datePublishedRaw', 'headline'], (('datePublished', '؟'),), None)
    """
    metadata = record.get("metadata") or {}
    crumbs = record.get("breadcrumbs") or []
    return RecordSummary(
        edition=str(record.get("edition")),
        story_id=int(record.get("storyId") or 0),
        version=metadata.get("version") if isinstance(metadata.get("version"), int) else None,
        headline=record.get("headline"),
        section=(crumbs[0].get("name") if crumbs and isinstance(crumbs[0], dict) else None) or None,
        published=record.get("datePublished"),
        filled=frozenset(name for name in COVERAGE_FIELDS if is_filled(record.get(name))),
        unparsed=tuple(
            (name, str(record[raw])) for name, raw in DATE_FIELDS.items() if record.get(raw) and not record.get(name)
        ),
        extraction=_extraction(metadata.get("extraction")),
    )


def _extraction(value: Any) -> str | None:
    """``metadata.extraction`` as one name: a string as is, a mapping by its ``method``/``path``/``name``."""
    if isinstance(value, dict):
        value = value.get("method") or value.get("path") or value.get("name")
    return str(value) if value else None


def lines_of(path: Path) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def read_records(path: Path) -> list[RecordSummary] | None:
    """Summaries of every record in an export file, or None when it cannot be read."""
    try:
        return [summarise(json.loads(line)) for line in lines_of(path) if line.strip()]
    except (OSError, ValueError, EOFError):
        return None


def latest_versions(runs: Iterable[list[RecordSummary]]) -> dict[tuple[str, int], RecordSummary]:
    """Each story's record of the highest version across exports (the later one on a tie): what a consumer
    that upserts on ``(edition, storyId)`` holds."""
    latest: dict[tuple[str, int], RecordSummary] = {}
    for records in runs:
        for record in records:
            held = latest.get(record.key)
            if record.is_removal and held is not None:  # the story's content stays what the report shows
                continue
            if held is None or (record.version or 0) >= (held.version or 0):
                latest[record.key] = record
    return latest
