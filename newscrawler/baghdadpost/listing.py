"""Home pages, section listings and author pages: which sections, stories and next pages they link to.

Section listings (``/{ed}/Section/{id}/{slug}``, ``?page=N``, 12 items newest first) and author pages list
stories with the date the site shows for each (the record's ``datePublished``). Only these items are stories to
crawl: tickers, "Most Read", related items and home blocks repeat them with other contexts.

When the item selectors find nothing (the markup changed), the items are found by URL shape and structure
(:mod:`newscrawler.extraction.listing`); when the pagination selector finds nothing, the next page is any link
to ``?page=N+1`` of the same listing, or a link whose text says "next". The fallbacks run only for a caller that
passes ``fallback``, a callback told what they read (``stories``, ``next_page``) when they find something.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import html
from parsel import Selector
from scrapy.statscollectors import StatsCollector

from newscrawler.baghdadpost.urls import listing_page, path_info, story_key
from newscrawler.dates import parse_timestamp
from newscrawler.extraction.css import TEXTS, Css
from newscrawler.extraction.listing import listed_links, next_by_text
from newscrawler.text import collapse_whitespace

#: Story items on a section listing (``.news-list .news-item``) or an author page (``.author-articles
#: .author-item``), wherever the items stand (a union matched in document order, see :mod:`.story`).
ITEM = Css(".news-item, .author-item")
ITEM_DATE = Css(".news-item-date, .date, time")
PAGINATION = Css(".pagination a::attr(href), a[rel=next]::attr(href)")
HREFS = Css("a::attr(href)")
#: Links of a listing's pager (numbered pages among them).
PAGER_LINKS = Css(".pagination a")


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
    for href in HREFS.all(sel.root):
        info = path_info(href)
        if info.kind == "section" and info.edition == edition and info.ident is not None:
            found.setdefault(info.ident, SectionLink(info.ident, info.slug, href))
    return list(found.values())


#: Called with the part of a listing page read by a fallback.
Fallback = Callable[[str], None] | None
#: Stat counting listing page parts read without their selectors (the site's markup changed), by part.
GENERIC_LISTING_STAT = "newscrawler/extraction/generic_listing/"


def counted_fallback(stats: StatsCollector | None) -> Callable[[str], None]:
    """The fallback that counts each part read by it in ``stats`` (``GENERIC_LISTING_STAT`` + part)."""

    def count(part: str) -> None:
        if stats is not None:
            stats.inc_value(GENERIC_LISTING_STAT + part)

    return count


def listed_stories(sel: Selector, fallback: Fallback = None) -> list[ListedStory]:
    """The story items of a listing or author page, in page order (a story linked twice is listed once);
    with ``fallback``, found by URL shape when the item selectors find none."""
    found = _listed_by_rules(sel.root)
    if found or fallback is None:
        return found
    found = [ListedStory(link.href, link.date_raw) for link in listed_links(sel.root, story_key, _is_date)]
    if found:
        fallback("stories")
    return found


def _is_date(text: str) -> bool:
    return len(text) <= 40 and parse_timestamp(text) is not None


def _listed_by_rules(root: html.HtmlElement) -> list[ListedStory]:
    items: dict[str, ListedStory] = {}
    for item in ITEM.all(root):
        href = _story_href(item)
        if href is not None and href not in items:
            date = ITEM_DATE.first(item)
            text = collapse_whitespace(" ".join(TEXTS.all(date))) if date is not None else ""
            items[href] = ListedStory(href, text or None)
    return list(items.values())


def _story_href(item: html.HtmlElement) -> str | None:
    for href in HREFS.all(item):
        if path_info(href).kind == "story":
            return str(href)
    return None


def next_page(sel: Selector, url: str, fallback: Fallback = None) -> str | None:
    """The absolute URL of the listing page after the one at ``url``, or None on the last page; with
    ``fallback``, found among all links when the pagination selector finds none."""
    hrefs = PAGINATION.all(sel.root)
    if hrefs or fallback is None:
        return _page_after(hrefs, url)
    same = [h for h in HREFS.all(sel.root) if _same_path(urljoin(url, h), url)]
    found = _page_after(same, url) or _next_by_text(sel, url)
    if found:
        fallback("next_page")
    return found


def declared_last_page(sel: Selector, url: str) -> int | None:
    """The last page of the listing at ``url`` as its pager declares it: the highest page a numbered pager link
    leads to (or this page, when higher); None when the page has no numbered pager link. A "next" link declares
    nothing: it may lead past the end.

    >>> pager = '<ul class="pagination"><li><a href="?page=2">2</a></li><li>3</li><a href="?page=4">Next</a></ul>'
    >>> declared_last_page(Selector(pager), "http://h/en/Section/5/x?page=3")
    3
    """
    linked = [
        listing_page(target)
        for a in PAGER_LINKS.all(sel.root)
        if a.text_content().strip().isdigit() and _same_path(target := urljoin(url, a.get("href") or ""), url)
    ]
    return max(*linked, listing_page(url)) if linked else None


def walk_name(url: str) -> str:
    """The name a listing's walk is counted under: ``{edition}/{kind}/{id}/{slug}``.

    >>> walk_name("http://127.0.0.1:8080/EN/Section/5/Opinion?page=3")
    'en/section/5/Opinion'
    """
    info = path_info(url)
    return f"{info.edition}/{info.kind}/{info.ident}/{info.slug}"


def _page_after(hrefs: list[str], url: str) -> str | None:
    wanted = listing_page(url) + 1
    for href in hrefs:
        absolute = urljoin(url, href)
        if listing_page(absolute) == wanted and path_info(absolute).kind == path_info(url).kind:
            return absolute
    return None


def _same_path(one: str, other: str) -> bool:
    return urlsplit(one).path.lower() == urlsplit(other).path.lower()


def _next_by_text(sel: Selector, url: str) -> str | None:
    href = next_by_text(sel.root)
    return urljoin(url, href) if href and _same_path(urljoin(url, href), url) else None
