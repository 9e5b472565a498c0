"""Checkpoints of a live crawl of a generated site: the export in parts, each with its manifest and the state of
its records; SIGKILL after one and after several checkpoints, then the same command again: every story exactly
once across the parts, and no more than one checkpoint's worth of story pages asked for again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

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


def manifests(data: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text()) for p in published(data) if p.name.endswith(".manifest.json")]


def test_a_whole_run_in_parts(site: Path, tmp_path: Path) -> None:
    expected = {(r["edition"], r["storyId"]) for r in read_jsonl(site / "expected.jsonl")}
    with SnapshotServer(site) as server:
        result = run(crawl_args(server.url, *OPTIONS), env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    parts = sorted(p.name for p in published(tmp_path) if p.suffix == ".jsonl")
    assert len(parts) == -(-len(expected) // EVERY) and all(".p0000" in name for name in parts), parts
    assert [len(read_jsonl(p)) for p in sorted(published(tmp_path)) if p.suffix == ".jsonl"][:-1] == [EVERY] * (
        len(parts) - 1
    )
    assert union(tmp_path) == Counter(expected)
    described = sorted(manifests(tmp_path), key=lambda m: m["part"])  # type: ignore[arg-type, return-value]
    assert [(m["part"], m["final"]) for m in described] == [(n, n == len(parts)) for n in range(1, len(parts) + 1)]
    assert len({m["runId"] for m in described}) == 1 and described[-1]["finishReason"] == "finished"
    assert all(m["export"]["file"] == name for m, name in zip(described, parts, strict=True))  # type: ignore[index]


@pytest.mark.parametrize("kill_after", [EVERY + EVERY // 2, 3 * EVERY + EVERY // 2])
def test_sigkill_then_rerun_resumes(site: Path, tmp_path: Path, kill_after: int) -> None:
    expected = {(r["edition"], r["storyId"]) for r in read_jsonl(site / "expected.jsonl")}
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(tmp_path)}
    with SnapshotServer(site, delay=0.01) as server:
        args = crawl_args(server.url, *OPTIONS)
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / args[0]), *args[1:]], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        while len(stories(server.requests)) < kill_after:
            assert proc.poll() is None, "the run ended before the kill"
            time.sleep(0.005)
        proc.kill()
        assert proc.wait(timeout=60) == -9
        first = list(server.requests)
        kept = union(tmp_path)
        result = run(args, env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
        again = set(stories(server.requests[len(first) :])) & set(stories(first))
    assert result.returncode == 0, result.stderr[-3000:]
    exported = union(tmp_path)
    assert sum(kept.values()) >= EVERY * (kill_after // EVERY - 1)  # the parts published before the kill stay
    assert set(exported) == expected and max(exported.values()) == 1
    assert len(again) <= EVERY + CONCURRENCY, len(again)
    rerun = [m for m in manifests(tmp_path) if m["resumes"]]
    assert rerun and {m["resumes"] for m in rerun} == {m["runId"] for m in manifests(tmp_path) if not m["resumes"]}


def test_sigterm_publishes_what_it_has_exits_130_and_the_rerun_resumes(site: Path, tmp_path: Path) -> None:
    expected = {(r["edition"], r["storyId"]) for r in read_jsonl(site / "expected.jsonl")}
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(tmp_path)}
    with SnapshotServer(site, delay=0.05) as server:
        args = crawl_args(server.url, *OPTIONS)
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / args[0]), *args[1:]],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while len(stories(server.requests)) < EVERY + EVERY // 2:
            assert proc.poll() is None, "the run ended before the stop"
            time.sleep(0.005)
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stderr = proc.communicate(timeout=60)[1]
        took = time.monotonic() - asked
        kept = union(tmp_path)
        result = run(args, env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
    assert proc.returncode == 130, stderr[-3000:]
    assert took < 10, took  # the requests in flight, then the last part: not the rest of the crawl
    assert "stopped on request at part 2: rerun the same command to resume" in stderr
    stopped = [m for m in manifests(tmp_path) if not m["resumes"]]
    assert [(m["part"], m["final"], m["finishReason"]) for m in sorted(stopped, key=lambda m: m["part"])][-1] == (
        2, True, "shutdown"
    )  # fmt: skip
    assert EVERY < sum(kept.values()) < len(expected)  # what it had fetched is published
    assert result.returncode == 0, result.stderr[-3000:]
    exported = union(tmp_path)
    assert set(exported) == expected and max(exported.values()) == 1
