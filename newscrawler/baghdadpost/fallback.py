"""Site rules first, the generic extractor behind them: per field, a rule that finds nothing gives way.

The generic extractor knows nothing of the site; what it must know (date labels, weekday and month names) is
passed in from :mod:`.formats`, and the site's cleaning rules (junk captions, "Read also" lines) are applied to
its values here. Identity (URL, canonical link) never comes from it.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import html

from newscrawler.baghdadpost.body import READ_ALSO
from newscrawler.baghdadpost.formats import DATE_LABELS, MONTHS, WEEKDAYS
from newscrawler.baghdadpost.page import StoryPage
from newscrawler.baghdadpost.urls import PageKind, path_info
from newscrawler.extraction.dateline import DateForms
from newscrawler.extraction.story import GenericStory, extract_story
from newscrawler.text import clean_text, collapse_whitespace

#: The generic date forms plus the site's labels and its English and Arabic words.
DATE_FORMS = DateForms().extended(DATE_LABELS, sorted(WEEKDAYS), sorted(MONTHS))


#: How far above the headline a byline or breadcrumb is looked for.
NEAR = 2


def needs_generic(page: StoryPage) -> bool:
    """True when the rules read no headline, body, image or date line (the markup may be one they do not know),
    or found no caption element. A caption element that is empty or a CMS file name is the page's answer, no
    caption: the generic extractor is not asked for it (it was, for a third of the site's pages)."""
    found = page.headline and page.paragraphs and page.image_src and page.date_raw
    return not found or "imageCaption" in page.absent


def with_fallback(
    site: StoryPage | None,
    root: html.HtmlElement,
    clean_caption: Callable[[str | None], str | None],
    body: html.HtmlElement | None = None,
) -> StoryPage | None:
    """``site`` (None: the page has no story container) completed by the generic extractor, field by field;
    None when neither reads a story. ``clean_caption`` is the site's caption rule (junk file names out);
    ``body``, the body element the rules found, spares the generic extractor looking for it."""
    generic = extract_story(root, DATE_FORMS, body, None if site is None else _empty_fields(site))
    if generic is None:
        return site
    page = site or StoryPage()
    if not page.headline and generic.headline:
        page.headline = generic.headline
        page.generic_fields.append("headline")
    if not page.paragraphs:
        page.paragraphs = [p for p in generic.paragraphs if not READ_ALSO.match(clean_text(p))]
        page.generic_fields.append("articleBody")
    _image(page, generic, clean_caption)
    if not page.date_raw and generic.date_raw:
        page.date_raw = generic.date_raw
        page.generic_fields.append("dateModified")
    _links(page, root)
    return page


def _empty_fields(page: StoryPage) -> frozenset[str]:
    """The record fields the rules left empty: the generic extractor's values stand in for those only."""
    values = {
        "headline": page.headline,
        "articleBody": page.paragraphs,
        "mainImage": page.image_src,
        "imageCaption": page.image_caption,
        "dateModified": page.date_raw,
    }
    return frozenset(name for name, value in values.items() if not value)


def _links(page: StoryPage, root: html.HtmlElement) -> None:
    """Byline and breadcrumbs by URL shape next to the headline, when the rules found none."""
    if not page.authors:
        page.authors = links_near_headline(root, "author", before=False)
        if page.authors:
            page.generic_fields.append("authors")
    if not page.crumbs:
        page.crumbs = links_near_headline(root, "section", before=True)
        if page.crumbs:
            page.generic_fields.append("breadcrumbs")


def links_near_headline(root: html.HtmlElement, kind: PageKind, before: bool) -> list[tuple[str, str]]:
    """``(name, href)`` of the links to pages of ``kind`` in the nearest wrapper of the first ``<h1>`` that has
    any (:data:`NEAR` levels up at most); ``before``: only links ahead of the headline (breadcrumbs)."""
    h1 = next((h for h in root.iter("h1") if collapse_whitespace(h.text_content())), None)
    if h1 is None:
        return []
    for level, wrapper in enumerate(h1.iterancestors()):
        if level >= NEAR:
            break
        ahead = set(wrapper.iter()) - set(h1.iter()) - set(_following(h1, wrapper)) if before else None
        found: dict[str, str] = {}
        for a in wrapper.iter("a"):
            href, name = a.get("href") or "", collapse_whitespace(a.text_content())
            if name and path_info(href).kind == kind and (ahead is None or a in ahead):
                found.setdefault(href, name)
        if found:
            return [(name, href) for href, name in found.items()]
    return []


def _following(el: html.HtmlElement, within: html.HtmlElement) -> list[html.HtmlElement]:
    """Elements after ``el`` (not inside it) up to the end of ``within``."""
    out: list[html.HtmlElement] = []
    for node in (el, *el.iterancestors()):
        if node is within:
            break
        for sibling in node.itersiblings():
            out += list(sibling.iter())
    return out


def _image(page: StoryPage, generic: GenericStory, clean_caption: Callable[[str | None], str | None]) -> None:
    if not page.image_src and generic.image_src:
        page.image_src = generic.image_src
        page.generic_fields.append("mainImage")
    caption = clean_caption(generic.image_caption)
    if not page.image_caption and caption and page.image_src == generic.image_src:
        page.image_caption = caption
        page.generic_fields.append("imageCaption")
