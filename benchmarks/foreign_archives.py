"""Rebuild speed from WARCs of other producers, and listed-date recall on a sparse archive through pywb.

    python benchmarks/foreign_archives.py [--repeat 3]

1. The bundled snapshot captured by our own test writer (warcio, the baseline), by warcprox in front of an IIS-like
   server (gzip stories, chunked listings; payload digests over the de-chunked body), by GNU wget and by pywb's
   recording mode; each WARC
   rebuilt with ``-a source=warc`` (medians of ``--repeat`` runs): stories per second and the ratio to the baseline.
2. The five-visit sparse archive of ``tests/support/sparse.py`` served by pywb: listed-date recall of the stories
   some listing capture lists, and the extra listing replays, with the latest captures only
   (``NEWSCRAWLER_LISTING_EXTRA_REPLAYS=0``) and with the default budget; and the same from the WARC files.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SNAPSHOT  # noqa: E402
from tests.support.archives import build_mirror_warc  # noqa: E402
from tests.support.producers import (  # noqa: E402
    pywb_record,
    warcprox_crawl,
    warcprox_python,
    wget_available,
    wget_crawl,
)
from tests.support.pywb import Pywb  # noqa: E402
from tests.support.sparse import Sparse, build_sparse  # noqa: E402

SCRAPY = str(Path(sys.executable).parent / "scrapy")
FAST = ["-s", "NEWSCRAWLER_STATE=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWSCRAWLER_CDX_DELAY=0"]
FAST += ["-s", "NEWSCRAWLER_REPLAY_DELAY=0", "-s", "NEWSCRAWLER_REPLAY_CONCURRENCY=8"]


def crawl(work: Path, *args: str) -> tuple[float, list[dict[str, object]], str]:
    out = work / "out.jsonl"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    result = subprocess.run(
        [SCRAPY, "crawl", "baghdadpost", *args, *FAST, "-O", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NEWSCRAWLER_DATA_DIR": str(work / "data")},
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return elapsed, records, result.stderr


def producers(work: Path, repeat: int) -> None:
    warcs = {"warcio (baseline)": work / "own.warc.gz"}
    build_mirror_warc(warcs["warcio (baseline)"])
    if warcprox_python() is not None:
        (work / "warcprox").mkdir()
        warcs["warcprox, gzip + chunked"] = warcprox_crawl(SNAPSHOT, work / "warcprox")
    if wget_available():
        (work / "wget").mkdir()
        warcs["GNU wget"] = wget_crawl(SNAPSHOT, work / "wget")
    (work / "pywb-record").mkdir()
    recorded = pywb_record(SNAPSHOT, work / "pywb-record")
    baseline = None
    specs = {name: str(path) for name, path in warcs.items()}
    specs["pywb recording mode"] = ",".join(map(str, recorded))
    print("| producer | records | median rebuild | stories/s | ratio to baseline |\n|---|---|---|---|---|")
    for name, spec in specs.items():
        runs = [crawl(work, "-a", "source=warc", "-a", f"warc={spec}") for _ in range(repeat)]
        median = statistics.median(r[0] for r in runs)
        rate = len(runs[0][1]) / median
        baseline = baseline or rate
        print(f"| {name} | {len(runs[0][1])} | {median:.1f} s | {rate:.1f} | {rate / baseline:.2f} |")


def recall(sparse: Sparse, records: list[dict[str, object]]) -> tuple[int, int]:
    by_key = {(r["edition"], r["storyId"]): r for r in records}
    listed = [k for k in sparse.listed if k in by_key]
    return sum(1 for k in listed if by_key[k].get("datePublished")), len(listed)


def listings(work: Path) -> None:
    sparse = build_sparse(work / "sparse")
    print("\n| source | budget | dated / listed | recall | extra listing replays | per 100 stories |")
    print("|---|---|---|---|---|---|")
    _, records, _ = crawl(work, "-a", "source=warc", "-a", f"warc={','.join(map(str, sparse.warcs))}")
    dated, listed = recall(sparse, records)
    print(f"| WARC files | all captures | {dated} / {listed} | {dated / listed:.3f} | 0 | 0 |")
    with Pywb(work / "pywb", {"sparse": sparse.warcs}) as pywb:
        source = [
            "-a",
            "source=wayback",
            "-a",
            f"cdx_url={pywb.url}/sparse/cdx",
            "-a",
            f"archive_url={pywb.url}/sparse",
        ]
        for budget in ("0", "50"):
            _, records, stderr = crawl(work, *source, "-s", f"NEWSCRAWLER_LISTING_EXTRA_REPLAYS={budget}")
            dated, listed = recall(sparse, records)
            extra = int((re.findall(r"'newscrawler/archive/listing_extra_replays': (\d+)", stderr) or ["0"])[0])
            stories = int(re.findall(r"'newscrawler/archive/stories_in_index': (\d+)", stderr)[0])
            per = 100 * extra / stories
            print(f"| pywb | {budget} | {dated} / {listed} | {dated / listed:.3f} | {extra} | {per:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        producers(Path(tmp), args.repeat)
        listings(Path(tmp))


if __name__ == "__main__":
    main()
