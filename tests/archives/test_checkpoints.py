"""A Wayback backfill SIGKILLed mid index, mid listings and mid stories, then rerun with the same command: the
union of the published parts holds every story once, and the rerun asks the archive again for at most one
checkpoint's worth of what the killed run had asked (counted at the archive)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest

from newscrawler.baghdadpost.archive import item_key, listing_id
from tests.archives.conftest import FAST
from tests.conftest import LOOPBACK, ROOT, published, read_jsonl, run
from tests.support.archives import TwoMoments
from tests.support.shims import IAShim

EVERY = 20  # records per part
CONCURRENCY = 8  # FAST's replay concurrency: requests in flight when the kill comes


def kind(path: str) -> str:
    """What an archive request is for: ``index``, ``listing`` or ``story``."""
    if path.startswith("/cdx/"):
        return "index"
    original = unquote(path.partition("id_/")[2])
    return "story" if item_key(original) else "listing" if listing_id(original) else "other"


def command(ia: IAShim) -> list[str]:
    return [
        "scrapy", "crawl", "baghdadpost", *LOOPBACK, *FAST, "-a", "source=wayback",
        "-a", f"cdx_url={ia.url}/cdx/search/cdx", "-a", f"archive_url={ia.url}/web",
        "-s", "NEWSCRAWLER_CDX_PAGE_SIZE=20", "-s", f"NEWSCRAWLER_CHECKPOINT_ITEMS={EVERY}",
        "-s", "NEWSCRAWLER_CHECKPOINT_SECONDS=1",
    ]  # fmt: skip


def killed(ia: IAShim, data: Path, when: Callable[[list[str]], bool]) -> list[str]:
    """Run the backfill, SIGKILL it once the archive's log satisfies ``when``; the paths it asked for."""
    before = len(ia.log)
    args = command(ia)
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    slow = ["-s", "NEWSCRAWLER_CDX_DELAY=0.2"]  # time to land a kill between two index pages
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / args[0]), *args[1:], *slow], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    try:
        while not when([p for _, _, p in ia.log[before:]]):
            assert proc.poll() is None, "the run ended before the kill"
            time.sleep(0.005)
    finally:
        proc.kill()
    assert proc.wait(timeout=60) == -9
    return [p for _, _, p in ia.log[before:]]


def union(data: Path) -> Counter[tuple[str, int]]:
    return Counter((r["edition"], r["storyId"]) for p in published(data) if p.suffix == ".jsonl" for r in read_jsonl(p))


POINTS = {
    "mid index": lambda log: sum(kind(p) == "index" for p in log) >= 3,
    "mid listings": lambda log: sum(kind(p) == "listing" for p in log) >= 2 * CONCURRENCY,
    "mid stories": lambda log: sum(kind(p) == "story" for p in log) >= 3 * EVERY,
}


@pytest.mark.parametrize("point", list(POINTS))
def test_sigkill_then_rerun_resumes(ia: IAShim, moments: TwoMoments, tmp_path: Path, point: str) -> None:
    data = tmp_path / "data"
    first = killed(ia, data, POINTS[point])
    parts_before = {p.name for p in published(data)}
    before = len(ia.log)
    result = run(command(ia), env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    again = Counter(kind(p) for p in {p for _, _, p in ia.log[before:]} & set(first))
    print(point, Counter(kind(p) for p in first), again, len(published(data)))
    exported = union(data)
    assert set(exported) == set(moments.expected), point
    assert max(exported.values()) == 1, f"{point}: a story exported twice"
    # the index pages and listings the killed run had read are not asked again (those in flight may be)
    assert again["index"] <= 1 and again["listing"] <= CONCURRENCY, (point, again)
    # stories: at most what the part being written held, plus what was in flight (each may follow a redirect)
    assert again["story"] <= 2 * (EVERY + CONCURRENCY), (point, again)
    manifests = [json.loads(p.read_text()) for p in published(data) if p.name.endswith(".manifest.json")]
    rerun = [m for m in manifests if f"{m['export']['file']}" not in parts_before]
    assert rerun and all(m["resumes"] for m in rerun), point
    assert [m["final"] for m in sorted(rerun, key=lambda m: m["part"] or 0)][-1] is True
    runs = {m["runId"] for m in manifests}
    for run_id in runs:  # parts of a run: numbered 1..n without a gap, only the last final
        parts = sorted((m["part"] or 0, m["final"]) for m in manifests if m["runId"] == run_id)
        assert [n for n, _ in parts] in ([0], list(range(1, len(parts) + 1))), parts
        assert [f for _, f in parts][:-1] == [False] * (len(parts) - 1)
    assert not [p for p in published(data) if p.name.endswith(".part")]
