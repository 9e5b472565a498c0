"""``-a source=wayback`` against a real pywb (and the Internet Archive's dialect through a shim in front of it),
``-a source=commoncrawl`` against pywb's CDX plus a byte-range data server: the same records as from the WARCs."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from newscrawler import settings as project_settings
from tests.archives.conftest import CRAWLS, FAST, compare
from tests.conftest import LOOPBACK, read_jsonl, run
from tests.support.archives import TwoMoments
from tests.support.pywb import Pywb
from tests.support.shims import CommonCrawlShim, IAShim


def archive_crawl(out: Path, *args: str) -> tuple[dict[tuple[str, int], dict[str, Any]], dict[str, int]]:
    """Records by story and the run's ``newscrawler/archive/*`` stats."""
    command = ["scrapy", "crawl", "baghdadpost", *LOOPBACK, *FAST, *args, "-O", str(out), "-s", "LOG_LEVEL=INFO"]
    result = run([*command, "-s", "NEWSCRAWLER_STATE=0"])
    assert result.returncode == 0, result.stderr[-3000:]
    stats = {k: int(v) for k, v in re.findall(r"'newscrawler/archive/([a-z_/0-9]+)': (\d+)", result.stderr)}
    stats |= {f"test/{k}": int(v) for k, v in re.findall(r"'test/([a-z_]+)': (\d+)", result.stderr)}
    return {(r["edition"], r["storyId"]): r for r in read_jsonl(out)}, stats


def test_wayback_on_pywb(pywb: Pywb, moments: TwoMoments, tmp_path: Path) -> None:
    records, stats = archive_crawl(
        tmp_path / "out.jsonl", "-a", "source=wayback", "-a", f"cdx_url={pywb.url}/snap/cdx",
        "-a", f"archive_url={pywb.url}/snap", "-s", "NEWSCRAWLER_CDX_PAGE_SIZE=50",
    )  # fmt: skip
    assert compare(records, moments, "wayback") == []
    assert all(r["metadata"]["digest"] for r in records.values())
    # 2 editions x 3 prefixes; pywb cuts an answer at limit with no resume key: asked again without one
    assert stats["index_requests"] > 6
    assert stats["redirects_followed"] >= 1


def test_wayback_internet_archive_dialect_paged_with_resume_keys(
    ia: IAShim, moments: TwoMoments, tmp_path: Path
) -> None:
    """...and story requests are handed to the scheduler as the downloader takes them, never all at once."""
    before = len(ia.log)
    watch = {**project_settings.EXTENSIONS, "tests.support.waiting.StoryRequestsWaiting": 0}
    records, stats = archive_crawl(
        tmp_path / "out.jsonl", "-a", "source=wayback", "-a", f"cdx_url={ia.url}/cdx/search/cdx",
        "-a", f"archive_url={ia.url}/web", "-s", "NEWSCRAWLER_CDX_PAGE_SIZE=20", "-s", "CONCURRENT_REQUESTS=4",
        f"-s=EXTENSIONS={json.dumps(watch)}",
    )  # fmt: skip
    assert compare(records, moments, "wayback") == []
    # the scheduler holds at most CONCURRENT_REQUESTS first requests, plus the follow-ups of stories in flight
    assert stats["test/story_requests_scheduled"] > len(records) > 100
    assert stats["test/story_requests_waiting_max"] <= 2 * 4
    cdx = [path for _, _, path in ia.log[before:] if path.startswith("/cdx/")]
    assert sum("resumeKey=" in path for path in cdx) >= 3 * 2  # story prefixes alone span several pages
    assert stats["index_requests"] == len(cdx)
    exact = [p for _, _, p in ia.log[before:] if p.startswith("/web/")]
    assert stats["redirects_followed"] >= 1 and len(exact) > len(records)


def test_cdx_queries_one_at_a_time_and_spaced(ia: IAShim, tmp_path: Path) -> None:
    before = len(ia.log)
    archive_crawl(
        tmp_path / "out.jsonl", "-a", "source=wayback", "-a", "edition=ar", "-a", f"cdx_url={ia.url}/cdx/search/cdx",
        "-a", f"archive_url={ia.url}/web", "-s", "NEWSCRAWLER_CDX_PAGE_SIZE=30", "-s", "NEWSCRAWLER_CDX_DELAY=0.4",
    )  # fmt: skip
    cdx = sorted((start, end) for start, end, path in ia.log[before:] if path.startswith("/cdx/"))
    assert len(cdx) >= 4
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(cdx)]
    assert min(gaps) >= 0.4 * 0.8, gaps  # arrival times jitter on a loaded machine; no delay would give ~0
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(cdx))  # never two at once


@pytest.mark.parametrize("crawls", ["", ",".join(CRAWLS)], ids=["collinfo", "named-crawls"])
def test_commoncrawl_with_byte_ranges(
    commoncrawl: CommonCrawlShim, moments: TwoMoments, crawls: str, tmp_path: Path
) -> None:
    named = ["-a", f"crawls={crawls}"] if crawls else []
    records, _ = archive_crawl(
        tmp_path / "out.jsonl", "-a", "source=commoncrawl", "-a", f"cc_index_url={commoncrawl.url}",
        "-a", f"cc_data_url={commoncrawl.url}/data", *named,
    )  # fmt: skip
    assert compare(records, moments, "commoncrawl") == []
    assert any("page=2" in p for _, _, p in commoncrawl.log)  # the story index spans several pages
    ranges = [p for _, _, p in commoncrawl.log if p.startswith("/data/")]
    assert ranges and all(p.endswith(".warc.gz") for p in ranges)
