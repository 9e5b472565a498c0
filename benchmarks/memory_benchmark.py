"""Peak memory of a Wayback backfill against index size, this tree against a baseline revision, in one command.

    python benchmarks/memory_benchmark.py [--index 20000,100000,300000,1000000] [--backfill 20000,100000]
                                          [--baseline e3792d1]

For each size (captures of story pages; stories are a quarter of it, listings come on top), a generated Internet
Archive is served on loopback (``big_archive.py``: IA CDX dialect paged with ``resumeKey`` at the default 5,000 a
page, ``id_`` replays, URL variants, revisits, 301/404/503 and soft-error captures) and crawled with no delays:

* ``--index`` sizes: the index phase only; the peak RSS (``VmHWM``) as the first listing capture is asked for
  (``rss_probe.py``), then the crawl ends;
* ``--backfill`` sizes: the whole backfill (index, listings, every story); the peak RSS of the crawl's process
  (``wait4``), its wall time, and whether both trees exported the same records.

The baseline is the same crawl from ``git archive REV`` (``--baseline``, default the commit before the on-disk
index; ``none`` to skip it); ratios are this tree's figure over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from big_archive import ROOT, BigArchive
from serving import BIN

from newscrawler import settings as project_settings

FAST = ["-s", "NEWSCRAWLER_CDX_DELAY=0", "-s", "NEWSCRAWLER_REPLAY_DELAY=0", "-s", "NEWSCRAWLER_REPLAY_CONCURRENCY=8"]
COMMON = ["-s", "NEWSCRAWLER_STATE=0", "-s", "LOG_LEVEL=INFO", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]


def crawl(tree: Path, ia: BigArchive, work: Path, *extra: str) -> tuple[int, float, str]:
    """One crawl from ``tree``: peak RSS (KiB, the process's own), wall seconds, stderr's tail."""
    source = ["-a", "source=wayback", "-a", f"cdx_url={ia.url}/cdx/search/cdx", "-a", f"archive_url={ia.url}/web"]
    command = [str(BIN / "scrapy"), "crawl", "baghdadpost", *source, *FAST, *COMMON, *extra]
    env = {**os.environ, "PYTHONPATH": f"{tree}:{ROOT / 'benchmarks'}", "NEWSCRAWLER_DATA_DIR": str(work / "data")}
    start = time.perf_counter()
    with (work / "stderr").open("w") as err:
        proc = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    tail = (work / "stderr").read_text(errors="replace")[-3000:]
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"crawl from {tree} failed:\n{tail}")
    return usage.ru_maxrss, seconds, tail


def index_peak(tree: Path, ia: BigArchive, work: Path) -> int:
    probe = {**project_settings.EXTENSIONS, "rss_probe.IndexPhasePeak": 0}
    crawl(tree, ia, work, f"-s=EXTENSIONS={json.dumps(probe)}", "-s", f"RSS_PROBE_OUT={work / 'peak'}")
    return int((work / "peak").read_text())


def backfill(tree: Path, ia: BigArchive, work: Path) -> tuple[int, float, list[str]]:
    out = work / "out.jsonl"
    peak, seconds, _ = crawl(tree, ia, work, "-O", str(out))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return peak, seconds, sorted(json.dumps({k: v for k, v in r.items() if k != "metadata"}) for r in rows)


def baseline_tree(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    with tempfile.TemporaryFile() as raw:
        raw.write(archive)
        raw.seek(0)
        with tarfile.open(fileobj=raw) as tar:
            tar.extractall(into, filter="data")
    return into


def mib(kib: int) -> str:
    return f"{kib / 1024:6.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="20000,100000,300000,1000000", help="sizes for the index phase")
    parser.add_argument("--backfill", default="20000,100000", help="sizes for complete backfills")
    parser.add_argument("--baseline", default="e3792d1", help="revision to compare with (none: skip)")
    args = parser.parse_args()
    sizes = lambda text: [int(n) for n in text.split(",") if n]  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": ROOT}
        if args.baseline != "none":
            trees[f"baseline {args.baseline}"] = baseline_tree(args.baseline, Path(tmp) / "baseline")
        for captures in sizes(args.index):
            with BigArchive(captures // 4) as ia:
                peaks = {name: index_peak(tree, ia, Path(tempfile.mkdtemp(dir=tmp))) for name, tree in trees.items()}
            report(f"index phase, {captures:>9,} captures", peaks)
        for captures in sizes(args.backfill):
            with BigArchive(captures // 4) as ia:
                runs = {name: backfill(tree, ia, Path(tempfile.mkdtemp(dir=tmp))) for name, tree in trees.items()}
            peaks = {name: run[0] for name, run in runs.items()}
            same = len({tuple(run[2]) for run in runs.values()}) == 1
            times = ", ".join(f"{name} {run[1]:.0f} s" for name, run in runs.items())
            report(
                f"backfill,    {captures:>9,} captures",
                peaks,
                f"{len(runs['this tree'][2])} records, same: {same}, {times}",
            )


def report(label: str, peaks: dict[str, int], more: str = "") -> None:
    line = f"{label}: " + ", ".join(f"{name} {mib(kib)}" for name, kib in peaks.items())
    base = [kib for name, kib in peaks.items() if name != "this tree"]
    if base:
        line += f", x{peaks['this tree'] / base[0]:.2f} the baseline's"
    print(f"{line}{'; ' + more if more else ''}", flush=True)


if __name__ == "__main__":
    main()
