"""A story read from any news page: headline, body paragraphs, lead image and caption, date line.

:func:`extract_story` returns None for a page that is not one story: no headline, too little text, or text that
is mostly links (an error page, a section or home page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html

from newscrawler.extraction.content import body_paragraphs, is_embedded_post, is_junk, locate, squeeze
from newscrawler.extraction.dateline import DateForms, find_date_line
from newscrawler.extraction.lead import lead_blocks
from newscrawler.extraction.media import caption, declared_image, image_source, lead_image
from newscrawler.extraction.metadata import meta_date, meta_headline, page_metadata
from newscrawler.htmltext import BLOCK_TAGS, paragraphs
from newscrawler.text import clean_text, collapse_whitespace

#: Fewer characters of body text than this is no story (error pages say a sentence).
MIN_BODY_CHARS = 100
#: A body whose text is more than this share of link text is a list of links, not a story.
MAX_LINK_SHARE = 0.5
SKIPPED_TAGS = frozenset({"nav", "aside", "footer"})
#: An ``<h1>`` of this many words or fewer may be the site's logo.
LOGO_WORDS = 2
#: A page whose text is mostly in this many items or more, each headed by a link, is a listing.
MIN_ITEMS = 3
ITEMS_SHARE = 0.5


#: The record fields :func:`extract_story` can give.
FIELDS = frozenset({"headline", "articleBody", "mainImage", "imageCaption", "dateModified"})


@dataclass
class GenericStory:
    """A story's fields as printed (texts whitespace-collapsed, the body's paragraphs raw, links as written)."""

    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    image_src: str | None = None
    image_caption: str | None = None
    date_raw: str | None = None
    declared_url: str | None = None
    language: str | None = None


def extract_story(
    root: html.HtmlElement,
    forms: DateForms | None = None,
    body: html.HtmlElement | None = None,
    wanted: frozenset[str] | None = None,
) -> GenericStory | None:
    """Read the story on a page (``root``: the parsed document); None when the page is not one story.
    ``body``: the element known to hold the story's text (trafilatura is then not asked). ``wanted``: the
    record fields the caller will use (:data:`FIELDS`; None: all); the image and the date line are looked
    for only when wanted or when another wanted field depends on them, so the others may be left None."""
    located = locate(root) if body is None else (body, squeeze(body.text_content()))
    if located is None:
        return None
    container, kept = located
    meta = page_metadata(root)
    order = {el: i for i, el in enumerate(root.iter())}
    h1 = _declared_heading(order, _headline_element(order, container), meta_headline(meta))
    headline = _headline(h1, meta)
    body = [p for p in _lead(container, h1) + body_paragraphs(container, kept) if squeeze(p) != squeeze(headline or "")]
    forms = forms or DateForms()
    if not headline or not any(c.isalpha() for c in headline) or not _is_story_text(container, body, forms):
        return None
    story = GenericStory(headline, body, declared_url=meta.get("canonical") or meta.get("og:url"))
    story.language = root.get("lang") or meta.get("og:locale")
    wanted = FIELDS if wanted is None else wanted
    if wanted & {"mainImage", "imageCaption", "articleBody"}:  # a caption is no paragraph of the body
        _add_image(story, order, h1 if h1 is not None else container, container, meta.get("og:image"))
    if wanted & {"dateModified", "articleBody"} or story.image_caption:  # nor is the date line, or a caption
        story.date_raw = _date_line(root, story, forms) or meta_date(meta)
    if story.image_caption and story.date_raw and squeeze(story.date_raw) in squeeze(story.image_caption):
        story.image_caption = None
    claimed = _squeezed(story)
    story.paragraphs = [p for p in story.paragraphs if squeeze(forms.strip_label(clean_text(p))[1]) not in claimed]
    return story


def _lead(container: html.HtmlElement, h1: html.HtmlElement | None) -> list[str]:
    """The paragraphs of the lead printed apart from the body's element (see :mod:`.lead`)."""
    return [p for block in lead_blocks(container, h1) for p in paragraphs(block, skip=is_junk, whole=is_embedded_post)]


def _headline(h1: html.HtmlElement | None, meta: dict[str, str]) -> str | None:
    """The ``<h1>``'s text; the page's declared title instead when there is no ``<h1>``, or when the ``<h1>``
    is a name of a word or two (a logo) and the declared title is longer."""
    text = collapse_whitespace(h1.text_content()) if h1 is not None else ""
    declared = meta_headline(meta)
    if declared and (not text or (len(text.split()) <= LOGO_WORDS < len(declared.split()))):
        return declared
    return text or None


def _declared_heading(
    order: dict[html.HtmlElement, int], h1: html.HtmlElement | None, declared: str | None
) -> html.HtmlElement | None:
    """``h1``, unless its text is not the page's declared title and an ``<h1>`` or ``<h2>`` elsewhere is
    (a site name or section set as ``<h1>`` above a story titled in another heading)."""
    if not declared or (h1 is not None and _same_text(h1, declared)):
        return h1
    headings = [h for h in order if h.tag in ("h1", "h2") and _same_text(h, declared)]
    return min(headings, key=lambda h: (h.tag, order[h]), default=h1)


