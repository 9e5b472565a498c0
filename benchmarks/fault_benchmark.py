"""A crawl through ``newscrawler serve --faults`` against a clean crawl of the same snapshot, in one command.

    python benchmarks/fault_benchmark.py SNAPSHOT_DIR [--faults SPEC] [--seed N] [--stall-s S]

Each crawl is ``newscrawler crawl`` (stateless, loopback settings, ``-O``) against its own server process. Prints
recall against the snapshot's ``expected.jsonl`` (stories exported, and records equal to the reference), requests
per story, requests that reached the server inside a ``Retry-After`` window, and wall time, faulty against clean.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from serving import BIN, free_port

SPEC = "5xx=0.1,429=0.02,truncate=0.02,reset=0.02,stall=0.005,soft=0.02"
LOOPBACK = ["AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "NEWSCRAWLER_STATE=0"]


def crawl(snapshot: Path, out: Path, serve_extra: list[str], crawl_extra: list[str]) -> dict[str, Any]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "newscrawler"), "serve", str(snapshot), "--port", str(port), *serve_extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    server.stdout.readline()
    settings = [part for s in [*LOOPBACK, "LOG_LEVEL=INFO", *crawl_extra] for part in ("-s", s)]
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "newscrawler"), "crawl", f"base_url=http://127.0.0.1:{port}", "-O", str(out), *settings],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    server.send_signal(signal.SIGTERM)
    _, counts = server.communicate(timeout=30)
    found = re.search(r"faults: (.*)", counts)
    faults = dict(part.split("=") for part in found.group(1).split()) if found else {}
    requests = re.search(r"'downloader/request_count': (\d+)", result.stderr)
    outcomes = dict(re.findall(r"'newscrawler/outcomes/([^']+)': (\d+)", result.stderr))
    return {
        "outcomes": outcomes,
        "seconds": seconds,
        "exit": result.returncode,
        "requests": int(requests.group(1)) if requests else 0,
        "faults": faults,
    }


def recall(out: Path, expected: Path) -> tuple[int, int, int]:
    """(reference stories, stories exported, records equal to the reference apart from ``url``)."""
    want = {(r["edition"], r["storyId"]): r for r in map(json.loads, expected.read_text("utf-8").splitlines())}
    got = {(r["edition"], r["storyId"]): r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    same = sum(
        1
        for k, r in want.items()
        if k in got and {f: got[k].get(f) for f in r if f != "url"} == {f: v for f, v in r.items() if f != "url"}
    )
    return len(want), len(set(got) & set(want)), same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--faults", default=SPEC)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stall-s", type=float, default=60.0)
    args = parser.parse_args()
    expected = args.snapshot / "expected.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        clean_out, faulty_out = Path(tmp) / "clean.jsonl", Path(tmp) / "faulty.jsonl"
        clean = crawl(args.snapshot, clean_out, [], [])
        serve = ["--faults", args.faults, "--fault-seed", str(args.seed), "--stall-s", str(args.stall_s)]
        faulty = crawl(args.snapshot, faulty_out, serve, [])
        total, clean_got, clean_same = recall(clean_out, expected)
        _, faulty_got, faulty_same = recall(faulty_out, expected)
    f = faulty["faults"]
    print(f"snapshot: {args.snapshot} ({total} reference stories); faults: {args.faults}, seed {args.seed}")
    print(
        f"clean:  exit {clean['exit']}, {clean_got}/{total} exported, {clean_same} exact, "
        f"{clean['requests']} requests ({clean['requests'] / total:.3f}/story), {clean['seconds']:.1f} s"
    )
    print(
        f"faulty: exit {faulty['exit']}, {faulty_got}/{total} exported, {faulty_same} exact, "
        f"{faulty['requests']} requests ({faulty['requests'] / total:.3f}/story), {faulty['seconds']:.1f} s"
    )
    print(f"server: {' '.join(f'{k}={v}' for k, v in f.items())}")
    print(f"outcomes: clean {clean['outcomes']}; faulty {faulty['outcomes']}")
    print(
        f"recall {faulty_same / total:.4f}; requests faulty/clean {faulty['requests'] / clean['requests']:.2f}; "
        f"inside Retry-After windows {f.get('in_retry_after_window', '?')} "
        f"({int(f.get('in_retry_after_window', 0)) / max(1, int(f.get('429', 0))):.1f} per 429, "
        f"{f.get('in_window_after_1s', '?')} more than 1 s into a window); "
        f"wall time faulty/clean {faulty['seconds'] / clean['seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
