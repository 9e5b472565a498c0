"""Checkpoints: what a SIGKILL costs at each phase of a backfill (and of a live crawl), and what the commits cost.

    python benchmarks/checkpoint_benchmark.py SNAPSHOT_DIR [--every N] [--page-size N] [--repeat N] [--overhead-only]

1. captures every page of the snapshot into one ``.warc.gz`` and serves it with a real pywb behind the Internet
   Archive shim of the tests (IA CDX dialect, ``--page-size`` captures per page);
2. runs the Wayback backfill once without a kill (baseline: wall time, requests by kind), then, for each phase
   (index, listings, stories), a run SIGKILLed when half of that phase's requests are answered and the same
   command again: requests asked again (paths in both runs, counted at the shim), time lost (killed run plus
   rerun minus baseline) and that count at the archive's polite limits (2.5 s a CDX page, 1 s a replay);
3. the same kill, half-way through the stories, for a live crawl of the snapshot (listings and stories);
4. a ``source=warc`` rebuild (CPU-bound: where a commit weighs most) with checkpoints every ``--every`` records
   and with none, in turn ``--repeat`` times: median wall time and the ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive_benchmark import ARCHIVE_FAST, FAST, capture  # noqa: E402
from serving import BIN, served  # noqa: E402

from newscrawler.baghdadpost.archive import item_key, listing_id  # noqa: E402
from newscrawler.snapshot.server import SnapshotServer  # noqa: E402
from tests.support.pywb import Pywb  # noqa: E402
from tests.support.shims import IAShim  # noqa: E402

LIMITS = {"index": 2.5, "listing": 1.0, "story": 1.0}
QUIET = ["-s", "LOG_LEVEL=WARNING", "-s", "NEWSCRAWLER_MONITOR_MAX_4XX_SHARE=1"]


def kind(path: str) -> str:
    if path.startswith("/cdx/"):
        return "index"
    original = unquote(path.partition("id_/")[2] or path)
    return "story" if item_key(original) else "listing" if listing_id(original) else "other"


def crawl(args: list[str], data: Path, kill: Callable[[], bool] | None = None, log: Path | None = None) -> float:
    """``scrapy crawl baghdadpost ARGS`` with the per-run export under ``data``; SIGKILLed once ``kill()``;
    its log (INFO: the stats) to ``log``."""
    command = [str(BIN / "scrapy"), "crawl", "baghdadpost", *args, *FAST, *QUIET]
    command += ["-s", "LOG_LEVEL=INFO"] if log else []
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    start = time.perf_counter()
    with log.open("w") if log else open(os.devnull, "w") as stderr:  # noqa: PTH123
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=stderr)
        while kill is not None and proc.poll() is None and not kill():
            time.sleep(0.005)
        if kill is not None:
            proc.kill()
        proc.wait()
    return time.perf_counter() - start


def kills(asked: Callable[[], list[str]], args: list[str], work: Path, phases: list[str]) -> None:
    """Baseline, then a kill half-way through each phase and a rerun; one line per phase. ``asked()``: the paths
    the server has answered so far."""
    seconds = crawl(args, work / "base")
    total = Counter(kind(p) for p in asked())
    print(f"  baseline: {seconds:.1f} s, requests {dict(total)}")
    for phase in phases:
        print(f"  killed mid {phase:8s}: {killed_once(asked, args, work / phase, phase, total[phase] // 2, seconds)}")


def killed_once(asked: Callable[[], list[str]], args: list[str], data: Path, phase: str, at: int, base: float) -> str:
    """A run SIGKILLed once ``at`` requests of ``phase`` are answered, then the same command again."""
    before = len(asked())
    lost = crawl(args, data, lambda: sum(kind(p) == phase for p in asked()[before:]) >= at)
    killed, middle = set(asked()[before:]), len(asked())
    lost += crawl(args, data) - base
    again = Counter(kind(p) for p in killed & set(asked()[middle:]))
    polite = sum(LIMITS.get(k, 1.0) * n for k, n in again.items())
    return f"asked again {dict(again) or 0}, time lost {lost:.1f} s, at the archive's limits {polite:.0f} s"


def overhead(warc: Path, work: Path, every: int, repeat: int) -> None:
    source = ["-a", "source=warc", "-a", f"warc={warc}"]
    runs: dict[str, list[float]] = {"no checkpoint": [], f"every {every}": []}
    commits: list[float] = []
    settings = {"no checkpoint": ("0", "0"), f"every {every}": (str(every), "900")}
    for n in range(repeat):
        for name, (items, secs) in settings.items():
            options = ["-s", f"NEWSCRAWLER_CHECKPOINT_ITEMS={items}", "-s", f"NEWSCRAWLER_CHECKPOINT_SECONDS={secs}"]
            log = work / f"rebuild-{n}.log"
            runs[name].append(crawl([*source, *options], work / f"rebuild-{name}-{n}".replace(" ", "-"), log=log))
            spent = re.search(r"'newscrawler/checkpoint_microseconds': (\d+)", log.read_text())
            if spent:
                commits.append(int(spent[1]) / 1e6 / runs[name][-1])
    base, with_parts = (statistics.median(r) for r in runs.values())
    for name, taken in runs.items():
        print(f"  {name:14s} median {statistics.median(taken):.1f} s (runs: {', '.join(f'{s:.1f}' for s in taken)})")
    print(f"  ratio with/without: x{with_parts / base:.3f}")
    print(f"  time inside the checkpoints' publications, share of the run: {', '.join(f'{c:.2%}' for c in commits)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--every", type=int, default=100, help="records per part")
    parser.add_argument("--page-size", type=int, default=200, help="captures per CDX page")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--overhead-only", action="store_true", help="step 4 alone")
    args = parser.parse_args()
    every = ["-s", f"NEWSCRAWLER_CHECKPOINT_ITEMS={args.every}", "-s", "NEWSCRAWLER_CHECKPOINT_SECONDS=2"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with served(args.snapshot) as base:
            capture(args.snapshot, base, work / "snap.warc.gz")
        if not args.overhead_only:
            sigkills(args, work, every)
        print(f"source=warc rebuild, checkpoints every {args.every} records against none:")
        overhead(work / "snap.warc.gz", work, args.every, args.repeat)


def sigkills(args: argparse.Namespace, work: Path, every: list[str]) -> None:
    """Steps 2 and 3: the Wayback backfill killed at each phase, the live crawl killed among its stories."""
    with Pywb(work / "pywb", {"snap": [work / "snap.warc.gz"]}) as pywb, IAShim(pywb.url + "/snap") as ia:
        print(f"Wayback backfill (IA dialect, loopback, no delays; {args.page_size} captures a CDX page):")
        source = ["-a", "source=wayback", "-a", f"cdx_url={ia.url}/cdx/search/cdx", "-a", f"archive_url={ia.url}/web"]
        paged = ["-s", f"NEWSCRAWLER_CDX_PAGE_SIZE={args.page_size}", "-s", "NEWSCRAWLER_REPLAY_CONCURRENCY=8"]
        phases = ["index", "listing", "story"]
        kills(lambda: [p for _, _, p in ia.log], [*source, *ARCHIVE_FAST, *paged, *every], work / "wayback", phases)
    with SnapshotServer(args.snapshot) as server:
        print("live crawl (loopback):")
        kills(lambda: server.requests, ["-a", f"base_url={server.url}", *every], work / "live", ["story"])


if __name__ == "__main__":
    main()
