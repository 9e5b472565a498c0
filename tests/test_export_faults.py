"""Faults around exports: nothing half-written is ever published under a final name."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, SNAPSHOT, crawl_args, published, read_jsonl, scrapy_crawl


def test_missing_output_directory_is_created(site: SnapshotServer, tmp_path: Path) -> None:
    data = tmp_path / "a" / "b" / "c"
    result = scrapy_crawl(
        site.url, None, "-a", "sections=5", "-a", "edition=en", env={"NEWSCRAWLER_DATA_DIR": str(data)}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert [p.suffix for p in published(data)] == [".jsonl", ".json"]  # under data/exports: state lives apart


@pytest.mark.parametrize("where", ["under_a_file", "proc"])
def test_unwritable_output_directory_stops_before_any_request(site: SnapshotServer, tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("x")
    data = tmp_path / "file" / "data" if where == "under_a_file" else Path("/proc/newscrawler-data")
    before = len(site.requests)
    result = scrapy_crawl(site.url, None, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot write to {data}/exports/baghdadpost/")
    assert len(site.requests) == before


def test_unwritable_dash_capital_o_path(site: SnapshotServer, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = scrapy_crawl(site.url, tmp_path / "file" / "out.jsonl")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot write to {tmp_path / 'file'}: not a directory"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 96 KiB tmpfs: too small for the bundled snapshot's export (about 750 KB)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_disk_full_publishes_nothing_and_fails(site: SnapshotServer, small_disk: Path) -> None:
    result = scrapy_crawl(site.url, None, env={"NEWSCRAWLER_DATA_DIR": str(small_disk)})
    assert result.returncode == 1
    # the export or the crawl state, whichever fills the disk first, stops the run and says so in one line
    assert re.search(
        r"(export failed|crawl state cannot be written), stopping the crawl; nothing will be published: "
        r"(\[Errno 28\] No space left on device|database or disk is full)",
        result.stderr,
    ), result.stderr[-3000:]
    assert published(small_disk) == []


def test_sigkill_mid_run_then_rerun(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    exe = Path(sys.executable).parent
    with SnapshotServer(SNAPSHOT, delay=0.2) as slow:
        args = crawl_args(slow.url, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4")
        proc = subprocess.Popen([str(exe / args[0]), *args[1:]], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        part = _wait_for_part_with_records(data, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert part.exists() and [p for p in published(data) if not p.name.startswith(".")] == []
    with SnapshotServer(SNAPSHOT) as fast:
        result = scrapy_crawl(fast.url, None, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-2000:]
    files = published(data)
    assert not part.exists() and [p.suffix for p in files] == [".jsonl", ".json"]
    assert len(read_jsonl(files[0])) == 177


def _wait_for_part_with_records(data: Path, proc: subprocess.Popen[bytes]) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        parts = [p for p in published(data) if p.name.endswith(".part") and p.stat().st_size > 0]
        if parts:
            return parts[0]
        time.sleep(0.05)
    raise AssertionError("the crawl wrote no records before the deadline")
