"""The main text of a page: located with trafilatura, then split into paragraphs by :mod:`newscrawler.htmltext`.

trafilatura finds the main content well on any page but does not keep ``<br>`` lines apart, drops some
subheadings and cleans text its own way. So its text is only used to find *where* the story lies: the deepest
element holding most of the page text that trafilatura kept. That element is read with the project's own
paragraph splitting, and only the stretch of paragraphs trafilatura agrees on (first to last) is kept, with the
subheadings between them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from itertools import pairwise

from lxml import html

from newscrawler.htmltext import BLOCK_TAGS, NON_TEXT_TAGS, paragraphs
from newscrawler.text import INVISIBLE_CHARS, clean_text

#: Elements that never hold story text, whatever their classes.
JUNK_TAGS = frozenset({"nav", "aside", "footer", "form", "button", "select", "textarea", "figure", "figcaption"})
#: Paragraphs that are only an ad label.
AD_LABELS = frozenset(
    {"advertisement", "advertising", "ad", "ads", "sponsored", "إعلان", "اعلان", "publicité", "anzeige"}
)
#: Links to a post on a social network: a quote holding one is a pasted post, kept whole as one paragraph.
SOCIAL_POST = re.compile(r"//(?:www\.|mobile\.)?(?:twitter\.com|x\.com|instagram\.com|facebook\.com|t\.co)/", re.I)
#: The signature of a pasted post: ``— Name (@handle)``.
POST_SIGNATURE = re.compile(r"\(@\w{1,30}\)")
#: A text node shorter than this proves nothing about where trafilatura's text came from.
MIN_MARK = 12
#: A paragraph of this many word pairs or more, this share of them in trafilatura's text, agrees with it.
AGREE_MIN_PAIRS = 5
AGREE_SHARE = 0.8
#: A teaser (title and summary of another story) is short: this many characters at most, spaces aside.
TEASER_MAX = 600
#: Share of trafilatura's text the main element must hold.
MAJORITY = 0.8
_SQUEEZE = re.compile(f"[\\s{INVISIBLE_CHARS}]+")


def squeeze(text: str) -> str:
    """Text without any whitespace or invisible marks: for comparing texts whatever their spacing.

    >>> squeeze(" a\\u00a0b\\n\\u200f c ")
    'abc'
    """
    return _SQUEEZE.sub("", text)


def trafilatura_text(root: html.HtmlElement) -> str | None:
    """The main text trafilatura finds in the page (a copy of ``root``: trafilatura prunes what it reads)."""
    from trafilatura import bare_extraction

    document = bare_extraction(copy.deepcopy(root), include_comments=False, include_tables=True, favor_recall=True)
    text = getattr(document, "text", None) if document is not None else None
    return text or None


def locate(root: html.HtmlElement) -> tuple[html.HtmlElement, str] | None:
    """The element holding the story's text and the (squeezed) text trafilatura agrees is the story's, with
    the wrappers that continue it; None when trafilatura finds no main text."""
    text = trafilatura_text(root)
    kept = squeeze(text) if text else ""
    node = main_element(root, kept) if kept else None
    if node is None:
        return None
    more = prose_siblings(node)
    parent = node.getparent()
    if more and parent is not None:
        return parent, kept + "".join(squeeze(el.text_content()) for el in more)
    return node, kept


def main_element(root: html.HtmlElement, kept: str) -> html.HtmlElement | None:
    """The deepest element holding at least :data:`MAJORITY` of the page's prose (text outside links) that
    is in ``kept`` (squeezed); a lone paragraph gives its parent."""
    weights: dict[html.HtmlElement, int] = {}
    for owner, text in _text_nodes(root):
        squeezed = squeeze(text)
        if len(squeezed) >= MIN_MARK and squeezed in kept:
            for el in (owner, *owner.iterancestors()):
                weights[el] = weights.get(el, 0) + len(squeezed)
    if not weights:
        return None
    node, total = root, max(weights.values())
    while True:
        heavy = [child for child in node if weights.get(child, 0) >= MAJORITY * total]
        if not heavy:
            break
        node = heavy[0]
    return node if _has_blocks(node) or node.getparent() is None else node.getparent()


def prose_siblings(node: html.HtmlElement) -> list[html.HtmlElement]:
    """Siblings next to ``node`` that continue its text (a body split over several wrappers, which extractors
    often read only the first of); elements without text between them are passed over."""
    found: list[html.HtmlElement] = []
    for direction in (node.itersiblings(preceding=True), node.itersiblings()):
        for sibling in direction:
            if not isinstance(sibling.tag, str) or sibling.tag in NON_TEXT_TAGS or not squeeze(sibling.text_content()):
                continue
            if not _is_prose(sibling, 1 if sibling.get("dir") and sibling.get("dir") == node.get("dir") else 2):
                break
            found.append(sibling)
    return found


def _is_prose(el: html.HtmlElement, least: int) -> bool:
    """At least ``least`` paragraphs of text, hardly any of it links, no headline (a wrapper with the same
    writing direction as the text before it needs only one)."""
    paras = [p for p in el if p.tag == "p" and len(squeeze(p.text_content())) >= 40]
    return len(paras) >= least and next(el.iter("h1"), None) is None and not _link_dense(el, 0.2)


def _text_nodes(root: html.HtmlElement) -> Iterator[tuple[html.HtmlElement, str]]:
    """``(element the text belongs to, text)`` for every text node outside links, scripts and the like."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in NON_TEXT_TAGS:
            continue
        if el.text and not _inside(el, _NOT_PROSE):
            yield el, el.text
        parent = el.getparent()
        if el.tail and parent is not None and not _inside(parent, _NOT_PROSE):
            yield parent, el.tail


