"""Home pages, section listings and author pages: which sections, stories and next pages they link to.

Section listings (``/{ed}/Section/{id}/{slug}``, ``?page=N``, 12 items newest first) and author pages list
stories with the date the site shows for each (the record's ``datePublished``). Only these items are stories to
crawl: tickers, "Most Read", related items and home blocks repeat them with other contexts.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urljoin

from parsel import Selector

from newscrawler.baghdadpost.urls import listing_page, path_info
from newscrawler.text import collapse_whitespace

#: Story items on a section listing or an author page.
ITEM = ".news-list .news-item, .author-articles .author-item, .news-item, .author-item"
ITEM_DATE = ".news-item-date, .date, time"
PAGINATION = ".pagination a::attr(href), a[rel=next]::attr(href)"


class ListedStory(NamedTuple):
    """A story link as a listing shows it: the link as written and the date text as shown (or None)."""

    href: str
    date_raw: str | None


class SectionLink(NamedTuple):
    """A section in an edition's navigation: its id, slug and link."""

    section_id: int
    slug: str
    href: str


def section_links(sel: Selector, edition: str) -> list[SectionLink]:
    """Every distinct section of ``edition`` linked from a page (the home page's navigation), in page order."""
    found: dict[int, SectionLink] = {}
    for href in sel.css("a::attr(href)").getall():
        info = path_info(href)
        if info.kind == "section" and info.edition == edition and info.ident is not None:
            found.setdefault(info.ident, SectionLink(info.ident, info.slug, href))
    return list(found.values())


def listed_stories(sel: Selector) -> list[ListedStory]:
    """The story items of a listing or author page, in page order (a story linked twice is listed once)."""
    items: dict[str, ListedStory] = {}
    for item in sel.css(ITEM):
        href = _story_href(item)
        if href is not None and href not in items:
            date = collapse_whitespace(" ".join(item.css(ITEM_DATE)[:1].css("::text").getall()))
            items[href] = ListedStory(href, date or None)
    return list(items.values())


def _story_href(item: Selector) -> str | None:
    for href in item.css("a::attr(href)").getall():
        if path_info(href).kind == "story":
            return str(href)
    return None


def next_page(sel: Selector, url: str) -> str | None:
    """The absolute URL of the listing page after the one at ``url``, or None on the last page."""
    wanted = listing_page(url) + 1
    for href in sel.css(PAGINATION).getall():
        absolute = urljoin(url, href)
        if listing_page(absolute) == wanted and path_info(absolute).kind == path_info(url).kind:
            return absolute
    return None
