"""The generic path: a redesigned snapshot crawled against the unmodified one, and the generic extractor's time
per page against trafilatura's ``extract`` on the same pages.

    python benchmarks/generic_benchmark.py [SNAPSHOT_DIR] [--repeat 2] [--seed 1] [--share 0.3]

The snapshot (default: the bundled one) is copied and redesigned by ``tests/tools/redesign.py``; both are served
by ``newscrawler serve`` in their own processes and crawled alternately (stateless, ``--repeat`` times each,
medians). The redesigned crawl's export is scored against the snapshot's ``expected.jsonl``: per edition, the
share of stories with each field exact and the token F1 of ``articleBody`` (mean, minimum). Then every story
page of the redesigned copy is read from its bytes by the generic path (parse + ``extract_story``) and by
``trafilatura.extract``, timed call by call, with trafilatura's body F1 for reference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawl_benchmark import one
from scrapy.http import HtmlResponse
from serving import served

from newscrawler.baghdadpost.fallback import DATE_FORMS
from newscrawler.baghdadpost.urls import HOST, story_key
from newscrawler.extraction.story import extract_story
from tests.support.scoring import EXACT_FIELDS, OTHER_FIELDS, score, token_f1
from tests.tools.redesign import redesign


def crawl_both(original: Path, redesigned: Path, tmp: Path, repeat: int) -> tuple[dict[str, list[float]], Path]:
    """Alternate crawls of both snapshots; the seconds of each, and the redesigned crawl's last export."""
    seconds: dict[str, list[float]] = {"unmodified": [], "redesigned": []}
    out = tmp / "redesigned.jsonl"
    with served(original) as first, served(redesigned) as second:
        for _ in range(repeat):
            for name, base in zip(seconds, (first, second), strict=True):
                target = out if name == "redesigned" else tmp / "unmodified.jsonl"
                target.unlink(missing_ok=True)
                seconds[name].append(one("baghdadpost", base, target, tmp / "urls.txt")["seconds"])
    return seconds, out


def report_scores(records: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    print("| edition | stories | exported | " + " | ".join((*EXACT_FIELDS, *OTHER_FIELDS)) + " | body F1 mean | min |")
    for edition in (*sorted({e["edition"] for e in expected}), None):
        s = score(records, expected, edition)
        cells = " | ".join(f"{s.exact[f]:.1%}" for f in (*EXACT_FIELDS, *OTHER_FIELDS))
        print(f"| {edition or 'all'} | {s.stories} | {s.exported} | {cells} | {s.f1_mean:.4f} | {s.f1_min:.4f} |")


def time_pages(snapshot: Path, expected: dict[tuple[str, int], dict[str, Any]]) -> None:
    """Per page: the generic path and trafilatura.extract on the same bytes; trafilatura's body F1 too."""
    from trafilatura import extract

    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    ours, theirs, f1_theirs = [], [], []
    for path, entry in manifest.items():
        key = story_key(path)
        if key is None or entry["status"] != 200:
            continue
        body = (snapshot / entry["file"]).read_bytes()
        started = time.perf_counter()
        extract_story(HtmlResponse(url=HOST + path, body=body, headers=entry["headers"]).selector.root, DATE_FORMS)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        text = extract(body, url=HOST + path, include_comments=False) or ""
        theirs.append(time.perf_counter() - started)
        f1_theirs.append(token_f1(" ".join(text.split()), expected[key]["articleBody"]))
    print(
        f"{len(ours)} pages: generic path {statistics.median(ours) * 1000:.1f} ms median "
        f"({statistics.fmean(ours) * 1000:.1f} mean), trafilatura.extract {statistics.median(theirs) * 1000:.1f} ms "
        f"median ({statistics.fmean(theirs) * 1000:.1f} mean); ratio of medians "
        f"{statistics.median(ours) / statistics.median(theirs):.2f}"
    )
    print(
        "trafilatura.extract body F1 on the same pages: "
        f"mean {statistics.fmean(f1_theirs):.4f}, min {min(f1_theirs):.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path, nargs="?", default=Path(__file__).resolve().parents[1] / "fixtures/site")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--share", type=float, default=0.3)
    args = parser.parse_args()
    expected = [json.loads(line) for line in (args.snapshot / "expected.jsonl").read_text("utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        redesigned = redesign(args.snapshot, Path(tmp) / "redesigned", args.seed, args.share)
        seconds, out = crawl_both(args.snapshot, redesigned, Path(tmp), args.repeat)
        records = [json.loads(line) for line in out.read_text("utf-8").splitlines() if line.strip()]
        print(f"snapshot: {args.snapshot}, redesigned with seed {args.seed}, share {args.share}")
        report_scores(records, expected)
        flagged = sum(1 for r in records if r["metadata"]["extraction"] != "site")
        print(f"records flagged generic: {flagged} of {len(records)}")
        medians = {name: statistics.median(s) for name, s in seconds.items()}
        print(
            f"crawl: unmodified {medians['unmodified']:.1f} s, redesigned {medians['redesigned']:.1f} s "
            f"(medians of {args.repeat}); ratio redesigned/unmodified "
            f"{medians['redesigned'] / medians['unmodified']:.2f}"
        )
        time_pages(redesigned, {(e["edition"], e["storyId"]): e for e in expected})


if __name__ == "__main__":
    main()
