"""The generic path on real article pages of other news sites, against trafilatura alone on the same pages.

    python benchmarks/other_sites_benchmark.py [CASES_DIR] [--repeat 3]

Every case folder of ``fixtures/other-sites`` whose ``expected.json`` gives the gold ``articleBody`` is read
by ``extract_record(..., generic=True)`` (what ``newscrawler extract --generic`` prints) and by
``trafilatura.extract`` (default settings), from the same bytes. Printed per page and as means: body token F1
of each, whether the headline equals the gold one, and the median time per page of each (``--repeat`` calls),
with the ratio of the two.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newscrawler.extract import extract_record, page_url
from tests.support.scoring import token_f1

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "other-sites"


def gold_cases(folder: Path) -> list[tuple[str, bytes, dict[str, Any]]]:
    """``(name, page bytes, expected)`` of every case whose expected record gives the gold body."""
    found = []
    for case in sorted(p for p in folder.iterdir() if (p / "expected.json").is_file()):
        want = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        if want.get("articleBody"):
            found.append((case.name, (case / "page.html").read_bytes(), want))
    return found


def timed(call: Any, repeat: int) -> tuple[Any, float]:
    """The call's result and its median seconds over ``repeat`` calls."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return result, statistics.median(seconds)


def measure(body: bytes, want: dict[str, Any], repeat: int) -> dict[str, Any]:
    from trafilatura import extract

    url = page_url(body, None)
    record, ours = timed(lambda: extract_record(body, url, generic=True), repeat)
    text, theirs = timed(lambda: extract(body.decode("utf-8", "replace"), url=url), repeat)
    record = record or {}
    return {
        "f1": token_f1(record.get("articleBody"), want["articleBody"]),
        "f1_trafilatura": token_f1(text, want["articleBody"]),
        "headline": record.get("headline") == want.get("headline"),
        "ms": ours * 1000,
        "ms_trafilatura": theirs * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=Path, nargs="?", default=CASES)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [(name, measure(body, want, args.repeat)) for name, body, want in gold_cases(args.cases)]
    print(f"{'page':34} {'F1 generic':>10} {'F1 trafil.':>10} {'headline':>8} {'ms generic':>10} {'ms trafil.':>10}")
    for name, r in rows:
        print(
            f"{name:34} {r['f1']:10.4f} {r['f1_trafilatura']:10.4f} {'yes' if r['headline'] else 'NO':>8} "
            f"{r['ms']:10.1f} {r['ms_trafilatura']:10.1f}"
        )
    mean = {key: statistics.fmean(r[key] for _, r in rows) for key in ("f1", "f1_trafilatura", "headline")}
    ms, ms_theirs = (statistics.median(r[key] for _, r in rows) for key in ("ms", "ms_trafilatura"))
    print(
        f"{len(rows)} pages: body F1 mean {mean['f1']:.4f} (trafilatura {mean['f1_trafilatura']:.4f}, "
        f"min {min(r['f1'] for _, r in rows):.4f} vs {min(r['f1_trafilatura'] for _, r in rows):.4f}); "
        f"headline exact {mean['headline']:.0%}; median ms per page {ms:.1f} vs {ms_theirs:.1f} "
        f"(ratio {ms / ms_theirs:.2f})"
    )


if __name__ == "__main__":
    main()
