"""End to end: ``scrapy crawl`` over real HTTP against the bundled snapshot, checked record by record."""

from __future__ import annotations

import collections
import re
from pathlib import Path
from typing import Any

import pytest

from newscrawler.baghdadpost.urls import story_key
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import SNAPSHOT, read_jsonl, scrapy_crawl

EXPECTED_KEYS = [(r["edition"], r["storyId"]) for r in read_jsonl(SNAPSHOT / "expected.jsonl")]


@pytest.fixture(scope="module")
def crawl(site: SnapshotServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("crawl") / "out.jsonl"
    result = scrapy_crawl(site.url, out)
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_jsonl(out)
    return {
        "records": records,
        "by_key": {(r["edition"], r["storyId"]): r for r in records},
        "stderr": result.stderr,
        "base": site.url,
    }


def test_every_story_once_no_extras(crawl: dict[str, Any], expected_records: dict[Any, Any]) -> None:
    keys = collections.Counter((r["edition"], r["storyId"]) for r in crawl["records"])
    assert [k for k, n in keys.items() if n > 1] == []
    assert set(keys) == set(expected_records)


@pytest.mark.parametrize("key", EXPECTED_KEYS, ids=[f"{e}-{i}" for e, i in EXPECTED_KEYS])
def test_record_matches_reference(
    key: tuple[str, int], crawl: dict[str, Any], expected_records: dict[Any, Any]
) -> None:
    got = crawl["by_key"].get(key)
    assert got is not None, f"story {key} not exported"
    expected = {k: v for k, v in expected_records[key].items() if k != "url"}
    assert {k: got.get(k) for k in expected} == expected


def test_url_is_where_the_story_was_fetched(crawl: dict[str, Any]) -> None:
    for record in crawl["records"]:
        assert record["url"].startswith(crawl["base"] + "/")
        assert story_key(record["url"]) == (record["edition"], record["storyId"])


def test_slugless_link_url_is_after_redirect(crawl: dict[str, Any]) -> None:
    assert crawl["by_key"][("en", 43875)]["url"].endswith(
        "/en/Story/43875/Iraqi-Forces-Discover-Seven-IS-Hideouts-in-Babil"
    )


def test_metadata_has_utc_download_time(crawl: dict[str, Any]) -> None:
    for record in crawl["records"]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["metadata"]["dateDownloaded"])


def test_keys_in_documented_order(crawl: dict[str, Any]) -> None:
    from newscrawler.items import EXPORT_FIELDS

    assert all(list(r) == EXPORT_FIELDS for r in crawl["records"])


def test_a_normal_run_is_silent_at_warning(crawl: dict[str, Any]) -> None:
    """Nothing needs attention: the three deleted stories are logged at INFO (and counted in the manifest, as
    tests/test_progress.py checks), components switched off by a setting or the lack of a terminal say so at INFO."""
    assert crawl["stderr"] == ""


def test_arabic_is_not_escaped(site: SnapshotServer, tmp_path: Path) -> None:
    out = tmp_path / "ar.jsonl"
    result = scrapy_crawl(site.url, out, "-a", "edition=ar", "-a", "sections=14")
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "\\u06" not in text and "رأي" in text
    assert {r["edition"] for r in read_jsonl(out)} == {"ar"}
    assert len(read_jsonl(out)) == 6


def test_every_record_read_by_the_site_rules(crawl: dict[str, Any]) -> None:
    assert all(r["metadata"]["extraction"] == {"method": "site", "generic": []} for r in crawl["records"])
