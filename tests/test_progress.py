"""Live progress: a crawl under a real pseudo-terminal shows the progress line, whose final counts equal the
manifest's; without a terminal, or switched off, no progress line (Scrapy's periodic stats line stays)."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import pytest

from newscrawler.outcomes import KINDS, by_kind
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import LOOPBACK, ROOT, run

LINE = re.compile(
    r"pages (?P<pages>\d+) \| listed (?P<listed>\d+) \| fetched (?P<fetched>\d+) \| exported (?P<exported>\d+) \| "
    r"unchanged (?P<unchanged>\d+) \| skipped (?P<skipped>\d+) \| dropped (?P<dropped>\d+) \| "
    r"failed (?P<failed>\d+) \| (?P<done>\d+)/(?P<total>\d+) requests \|"
)


def under_terminal(args: list[str], env: dict[str, str], columns: int = 200) -> tuple[int, str]:
    """Run a command of this environment with standard error on a pseudo-terminal of ``columns`` columns;
    its exit status and everything it wrote there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    exe = Path(sys.executable).parent / args[0]
    with subprocess.Popen(
        [str(exe), *args[1:]],
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    ) as proc:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed: the process has ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        status = proc.wait(timeout=120)
    os.close(master)
    return status, b"".join(chunks).decode("utf-8", "replace")


def progress_lines(output: str) -> list[dict[str, int]]:
    return [{k: int(v) for k, v in m.groupdict().items()} for m in LINE.finditer(output)]


def the_manifest(data: Path) -> dict[str, Any]:
    [path] = (data / "exports").rglob("*.manifest.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("command", ["scrapy", "newscrawler"])
def test_progress_on_a_terminal_ends_with_the_manifest_counts(
    site: SnapshotServer, tmp_path: Path, command: str
) -> None:
    data = tmp_path / "data"
    info = [*LOOPBACK, "-s", "LOG_LEVEL=INFO"]  # deleted stories are logged at INFO
    if command == "scrapy":
        args = ["scrapy", "crawl", "baghdadpost", "-a", f"base_url={site.url}", *info]
    else:
        args = ["newscrawler", "crawl", f"base_url={site.url}", *info]
    status, output = under_terminal(args, {"NEWSCRAWLER_DATA_DIR": str(data)})
    assert status == 0, output[-3000:]
    lines = progress_lines(output)
    assert len(lines) >= 2, output[-3000:]
    final, manifest = lines[-1], the_manifest(data)
    assert final["exported"] == manifest["records"]["total"] == 177
    assert {k: final[k] for k in KINDS} == by_kind(manifest["outcomes"])  # the same words, the same numbers
    assert final["dropped"] == manifest["outcomes"]["dropped:http_404"] == 3 and final["failed"] == 0
    assert final["done"] == final["total"] == manifest["requests"]
    assert final["fetched"] == final["exported"] + final["dropped"]
    assert final["pages"] > 0 and final["listed"] >= final["fetched"] - final["dropped"]
    assert all(a["exported"] <= b["exported"] for a, b in itertools.pairwise(lines))
    # log lines are written above the bar, whole
    warnings = [line for line in re.split(r"[\r\n]+", output) if "story not fetched (http_404)" in line]
    assert len(warnings) == 3 and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", w) for w in warnings)


def test_progress_in_the_demo(tmp_path: Path) -> None:
    status, output = under_terminal(["newscrawler", "demo", "--output", str(tmp_path / "demo")], {})
    assert status == 0, output[-3000:]
    final = progress_lines(output)[-1]
    assert final["exported"] == the_manifest(tmp_path / "demo")["records"]["total"]


def test_no_progress_when_switched_off(site: SnapshotServer, tmp_path: Path) -> None:
    args = ["scrapy", "crawl", "baghdadpost", "-a", f"base_url={site.url}", *LOOPBACK, "-s", "NEWSCRAWLER_PROGRESS=0"]
    status, output = under_terminal(args, {"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
    assert status == 0
    assert progress_lines(output) == [] and "requests |" not in output


def test_no_progress_without_a_terminal(site: SnapshotServer) -> None:
    result = run(["scrapy", "crawl", "baghdadpost", "-a", f"base_url={site.url}", *LOOPBACK[:-2]])
    assert result.returncode == 0
    assert progress_lines(result.stderr) == [] and "requests |" not in result.stderr
    assert "[scrapy.extensions.logstats] INFO: Crawled " in result.stderr  # Scrapy's periodic stats line stays
