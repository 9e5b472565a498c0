"""Listing walks: a listing page that fails stops only its walk (the run goes on and fails); a walk stops only on
evidence about its own pages, and a guard that stops one early (pagination coming round again, the hard cap, a
walk ending short of its pager's last page) is counted, named and fails the run."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from parsel import Selector
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.baghdadpost.listing import declared_last_page, listed_stories
from newscrawler.demo import summary_lines
from newscrawler.report import write_report
from newscrawler.snapshot.faults import FaultPlan, FaultServer, path_key
from newscrawler.snapshot.manifest import Answer, Snapshot
from newscrawler.state.extension import CrawlState
from newscrawler.state.middleware import IncrementalMiddleware
from newscrawler.state.store import StateStore, StoryState
from newscrawler.walks import Walk, WalkLimits
from tests.conftest import ROOT, SNAPSHOT, read_jsonl
from tests.support.faulty import CrawlRun, crawl, html

IRAN = "/en/section/3/iran"
SNAP = Snapshot.load(SNAPSHOT)
LIMITS = WalkLimits(max_pages=8, stale_pages=2)
A, B, C, D = (("en", n) for n in range(1, 5))


@pytest.mark.parametrize(
    ("pages", "stop"),
    [
        ([[A, B], [C, D]], None),
        ([[A, B], [B, C], [C, D]], None),  # a listing that shifts under the walk: a story shows up on two pages
        ([[A, B], [C, D], [A, B]], "pagination_loop"),  # an earlier page served again under another number
        ([[A, B], [C, D], [B, A]], "pagination_loop"),  # ... in another order
        ([[A, B], [C, D], [A, C], [B, D]], "repeated_stories"),  # only the walk's own stories, two pages in a row
        ([[A, B], [C, D], [A, C], [("en", 9)], [B, D]], None),  # one new story breaks the run of stale pages
        ([[("en", n)] for n in range(10, 18)], "max_listing_pages"),
    ],
    ids=["new", "shifted", "repeated", "repeated-reordered", "stale", "stale-broken", "hard-cap"],
)
def test_a_walk_stops_on_its_own_pages(pages: list[list[tuple[str, int]]], stop: str | None) -> None:
    """Whatever other walks met, a walk sees only what its own pages list: its verdict on the last page."""
    walk = Walk("en/section/1/x")
    verdicts = [walk.step(n, n + 1, keys, LIMITS) for n, keys in enumerate(pages, 1)]
    assert verdicts[:-1] == [None] * (len(pages) - 1)
    assert verdicts[-1] == stop


@pytest.mark.parametrize(
    ("path", "last"),
    [("/en/Section/1/Iraq-News", 4), ("/en/Section/1/Iraq-News?page=2", 4), ("/en/Section/1/Iraq-News?page=4", 4)],
)
def test_the_pager_declares_the_last_page(path: str, last: int) -> None:
    page = Selector(SNAP.resolve(path).body.decode())
    assert declared_last_page(page, f"http://127.0.0.1:8080{path}") == last


def test_an_author_page_declares_no_size() -> None:
    page = Selector(SNAP.resolve("/en/Author/826/Nour-El-Din-Haddad").body.decode())
    assert declared_last_page(page, "http://127.0.0.1:8080/en/Author/826/Nour-El-Din-Haddad") is None


def with_next(page: Answer, number: int) -> Answer:
    """The page, with a link to page ``number`` as its next page."""
    return html(page.body.replace(b"</body>", f'<a rel="next" href="?page={number}">next</a></body>'.encode()))


def looping(first_repeated: int) -> dict[str, Answer]:
    """Page 2 links on; every later page serves page ``first_repeated``'s stories again, linking on forever."""
    pages = {IRAN + f"?page={n}": with_next(SNAP.resolve(f"{IRAN}?page={first_repeated}"), n + 1) for n in range(3, 60)}
    return {IRAN + "?page=2": with_next(SNAP.resolve(IRAN + "?page=2"), 3), **pages}


