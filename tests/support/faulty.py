"""Crawls against a fault server, and what they left: exit status, records, manifest, stats, server log."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawler.snapshot.manifest import Answer, Snapshot
from tests.conftest import SNAPSHOT, published, read_jsonl, run

#: Short backoffs, so that a battery of retried crawls stays quick (the rules are the same).
QUICK = ["-s", "NEWSCRAWLER_RETRY_BACKOFF=0.1", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "LOG_LEVEL=INFO"]
STAT = re.compile(r"^[{ ]'([^']+)': (\d+|'[^']*')[,}]", re.MULTILINE)


@dataclass
class CrawlRun:
    returncode: int
    stderr: str
    records: dict[tuple[str, int], dict[str, Any]]
    manifest: dict[str, Any]
    stats: dict[str, Any]

    def stat(self, name: str) -> Any:
        return self.stats.get(name, 0)


def crawl(base_url: str, data: Path, *extra: str) -> CrawlRun:
    """``newscrawler crawl`` against ``base_url`` with the per-run export in ``data`` (crawl state kept there)."""
    before = set(published(data))
    result = run(
        ["newscrawler", "crawl", f"base_url={base_url}", *LOOPBACK_FAST, *QUICK, *extra],
        env={"NEWSCRAWLER_DATA_DIR": str(data)},
    )
    new = sorted(set(published(data)) - before)
    exports = [p for p in new if p.name.endswith(".jsonl")]
    manifests = [p for p in new if p.name.endswith(".manifest.json")]
    records = {(r["edition"], r["storyId"]): r for path in exports for r in read_jsonl(path)}
    manifest = json.loads(manifests[-1].read_text("utf-8")) if manifests else {}
    stats = {k: (int(v) if v.isdigit() else v.strip("'")) for k, v in STAT.findall(result.stderr)}
    return CrawlRun(result.returncode, result.stderr, records, manifest, stats)


LOOPBACK_FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
]


def story_answer(edition: str, story_id: int) -> Answer:
    """What the bundled snapshot answers for a story."""
    return Snapshot.load(SNAPSHOT).resolve(f"/{edition}/story/{story_id}")


def html(body: bytes, content_type: str | None = "text/html; charset=utf-8", status: int = 200) -> Answer:
    return Answer(status, {"Content-Type": content_type} if content_type else {}, body)


def redirect(location: str, status: int = 302) -> Answer:
    return Answer(status, {"Location": location, "Content-Type": "text/html"}, b"")
