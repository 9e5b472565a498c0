"""Crawl a snapshot over loopback; compare with a do-nothing spider fetching the same pages in the same run.

    python benchmarks/crawl_benchmark.py SNAPSHOT_DIR [--repeat 2] [--state] [--set NAME=VALUE ...]

The snapshot is served by ``newscrawler serve`` in its own process. Order: one real crawl (which records every
URL it requests), then alternately the fetch-only baseline and the real crawl ``--repeat`` times. Prints
stories/s, peak RSS, and the ratios real/baseline of the median wall times and of the median CPU times (the
CPU ratio holds on a machine shared with other jobs; the wall ratio only on an idle one).

Each repeat also runs the replay spider (``replay.py``): the real crawl's requests and items, recorded in the
first run, yielded again with nothing parsed: Scrapy's own cost of the crawl's output.

``--state``: each repeat also runs the real crawl with crawl state and the per-run export (as ``scrapy crawl``
with no ``-o``), on a fresh data directory, so it too is a full crawl; its ratios are printed beside the
stateless ones. ``--set``: a Scrapy setting for the real crawls (not the baseline), to try one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from serving import served

HERE = Path(__file__).resolve().parent


def one(
    spider: str, base: str, out: Path, urls: Path, data: Path | None = None, graph: Path | None = None
) -> dict[str, float]:
    extra = [str(data)] if data else []
    result = subprocess.run(
        [sys.executable, str(HERE / "run_crawl.py"), spider, base, str(out), str(urls), *extra],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_GRAPH": str(graph)} if graph else None,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--state", action="store_true", help="also crawl with crawl state (fresh each repeat)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="setting for the crawls")
    args = parser.parse_args()
    os.environ["BENCH_CRAWL_SETTINGS"] = json.dumps(dict(option.split("=", 1) for option in args.set))
    with served(args.snapshot) as base, tempfile.TemporaryDirectory() as tmp:
        out, urls = Path(tmp) / "out.jsonl", Path(tmp) / "urls.txt"
        graph = Path(tmp) / "graph.json"
        warm = one("baghdadpost", base, out, urls, graph=graph)
        runs, replays = [], []
        for repeat in range(args.repeat):
            replays.append(one("replay", base, out, graph))
            pair = (one("fetchonly", base, out, urls), one("baghdadpost", base, out, urls))
            if args.state:
                stateful = one("baghdadpost", base, out, Path(tmp) / "urls-state.txt", Path(tmp) / f"data{repeat}")
                pair = (*pair, stateful)
            runs.append(pair)
    base_s = statistics.median(r[0]["seconds"] for r in runs)
    real_s = statistics.median(r[1]["seconds"] for r in runs)
    real = runs[-1][1]
    print(f"snapshot: {args.snapshot} ({warm['items']} stories exported, {warm['requests']} requests)")
    rate, rss = real["items"] / real_s, real["peak_rss_mib"]
    print(f"crawl:    {real_s:.1f} s median, {rate:.0f} stories/s, peak RSS {rss:.0f} MiB")
    print(
        f"baseline: {base_s:.1f} s median (fetch-only spider, same {runs[-1][0]['requests']} requests), "
        f"peak RSS {runs[-1][0]['peak_rss_mib']:.0f} MiB"
    )
    print(f"ratio crawl/baseline: {real_s / base_s:.2f}")
    base_cpu = statistics.median(r[0]["cpu_seconds"] for r in runs)
    real_cpu = statistics.median(r[1]["cpu_seconds"] for r in runs)
    print(f"CPU time: crawl {real_cpu:.1f} s, baseline {base_cpu:.1f} s, ratio {real_cpu / base_cpu:.2f}")
    replay_cpu = statistics.median(r["cpu_seconds"] for r in replays)
    print(
        f"replay (the crawl's requests and items yielded with no work, benchmarks/replay.py): CPU {replay_cpu:.1f} s, "
        f"ratio {replay_cpu / base_cpu:.2f}; {replays[-1]['requests']} requests, {replays[-1]['items']} items"
    )
    if args.state:
        state_s = statistics.median(r[2]["seconds"] for r in runs)
        stateful = runs[-1][2]
        print(
            f"with state: {state_s:.1f} s median, {stateful['items'] / state_s:.0f} stories/s, "
            f"peak RSS {stateful['peak_rss_mib']:.0f} MiB; ratio crawl with state/baseline: {state_s / base_s:.2f}"
        )
        state_cpu = statistics.median(r[2]["cpu_seconds"] for r in runs)
        print(f"CPU time with state: {state_cpu:.1f} s, ratio {state_cpu / base_cpu:.2f}")


if __name__ == "__main__":
    main()
