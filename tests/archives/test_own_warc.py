"""Our own WARCs rebuild our records: a live crawl with ``NEWSCRAWLER_WARC=1``, then ``-a source=warc`` over the
WARC it published gives the reference records again. The snapshot server is closed before the rebuild, so a
rebuild that tried the network would fail."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import LOOPBACK, SNAPSHOT, published, read_jsonl, run, scrapy_crawl

#: Where a rebuilt record may differ from the live one: when it was read, and from where.
PROVENANCE = {"url", "metadata"}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = tmp_path_factory.mktemp("own-warc") / "data"
    with SnapshotServer(SNAPSHOT) as server:
        live = scrapy_crawl(server.url, None, "-s", "NEWSCRAWLER_WARC=1", env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert live.returncode == 0, live.stderr[-3000:]
    [warc] = [p for p in published(data) if p.name.endswith(".warc.gz")]
    rebuild = data.parent / "rebuild-data"
    args = ["scrapy", "crawl", "baghdadpost", "-a", "source=warc", "-a", f"warc={warc}", *LOOPBACK]
    again = run(args, env={"NEWSCRAWLER_DATA_DIR": str(rebuild)})
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stderr == "", again.stderr[-3000:]  # at WARNING a clean rebuild says nothing (no handler's traceback)
    [live_export] = [p for p in published(data) if p.name.endswith(".jsonl")]
    [out] = [p for p in published(rebuild) if p.name.endswith(".jsonl")]
    [manifest] = [p for p in published(rebuild) if p.name.endswith(".manifest.json")]
    return {"live": read_jsonl(live_export), "rebuilt": read_jsonl(out), "manifest": json.loads(manifest.read_text())}


def by_story(records: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["edition"], r["storyId"]): r for r in records}


def test_every_reference_story_rebuilt_once(rebuilt: dict[str, Any], expected_records: dict[Any, Any]) -> None:
    keys = [(r["edition"], r["storyId"]) for r in rebuilt["rebuilt"]]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(expected_records)


def test_rebuilt_records_equal_the_reference(rebuilt: dict[str, Any], expected_records: dict[Any, Any]) -> None:
    for key, record in by_story(rebuilt["rebuilt"]).items():
        expected = {k: v for k, v in expected_records[key].items() if k not in PROVENANCE}
        assert {k: v for k, v in record.items() if k not in PROVENANCE | {"removed"}} == expected, key
        assert record["removed"] is None


def test_rebuilt_records_equal_the_live_run_and_say_where_they_came_from(rebuilt: dict[str, Any]) -> None:
    live = by_story(rebuilt["live"])
    for key, record in by_story(rebuilt["rebuilt"]).items():
        assert urlsplit(record["url"]).path == urlsplit(live[key]["url"]).path, key
        assert record["metadata"]["source"] == "warc"
        assert record["metadata"]["captureTimestamp"].endswith("Z")
        assert json.dumps({k: v for k, v in record.items() if k not in PROVENANCE}, sort_keys=True) == json.dumps(
            {k: v for k, v in live[key].items() if k not in PROVENANCE}, sort_keys=True
        )


def test_every_story_of_the_archive_ends_in_one_outcome(
    rebuilt: dict[str, Any], expected_records: dict[Any, Any]
) -> None:
    manifest = rebuilt["manifest"]
    deleted = 3  # the snapshot's deleted stories: their only capture is a 404
    assert manifest["outcomes"] == {"exported": len(expected_records), "dropped:http_404": deleted}
    assert manifest["monitors"]["passed"] is True, manifest["monitors"]
