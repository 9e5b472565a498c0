"""Story pages: Template A (2016-2019), Template B (2020 redesign) and the Arabic edition of both.

Selectors list the reconstructed class names first and generic fallbacks after, so a real page that differs
in detail still yields its fields. The page ``<title>`` and the header's visit day are never used.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from parsel import Selector, SelectorList

from newscrawler.baghdadpost.body import body_paragraphs
from newscrawler.baghdadpost.fallback import needs_generic, with_fallback
from newscrawler.baghdadpost.formats import DATE_LABELS
from newscrawler.baghdadpost.page import StoryPage
from newscrawler.baghdadpost.urls import is_site_host
from newscrawler.text import collapse_whitespace

CONTAINER = "#NewsDetails, .news-details, main.story-page, .story-page, article.story"
HEADLINE = "h1.news-title, h1.story-title, h1"
BODY = "#ContentPlaceHolder1_NewsBody, .news-text, .story-body, [itemprop=articleBody]"
FIGURE = ".news-img, figure.story-figure, .story-figure, figure"
CAPTION = ".news-img-caption, figcaption, .caption"
DATE_LINE = ".last-modified, .story-date, .news-date"
BYLINE = ".author-name a, .story-author a, .byline a"
CRUMBS = ".breadcrumb a, .crumbs a, nav[aria-label=breadcrumb] a"
#: Where a page declares its own URL: canonical link, Open Graph, comments widget, share buttons.
DECLARED_URLS = (
    "link[rel=canonical]::attr(href)",
    "meta[property='og:url']::attr(content)",
    ".fb-comments::attr(data-href)",
    "[data-clipboard-text]::attr(data-clipboard-text)",
    "[data-href]::attr(data-href)",  # a comments widget whatever its class
)
SHARE_LINKS = ".share-buttons a::attr(href)"
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
    """Read a story page by the site's rules; where a rule finds nothing, or the page has no story container,
    the generic extractor's value stands in (named in ``generic_fields``). None when neither finds a story.
    ``generic_only``: the generic extractor alone (identity and declared URLs still read)."""
    site = None if generic_only else read_by_rules(sel)
    if site is not None and not needs_generic(site):
        return site
    body = sel.css(CONTAINER)[:1].css(BODY)[:1] if site is not None and site.paragraphs else []
    page = with_fallback(site, sel.root, clean_caption, body[0].root if body else None)
    if page is not None and site is None:
        page.declared_urls = declared_urls(sel)
    return page


def read_by_rules(sel: Selector) -> StoryPage | None:
    """Read a story page by the site's rules alone; None when the page has no story container at all."""
    box = sel.css(CONTAINER)[:1]
    if not box:
        return None
    figure = box.css(FIGURE)[:1]
    return StoryPage(
        headline=_text(box.css(HEADLINE)[:1]) or _meta(sel, "og:title"),
        paragraphs=[p for b in box.css(BODY)[:1] for p in body_paragraphs(b.root)],
        image_src=_image_src(figure),
        image_caption=_caption(figure),
        date_raw=_date_raw(box),
        authors=_links(box.css(BYLINE)),
        crumbs=_links(box.css(CRUMBS)),
        declared_urls=declared_urls(sel),
    )


def _text(sel: Selector | list[Selector]) -> str | None:
    texts = [t for s in sel for t in s.css("::text").getall()] if isinstance(sel, list) else sel.css("::text").getall()
    return collapse_whitespace(" ".join(texts)) or None


def _meta(sel: Selector, prop: str) -> str | None:
    value = sel.css(f"meta[property='{prop}']::attr(content)").get()
    return collapse_whitespace(value) or None if value else None


def _image_src(figure: list[Selector]) -> str | None:
    for img in (f.css("img")[:1] for f in figure):
        for attr in LAZY_ATTRS:
            value = img.attrib.get(attr) if img else None
            if value and value.strip() and not PLACEHOLDER.search(value):
                return value.strip()
    return None


def _caption(figure: list[Selector]) -> str | None:
    return clean_caption(_text([c for f in figure for c in f.css(CAPTION)[:1]]))


def clean_caption(text: str | None) -> str | None:
    """A caption as shown, or None when there is none or it is a file name the CMS left.

    >>> clean_caption("thumbs_b_c_5a828d5abe76fa54c78edce76df1d661"), clean_caption("US forces return")
    (None, 'US forces return')
    """
    return None if text is None or JUNK_CAPTION.match(text) else text


def _date_raw(box: SelectorList[Selector]) -> str | None:
    text = _text(box.css(DATE_LINE)[:1])
    return _LABEL.sub("", text).strip() or None if text else None


def _links(anchors: list[Selector]) -> list[tuple[str, str]]:
    """``(name, href)`` of each distinct link with text, in page order."""
    found: dict[str, str] = {}
    for a in anchors:
        name, href = _text(a), a.attrib.get("href")
        if name and href and href not in found:
            found[href] = name
    return [(name, href) for href, name in found.items()]


def _shares(href: str) -> bool:
    """A link to another host with a query: a share button, whatever its class."""
    parts = urlsplit(href)
    return bool(parts.query and parts.hostname and not is_site_host(href))


def declared_urls(sel: Selector) -> list[str]:
    """The URLs a page gives for itself, in order of trust (canonical link first, share links last)."""
    urls = [u for query in DECLARED_URLS for u in sel.css(query).getall()]
    shares = sel.css(SHARE_LINKS).getall() or [h for h in sel.css("a::attr(href)").getall() if _shares(h)]
    for href in shares:
        urls += [v for key in ("u", "url", "text") for v in parse_qs(urlsplit(href).query).get(key, [])]
    return [u.strip() for u in urls if u.strip()]
