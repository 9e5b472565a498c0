"""Listing walks: a listing page that fails stops only its walk (the run goes on and fails); pagination that
comes round again or runs on without new stories ends the walk, counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newscrawler.snapshot.faults import FaultPlan, FaultServer
from newscrawler.snapshot.manifest import Answer, Snapshot
from tests.conftest import SNAPSHOT
from tests.support.faulty import crawl, html

pytestmark = pytest.mark.slow
IRAN = "/en/section/3/iran"
SNAP = Snapshot.load(SNAPSHOT)


def with_next(page: Answer, number: int) -> Answer:
    """The page, with a link to page ``number`` as its next page."""
    return html(page.body.replace(b"</body>", f'<a rel="next" href="?page={number}">next</a></body>'.encode()))


def looping(first_repeated: int) -> dict[str, Answer]:
    """Page 2 links on; every later page serves page ``first_repeated``'s stories again, linking on forever."""
    pages = {IRAN + f"?page={n}": with_next(SNAP.resolve(f"{IRAN}?page={first_repeated}"), n + 1) for n in range(3, 60)}
    return {IRAN + "?page=2": with_next(SNAP.resolve(IRAN + "?page=2"), 3), **pages}


def test_failed_listing_page_stops_only_its_walk(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), script={IRAN + "?page=2": ["500"] * 4}) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=3,4")
    with FaultServer(SNAPSHOT, FaultPlan()) as server:
        clean = crawl(server.url, tmp_path / "clean", "edition=en", "sections=3,4")
    page_2 = set(clean.records) - set(result.records)
    assert result.returncode == 1 and clean.returncode == 0
    assert 0 < len(page_2) <= 12 and len(result.records) > 12  # page 1 and the other section exported
    assert result.stat("newscrawler/listing_failed/http_500") == 1
    assert "listing walk stopped, page not fetched (http_500)" in result.stderr
    results = result.manifest["monitors"]["results"]
    assert [name for name, outcome in results.items() if outcome.startswith("failed")] == [
        "listing pages failed/within its threshold"
    ], results


@pytest.mark.parametrize("first_repeated", [1, 2], ids=["back-to-page-1", "page-repeats-forever"])
def test_pagination_that_comes_round_again_ends_the_walk(tmp_path: Path, first_repeated: int) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), answers=looping(first_repeated)) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=3")
    listing_requests = [p for _, _, p, _ in server.log.entries if re.search(r"(?i)/section/3/.*page=", p)]
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stat("newscrawler/listing_stopped/pagination_loop") == 1
    assert len(listing_requests) == 2  # pages 2 and 3; page 3 repeats an earlier one
    assert result.stat("newscrawler/outcomes_met") == sum(result.manifest["outcomes"].values())


def test_hard_cap_on_listing_pages(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan()) as server:
        result = crawl(
            server.url, tmp_path / "data", "edition=en", "sections=1", "-s", "NEWSCRAWLER_MAX_LISTING_PAGES=2"
        )
    assert result.stat("newscrawler/listing_stopped/max_listing_pages") == 1
    assert not [p for _, _, p, _ in server.log.entries if "page=3" in p]


def test_a_listing_page_answered_empty_is_retried(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), script={IRAN + "?page=2": ["empty"]}) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=3")
    assert result.returncode == 0 and len(result.records) == 18  # every live story of both pages
    assert result.stat("newscrawler/soft_retry/reason_count/empty_section") == 1
