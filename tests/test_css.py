"""Compiled CSS (``newscrawler.extraction.css``) gives what parsel's ``Selector.css`` gives, query by query, on
every page case and listing of the reference snapshot; and which of a story's elements the rules miss."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from newscrawler.baghdadpost import listing, story
from newscrawler.baghdadpost.fallback import needs_generic
from newscrawler.extraction.css import TEXTS, Css
from tests.conftest import PAGE_CASES, SNAPSHOT

QUERIES = [q for module in (story, listing) for q in vars(module).values() if isinstance(q, Css)]
QUERIES += [*story.DECLARED_URLS, TEXTS]
PAGES = sorted(PAGE_CASES.glob("*/page.html")) + sorted((SNAPSHOT / "pages").glob("*/section/*/*.html"))[:4]


def _parsel(sel: Selector, query: str) -> list[Any]:
    return [s.root for s in sel.css(query)]


@pytest.fixture(scope="module", params=PAGES, ids=lambda p: "/".join(Path(p).parts[-3:]))
def page(request: pytest.FixtureRequest) -> Selector:
    return Selector(body=Path(request.param).read_bytes(), type="html")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.query)
def test_same_matches_as_parsel(page: Selector, query: Css) -> None:
    assert query.all(page.root) == _parsel(page, query.query)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.query)
def test_first_is_parsels_first(page: Selector, query: Css) -> None:
    assert query.first(page.root) == next(iter(_parsel(page, query.query)), None)


def test_queries_cover_the_site_rules() -> None:
    assert len(QUERIES) >= 15


def _absent(html: str) -> frozenset[str]:
    page = story.read_by_rules(Selector(text=html, type="html").root)
    assert page is not None
    return page.absent


FIGURE_DIV = '<div class="news-img"><img src="/a.jpg">{}</div>'
DATE = '<span class="last-modified">x</span>'
BOX = '<div id="NewsDetails"><h1>Title</h1>{}<div class="news-text"><p>Body text.</p></div></div>'


@pytest.mark.parametrize(
    ("inside", "absent"),
    [
        (
            FIGURE_DIV.format('<span class="news-img-caption">A caption</span>')
            + '<span class="last-modified">x</span>',
            set(),
        ),
        (FIGURE_DIV.format('<span class="news-img-caption">IMG_1234.jpg</span>'), {"dateModified"}),
        (FIGURE_DIV.format('<span class="news-img-caption"></span>') + '<span class="news-date">x</span>', set()),
        (FIGURE_DIV.format(""), {"imageCaption", "dateModified"}),
        (DATE, {"mainImage", "imageCaption"}),
    ],
    ids=["all-there", "junk-caption-is-there", "empty-caption-is-there", "no-caption-element", "no-figure"],
)
def test_absent_means_the_element_is_missing_not_empty(inside: str, absent: set[str]) -> None:
    assert _absent(BOX.format(inside)) == absent


@pytest.mark.parametrize(
    ("inside", "generic"),
    [
        (FIGURE_DIV.format('<span class="news-img-caption">A caption</span>') + DATE, False),
        (FIGURE_DIV.format('<span class="news-img-caption">IMG_1234.jpg</span>') + DATE, False),
        (FIGURE_DIV.format('<span class="news-img-caption"></span>') + DATE, False),
        (FIGURE_DIV.format("") + DATE, True),
        ('<div class="news-img"><img data-lazy="/a.jpg"><span class="news-img-caption">x</span></div>' + DATE, True),
        (
            FIGURE_DIV.format('<span class="news-img-caption">A caption</span>')
            + '<span class="last-modified"></span>',
            True,
        ),
        (DATE, True),
    ],
    ids=["all-there", "junk-caption", "empty-caption", "no-caption-element", "image-unread", "empty-date", "no-figure"],
)
def test_when_the_generic_extractor_is_asked(inside: str, generic: bool) -> None:
    page = story.read_by_rules(Selector(text=BOX.format(inside), type="html").root)
    assert page is not None
    assert needs_generic(page) is generic
