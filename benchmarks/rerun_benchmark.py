"""A rerun on an unchanged snapshot, against the full crawl that built its state, in the same command.

    python benchmarks/rerun_benchmark.py SNAPSHOT_DIR

Serves the snapshot with ``newscrawler serve`` in its own process; runs ``scrapy crawl baghdadpost`` on a fresh
data directory (the full crawl, which builds the crawl state), then again on the same state (the rerun).
Prints each run's requests, records and wall time, and the rerun's fractions of the full crawl.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import BIN, served

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = [
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "-s",
    "CONCURRENT_REQUESTS=32",
    "-s",
    "LOG_LEVEL=ERROR",
]


def crawl(base: str, data: Path) -> dict[str, float]:
    before = set(data.rglob("*.manifest.json"))
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "scrapy"),
            "crawl",
            "baghdadpost",
            "-a",
            f"base_url={base}",
            *LOOPBACK,
            "-s",
            f"NEWSCRAWLER_DATA_DIR={data}",
        ],
        cwd=ROOT,
        check=True,
    )
    seconds = time.perf_counter() - started
    [manifest] = set(data.rglob("*.manifest.json")) - before
    summary = json.loads(manifest.read_text(encoding="utf-8"))
    return {"seconds": seconds, "requests": summary["requests"], "records": summary["records"]["total"]}


def main() -> None:
    with served(Path(sys.argv[1])) as base, tempfile.TemporaryDirectory() as tmp:
        full = crawl(base, Path(tmp))
        rerun = crawl(base, Path(tmp))
    for name, run in (("full crawl", full), ("rerun", rerun)):
        print(f"{name:<11} {run['requests']:>6} requests  {run['records']:>6} records  {run['seconds']:6.1f} s")
    requests_share, time_share = rerun["requests"] / full["requests"], rerun["seconds"] / full["seconds"]
    print(f"rerun / full: requests {requests_share:.2%}, time {time_share:.2%}")


if __name__ == "__main__":
    main()