@pytest.mark.parametrize(("met_elsewhere", "goes_on"), [(True, True), (False, False)], ids=["new-story", "all-known"])
def test_the_known_streak_counts_a_walks_own_stories_as_they_stood_before_the_run(
    tmp_path: Path, met_elsewhere: bool, goes_on: bool
) -> None:
    """Stories 1-3 known before the run; the page lists 1, 2, 9, 3 (streak limit 3). Story 9 is new to the state,
    though another walk has already fetched it this run: it breaks the walk's streak all the same."""
    when = "2020-01-01T10:00:00+03:00"
    store = StateStore(tmp_path / "state.sqlite3")
    known = [
        StoryState("en", n, listed_time=when, content_hash="h", last_checked="2020-01-02T00:00:00Z") for n in (1, 2, 3)
    ]
    store.stage("before", None, known)
    store.apply("before")
    crawler = get_crawler(settings_dict={"NEWSCRAWLER_KNOWN_STREAK": 3})
    state = CrawlState(crawler, store)
    state.saw_record(("en", 9), "http://h/en/Story/9", {"content_hash": "h9"})  # met (and fetched) by another walk
    listed = [(("en", n), when) for n in ((1, 2, 9, 3) if met_elsewhere else (1, 2, 3))]
    page = "http://h/en/Section/1/x"
    next_page = Request(f"{page}?page=2", meta={"listing_next": True, "listed_on_page": listed})
    response = HtmlResponse(page, body=b"", request=Request(page))
    out = list(IncrementalMiddleware(crawler, state).process_spider_output(response, [next_page]))
    assert out == ([next_page] if goes_on else [])
    store.close()


def early_stops(result: CrawlRun) -> dict[str, int]:
    return dict(result.manifest["walksStoppedEarly"])


