"""Generated exports for corpus tests and benchmarks: the snapshot's reference records, cloned under new ids and
spread over months, written as a run's published export (``{data}/exports/{spider}/{day}/{run-id}.jsonl.gz``)."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

from newscrawler.state.policy import content_hash
from tests.conftest import SNAPSHOT, read_jsonl


@cache
def reference() -> list[dict[str, Any]]:
    return [r for r in read_jsonl(SNAPSHOT / "expected.jsonl") if r["datePublished"]]


def story(
    n: int, version: int = 1, downloaded: str = "2026-01-01T00:00:00Z", month: int | None = None
) -> dict[str, Any]:
    """Story ``n`` (``en``/``ar`` alternating, ``datePublished`` spread over 10 years, or in ``month`` 0-119) at
    ``version``."""
    base = reference()[n % len(reference())]
    edition = ("en", "ar")[n % 2]
    month = n % 120 if month is None else month
    record = {
        **base,
        "url": f"https://www.thebaghdadpost.com/{edition}/Story/{n + 1}",
        "storyId": n + 1,
        "edition": edition,
        "inLanguage": edition,
        "datePublished": f"{2011 + month // 12}-{month % 12 + 1:02d}-15T10:00:00+03:00",
        "removed": None,
    }
    if version > 1:
        record["articleBody"] = f"Version {version}.\n\n{record['articleBody']}"
    extraction = {"method": "site", "generic": []}
    metadata = {"dateDownloaded": downloaded, "extraction": extraction, "version": version}
    record["metadata"] = {**metadata, "contentHash": content_hash(record)}
    return record


def write_export(data: Path, run_id: str, records: list[dict[str, Any]], spider: str = "baghdadpost") -> Path:
    """Publish ``records`` as run ``run_id``'s export (gzip) under ``data``."""
    day = f"{run_id[0:4]}-{run_id[4:6]}-{run_id[6:8]}"
    path = data / "exports" / spider / day / f"{run_id}.jsonl.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return path
