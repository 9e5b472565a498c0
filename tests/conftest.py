"""Shared fixtures: the bundled snapshot, a loopback server for it, and subprocess helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.snapshot.server import SnapshotServer

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "fixtures" / "site"
PAGE_CASES = ROOT / "fixtures" / "pages"
# pywb's wheel (test extra) installs a top-level ``tests`` package: subprocesses that load test components
# (``tests.support.*`` extensions) must find this repository's first.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
#: Fast, quiet crawling of a loopback server (the real host gets the polite defaults).
LOOPBACK = [
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "-s",
    "LOG_LEVEL=WARNING",
]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def expected_records() -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["edition"], r["storyId"]): r for r in read_jsonl(SNAPSHOT / "expected.jsonl")}


@pytest.fixture(scope="session")
def site() -> Iterator[SnapshotServer]:
    """The bundled snapshot served on 127.0.0.1 for the whole session."""
    with SnapshotServer(SNAPSHOT) as server:
        yield server


def run(args: list[str], cwd: Path = ROOT, timeout: float = 300, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command of this environment (``scrapy``, ``newscrawler``) as a real subprocess; unless ``env``
    names one, each call gets a fresh data directory (exports and crawl state)."""
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "NEWSCRAWLER_DATA_DIR": tempfile.mkdtemp(prefix="nc-data-"),
        **kwargs.pop("env", {}),
    }
    exe = Path(sys.executable).parent / args[0]
    return subprocess.run(
        [str(exe), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )


def crawl_args(base_url: str, *extra: str) -> list[str]:
    """``scrapy crawl baghdadpost`` against a loopback ``base_url``, with ``extra`` options."""
    return ["scrapy", "crawl", "baghdadpost", "-a", f"base_url={base_url}", *LOOPBACK, *extra]


def scrapy_crawl(
    base_url: str, out: Path | None, *extra: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a crawl to completion; ``out`` given: ``-O out`` (Scrapy's own feed), else the per-run export."""
    output = ["-O", str(out)] if out is not None else []
    return run(crawl_args(base_url, *output, *extra), cwd=cwd, env=env or {})


def published(data_dir: Path) -> list[Path]:
    """Every file under ``data_dir``'s exports, temporary ones included, sorted."""
    return sorted(p for p in (data_dir / "exports").rglob("*") if p.is_file()) if data_dir.exists() else []
