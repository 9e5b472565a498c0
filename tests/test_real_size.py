"""A full crawl at the real site's size and shape, checked record by record: 10,000 generated stories, sections of
very different sizes, columnists whose author pages list only their latest pieces, stories listed in two sections.
Every live story is exported (before walks stopped on their own pages only, hundreds of opinion pieces were not)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from newscrawler.snapshot.manifest import Snapshot
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, crawl_args, read_jsonl, run

pytestmark = pytest.mark.slow


def test_every_story_of_a_real_sized_site_is_exported(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    make = [sys.executable, str(ROOT / "benchmarks" / "make_snapshot.py"), str(snapshot), "--en", "6700"]
    subprocess.run([*make, "--ar", "3300", "--shape", "real"], check=True, capture_output=True, cwd=ROOT / "benchmarks")
    pages = Counter(m[1] for path in Snapshot.load(snapshot).entries if (m := re.match(r"(/\w\w/section/\d+)", path)))
    assert max(pages.values()) > 5 * min(pages.values())  # sections of very different sizes
    out = tmp_path / "out.jsonl"
    with SnapshotServer(snapshot) as server:
        options = ["-O", str(out), "-s", "CONCURRENT_REQUESTS=16", "-s", "NEWSCRAWLER_STATE=0"]
        result = run(crawl_args(server.url, *options), timeout=1800)  # a minute on a quiet machine
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_jsonl(out)
    got = {(r["edition"], r["storyId"]): r for r in records}
    expected = read_jsonl(snapshot / "expected.jsonl")
    assert len(records) == len(got) == len(expected) >= 9_800
    missing = Counter(r["breadcrumbs"][0]["name"] for r in expected if (r["edition"], r["storyId"]) not in got)
    assert not missing, f"stories not exported, by section: {dict(missing)}"
    for record in expected:
        exported = got[(record["edition"], record["storyId"])]
        assert {k: exported.get(k) for k in record if k != "url"} == {k: v for k, v in record.items() if k != "url"}
