"""Crawl state belongs to one site and one purpose: a mirror's crawl leaves the site's state alone, one-off
``-O`` runs export everything they crawl, and a run that exports nothing because all is known says so."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from newscrawler.snapshot.server import SnapshotServer
from newscrawler.state.store import StateStore, StoryState
from tests.conftest import read_jsonl, scrapy_crawl

SMALL = ("-a", "edition=en", "-a", "sections=1")


def without_download_time(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records in identity order, without the one value that differs between two crawls of one site."""
    ordered = sorted(records, key=lambda r: (r["edition"], r["storyId"]))
    return [{**r, "metadata": {k: v for k, v in r["metadata"].items() if k != "dateDownloaded"}} for r in ordered]


def test_one_off_runs_export_everything_and_keep_no_state(site: SnapshotServer, tmp_path: Path) -> None:
    env = {"NEWSCRAWLER_DATA_DIR": str(tmp_path / "data")}
    outputs = []
    for name in ("first.jsonl", "second.jsonl"):
        result = scrapy_crawl(site.url, tmp_path / name, *SMALL, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs.append(read_jsonl(tmp_path / name))
    assert len(outputs[0]) > 5 and without_download_time(outputs[0]) == without_download_time(outputs[1])
    assert {r["metadata"]["version"] for r in outputs[0]} == {1}
    assert not (tmp_path / "data" / "state").exists()


def test_asked_for_state_a_one_off_rerun_says_why_it_exports_nothing(site: SnapshotServer, tmp_path: Path) -> None:
    env = {"NEWSCRAWLER_DATA_DIR": str(tmp_path / "data")}
    first = scrapy_crawl(site.url, tmp_path / "a.jsonl", *SMALL, "-s", "NEWSCRAWLER_STATE=1", env=env)
    second = scrapy_crawl(site.url, tmp_path / "b.jsonl", *SMALL, "-s", "NEWSCRAWLER_STATE=1", env=env)
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-2000:]
    count = len(read_jsonl(tmp_path / "a.jsonl"))
    assert read_jsonl(tmp_path / "b.jsonl") == []
    [line] = [line for line in second.stderr.splitlines() if "nothing exported" in line]
    met = re.search(r"all (\d+) stories met are known and unchanged", line)
    assert met is not None and 0 < int(met.group(1)) <= count and "-a full=1" in line


def test_a_mirror_crawl_leaves_the_sites_state_unchanged(site: SnapshotServer, tmp_path: Path) -> None:
    data = tmp_path / "data"
    real = data / "state" / "newscrawler.sqlite3"
    store = StateStore(real)
    store.stage("site-run", None, [StoryState("en", 50603, url="https://www.thebaghdadpost.com/en/Story/50603/x")])
    store.apply("site-run")
    store.close()
    before = hashlib.sha256(real.read_bytes()).hexdigest()
    result = scrapy_crawl(site.url, None, *SMALL, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert hashlib.sha256(real.read_bytes()).hexdigest() == before
    mirror = StateStore(data / "state" / "newscrawler@127.0.0.1.sqlite3")
    assert len(mirror.db.execute("SELECT * FROM stories").fetchall()) > 5
    mirror.close()
