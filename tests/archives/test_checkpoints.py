"""A Wayback backfill SIGKILLed mid index; the same command again, SIGKILLed mid listings; again, SIGKILLed mid
stories; again, to the end: the union of the published parts holds every story once, and each rerun asks the
archive again for at most one checkpoint's worth of what the run before it had asked (counted at the archive)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

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


def asked(log: list[str], what: str) -> int:
    return sum(kind(p) == what for p in log)


def test_sigkill_at_each_phase_then_rerun_resumes(ia: IAShim, moments: TwoMoments, tmp_path: Path) -> None:
    data = tmp_path / "data"
    runs = [
        killed(ia, data, lambda log: asked(log, "index") >= 3),
        killed(ia, data, lambda log: asked(log, "listing") >= 2 * CONCURRENCY),
        killed(ia, data, lambda log: asked(log, "story") >= 3 * EVERY),
    ]
    before = len(ia.log)
    result = run(command(ia), env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    runs.append([p for _, _, p in ia.log[before:]])
    # the second run asked for no index page the first had read (but the one in flight), and so on
    again = [Counter(kind(p) for p in set(one) & set(rerun)) for one, rerun in itertools.pairwise(runs)]
    assert again[0]["index"] <= 1 and again[1]["index"] == 0 and again[2]["index"] == 0, again
    assert again[1]["listing"] <= CONCURRENCY and again[2]["listing"] == 0, again
    assert again[2]["story"] <= 2 * (EVERY + CONCURRENCY), again  # a story may follow a redirect
    exported = union(data)
    assert set(exported) == set(moments.expected)
    assert max(exported.values()) == 1, "a story exported twice"
    manifests = [json.loads(p.read_text()) for p in published(data) if p.name.endswith(".manifest.json")]
    chain = {m["runId"]: m["resumes"] for m in manifests}  # the runs killed before any record published nothing
    third, fourth = sorted(chain)
    assert chain[fourth] == third and chain[third] not in (None, third), chain
    for run_id in chain:  # parts of a run: numbered 1..n without a gap, only the last final
        parts = sorted((m["part"] or 0, m["final"]) for m in manifests if m["runId"] == run_id)
        assert [n for n, _ in parts] in ([0], list(range(1, len(parts) + 1))), parts
        assert [f for _, f in parts][:-1] == [False] * (len(parts) - 1)
    last = [m for m in manifests if m["runId"] == max(chain)]
    assert max(last, key=lambda m: m["part"] or 0)["final"] is True
    assert not [p for p in published(data) if p.name.endswith(".part")]
