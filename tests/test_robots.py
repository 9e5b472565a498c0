"""robots.txt (RFC 9309): 404 allows all; 5xx or a timeout after retries disallows the site and ends the run
before any page; ``Disallow`` skips what it names; ``Crawl-delay`` spaces the requests."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newscrawler.snapshot.faults import FaultPlan, FaultServer
from tests.conftest import SNAPSHOT
from tests.support.faulty import crawl, html

pytestmark = pytest.mark.slow
SMALL = ["edition=ar", "sections=14"]  # 6 stories on one page


def robots(body: bytes, status: int = 200) -> dict[str, object]:
    return {"/robots.txt": html(body, "text/plain", status)}


def test_robots_404_allows_everything(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), answers=robots(b"not here", 404)) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert result.returncode == 0 and len(result.records) == 6


@pytest.mark.parametrize("fault", ["503", "stall"])
def test_robots_unavailable_ends_the_run_before_any_page(tmp_path: Path, fault: str) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(stall_s=3), script={"/robots.txt": [fault] * 10}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL, "-s", "DOWNLOAD_TIMEOUT=1")
    assert result.returncode == 1
    assert result.manifest["finishReason"] == "robots_unavailable" and result.records == {}
    assert {path for _, _, path, _ in server.log.entries} == {"/robots.txt"}
    assert len(server.log.entries) == 4  # the first try and RETRY_TIMES retries
    assert "robots.txt unavailable" in result.stderr


def test_disallowed_story_is_skipped(tmp_path: Path) -> None:
    answers = robots(b"User-agent: *\nDisallow: /ar/Story/105478\n")
    with FaultServer(SNAPSHOT, FaultPlan(), answers=answers) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert result.manifest["outcomes"] == {"exported": 5, "skipped:robots_disallowed": 1}
    assert ("ar", 105478) not in result.records and result.returncode == 0
    assert not [path for _, _, path, _ in server.log.entries if "/105478" in path]


def test_crawl_delay_is_honoured(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), answers=robots(b"User-agent: *\nCrawl-delay: 1\n")) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert result.returncode == 0 and len(result.records) == 6
    times = [t for t, _, path, _ in server.log.entries if path != "/robots.txt"]
    gaps = [round(b - a, 2) for a, b in itertools.pairwise(times)]
    assert len(times) >= 7 and min(gaps) >= 0.95, gaps