def _same_text(el: html.HtmlElement, text: str) -> bool:
    return collapse_whitespace(el.text_content()).casefold() == collapse_whitespace(text).casefold()


def _headline_element(order: dict[html.HtmlElement, int], container: html.HtmlElement) -> html.HtmlElement | None:
    """The first ``<h1>`` inside the main text, else the last one before it, else the page's first ``<h1>``."""
    h1s = [h for h in order if h.tag == "h1" and collapse_whitespace(h.text_content())]
    inside = [h for h in h1s if container in h.iterancestors()]
    before = [h for h in h1s if order[h] < order[container]]
    return (inside or before[-1:] or h1s or [None])[0]


def _is_story_text(container: html.HtmlElement, body: list[str], forms: DateForms) -> bool:
    text = clean_text(" ".join(body))
    if len(text) < MIN_BODY_CHARS:
        return False
    linked = sum(len(squeeze(a.text_content())) for a in container.iter("a"))
    return linked <= MAX_LINK_SHARE * len(squeeze(container.text_content())) and not _is_listing(container, body, forms)


def _is_listing(container: html.HtmlElement, body: list[str], forms: DateForms) -> bool:
    """A listing: most of the text lies in items, each headed by a link standing alone on its line (a teaser's
    title) and linking nowhere else; at least :data:`MIN_ITEMS` of them, or any that show a date."""
    items = {_item_of(a, container) for a in container.iter("a") if _stands_alone(a)}
    if len(items) < MIN_ITEMS:
        items = {item for item in items if any(forms.is_date(line) for line in _short_lines(item))}
    if not items:
        return False
    in_items = "".join(squeeze(item.text_content()) for item in items)
    inside = sum(len(squeeze(p)) for p in body if squeeze(p) in in_items)
    return inside >= ITEMS_SHARE * sum(len(squeeze(p)) for p in body)


def _short_lines(el: html.HtmlElement) -> list[str]:
    lines = (clean_text(line) for line in paragraphs(el, skip=lambda e: False, whole=lambda e: False))
    return [line for line in lines if len(line) <= 40]


def _stands_alone(a: html.HtmlElement) -> bool:
    """A link of two words or more that is the whole text of its block (a title, not a link in a sentence)."""
    text = squeeze(a.text_content())
    if len(collapse_whitespace(a.text_content()).split()) < 2:
        return False
    block = next((p for p in a.iterancestors() if p.tag in BLOCK_TAGS), None)
    return block is not None and squeeze(block.text_content()) == text


def _item_of(a: html.HtmlElement, container: html.HtmlElement) -> html.HtmlElement:
    """The largest wrapper of ``a`` (``container`` at most) whose links all lead where ``a`` leads."""
    item, href = a, a.get("href")
    for parent in a.iterancestors():
        if any(other.get("href") != href for other in parent.iter("a")):
            break
        item = parent
        if parent is container:
            break
    return item


def _add_image(
    story: GenericStory,
    order: dict[html.HtmlElement, int],
    start: html.HtmlElement,
    end: html.HtmlElement,
    declared: str | None,
) -> None:
    """The first story image between ``start`` and the end of ``end``, else the page's ``declared`` image
    where the page shows it; with its caption."""
    last = max(order[el] for el in end.iter())
    images = [img for img in order if img.tag == "img"]
    img = lead_image([i for i in images if order[start] < order[i] <= last], skip=lambda el: el.tag in SKIPPED_TAGS)
    img = img if img is not None else declared_image([i for i in images if order[i] <= last], declared)
    if img is None:
        return
    story.image_src = image_source(img)
    claimed = {start, end, *start.iterancestors(), *end.iterancestors()}
    story.image_caption = caption(img, taken=lambda el: el in claimed)


def _date_line(root: html.HtmlElement, story: GenericStory, forms: DateForms) -> str | None:
    body_el = next(root.iter("body"), root)
    lines = paragraphs(body_el, skip=lambda el: False, whole=lambda el: False)
    squeezed = [squeeze(line) for line in lines]
    first = squeezed.index(squeeze(story.headline or "")) if squeeze(story.headline or "") in squeezed else None
    last_text = squeeze(story.paragraphs[-1])
    after = first or 0
    ends = [i for i in range(after, len(lines)) if squeezed[i] and _part_of(squeezed[i], last_text)]
    last = ends[-1] if ends else None
    if first is None and last is None:
        return None
    return find_date_line(lines, first if first is not None else after, last if last is not None else after, forms)


def _part_of(line: str, paragraph: str) -> bool:
    """A page line is the body's last paragraph, or a long enough part of it (a quote split over lines)."""
    return line == paragraph or (len(line) >= 8 and line in paragraph)


def _squeezed(story: GenericStory) -> set[str]:
    return {squeeze(t) for t in (story.headline, story.image_caption, story.date_raw) if t}
