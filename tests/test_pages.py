"""Page extraction from fixture files: each ``fixtures/pages/CASE`` holds a story page (exact bytes), its
response headers, and the record the reference snapshot gives for it. One test per (case, field)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.baghdadpost.record import build_article
from newscrawler.baghdadpost.story import parse_story
from newscrawler.baghdadpost.urls import HOST, story_key
from newscrawler.extract import extract_record
from newscrawler.pipelines.dates import DatesPipeline
from newscrawler.pipelines.text import TextPipeline
from tests.conftest import PAGE_CASES

CASES = sorted(p.name for p in PAGE_CASES.iterdir() if (p / "expected.json").is_file())


def extract(case: str) -> dict[str, Any]:
    """The record the site package and pipelines make of a case's page (as the spider would)."""
    folder = PAGE_CASES / case
    meta = json.loads((folder / "response.json").read_text(encoding="utf-8"))
    response = HtmlResponse(url=meta["url"], body=(folder / "page.html").read_bytes(), headers=meta["headers"])
    page = parse_story(response.selector)
    key = story_key(response.url)
    assert page is not None and key is not None
    item = build_article(page, key, response.url, HOST, listed_date=None)
    crawler = get_crawler()
    crawler.stats.open_spider()
    for pipeline in (TextPipeline(), DatesPipeline.from_crawler(crawler)):
        item = pipeline.process_item(item)
    return vars(item)


_extracted: dict[str, dict[str, Any]] = {}


def _cached(case: str) -> dict[str, Any]:
    if case not in _extracted:
        _extracted[case] = extract(case)
    return _extracted[case]


def _field_params() -> list[Any]:
    params = []
    for case in CASES:
        expected = json.loads((PAGE_CASES / case / "expected.json").read_text(encoding="utf-8"))
        params += [pytest.param(case, name, value, id=f"{case}-{name}") for name, value in expected.items()]
    return params


@pytest.mark.parametrize(("case", "field", "expected"), _field_params())
def test_field(case: str, field: str, expected: Any) -> None:
    assert _cached(case)[field] == expected


@pytest.mark.parametrize("case", CASES)
def test_how_the_case_was_read(case: str) -> None:
    """Redesigned pages (class names gone) are read by the generic extractor, flagged; the others by the rules."""
    extraction = _cached(case)["metadata"]["extraction"]
    if "-redesigned-" in case:
        assert {"headline", "articleBody"} <= set(extraction["generic"]) and extraction["method"] == "generic"
    else:
        assert extraction == {"method": "site", "generic": []}


_alone: dict[str, dict[str, Any]] = {}


@pytest.mark.parametrize(("case", "field", "expected"), _field_params())
def test_field_generic_alone(case: str, field: str, expected: Any) -> None:
    """The generic extractor alone (``newscrawler extract --generic``) gives the same record."""
    if case not in _alone:
        folder = PAGE_CASES / case
        meta = json.loads((folder / "response.json").read_text(encoding="utf-8"))
        record = extract_record((folder / "page.html").read_bytes(), meta["url"], generic=True, headers=meta["headers"])
        assert record is not None
        _alone[case] = record
    assert _alone[case][field] == expected


def test_cases_cover_both_editions_and_templates() -> None:
    assert {c.split("-")[0] for c in CASES} == {"en", "ar"}
    assert len(CASES) >= 10


def test_page_without_story_container_is_not_a_story() -> None:
    body = (Path(__file__).resolve().parents[1] / "fixtures" / "site" / "pages" / "404.html").read_bytes()
    response = HtmlResponse(url=f"{HOST}/en/Story/1/x", body=body, headers={"Content-Type": "text/html"})
    assert parse_story(response.selector) is None
