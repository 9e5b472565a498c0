"""The merge rule as a table: what is held for a story after one more record, whatever kind of run made it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newscrawler.corpus.exports import parse_name
from newscrawler.corpus.merge import fold, observed, upgrade
from newscrawler.corpus.update import partition_of


def content(body: str, seen: str, archive: str | None = None, removed: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"dateDownloaded": seen}
    if archive:
        metadata["captureTimestamp"] = archive
    return {"edition": "en", "storyId": 1, "articleBody": body, "removed": removed, "metadata": metadata}


def gone(when: str) -> dict[str, Any]:
    return {"edition": "en", "storyId": 1, "removed": when, "metadata": {"dateDownloaded": when}}


T1, T2, T3, T4 = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"


@pytest.mark.parametrize(
    ("held", "record", "body", "removed"),
    [
        (None, content("a", T1), "a", None),
        (content("a", T1), content("b", T2), "b", None),  # a later version replaces
        (content("a", T2), content("b", T1), "a", None),  # an older one (a later run of an older archive) does not
        (content("a", T1), content("b", T1), "b", None),  # the same moment: the later line wins
        (content("a", T2), content("old", T4, archive="2020-01-01T00:00:00Z"), "a", None),  # capture time counts
        (content("a", T1), gone(T2), "a", T2),  # a deletion keeps the content, marked
        (content("a", T1, removed=T2), gone(T3), "a", T2),  # first seen gone stays
        (content("a", T1, removed=T3), content("b", T2), "b", T3),  # newer content, still gone after it
        (content("a", T1, removed=T2), content("a", T3), "a", None),  # back on the site
        (content("a", T3), gone(T2), "a", None),  # a deletion older than the content held changes nothing
        (gone(T2), content("a", T1), "a", T2),  # content older than a deletion held: kept, marked
        (gone(T2), content("a", T3), "a", None),
    ],
)
def test_fold(held: dict[str, Any] | None, record: dict[str, Any], body: str, removed: str | None) -> None:
    merged = fold(held, record)
    assert (merged["articleBody"], merged["removed"]) == (body, removed)


def test_deletion_alone_is_kept() -> None:
    assert fold(None, gone(T2)) == gone(T2) and fold(gone(T3), gone(T2)) == gone(T2)
    assert observed(gone(T2)) == T2


@pytest.mark.parametrize(
    ("extraction", "expected"),
    [
        ("site", {"method": "site", "generic": []}),
        ({"generic": ["headline"]}, {"method": "generic", "generic": ["headline"]}),
        ({"method": "site", "generic": []}, {"method": "site", "generic": []}),
    ],
)
def test_upgrade_from_schema_1(extraction: Any, expected: dict[str, Any]) -> None:
    record = upgrade({"articleBody": "b", "headline": "h", "metadata": {"extraction": extraction}})
    assert record["metadata"]["extraction"] == expected and record["metadata"]["version"] == 1
    assert len(record["metadata"]["contentHash"]) == 64 and record["removed"] is None


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("20261125T093000Z-ab12cd34.jsonl", ("20261125T093000Z-ab12cd34", 0)),
        ("20261125T093000Z-ab12cd34.jsonl.gz", ("20261125T093000Z-ab12cd34", 0)),
        ("20261125T093000Z-ab12cd34.p00002.jsonl.gz", ("20261125T093000Z-ab12cd34", 2)),
        (".20261125T093000Z-ab12cd34.jsonl.123.part", None),
        ("20261125T093000Z-ab12cd34.p00001.manifest.json", None),
        ("20261125T093000Z-ab12cd34.warc.gz", None),
    ],
)
def test_export_names(name: str, unit: tuple[str, int] | None) -> None:
    found = parse_name(Path(name))
    assert (found and (found.run_id, found.part)) == unit


@pytest.mark.parametrize(
    ("record", "partition"),
    [
        ({"edition": "ar", "datePublished": "2020-01-31T23:30:00+03:00"}, "ar/2020-01"),  # the site's own month
        ({"edition": "en", "datePublished": None}, "en/undated"),
        ({"edition": "en", "removed": "2026-01-01T00:00:00Z"}, "en/undated"),
    ],
)
def test_partition(record: dict[str, Any], partition: str) -> None:
    assert partition_of(record) == partition
