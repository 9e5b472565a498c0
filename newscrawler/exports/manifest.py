"""The manifest published beside each export: what ran, how it ended, and what the export holds.

Keys: ``runId``, ``spider``, ``arguments``, ``startTime``/``endTime`` (UTC), ``finishReason``,
``schemaVersion``, ``export`` (file name, ``sha256`` of its bytes, ``lines``, ``bytes``, ``compression``),
``records`` (``total`` and ``byEdition``), ``dropped``, ``notFetched``, ``datesUnparsed`` (counts by reason;
``dropped`` and ``notFetched`` kept for older consumers: ``outcomes`` says what became of each story),
``outcomes`` (stories met, by outcome: see :mod:`newscrawler.outcomes`), ``extraction`` (records read by the
site's rules / with generic fields), ``genericFields`` (records per field that fell back), ``genericListings``
(listing pages read by the fallback, by part), ``walksStoppedEarly`` (listing walks a guard stopped, by
``{reason}/{listing}``: :mod:`newscrawler.walks`), ``requests``, ``warc`` (``file``, ``sha256``, ``records``,
``bytes``) with ``NEWSCRAWLER_WARC``, and ``monitors`` when monitors ran; ``undated`` (records without
``datePublished``); from archives ``archiveDigests`` (records by digest verdict: ``passed``, ``transfer_decoded``,
``absent``, ``mismatch``), ``archiveUnreadable`` (damaged records skipped, by reason) and ``revisitsUnresolved``
(``count``, and the first ones ``named``: time and URL).

An export published in parts (:mod:`newscrawler.exports.checkpoints`) has one manifest per part: ``part`` (1-based;
null for a run published as one file), ``final`` (the run's last part: its counts and ``finishReason`` are the
run's), and ``resumes`` (the id of the run this one resumed, or null). ``export`` and ``records`` describe the
part alone; the counts (``outcomes``, ``dropped``, ``requests``...) are the run's so far.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newscrawler.exports.atomic import write_atomic
from newscrawler.exports.feeds import manifest_path, part_number
from newscrawler.exports.schema import SCHEMA_VERSION

#: Stats prefixes summarised in the manifest, by manifest key.
COUNTED = {
    "dropped": "newscrawler/dropped/",
    "notFetched": "newscrawler/story_failed/",
    "datesUnparsed": "newscrawler/date_unparsed/",
    "outcomes": "newscrawler/outcomes/",
    "extraction": "newscrawler/extraction/records/",
    "genericFields": "newscrawler/extraction/generic/",
    "genericListings": "newscrawler/extraction/generic_listing/",
    "archiveDigests": "newscrawler/archive/digest_",
    "archiveUnreadable": "newscrawler/archive/unreadable/",
    "walksStoppedEarly": "newscrawler/walk_stopped_early/",
}


def describe_export(path: Path) -> dict[str, Any]:
    """Digest, size, line count and records per edition of an export file (plain or gzip), read as a stream:
    memory stays flat whatever the export's size."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    with path.open("rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    lines, editions = 0, Counter[str]()
    with gzip.open(path) if gzipped else path.open("rb") as records:
        for line in records:
            lines += 1
            if line.strip():
                editions[str(json.loads(line).get("edition"))] += 1
    return {
        "file": path.name,
        "sha256": digest.hexdigest(),
        "lines": lines,
        "bytes": path.stat().st_size,
        "compression": "gzip" if gzipped else None,
        "byEdition": dict(sorted(editions.items())),
    }


def build_manifest(crawler: Crawler, export: Path, final: bool = True) -> dict[str, Any]:
    """The manifest of the run ``crawler`` made, for its published ``export`` (``final``: its last part)."""
    stats = crawler.stats.get_stats() if crawler.stats else {}
    described = describe_export(export)
    by_edition = described.pop("byEdition")
    manifest: dict[str, Any] = {
        "runId": export.name.split(".")[0],
        "spider": getattr(crawler.spider, "name", None),
        "arguments": dict(getattr(crawler.spider, "run_arguments", {})),
        "startTime": _utc(stats.get("start_time")),
        "endTime": _utc(datetime.now(UTC)),
        "finishReason": stats.get("finish_reason"),
        "schemaVersion": SCHEMA_VERSION,
        "export": described,
        "records": {"total": sum(by_edition.values()), "byEdition": by_edition},
        **{key: counts_by_prefix(stats, prefix) for key, prefix in COUNTED.items()},
        "requests": stats.get("downloader/request_count", 0),
        "part": part_number(export),
        "final": final,
        "resumes": getattr(getattr(crawler, "crawl_state", None), "resumes", None),
    }
    if "newscrawler/warc" in stats:
        manifest["warc"] = dict(stats["newscrawler/warc"])
    if "newscrawler/monitors" in stats:
        manifest["monitors"] = stats["newscrawler/monitors"]
    manifest["undated"] = stats.get("newscrawler/undated_stories", 0)
    if "newscrawler/archive/revisit_unresolved" in stats:
        manifest["revisitsUnresolved"] = {
            "count": stats["newscrawler/archive/revisit_unresolved"],
            "named": stats.get("newscrawler/revisits_unresolved", []),
        }
    return manifest


def write_manifest(crawler: Crawler, export: Path, target: Path, final: bool = True) -> dict[str, Any]:
    """Build the manifest and publish it atomically at ``target``."""
    manifest = build_manifest(crawler, export, final)
    write_atomic(target, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return manifest


def counts_by_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """The stats named ``{prefix}{reason}``, by reason.

    >>> counts_by_prefix({"a/x": 2, "a/y": 1, "b/x": 5}, "a/")
    {'x': 2, 'y': 1}
    """
    return {key[len(prefix) :]: int(value) for key, value in sorted(stats.items()) if key.startswith(prefix)}


def _utc(when: Any) -> str | None:
    if not isinstance(when, datetime):
        return None
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if when.tzinfo else when.isoformat() + "Z"


class ManifestWriter:
    """Extension: once the engine has stopped (feeds stored, monitors run, finish reason set), publish the
    manifest beside the run's published export."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ManifestWriter:
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signals.engine_stopped)
        return ext

    def engine_stopped(self) -> None:
        published = self.crawler.stats.get_value("newscrawler/published") if self.crawler.stats else None
        if published and not manifest_path(Path(published)).exists():  # not a part already described
            export = Path(published)
            write_manifest(self.crawler, export, manifest_path(export))
