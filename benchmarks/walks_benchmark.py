"""A full crawl of a snapshot of the real site's shape, checked record by record, against a baseline snapshot.

    python benchmarks/make_snapshot.py /tmp/real30k --en 20000 --ar 10000 --shape real
    python benchmarks/make_snapshot.py /tmp/even30k --en 20000 --ar 10000
    python benchmarks/walks_benchmark.py /tmp/real30k [--baseline /tmp/even30k]

Serves each snapshot with ``newscrawler serve`` in its own process and runs ``scrapy crawl baghdadpost`` on it
(no crawl state, the per-run export and manifest, ``CONCURRENT_REQUESTS=16`` as in issue 17). Prints one JSON
line per snapshot: stories expected and exported, missing ones by section, exported records that differ from
``expected.jsonl`` (``url`` aside), listing walks stopped early, requests, exit status, wall seconds and
stories per second; with ``--baseline``, the real shape's seconds over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from serving import BIN, served

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "CONCURRENT_REQUESTS": "16",
    "LOG_LEVEL": "ERROR",
    "NEWSCRAWLER_STATE": "0",
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def crawl(snapshot: Path, data: Path) -> dict[str, Any]:
    """Crawl ``snapshot`` into ``data``; the export compared with its ``expected.jsonl``."""
    options = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    with served(snapshot) as base:
        started = time.perf_counter()
        command = [str(BIN / "scrapy"), "crawl", "baghdadpost", "-a", f"base_url={base}", *options]
        env_data = {"NEWSCRAWLER_DATA_DIR": str(data), "PATH": str(BIN)}
        done = subprocess.run(command, cwd=ROOT, env=env_data, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    manifest = json.loads(next(data.rglob("*.manifest.json")).read_text(encoding="utf-8"))
    got = {(r["edition"], r["storyId"]): r for r in read_jsonl(next(data.rglob("*.jsonl")))}
    expected = read_jsonl(snapshot / "expected.jsonl")
    missing = [r for r in expected if (r["edition"], r["storyId"]) not in got]
    differ = [r for r in expected if (k := (r["edition"], r["storyId"])) in got and not same(got[k], r)]
    return {
        "snapshot": str(snapshot),
        "expected": len(expected),
        "exported": len(got),
        "missing_by_section": dict(Counter(r["breadcrumbs"][0]["name"] for r in missing)),
        "differ": len(differ),
        "walks_stopped_early": manifest.get("walksStoppedEarly"),
        "requests": manifest.get("requests"),
        "exit": done.returncode,
        "seconds": round(seconds, 1),
        "stories_per_s": round(len(got) / seconds, 1),
    }


def same(got: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(got.get(k) == v for k, v in expected.items() if k != "url")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--baseline", type=Path, help="a snapshot of the same size, crawled the same way")
    args = parser.parse_args()
    results = []
    for snapshot in filter(None, (args.snapshot, args.baseline)):
        with tempfile.TemporaryDirectory(prefix="walks-bench-") as data:
            results.append(crawl(snapshot, Path(data)))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    if len(results) == 2:
        print(json.dumps({"seconds_real_over_baseline": round(results[0]["seconds"] / results[1]["seconds"], 2)}))


if __name__ == "__main__":
    main()
