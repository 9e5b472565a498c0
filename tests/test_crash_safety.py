"""SIGKILL at several points of a run, then a rerun: no story lost, no (edition, storyId, version) twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawler import settings as project_settings
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, SNAPSHOT, crawl_args, published, read_jsonl, scrapy_crawl


def killer(priority: int) -> str:
    """``-s EXTENSIONS=…``: the project's extensions plus the test's killer at ``priority``."""
    extensions = {**project_settings.EXTENSIONS, "tests.support.killer.KillAt": priority}
    return f"-s=EXTENSIONS={json.dumps(extensions)}"


def exported(data: Path) -> list[tuple[str, int, int]]:
    return [
        (r["edition"], r["storyId"], r["metadata"]["version"])
        for p in published(data)
        if p.suffix == ".jsonl"
        for r in read_jsonl(p)
    ]


def killed_run(data: Path, *extra: str, delay: float = 0.0) -> int:
    """A crawl that SIGKILLs itself (KillAt) or is SIGKILLed by the test after its first request."""
    with SnapshotServer(SNAPSHOT, delay=delay) as server:
        args = crawl_args(server.url, *extra)
        env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / args[0]), *args[1:]], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        if not extra:
            while not server.requests and proc.poll() is None:
                time.sleep(0.01)
            proc.kill()
        return proc.wait(timeout=120)


@pytest.mark.parametrize(
    ("point", "options"),
    [
        ("before the first record", ()),
        ("mid-run, on the first record", (killer(100), "-s", "KILL_AT=first_item")),
        ("during the publish, before the rename", (killer(100), "-s", "KILL_AT=publishing")),
        ("just after the rename, before the state commit", (killer(0), "-s", "KILL_AT=published")),
        ("just after the state commit", (killer(100), "-s", "KILL_AT=published")),
    ],
)
def test_sigkill_then_rerun(
    tmp_path: Path, expected_records: dict[tuple[str, int], dict[str, object]], point: str, options: tuple[str, ...]
) -> None:
    data = tmp_path / "data"
    assert killed_run(data, *options, delay=0.2 if not options else 0.0) == -9, point
    with SnapshotServer(SNAPSHOT) as server:
        result = scrapy_crawl(server.url, None, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    union = exported(data)
    assert len(union) == len(set(union)), f"{point}: a story version was exported twice"
    assert {(e, i) for e, i, _ in union} == set(expected_records), f"{point}: stories lost or extra"
    assert not [p for p in published(data) if p.name.endswith(".part")]


def test_second_run_on_the_same_state_refuses(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    with SnapshotServer(SNAPSHOT, delay=0.3) as slow:
        args = crawl_args(slow.url, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        first = subprocess.Popen(
            [str(Path(sys.executable).parent / args[0]), *args[1:]], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        try:
            while not slow.requests:
                time.sleep(0.01)
            second = scrapy_crawl(slow.url, None, env={"NEWSCRAWLER_DATA_DIR": str(data)})
        finally:
            first.kill()
            first.wait()
    assert second.returncode == 2
    [line] = second.stderr.strip().splitlines()
    assert line.startswith(f"error: another run is using the crawl state {data / 'state'}")


def test_jobdir_backfill_resumes_after_an_interrupt(tmp_path: Path) -> None:
    """A long one-off backfill with JOBDIR: SIGINT (graceful stop), then the same command resumes it."""
    data, jobdir = tmp_path / "data", tmp_path / "job"
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    with SnapshotServer(SNAPSHOT, delay=0.2) as slow:
        args = crawl_args(slow.url, "-s", f"JOBDIR={jobdir}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4")
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / args[0]), *args[1:]], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        while len(slow.requests) < 60 and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 130  # stopped on request: finish reason "shutdown"
        port = int(slow.url.rsplit(":", 1)[1])
    first = exported(data)
    assert 0 < len(first) < 177
    with SnapshotServer(SNAPSHOT, port=port) as fast:  # the queued requests name the same host
        result = scrapy_crawl(fast.url, None, "-s", f"JOBDIR={jobdir}", env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    union = exported(data)
    assert len(union) == len(set(union)) == 177  # every story once, across both runs' exports
