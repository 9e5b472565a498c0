"""Listing and home pages of the bundled snapshot: sections, listed stories with their dates, next pages."""

from __future__ import annotations

import json

from scrapy.http import HtmlResponse

from newscrawler.baghdadpost.listing import listed_stories, next_page, section_links
from tests.conftest import SNAPSHOT

MANIFEST = json.loads((SNAPSHOT / "manifest.json").read_text(encoding="utf-8"))


def page(path: str) -> HtmlResponse:
    entry = MANIFEST[path]
    return HtmlResponse(
        url=f"https://www.thebaghdadpost.com{path}",
        body=(SNAPSHOT / entry["file"]).read_bytes(),
        headers=entry["headers"],
    )


def test_home_sections_in_nav_order() -> None:
    links = section_links(page("/en/").selector, "en")
    assert [(s.section_id, s.slug) for s in links] == [
        (1, "Iraq-News"),
        (2, "Arab-World"),
        (3, "Iran"),
        (4, "World"),
        (5, "Opinion"),
        (6, "Videos"),
    ]


def test_arabic_home_sections() -> None:
    assert {s.section_id for s in section_links(page("/ar/").selector, "ar")} == {11, 12, 13, 14, 15}


def test_listing_items_and_dates() -> None:
    items = listed_stories(page("/en/Section/1/Iraq-News").selector)
    assert len(items) == 12
    assert items[0].href == "/en/Story/49990/Curfew-extended-in-Nineveh-as-virus-spreads"
    assert items[0].date_raw == "01 October 2020 09:28 AM"
    assert ("/en/Story/43875", "26 September 2019 07:51 AM") in items  # slugless link kept as written


def test_windows_1256_listing_dates_decoded() -> None:
    path = "/ar/Section/11/%D8%B9%D8%B1%D8%A7%D9%82%D9%8A%D8%A7%D8%AA?page=2"
    items = listed_stories(page(path).selector)
    assert len(items) == 12 and all(i.date_raw and i.date_raw[-1] in "صم" for i in items)


def test_next_pages_until_the_last() -> None:
    base = "/en/Section/1/Iraq-News"
    assert next_page(page(base).selector, f"https://www.thebaghdadpost.com{base}").endswith(f"{base}?page=2")
    second = f"https://www.thebaghdadpost.com{base}?page=2"
    assert next_page(page(f"{base}?page=2").selector, second).endswith(f"{base}?page=3")
    assert next_page(page(f"{base}?page=4").selector, f"https://www.thebaghdadpost.com{base}?page=4") is None


def test_author_page_items() -> None:
    items = listed_stories(page("/en/Author/826/Nour-El-Din-Haddad").selector)
    assert items and items[0].date_raw == "11 November 2017 11:23 PM"


def test_sidebar_and_ticker_are_not_listed() -> None:
    assert listed_stories(page("/en/").selector) == []
