"""``newscrawler demo``: serve a snapshot on loopback, crawl it in-process, write JSONL, print a summary."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from newscrawler.commands.crawl import run_succeeded
from newscrawler.exports.feeds import default_feeds, export_path, manifest_path, new_run_id
from newscrawler.exports.manifest import COUNTED, counts_by_prefix
from newscrawler.items import EXPORT_FIELDS
from newscrawler.outcomes import describe_outcomes

#: Settings for crawling a snapshot served on this machine: no politeness delays, more parallel requests.
LOOPBACK_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "LOG_LEVEL": "WARNING",
}


def bundled_snapshot() -> Path:
    """The reference snapshot shipped in the checkout's ``fixtures/site``."""
    return Path(__file__).resolve().parents[1] / "fixtures" / "site"


def run_demo(snapshot: Path | None, output: Path) -> int:
    """Crawl ``snapshot`` (default: the bundled one) into a new JSONL file under ``output``; 0 when the run
    succeeded as ``scrapy crawl`` judges it (finished, export stored, monitors passed)."""
    from newscrawler.errors import CommandError
    from newscrawler.snapshot.faultcli import open_server

    snapshot = snapshot or bundled_snapshot()
    # No crawl state: every demo run exports the whole snapshot.
    overrides = {"NEWSCRAWLER_DATA_DIR": str(output), "NEWSCRAWLER_EXPORT_GZIP": False, "NEWSCRAWLER_STATE": False}
    settings = Settings(overrides)
    run_id = new_run_id()
    target = export_path(settings, "baghdadpost", run_id)
    _check_writable(output, CommandError)
    with open_server(snapshot) as server:
        started = time.monotonic()
        feeds = default_feeds(settings, "baghdadpost", run_id)
        stats = crawl(server.url, {**overrides, "FEEDS": feeds, "LOG_LEVEL": "ERROR"})
        elapsed = time.monotonic() - started
    print(f"newscrawler demo: crawled {snapshot} served at {server.url} in {elapsed:.1f} s")
    if not target.exists():
        print("no export was published (see the errors above)")
        return 1
    print(f"records written to {target}\nmanifest: {manifest_path(target)}")
    print("\n".join(summary_lines(stats, target)))
    from newscrawler.report import write_report  # matplotlib: imported only when a report is written

    print(f"report: {write_report(output, target.parent / 'report.html')}")
    return 0 if run_succeeded(stats) else 1


def _check_writable(directory: Path, error: type[Exception]) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"cannot create output directory {directory}: {exc.strerror or exc}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise error(f"output directory {directory} is not writable")


def crawl(base_url: str, settings: dict[str, Any], **spider_args: str) -> dict[str, Any]:
    """Run the ``baghdadpost`` spider in this process against ``base_url``; return its final stats."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    project = get_project_settings()
    project.setdict({**LOOPBACK_SETTINGS, **settings}, priority="cmdline")
    process = CrawlerProcess(project)
    crawler = process.create_crawler("baghdadpost")
    process.crawl(crawler, base_url=base_url, **spider_args)
    process.start()
    assert crawler.stats is not None
    return crawler.stats.get_stats()


def summary_lines(stats: dict[str, Any], records_path: Path) -> list[str]:
    """A one-screen summary: stories per edition, every story's outcome by kind and reason (the words of the
    progress line, the manifest and the report: :mod:`newscrawler.outcomes`), fields left empty."""
    records = [json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines() if line]
    editions: dict[str, int] = {}
    empty: dict[str, int] = dict.fromkeys(EXPORT_FIELDS, 0)
    for record in records:
        editions[record["edition"]] = editions.get(record["edition"], 0) + 1
        for name in EXPORT_FIELDS:
            empty[name] += record.get(name) in (None, "", [], {})
    return [
        f"stories: {len(records)} ({_pairs(editions)})",
        f"outcomes: {describe_outcomes(counts_by_prefix(stats, COUNTED['outcomes']))}",
        f"dates not parsed: {_pairs(counts_by_prefix(stats, COUNTED['datesUnparsed']))}",
        f"listing walks stopped early: {_pairs(counts_by_prefix(stats, COUNTED['walksStoppedEarly']))}",
        f"fields left empty: {_pairs({k: v for k, v in empty.items() if v})}",
        f"requests: {stats.get('downloader/request_count', 0)}, finish reason: {stats.get('finish_reason')}",
        f"monitors: {_monitors(stats)}",
    ]


def _monitors(stats: dict[str, Any]) -> str:
    results = (stats.get("newscrawler/monitors") or {}).get("results", {})
    failed = [name for name, outcome in results.items() if outcome.startswith("failed")]
    return f"{len(results) - len(failed)} of {len(results)} passed" + (
        f"; failed: {', '.join(failed)}" if failed else ""
    )


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none"