_NOT_PROSE = NON_TEXT_TAGS | {"a"}


def _inside(el: html.HtmlElement, tags: frozenset[str]) -> bool:
    return any(a.tag in tags for a in (el, *el.iterancestors()) if isinstance(a.tag, str))


def _has_blocks(el: html.HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in el.iterdescendants())


def is_junk(el: html.HtmlElement) -> bool:
    """Elements never part of a story's text: navigation, asides, forms, figures, hidden elements, and lists
    or boxes that are mostly links (related stories, share buttons, tags)."""
    if el.tag in JUNK_TAGS or el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none", el.get("style") or ""):
        return True
    if el.tag in ("p", "h2", "h3", "h4", "h5", "h6", "blockquote"):
        return False
    return _link_dense(el, 0.5) or is_teaser(el)


def is_teaser(el: html.HtmlElement) -> bool:
    """A teaser of another story: a short block (:data:`TEASER_MAX` characters at most) holding a heading
    that is wholly a link (inside the heading or around it), as related-story and next-story boxes are; a
    story's own subheadings link nowhere.

    >>> is_teaser(html.fromstring('<div><h2><a href="/b">Other story</a></h2><p>Its summary.</p></div>'))
    True
    """
    headings = list(el.iterdescendants("h2", "h3", "h4", "h5", "h6"))
    if not headings or len(squeeze(el.text_content())) > TEASER_MAX:
        return False
    for heading in headings:
        text = squeeze(heading.text_content())
        links = [*heading.iter("a"), *(a for a in heading.iterancestors("a") if el in a.iterancestors())]
        if text and any(a.get("href") and squeeze(a.text_content()) == text for a in links):
            return True
    return False


def _link_dense(el: html.HtmlElement, share: float) -> bool:
    """At least two links, and link text at least ``share`` of the text."""
    links = el.findall(".//a")
    if len(links) < 2:
        return False
    text = squeeze(el.text_content())
    linked = sum(len(squeeze(a.text_content())) for a in links)
    return not text or linked >= share * len(text)


def is_embedded_post(el: html.HtmlElement) -> bool:
    """A pasted social-network post: a quote linking to the post (kept whole, as one paragraph)."""
    if el.tag != "blockquote":
        return False
    links = any(SOCIAL_POST.search(a.get("href") or "") for a in el.iter("a"))
    return links or bool(POST_SIGNATURE.search(el.text_content()))


def body_paragraphs(container: html.HtmlElement, kept: str) -> list[str]:
    """The paragraphs of ``container`` from the first to the last one found in ``kept`` (squeezed text), with
    the subheadings between them; ad labels dropped. Texts raw, as :func:`~newscrawler.htmltext.paragraphs`."""
    found = [p for p in paragraphs(container, skip=is_junk, whole=is_embedded_post) if not _is_ad_label(p)]
    agreed = {i for i, p in enumerate(found) if agrees(p, kept)}
    if not agreed:
        return []
    headings = {squeeze(h.text_content()) for h in container.iter("h2", "h3", "h4", "h5", "h6")}
    span = range(min(agreed), max(agreed) + 1)
    return [found[i] for i in span if i in agreed or squeeze(found[i]) in headings]


def agrees(paragraph: str, kept: str) -> bool:
    """``paragraph`` is in ``kept`` (squeezed), or most of its word pairs are (an extractor may drop a word
    wrapped in an element it distrusts).

    >>> text = "one two three four five six seven"
    >>> agrees(text, squeeze("one two three four five six")), agrees(text, squeeze("one two three"))
    (True, False)
    """
    if squeeze(paragraph) in kept:
        return True
    words = paragraph.split()
    pairs = [squeeze(a + b) for a, b in pairwise(words)]
    return len(pairs) >= AGREE_MIN_PAIRS and sum(pair in kept for pair in pairs) >= AGREE_SHARE * len(pairs)


def _is_ad_label(text: str) -> bool:
    return clean_text(text).casefold().strip(" :-–") in AD_LABELS