def failed_monitors(result: CrawlRun) -> list[str]:
    return [name for name, outcome in result.manifest["monitors"]["results"].items() if outcome.startswith("failed")]


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.parametrize("first_repeated", [1, 2], ids=["back-to-page-1", "last-page-served-for-every-page-past-it"])
def test_pagination_that_comes_round_again_stops_the_walk_and_fails_the_run(
    tmp_path: Path, first_repeated: int
) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), answers=looping(first_repeated)) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=3")
    listing_requests = [p for _, _, p, _ in server.log.entries if re.search(r"(?i)/section/3/.*page=", p)]
    assert result.returncode == 1, result.stderr[-2000:]
    assert len(result.records) == 18  # every story of both pages: the export is still published
    assert result.stat("newscrawler/listing_stopped/pagination_loop") == 1
    assert early_stops(result) == {"pagination_loop/en/section/3/Iran": 1}
    assert len(listing_requests) == 2  # pages 2 and 3; page 3 repeats an earlier one
    assert "listing walk en/section/3/Iran stopped early (pagination_loop) at " in result.stderr
    assert failed_monitors(result) == [
        "listing walks stopped early/every walk reached its listing's end or the run's arguments"
    ]
    assert result.stat("newscrawler/outcomes_met") == sum(result.manifest["outcomes"].values())
    report = write_report(tmp_path / "data", tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'data-reason="walk stopped early/pagination_loop/en/section/3/Iran"' in report


def test_the_demo_summary_names_walks_stopped_early(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").write_text("")
    stats = {"newscrawler/walk_stopped_early/repeated_stories/ar/section/14/رأي": 1}
    assert "listing walks stopped early: repeated_stories/ar/section/14/رأي 1" in summary_lines(
        stats, tmp_path / "out.jsonl"
    )


@pytest.mark.slow
def test_hard_cap_on_listing_pages_fails_the_run(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan()) as server:
        result = crawl(
            server.url, tmp_path / "data", "edition=en", "sections=1", "-s", "NEWSCRAWLER_MAX_LISTING_PAGES=2"
        )
    assert result.returncode == 1
    assert early_stops(result) == {"max_listing_pages/en/section/1/Iraq-News": 1}
    assert not [p for _, _, p, _ in server.log.entries if "page=3" in p]


@pytest.mark.slow
def test_a_walk_ending_short_of_its_pagers_last_page_fails_the_run(tmp_path: Path) -> None:
    """Page 2 of 4 links to no page 3 (its pager still names page 4): the walk ends there, flagged."""
    page_2 = SNAP.resolve("/en/Section/1/Iraq-News?page=2")
    cut = html(page_2.body.replace(b'href="?page=3"', b'href="?page=1"'))
    with FaultServer(SNAPSHOT, FaultPlan(), answers={"/en/section/1/iraq-news?page=2": cut}) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=1")
    assert result.returncode == 1
    assert early_stops(result) == {"short_of_last_page/en/section/1/Iraq-News": 1}
    assert "stopped early (short_of_last_page) at " in result.stderr and "its pager declares 4 pages" in result.stderr
    assert not [p for _, _, p, _ in server.log.entries if "page=3" in p]


@pytest.mark.slow
def test_a_404_past_the_pagers_last_page_is_the_listings_end(tmp_path: Path) -> None:
    """Iran's last page (its pager: 2 pages) links on to page 3, which answers 404: the walk ends there."""
    with FaultServer(
        SNAPSHOT, FaultPlan(), answers={IRAN + "?page=2": with_next(SNAP.resolve(IRAN + "?page=2"), 3)}
    ) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=3")
    assert len([p for _, _, p, _ in server.log.entries if re.search(r"(?i)/section/3/iran\?page=3$", p)]) == 1
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stat("newscrawler/listing_ended/http_404") == 1 and len(result.records) == 18
    assert early_stops(result) == {} and not [k for k in result.stats if k.startswith("newscrawler/listing_failed/")]


@pytest.mark.slow
def test_a_listing_page_answered_empty_is_retried(tmp_path: Path) -> None:
    with FaultServer(SNAPSHOT, FaultPlan(), script={IRAN + "?page=2": ["empty"]}) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=3")
    assert result.returncode == 0 and len(result.records) == 18  # every live story of both pages
    assert result.stat("newscrawler/soft_retry/reason_count/empty_section") == 1


OPINION = "/en/Section/5/Opinion"


class AuthorsFirst:
    """Answers for a generated snapshot: every author page lists the Opinion stories of ``pages``, and Opinion's
    page 2 is held until one of them has been asked for (an author page was read before the walk went on)."""

    def __init__(self, snapshot: Snapshot, pages: range) -> None:
        items = [
            i for n in pages for i in listed_stories(Selector(snapshot.resolve(f"{OPINION}?page={n}").body.decode()))
        ]
        rows = "".join(
            f'<div class="author-item"><span class="date">{i.date_raw}</span><h3><a href="{i.href}">x</a></h3></div>'
            for i in items
        )
        self.author_page = html(f'<html><body><div class="author-articles">{rows}</div></body></html>'.encode())
        self.stories = {path_key(i.href) for i in items}
        self.read, self.held = threading.Event(), path_key(f"{OPINION}?page=2")
        self.released_by_author_story = False

    def __call__(self, key: str) -> Answer | None:
        if key.startswith("/en/author/"):
            return self.author_page
        if key in self.stories:
            self.read.set()
        elif key == self.held:
            self.released_by_author_story = self.read.wait(60)
        return None


@pytest.fixture(scope="module")
def opinion_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated English snapshot whose Opinion section has 11 pages."""
    out = tmp_path_factory.mktemp("opinion") / "snapshot"
    make = [sys.executable, str(ROOT / "benchmarks" / "make_snapshot.py"), str(out), "--en", "700", "--ar", "0"]
    subprocess.run(make, check=True, capture_output=True, cwd=ROOT / "benchmarks")
    return out


@pytest.mark.slow
def test_stories_met_on_author_pages_first_do_not_stop_the_section_walk(opinion_snapshot: Path, tmp_path: Path) -> None:
    """Author pages, read first, list every story of Opinion's pages 2 to 8 (more pages than
    NEWSCRAWLER_LISTING_STALE_PAGES): the section's walk still reads all 11 pages and every story is exported."""
    answers = AuthorsFirst(Snapshot.load(opinion_snapshot), range(2, 9))
    with FaultServer(opinion_snapshot, FaultPlan(), answers=answers) as server:
        result = crawl(server.url, tmp_path / "data", "edition=en", "sections=5")
    expected = [r for r in read_jsonl(opinion_snapshot / "expected.jsonl") if r["breadcrumbs"][0]["name"] == "Opinion"]
    assert answers.released_by_author_story  # the author page was read before the walk's page 2
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(result.records) == len(expected) > 11 * 12 - 12
    for record in expected:
        got = result.records.get((record["edition"], record["storyId"]))
        assert got is not None, f"story {record['storyId']} not exported"
        assert {k: got.get(k) for k in record if k != "url"} == {k: v for k, v in record.items() if k != "url"}
    walked = {p.split("page=")[-1] for _, _, p, _ in server.log.entries if "/section/5/" in p.lower()}
    assert walked == {"/en/Section/5/Opinion", *map(str, range(2, 12))}
    assert early_stops(result) == {}
