"""Story pages: Template A (2016-2019), Template B (2020 redesign) and the Arabic edition of both.

Each selector joins the reconstructed class names with generic alternatives, so a real page that differs in
detail still yields its fields. A selector is a union matched in document order, not a list tried in turn (an
alternative inside another, such as the templates' ``h1.news-title`` inside ``h1``, would add nothing but
another pass over the page). The page ``<title>`` and the header's visit day are never used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

from lxml import html
from parsel import Selector

from newscrawler.baghdadpost.body import body_paragraphs
from newscrawler.baghdadpost.fallback import needs_generic, with_fallback
from newscrawler.baghdadpost.formats import DATE_LABELS
from newscrawler.baghdadpost.page import StoryPage
from newscrawler.baghdadpost.urls import is_site_host
from newscrawler.extraction.css import TEXTS, Css
from newscrawler.text import collapse_whitespace

CONTAINER = Css("#NewsDetails, .news-details, .story-page, article.story")
HEADLINE = Css("h1")  # h1.news-title (Template A), h1.story-title (B)
BODY = Css("#ContentPlaceHolder1_NewsBody, .news-text, .story-body, [itemprop=articleBody]")
FIGURE = Css(".news-img, .story-figure, figure")
IMG = Css("img")
CAPTION = Css(".news-img-caption, figcaption, .caption")
DATE_LINE = Css(".last-modified, .story-date, .news-date")
BYLINE = Css(".author-name a, .story-author a, .byline a")
CRUMBS = Css(".breadcrumb a, .crumbs a, nav[aria-label=breadcrumb] a")
OG_TITLE = Css("meta[property='og:title']::attr(content)")
#: Where a page declares its own URL: canonical link, Open Graph, comments widget, share buttons.
DECLARED_URLS = (
    Css("link[rel=canonical]::attr(href)"),
    Css("meta[property='og:url']::attr(content)"),
    Css(".fb-comments::attr(data-href)"),
    Css("[data-clipboard-text]::attr(data-clipboard-text)"),
    Css("[data-href]::attr(data-href)"),  # a comments widget whatever its class
)
SHARE_LINKS = Css(".share-buttons a::attr(href)")
HREFS = Css("a::attr(href)")
LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "src")
PLACEHOLDER = re.compile(r"placeholder|blank\.gif|spacer|data:image", re.I)
#: File names the CMS leaves as captions: hashes, ``thumbs_b_c_…``, ``images - 2020-02-13T183217.953``, digits.
JUNK_CAPTION = re.compile(
    r"^(?:(?:thumbs_[a-z]_[a-z]_)?[0-9a-f]{16,}(?:_[a-z])?|images?\s*-\s*\d{4}-\d\d-\d\dT[\d.]+|\d+|"
    r"[\w.\- ]+\.(?:jpe?g|png|gif|webp|bmp)|(?:img|dsc|image)[_\- ]?\d+)$",
    re.I,
)
_LABEL = re.compile(rf"^(?:{'|'.join(map(re.escape, DATE_LABELS))})\s*:\s*", re.I)


def parse_story(sel: Selector, generic_only: bool = False) -> StoryPage | None:
    """Read a story page by the site's rules; where they leave a field empty (but for a caption that is there
    and empty or junk), or the page has no story container, the generic extractor's value stands in for the
    fields left empty (named in ``generic_fields``). None when neither finds a story.
    ``generic_only``: the generic extractor alone (identity and declared URLs still read)."""
    root = sel.root
    site = None if generic_only else read_by_rules(root)
    if site is not None and not needs_generic(site):
        return site
    body = _first(BODY, _first(CONTAINER, root)) if site is not None and site.paragraphs else None
    page = with_fallback(site, root, clean_caption, body)
    if page is not None and site is None:
        page.declared_urls = DeclaredUrls(root)
    return page


def read_by_rules(root: html.HtmlElement) -> StoryPage | None:
    """Read a parsed story page by the site's rules alone; None when the page has no story container at all."""
    box = _first(CONTAINER, root)
    if box is None:
        return None
    figure, body, date = _first(FIGURE, box), _first(BODY, box), _first(DATE_LINE, box)
    caption = _first(CAPTION, figure)
    elements = {"mainImage": figure, "imageCaption": caption, "dateModified": date}
    return StoryPage(
        headline=_text(_first(HEADLINE, box)) or _meta_title(root),
        paragraphs=body_paragraphs(body) if body is not None else [],
        image_src=_image_src(figure),
        image_caption=clean_caption(_text(caption)),
        date_raw=_date_raw(date),
        authors=_links(BYLINE.all(box)),
        crumbs=_links(CRUMBS.all(box)),
        declared_urls=DeclaredUrls(root),
        absent=frozenset(name for name, element in elements.items() if element is None),
    )


def _first(query: Css, element: html.HtmlElement | None) -> html.HtmlElement | None:
    """The first element ``query`` matches under ``element`` (None: nothing to look in)."""
    found: html.HtmlElement | None = query.first(element) if element is not None else None
    return found


def _text(element: html.HtmlElement | None) -> str | None:
    return collapse_whitespace(" ".join(TEXTS.all(element))) or None if element is not None else None


def _meta_title(root: html.HtmlElement) -> str | None:
    value = OG_TITLE.first(root)
    return collapse_whitespace(value) or None if value else None


def _image_src(figure: html.HtmlElement | None) -> str | None:
    img = _first(IMG, figure)
    if img is None:
        return None
    for attr in LAZY_ATTRS:
        value = img.get(attr)
        if value and value.strip() and not PLACEHOLDER.search(value):
            return str(value.strip())
    return None


def clean_caption(text: str | None) -> str | None:
    """A caption as shown, or None when there is none or it is a file name the CMS left.

    >>> clean_caption("thumbs_b_c_5a828d5abe76fa54c78edce76df1d661"), clean_caption("US forces return")
    (None, 'US forces return')
    """
    return None if text is None or JUNK_CAPTION.match(text) else text


def _date_raw(line: html.HtmlElement | None) -> str | None:
    text = _text(line)
    return _LABEL.sub("", text).strip() or None if text else None


def _links(anchors: list[html.HtmlElement]) -> list[tuple[str, str]]:
    """``(name, href)`` of each distinct link with text, in page order."""
    found: dict[str, str] = {}
    for a in anchors:
        name, href = _text(a), a.get("href")
        if name and href and href not in found:
            found[href] = name
    return [(name, href) for href, name in found.items()]


def _shares(href: str) -> bool:
    """A link to another host with a query: a share button, whatever its class."""
    parts = urlsplit(href)
    return bool(parts.query and parts.hostname and not is_site_host(href))


def declared_urls(sel: Selector) -> list[str]:
    """The URLs a page gives for itself, in order of trust (canonical link first, share links last)."""
    return list(DeclaredUrls(sel.root))


class DeclaredUrls:
    """The URLs a parsed page gives for itself, in order of trust, each source read only when it is reached:
    a caller that stops at the canonical link never pays for the share buttons."""

    def __init__(self, root: html.HtmlElement) -> None:
        self.root = root

    def __iter__(self) -> Iterator[str]:
        for query in DECLARED_URLS:
            yield from _stripped(query.all(self.root))
        shares = SHARE_LINKS.all(self.root) or [h for h in HREFS.all(self.root) if _shares(h)]
        for href in shares:
            yield from _stripped(v for key in ("u", "url", "text") for v in parse_qs(urlsplit(href).query).get(key, []))


def _stripped(urls: Iterable[str]) -> Iterator[str]:
    return (u.strip() for u in urls if u.strip())
