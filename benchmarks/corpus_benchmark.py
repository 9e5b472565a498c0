"""Corpus cost: a full rebuild of a generated corpus, then updates that take in one run of 200 changed stories.

Usage: ``.venv/bin/python benchmarks/corpus_benchmark.py --stories 10000 200000``

For each size: exports of that many stories are generated (the snapshot's reference records cloned under new ids,
spread over 120 months and two editions: 120 partitions), the corpus is rebuilt from them (the baseline), then two
runs of 200 changed stories are taken in, each timed as an update and as a rebuild of everything:

* ``recent``: 150 new stories and 50 edits of stories of the last month (what a scheduled run brings);
* ``scattered``: 200 edits of stories spread over every month (worst case: one story per partition).

Printed: seconds, bytes written, partitions written, and the update's time as a share of the rebuild's.
``--writers N``: first, the Parquet writer chosen (pyarrow, from the records in memory) against DuckDB's
``COPY (SELECT * FROM read_json(...)) TO ... (FORMAT parquet)`` from the partition's JSON lines, for N records.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawler.corpus.update import update_corpus  # noqa: E402
from tests.support.corpus_data import story, write_export  # noqa: E402

SPIDER = "baghdadpost"


def changes(kind: str, size: int) -> list[dict[str, Any]]:
    when = "2026-02-01T00:00:00Z"
    if kind == "recent":
        new = [story(size + n, 1, when, month=119) for n in range(150)]
        return new + [story(n, 2, when) for n in range(119, size, 120)][:50]
    step = max(1, size // 200)
    return [story(n, 2, when) for n in range(0, size, step)][:200]


def timed(data: Path, rebuild: bool) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    manifest = update_corpus(data, SPIDER, rebuild=rebuild)
    return time.perf_counter() - started, manifest["lastUpdate"]


def measure(size: int, work: Path) -> None:
    data = work / f"corpus-{size}"
    write_export(data, "20260101T000000Z-00000000", [story(n) for n in range(size)])
    seconds, done = timed(data, rebuild=True)
    print(
        f"{size} stories: rebuild {seconds:.2f} s, {done['bytesWritten'] / 1e6:.1f} MB, "
        f"{done['partitionsWritten']} partitions (baseline)"
    )
    for number, kind in enumerate(("recent", "scattered"), 1):
        write_export(data, f"2026020{number}T000000Z-0000000{number}", changes(kind, size))
        update, done = timed(data, rebuild=False)
        rebuild, _ = timed(data, rebuild=True)
        print(
            f"{size} stories, 200 changed ({kind}): update {update:.2f} s, {done['bytesWritten'] / 1e6:.1f} MB, "
            f"{done['partitionsWritten']} partitions; rebuild {rebuild:.2f} s; update/rebuild x{update / rebuild:.2f}"
        )
    shutil.rmtree(data)


def compare_writers(count: int, work: Path) -> None:
    """pyarrow (the corpus's writer) against DuckDB's COPY, same records, median of 3 each."""
    import duckdb

    from newscrawler.corpus.arrow import record_schema, write_parquet
    from newscrawler.corpus.store import Generation

    records = [story(n, month=0) for n in range(count)]
    generation = Generation(work / "writers", SPIDER, None)
    jsonl = generation.root / "jsonl" / "x.jsonl.gz"
    generation.write("x", records)
    timings: dict[str, list[float]] = {"pyarrow": [], "duckdb": []}
    for _ in range(3):
        started = time.perf_counter()
        write_parquet(records, work / "pyarrow.parquet")
        timings["pyarrow"].append(time.perf_counter() - started)
        started = time.perf_counter()
        duckdb.sql(f"COPY (SELECT * FROM read_json('{jsonl}')) TO '{work / 'duckdb.parquet'}' (FORMAT parquet)")
        timings["duckdb"].append(time.perf_counter() - started)
    typed = duckdb.sql(f"SELECT * FROM '{work / 'duckdb.parquet'}'")
    types = dict(zip(typed.columns, map(str, typed.types), strict=True))
    ours, theirs = sorted(timings["pyarrow"])[1], sorted(timings["duckdb"])[1]
    print(
        f"{count} records: pyarrow {ours:.2f} s, DuckDB COPY {theirs:.2f} s (x{theirs / ours:.2f}); DuckDB typed "
        f"datePublished {types['datePublished']}, imageCaption {types['imageCaption']}, removed {types['removed']}; "
        f"pyarrow: {record_schema().field('removed').type} from the schema"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, nargs="*", default=[10000, 200000])
    parser.add_argument("--writers", type=int, default=0, help="compare Parquet writers on this many records")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as work:
        if args.writers:
            compare_writers(args.writers, Path(work))
        for size in args.stories:
            measure(size, Path(work))


if __name__ == "__main__":
    main()
