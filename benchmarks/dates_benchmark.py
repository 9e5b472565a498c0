"""parse_timestamp against tuned dateparser, on the strings of the test table, in the same run.

    python benchmarks/dates_benchmark.py [--repeat 200]

Tuned dateparser: one reused ``DateDataParser``, locales pinned to ``en`` and ``ar-IQ`` (which knows the Iraqi
month names), only the absolute-time and timestamp parsers, strict parsing requiring day, month and year.
Each string is timed call by call ``--repeat`` times after both parsers are warmed up; printed: the median over
strings of each string's median call, the slowest single call, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateparser.date import DateDataParser

from newscrawler.dates import parse_timestamp, warm_up
from tests.test_dates import INVALID, VALID

TUNED = DateDataParser(
    locales=["en", "ar-IQ"],
    settings={
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "Asia/Baghdad",
        "PARSERS": ["absolute-time", "timestamp"],
    },
)


def per_call(func: Callable[[str], Any], text: str, repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls (stops early once a string has used 2 s)."""
    times: list[float] = []
    budget = time.perf_counter() + 2.0
    for _ in range(repeat):
        start = time.perf_counter()
        func(text)
        times.append(time.perf_counter() - start)
        if time.perf_counter() > budget:
            break
    return times


def measure(name: str, func: Callable[[str], Any], texts: list[str], repeat: int) -> tuple[float, float]:
    runs = [per_call(func, text, repeat) for text in texts]
    median = statistics.median(statistics.median(r) for r in runs)
    worst = max(max(r) for r in runs)
    junk_median = statistics.median(statistics.median(r) for r, t in zip(runs, texts, strict=True) if t in INVALID)
    print(f"{name:<18} median {median * 1e6:9.1f} µs   max {worst * 1e3:8.2f} ms", end="")
    print(f"   junk median {junk_median * 1e6:9.1f} µs")
    return median, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    texts = [text for text, _ in VALID] + INVALID
    started = time.perf_counter()
    warm_up()
    TUNED.get_date_data("1 January 2020 10:00")
    warm = time.perf_counter() - started
    print(f"{len(texts)} strings ({len(VALID)} dates, {len(INVALID)} non-dates); warm-up {warm:.2f} s")
    ours, ours_max = measure("parse_timestamp", parse_timestamp, texts, args.repeat)
    theirs, _ = measure("tuned dateparser", TUNED.get_date_data, texts, args.repeat)
    print(
        f"ratio (dateparser median / parse_timestamp median): {theirs / ours:.0f}x; "
        f"parse_timestamp slowest call {ours_max * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    main()
