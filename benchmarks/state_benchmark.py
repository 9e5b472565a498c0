"""A rerun on a crawl state of many known stories, against the same rerun on the snapshot's own state.

    python benchmarks/state_benchmark.py SNAPSHOT_DIR [--known 200000]

Serves the snapshot with ``newscrawler serve``; a full crawl with crawl state builds the state of the
snapshot's stories; a copy of it is padded with generated stories (realistic rows: URL, times, hash) up to
``--known``. Then the same incremental rerun runs on each state, one after the other: peak RSS, start-up
(process start to the first request reaching the downloader), the state's load time, and wall time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import served

HERE = Path(__file__).resolve().parent


def crawl(base: str, data: Path, tmp: Path) -> dict[str, float]:
    launched = time.time()
    result = subprocess.run(
        [sys.executable, str(HERE / "run_crawl.py"), "baghdadpost", base, "-", str(tmp / "urls.txt"), str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    figures["startup_seconds"] = figures["first_request_epoch"] - launched
    return figures


def pad(state: Path, known: int) -> int:
    """Add generated stories (ids above any real one) until the state knows ``known``; return how many added."""
    db = sqlite3.connect(state)
    have, top = db.execute("SELECT count(*), max(story_id) FROM stories").fetchone()
    rows = []
    for n in range(max(0, known - have)):
        sid = top + 1 + n
        edition = "en" if n % 3 else "ar"
        rows.append(
            (
                edition,
                sid,
                f"https://www.thebaghdadpost.com/{edition}/Story/{sid}/a-generated-headline-of-some-length-{n}",
                f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00+03:00",
                f"{1 + n % 28} March 2019 {n % 12 + 1}:{n % 60:02d} PM",
                f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00+03:00",
                hashlib.sha256(str(sid).encode()).hexdigest(),
                "2026-01-01T00:00:00Z",
                "2026-12-31T00:00:00Z",
                "2026-12-31T00:00:00Z",
                1,
                None,
            )
        )
    columns = "edition, story_id, url, listed_time, listed_raw, date_modified, content_hash, first_seen, last_seen"
    columns += ", last_checked, version, section"
    with db:
        db.executemany(f"INSERT INTO stories ({columns}) VALUES ({', '.join('?' * 12)})", rows)
    db.close()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--known", type=int, default=200_000)
    args = parser.parse_args()
    with served(args.snapshot) as base, tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        full = crawl(base, tmp / "own", tmp)
        shutil.copytree(tmp / "own" / "state", tmp / "big" / "state")
        added = pad(tmp / "big" / "state" / "newscrawler.sqlite3", args.known)
        own, big = crawl(base, tmp / "own", tmp), crawl(base, tmp / "big", tmp)
    print(f"full crawl building the state: {full['items']} records, {full['seconds']:.1f} s")
    labels = (f"rerun, {own['known']} known", f"rerun, {big['known']} known ({added} generated)")
    for label, run in zip(labels, (own, big), strict=True):
        load = run["state_load_seconds"] if run["state_load_seconds"] is not None else float("nan")
        print(
            f"{label:<38} {run['requests']:>5} requests  {run['seconds']:5.1f} s"
            f"  peak RSS {run['peak_rss_mib']:4.0f} MiB  start-up {run['startup_seconds']:.2f} s"
            f" (state load {load:.2f} s)"
        )
    print(
        f"ratio big/own: peak RSS {big['peak_rss_mib'] / own['peak_rss_mib']:.2f}, "
        f"start-up {big['startup_seconds'] / own['startup_seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
