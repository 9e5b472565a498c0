"""``newscrawler extract --generic`` on article pages of other news sites (``fixtures/other-sites``).

A case is a folder: ``page.html`` beside ``expected.json``; where it gives the gold ``articleBody``, the generic
body's token F1 is held against trafilatura's own on the same page (per page and on the mean).
"""

from __future__ import annotations

import functools
import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from newscrawler.extract import extract_record, page_url
from tests.conftest import ROOT, run
from tests.support.scoring import token_f1

SITES = ROOT / "fixtures" / "other-sites"
CASES = sorted(p.name for p in SITES.iterdir() if (p / "expected.json").is_file())
#: Fields compared exactly where a case's expected record gives them.
FIELDS = ("url", "headline", "inLanguage", "dateModifiedRaw", "mainImage")
#: On each page the generic body's F1 reaches :data:`FLOOR` or comes within :data:`SLACK` of trafilatura's;
#: on the mean of all gold pages it is at least trafilatura's mean less :data:`MEAN_SLACK`.
SLACK = 0.03
FLOOR = 0.9
MEAN_SLACK = 0.01


def expected(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SITES / case / "expected.json").read_text(encoding="utf-8"))
    return data


GOLD = [case for case in CASES if expected(case).get("articleBody")]


@functools.cache
def generic_record(case: str) -> dict[str, Any] | None:
    body = (SITES / case / "page.html").read_bytes()
    return extract_record(body, page_url(body, None), generic=True)


@functools.cache
def trafilatura_body(case: str) -> str | None:
    from trafilatura import extract

    body = (SITES / case / "page.html").read_bytes()
    return extract(body.decode("utf-8", "replace"), url=page_url(body, None))


@pytest.fixture(scope="module", params=CASES)
def read(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    record = generic_record(request.param)
    assert record is not None
    return record, expected(request.param)


@pytest.mark.parametrize(
    ("case", "name"), [(case, name) for case in CASES for name in FIELDS if name in expected(case)]
)
def test_field(case: str, name: str) -> None:
    record = generic_record(case)
    assert record is not None and record[name] == expected(case)[name]


@pytest.mark.parametrize("case", GOLD)
def test_body_f1_on_a_par_with_trafilatura(case: str) -> None:
    record = generic_record(case)
    gold = expected(case)["articleBody"]
    ours, theirs = token_f1(record["articleBody"] if record else None, gold), token_f1(trafilatura_body(case), gold)
    assert ours >= min(FLOOR, theirs - SLACK), (ours, theirs)


def test_mean_body_f1_on_a_par_with_trafilatura() -> None:
    gold = {case: expected(case)["articleBody"] for case in GOLD}
    ours = statistics.fmean(token_f1((generic_record(c) or {}).get("articleBody"), gold[c]) for c in GOLD)
    theirs = statistics.fmean(token_f1(trafilatura_body(c), gold[c]) for c in GOLD)
    assert len(GOLD) >= 5 and ours >= theirs - MEAN_SLACK, (ours, theirs)


@pytest.mark.parametrize("case", [case for case in CASES if "bodyHolds" in expected(case)])
def test_body_phrases(case: str) -> None:
    record, want = generic_record(case), expected(case)
    assert record is not None
    body = record["articleBody"]
    assert body.startswith(want["bodyStartsWith"])
    assert [p for p in want["bodyHolds"] if p not in body] == []
    assert [p for p in want["bodyLacks"] if p in body] == []
    assert body.count("\n\n") + 1 >= want["paragraphsAtLeast"]


def test_record_is_flagged_generic_without_site_identity(read: tuple[dict[str, Any], dict[str, Any]]) -> None:
    record, _ = read
    assert record["storyId"] is None and record["edition"] is None
    assert {"headline", "articleBody"} <= set(record["metadata"]["extraction"]["generic"])


def test_extract_command_prints_one_record_per_file(tmp_path: Path) -> None:
    pages = [str(SITES / case / "page.html") for case in CASES]
    result = run(["newscrawler", "extract", "--generic", *pages])
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["headline"] for r in records] == [expected(case)["headline"] for case in CASES]


def test_extract_command_site_page_and_non_story(tmp_path: Path) -> None:
    story = ROOT / "fixtures" / "pages" / "en-template-a-tweet" / "page.html"
    error = ROOT / "fixtures" / "site" / "pages" / "404.html"
    result = run(
        ["newscrawler", "extract", str(story), str(error), "--url", "https://www.thebaghdadpost.com/en/Story/11554/x"]
    )
    assert result.returncode == 1
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["storyId"] == 11554 and record["metadata"]["extraction"] == {"method": "site", "generic": []}
    assert result.stderr.strip() == f"newscrawler: {error}: not a story page"


def test_extract_command_missing_file(tmp_path: Path) -> None:
    result = run(["newscrawler", "extract", str(tmp_path / "nope.html")])
    assert result.returncode == 2
    assert result.stderr.startswith("newscrawler: error: cannot read") and len(result.stderr.splitlines()) == 1


SENTENCE = "The council met on Monday and voted on the budget for the coming year after a long debate. "


@pytest.mark.parametrize(
    ("head", "top", "want"),
    [
        # A site name as <h1>, the story titled in <h2> as the page declares: the declared title's heading.
        (
            '<meta property="og:title" content="Council passes the budget">',
            "<h1>Riverside Daily Gazette</h1><h2>Council passes the budget</h2>",
            "Council passes the budget",
        ),
        # The <h1> is the declared title: it stands, whatever other headings say.
        (
            '<meta property="og:title" content="Council passes the budget">',
            "<h2>Council passes the budget</h2><h1>Council passes the budget</h1>",
            "Council passes the budget",
        ),
        # No declared title: the <h1>.
        ("", "<h1>Riverside Daily Gazette</h1><h2>Council passes the budget</h2>", "Riverside Daily Gazette"),
    ],
)
def test_headline_is_the_heading_the_page_declares(head: str, top: str, want: str) -> None:
    body = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(3))
    page = f"<html><head>{head}</head><body>{top}<div>{body}</div></body></html>"
    record = extract_record(page.encode(), "https://news.example.org/2024/budget", generic=True)
    assert record is not None and record["headline"] == want
