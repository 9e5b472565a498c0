"""Archive sources on a large snapshot: ``source=warc`` against a live loopback crawl of the same snapshot, and
what the Wayback path costs in index (CDX) and replay requests, all in one command.

    python benchmarks/archive_benchmark.py SNAPSHOT_DIR [--repeat N] [--skip-wayback]

1. serves the snapshot (``newscrawler serve``), captures every page of it into one ``.warc.gz`` (warcio),
   timed;
2. crawls it live over loopback, then ``-a source=warc`` over the WARC (no network) all in the crawl's process
   (``NEWSCRAWLER_REBUILD_WORKERS=0``) and with the default read-ahead workers, all without crawl state, the three
   in turn ``--repeat`` times (medians printed), and checks that the exports hold the same records (``url`` and
   ``metadata`` aside);
3. serves the WARC with a real pywb behind the Internet Archive shim of the tests (IA CDX dialect, pages of
   ``NEWSCRAWLER_CDX_PAGE_SIZE``) and crawls ``-a source=wayback`` with no delays, counting index and replay
   requests; the time the same requests take at the default limits (``NEWSCRAWLER_CDX_DELAY`` 2.5 s,
   ``NEWSCRAWLER_REPLAY_DELAY`` 1 s, one at a time) gives the stories per hour against the real archive.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serving import BIN, served  # noqa: E402

from tests.support.archives import WarcFile, fetch  # noqa: E402
from tests.support.pywb import Pywb  # noqa: E402
from tests.support.shims import IAShim  # noqa: E402

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32"]
ARCHIVE_FAST = ["-s", "NEWSCRAWLER_CDX_DELAY=0", "-s", "NEWSCRAWLER_REPLAY_DELAY=0"]
COMMON = ["-s", "NEWSCRAWLER_STATE=0", "-s", "LOG_LEVEL=INFO", "-s", "NEWSCRAWLER_MONITOR_MAX_4XX_SHARE=1"]
HOST = "https://www.thebaghdadpost.com"


def capture(snapshot: Path, base: str, warc: Path) -> int:
    """Every manifest path of the snapshot, fetched over loopback, written as one capture each."""
    paths = list(json.loads((snapshot / "manifest.json").read_text(encoding="utf-8")))
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda path: fetch(base, path), paths))
    out = WarcFile(warc, datetime(2020, 11, 1, tzinfo=UTC))
    for path, answer in zip(paths, answers, strict=True):
        out.capture(HOST + path, answer)
    out.close()
    return len(paths)


def crawl(args: list[str], out: Path) -> tuple[float, dict[str, int]]:
    """One ``scrapy crawl baghdadpost`` in its own process: wall seconds and its integer stats."""
    start = time.perf_counter()
    command = [str(BIN / "scrapy"), "crawl", "baghdadpost", *args, *FAST, *COMMON, "-O", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=3600)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"crawl failed ({result.returncode}): {' '.join(args)}\n{result.stderr[-3000:]}")
    return seconds, {k: int(v) for k, v in re.findall(r"'([a-z_/0-9]+)': (\d+),?\n", result.stderr)}


def per_second(stats: dict[str, int], seconds: float) -> float:
    return stats["item_scraped_count"] / seconds


def rate(stats: dict[str, int], seconds: float) -> str:
    return f"{per_second(stats, seconds):.0f} stories/s"


def records(path: Path) -> dict[tuple[str, int], dict[str, Any]]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {(r["edition"], r["storyId"]): {k: v for k, v in r.items() if k not in ("url", "metadata")} for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each crawl (medians printed)")
    parser.add_argument("--skip-wayback", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with served(args.snapshot) as base:
            start = time.perf_counter()
            pages = capture(args.snapshot, base, work / "snap.warc.gz")
            capture_s = time.perf_counter() - start
            times = rebuilds(base, work, args.repeat)
        size = (work / "snap.warc.gz").stat().st_size / 2**20
        print(f"snapshot: {args.snapshot}: {pages} pages captured into {size:.0f} MiB of WARC in {capture_s:.1f} s")
        live = per_second(times["live"][0], statistics.median(times["live"][1]))
        for name, (stats, runs) in times.items():
            taken = statistics.median(runs)
            line = f"{name:14s} {taken:6.1f} s, {stats['item_scraped_count']} stories, {rate(stats, taken)}"
            if name != "live":
                same = records(work / "live.jsonl") == records(work / f"{name}.jsonl")
                line += f", x{per_second(stats, taken) / live:.2f} the live crawl's, same records: {same}"
            print(f"{line} (runs: {', '.join(f'{s:.1f}' for s in runs)} s)")
        if not args.skip_wayback:
            wayback(work)


def rebuilds(base: str, work: Path, repeat: int) -> dict[str, tuple[dict[str, int], list[float]]]:
    """Live, in-process rebuild and rebuild with workers, in turn ``repeat`` times: stats and seconds of each."""
    warc = ["-a", "source=warc", "-a", f"warc={work / 'snap.warc.gz'}"]
    runs = {
        "live": ["-a", f"base_url={base}"],
        "warc-1-process": [*warc, "-s", "NEWSCRAWLER_REBUILD_WORKERS=0"],
        "warc-workers": warc,
    }
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    stats: dict[str, dict[str, int]] = {}
    for _ in range(repeat):
        for name, args in runs.items():
            taken, stats[name] = crawl(args, work / f"{name}.jsonl")
            seconds[name].append(taken)
    return {name: (stats[name], seconds[name]) for name in runs}


def wayback(work: Path) -> None:
    with Pywb(work / "pywb", {"snap": [work / "snap.warc.gz"]}) as pywb, IAShim(pywb.url + "/snap") as ia:
        source = ["-a", "source=wayback", "-a", f"cdx_url={ia.url}/cdx/search/cdx", "-a", f"archive_url={ia.url}/web"]
        seconds, stats = crawl([*source, *ARCHIVE_FAST, "-s", "NEWSCRAWLER_REPLAY_CONCURRENCY=8"], work / "wb.jsonl")
    stories, cdx = stats["item_scraped_count"], stats["newscrawler/archive/index_requests"]
    replays = stats["downloader/request_count"] - cdx
    at_limits = cdx * 2.5 + replays * 1.0
    print(f"wayback (IA dialect, loopback): {seconds:.1f} s, {stories} stories, {cdx} CDX requests, {replays} replays")
    print(f"  CDX requests per 1,000 stories: {1000 * cdx / stories:.1f}; replays per story: {replays / stories:.2f}")
    print(f"  at the default limits: {at_limits / 3600:.1f} h, {3600 * stories / at_limits:.0f} stories/hour")


if __name__ == "__main__":
    main()
