"""Listed dates from an archive of a changing site visited five times, deeper listing pages captured sparsely:
every story some listing capture lists gets its date, from WARC files (all captures read) and through pywb (the
latest captures, then budgeted rounds of older ones)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.archives.conftest import FAST
from tests.conftest import LOOPBACK, read_jsonl, run
from tests.support.pywb import Pywb
from tests.support.sparse import Sparse, build_sparse


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Sparse:
    return build_sparse(tmp_path_factory.mktemp("sparse"))


def crawl(out: Path, *args: str) -> tuple[int, dict[tuple[str, int], dict[str, Any]], dict[str, int]]:
    command = ["scrapy", "crawl", "baghdadpost", *LOOPBACK, *FAST, *args, "-O", str(out), "-s", "NEWSCRAWLER_STATE=0"]
    command += ["-s", "LOG_LEVEL=INFO"]  # the stats dump
    result = run(command)
    stats = {k: int(v) for k, v in re.findall(r"'newscrawler/archive/([a-z_/0-9]+)': (\d+)", result.stderr)}
    return result.returncode, {(r["edition"], r["storyId"]): r for r in read_jsonl(out)}, stats


def recall(sparse: Sparse, records: dict[tuple[str, int], dict[str, Any]]) -> float:
    """Of the exported stories some listing capture lists, the share with a datePublished."""
    listed = [key for key in sparse.listed if key in records]
    assert len(listed) > 150
    return sum(1 for key in listed if records[key].get("datePublished")) / len(listed)


def test_every_listing_capture_dates_its_stories_in_a_warc_rebuild(sparse: Sparse, tmp_path: Path) -> None:
    warcs = ",".join(map(str, sparse.warcs))
    code, records, _ = crawl(tmp_path / "out.jsonl", "-a", "source=warc", "-a", f"warc={warcs}")
    assert code == 0
    assert recall(sparse, records) == 1.0
    latest: dict[str, int] = {}
    for path, visit in set().union(*sparse.listed.values()):
        latest[path] = max(visit, latest.get(path, 0))
    older_only = [k for k, seen in sparse.listed.items() if all(v < latest[p] for p, v in seen) and k in records]
    assert len(older_only) > 3  # listed only by captures older than their page's latest: dated all the same


@pytest.mark.slow
def test_older_listing_captures_through_pywb_within_the_budget(
    sparse: Sparse, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    with Pywb(tmp_path_factory.mktemp("pywb-sparse"), {"sparse": sparse.warcs}) as pywb:
        cdx, replay = f"cdx_url={pywb.url}/sparse/cdx", f"archive_url={pywb.url}/sparse"
        source = ["-a", "source=wayback", "-a", cdx, "-a", replay]
        code, records, stats = crawl(tmp_path / "budget.jsonl", *source)
        _, latest_only, _ = crawl(tmp_path / "latest.jsonl", *source, "-s", "NEWSCRAWLER_LISTING_EXTRA_REPLAYS=0")
    assert code == 0
    assert recall(sparse, records) >= 0.99
    assert recall(sparse, latest_only) < recall(sparse, records)
    assert 0 < stats["listing_extra_replays"] <= 0.5 * stats["stories_in_index"]
