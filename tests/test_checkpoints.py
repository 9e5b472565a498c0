"""Checkpoints of a live crawl of a generated site: the export in parts, each with its manifest and the state of
its records. SIGKILL after a checkpoint; the same command again, stopped with SIGTERM; again, to the end: every
story exactly once across the parts, and each rerun asks again for at most one checkpoint's worth of story pages."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newscrawler.baghdadpost.urls import path_info
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, crawl_args, published, read_jsonl, run

EVERY = 50
CONCURRENCY = 8
OPTIONS = ("-s", f"NEWSCRAWLER_CHECKPOINT_ITEMS={EVERY}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checkpoint-site")
    make = [sys.executable, str(ROOT / "benchmarks" / "make_snapshot.py"), str(root), "--en", "200", "--ar", "100"]
    subprocess.run(make, check=True, capture_output=True)
    return root


def stories(paths: list[str]) -> list[str]:
    return [p for p in paths if path_info(p).kind == "story"]


def union(data: Path) -> Counter[tuple[str, int]]:
    return Counter((r["edition"], r["storyId"]) for p in published(data) if p.suffix == ".jsonl" for r in read_jsonl(p))


def manifests(data: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in published(data) if p.name.endswith(".manifest.json")]


def started(args: list[str], env: dict[str, str], **options: object) -> subprocess.Popen[str]:
    command = [str(Path(sys.executable).parent / args[0]), *args[1:]]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, **options)  # type: ignore[call-overload, no-any-return]


def wait_for(server: SnapshotServer, proc: subprocess.Popen[str], since: int, count: int) -> None:
    """Until ``count`` story pages have been asked for since request number ``since``."""
    while len(stories(server.requests[since:])) < count:
        assert proc.poll() is None, "the run ended too soon"
        time.sleep(0.005)


def test_killed_stopped_and_resumed(site: Path, tmp_path: Path) -> None:
    expected = {(r["edition"], r["storyId"]) for r in read_jsonl(site / "expected.jsonl")}
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(tmp_path)}
    with SnapshotServer(site, delay=0.02) as server:
        args = crawl_args(server.url, *OPTIONS)
        killed = started(args, env, stderr=subprocess.DEVNULL)
        wait_for(server, killed, 0, EVERY + EVERY // 2)
        killed.kill()
        assert killed.wait(timeout=60) == -9
        first = len(server.requests)
        kept = union(tmp_path)
        stopped = started(args, env, stderr=subprocess.PIPE)
        wait_for(server, stopped, first, 2 * EVERY)
        asked = time.monotonic()
        stopped.send_signal(signal.SIGTERM)
        stderr = stopped.communicate(timeout=60)[1]
        took = time.monotonic() - asked
        second = len(server.requests)
        result = run(args, env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
        runs = [server.requests[:first], server.requests[first:second], server.requests[second:]]
    assert EVERY <= sum(kept.values()) < len(expected)  # the kill came after a checkpoint: its part stayed
    assert stopped.returncode == 130, stderr[-3000:]
    assert took < 10, took  # the requests in flight, then the last part: not the rest of the crawl
    assert "SIGTERM: stopping after the requests in flight, then publishing" in stderr  # the one line, any level
    assert result.returncode == 0, result.stderr[-3000:]
    for before, after in itertools.pairwise(runs):
        assert len(set(stories(before)) & set(stories(after))) <= EVERY + CONCURRENCY
    exported = union(tmp_path)
    assert set(exported) == expected and max(exported.values()) == 1
    described = manifests(tmp_path)
    chain = {m["runId"]: m["resumes"] for m in described}
    one, two, three = sorted(chain)
    assert (chain[one], chain[two], chain[three]) == (None, one, two)
    ends = {r: max((m for m in described if m["runId"] == r), key=lambda m: m["part"]) for r in chain}
    assert [(ends[r]["final"], ends[r]["finishReason"]) for r in (two, three)] == [
        (True, "shutdown"),
        (True, "finished"),
    ]
    assert not ends[one]["final"]  # killed: its last part is not final; the run resuming it holds the rest
    full = sorted(p for p in published(tmp_path) if p.suffix == ".jsonl" and three in p.name)
    assert [p.name.split(".")[1] for p in full] == [f"p{n:05d}" for n in range(1, len(full) + 1)]
    assert all(len(read_jsonl(p)) == EVERY for p in full[:-1])
