"""Scheduled incremental runs against a site that changes between them."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import published, read_jsonl, scrapy_crawl
from tests.support.mutate import SiteCopy

NEW = [("en", 50700), ("en", 50701)]
RECENT, OLD, DELETED = ("en", 50603), ("en", 11554), ("en", 49990)


def crawl_once(site_root: Path, data: Path, *extra: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One scheduled run: its exported records and its manifest."""
    before = {p for p in published(data) if p.suffix == ".jsonl"}
    with SnapshotServer(site_root) as server:
        result = scrapy_crawl(server.url, None, *extra, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    [export] = sorted({p for p in published(data) if p.suffix == ".jsonl"} - before)
    manifest = json.loads(export.with_name(export.name.replace(".jsonl", ".manifest.json")).read_text("utf-8"))
    return read_jsonl(export), manifest


def keys(records: list[dict[str, Any]]) -> dict[tuple[str, int], int]:
    """Content records' identities and versions (deletion records left out)."""
    return {(r["edition"], r["storyId"]): r["metadata"]["version"] for r in records if not r["removed"]}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run 1 on the snapshot; then change the site; run 2; then runs until the old change is caught."""
    base = tmp_path_factory.mktemp("incremental")
    site, data = SiteCopy(base / "site"), base / "data"
    first, first_manifest = crawl_once(site.root, data)
    site.add_story(
        ("en", 22455),
        NEW[0][1],
        "Parliament approves the 2021 budget",
        "14 November 2020 10:00 AM",
        "pages/en/section/1_1.html",
    )
    site.add_story(
        ("en", 22455), NEW[1][1], "Curfew lifted in Basra", "14 November 2020 11:30 AM", "pages/en/section/1_1.html"
    )
    site.change_story(*RECENT, "Friday، 13 November 2020 05:28 AM", "Saturday، 14 November 2020 09:00 AM")
    site.change_story(*OLD, "Tuesday، 06 June 2017 07:14 PM", "Saturday، 14 November 2020 08:00 AM")
    site.delete_story(*DELETED)
    site.save()
    second, second_manifest = crawl_once(site.root, data)
    later = []
    bound = math.ceil(first_manifest["records"]["total"] / 20) + 1
    for _ in range(bound):
        records, _manifest = crawl_once(site.root, data)
        later.append(records)
        if OLD in keys(records):
            break
    return {
        "first": first,
        "first_manifest": first_manifest,
        "second": second,
        "second_manifest": second_manifest,
        "later": later,
        "bound": bound,
    }


def test_first_run_exports_everything_as_version_1(history: dict[str, Any]) -> None:
    assert len(history["first"]) == 177 and set(keys(history["first"]).values()) == {1}


def test_second_run_exports_exactly_the_new_and_the_recent_change(history: dict[str, Any]) -> None:
    assert keys(history["second"]) == {NEW[0]: 1, NEW[1]: 1, RECENT: 2}
    recent = next(r for r in history["second"] if (r["edition"], r["storyId"]) == RECENT)
    assert recent["dateModified"] == "2020-11-14T09:00:00+03:00"
    assert recent["articleBody"].startswith("Update: officials confirmed the report.")


def test_second_run_did_not_refetch_the_archive(history: dict[str, Any]) -> None:
    first, second = history["first_manifest"]["requests"], history["second_manifest"]["requests"]
    assert second < 0.3 * first, (first, second)


def test_old_change_caught_within_the_revisit_bound(history: dict[str, Any]) -> None:
    caught = [records for records in history["later"] if OLD in keys(records)]
    assert len(caught) == 1 and len(history["later"]) <= history["bound"]
    old = next(r for r in caught[0] if (r["edition"], r["storyId"]) == OLD)
    assert old["metadata"]["version"] == 2 and old["dateModified"] == "2020-11-14T08:00:00+03:00"


def test_no_story_version_exported_twice(history: dict[str, Any]) -> None:
    runs = [history["first"], history["second"], *history["later"]]
    exported = [(r["edition"], r["storyId"], r["metadata"]["version"]) for run in runs for r in run]
    assert len(exported) == len(set(exported))
    assert DELETED not in {key for run in runs[1:] for key in keys(run)}
    removals = [(r["edition"], r["storyId"], r["metadata"]["version"]) for run in runs for r in run if r["removed"]]
    assert removals in ([], [(*DELETED, 2)])  # once, when a revisit finds it gone


def test_full_crawl_fetches_everything_and_exports_only_changes(tmp_path: Path) -> None:
    site, data = SiteCopy(tmp_path / "site"), tmp_path / "data"
    _, first = crawl_once(site.root, data)
    site.change_story(*OLD, "Tuesday، 06 June 2017 07:14 PM", "Saturday، 14 November 2020 08:00 AM")
    site.save()
    records, manifest = crawl_once(site.root, data, "-a", "full=1", "-s", "NEWSCRAWLER_REVISIT_PER_RUN=0")
    assert keys(records) == {OLD: 2}
    assert manifest["requests"] >= first["requests"] - 5  # the whole archive again
