"""Incremental archive runs: a rerun asks the index only for captures newer than the newest it has seen
(``from=``), and exports only the stories that are new or changed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.archives.conftest import FAST
from tests.conftest import LOOPBACK, published, read_jsonl, run
from tests.support.archives import TwoMoments
from tests.support.pywb import Pywb


def scheduled_run(pywb: Pywb, data: Path, *extra: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """One run with the default per-run export and crawl state: its records and its archive stats."""
    before = set(published(data))
    source = ["-a", "source=wayback", "-a", f"cdx_url={pywb.url}/grow/cdx", "-a", f"archive_url={pywb.url}/grow"]
    command = ["scrapy", "crawl", "baghdadpost", *source, *LOOPBACK, *FAST, "-s", "LOG_LEVEL=INFO", *extra]
    result = run(command, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    [export] = [p for p in set(published(data)) - before if p.suffix == ".jsonl"]
    stats = dict(re.findall(r"'newscrawler/archive/([a-z_]+)': '?([^',}]+)'?", result.stderr))
    return read_jsonl(export), stats


def test_rerun_asks_only_for_newer_captures_and_exports_only_changes(moments: TwoMoments, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Pywb(tmp_path / "pywb", {"grow": moments.warcs[:1]}) as pywb:
        first, first_stats = scheduled_run(pywb, data)
        assert len(first) == len(moments.expected) and {r["metadata"]["version"] for r in first} == {1}
        assert "index_from" not in first_stats
        tool = str(Path(sys.executable).parent / "wb-manager")
        subprocess.run([tool, "add", "grow", str(moments.warcs[1])], cwd=pywb.root, check=True, capture_output=True)
        second, second_stats = scheduled_run(pywb, data)
        third, _ = scheduled_run(pywb, data)
    assert second_stats["index_from"].startswith("20201101")
    assert int(second_stats["captures"]) < int(first_stats["captures"]) / 3  # moment 2 only
    exported = {(r["edition"], r["storyId"]): r for r in second if not r["removed"]}
    assert set(exported) == set(moments.changed)
    [deletion] = [r for r in second if r["removed"]]  # its newer capture answers 404
    assert (deletion["edition"], deletion["storyId"]) == moments.deleted and deletion["removed"].startswith(
        "2020-11-20T"
    )
    manifests = sorted(p for p in published(data) if p.name.endswith(".manifest.json"))
    outcomes = json.loads(manifests[1].read_text("utf-8"))["outcomes"]  # an error page newer than the story
    assert "dropped:not_a_story" not in outcomes
    assert outcomes["skipped:known_not_a_story"] == len(moments.not_a_story)
    for key, record in exported.items():
        assert record["metadata"]["version"] == 2
        assert record["articleBody"] == moments.expected[key]["articleBody"]
        assert record["datePublished"] == moments.expected[key]["datePublished"]
    assert third == []


def test_full_rerun_asks_for_everything(moments: TwoMoments, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Pywb(tmp_path / "pywb", {"grow": moments.warcs}) as pywb:
        first, _ = scheduled_run(pywb, data)
        again, stats = scheduled_run(pywb, data, "-a", "full=1")
    assert len(first) == len(moments.expected)
    assert [(r["edition"], r["storyId"]) for r in again] == [moments.deleted] and again[0]["removed"]
    assert "index_from" not in stats and int(stats["stories_in_index"]) > len(moments.expected)
    assert json.dumps(first)  # records are plain JSON
