"""A story's lead (standfirst): the sentences printed between the headline and the body's element.

Many news pages set the first paragraph apart from the body, in a block of its own right after the headline
and its byline; extractors that find the body's element miss it. A lead is taken only when it is the run of
blocks right before the body's element, the headline is among the blocks before it, and each block reads as
prose: long enough, no links, ending a sentence.
"""

from __future__ import annotations

from lxml import html

from newscrawler.htmltext import NON_TEXT_TAGS
from newscrawler.text import clean_text

#: A lead is at least this many characters long.
MIN_LEAD_CHARS = 80
#: Marks that end a sentence (Latin, Arabic, Devanagari, CJK) and the quotes that may follow them.
SENTENCE_ENDS = ".!?؟।。！？…"
CLOSING_QUOTES = "\"'”’»)"


def lead_blocks(container: html.HtmlElement, headline: html.HtmlElement | None) -> list[html.HtmlElement]:
    """The blocks between ``headline`` and ``container`` that make the story's lead, in page order; none when
    the headline is inside ``container`` or not before it."""
    if headline is None or headline in container.iterdescendants():
        return []
    before: list[html.HtmlElement] = []
    node: html.HtmlElement | None = container
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if sibling is headline or headline in sibling.iterdescendants():
                return _trailing_leads([*before, *_after(headline, sibling)])
            before.append(sibling)
        node = node.getparent()
    return []


def _after(headline: html.HtmlElement, holder: html.HtmlElement) -> list[html.HtmlElement]:
    """The elements after ``headline`` inside ``holder`` (its following siblings, then its parent's, ...),
    nearest the end of ``holder`` first."""
    forward: list[html.HtmlElement] = []
    node = headline
    while node is not holder:
        forward.extend(node.itersiblings())
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return forward[::-1]


def _trailing_leads(before: list[html.HtmlElement]) -> list[html.HtmlElement]:
    """The blocks nearest the body (``before`` runs from the body back) that read as a lead, blocks without
    text passed over."""
    leads: list[html.HtmlElement] = []
    for block in before:
        if not isinstance(block.tag, str) or block.tag in NON_TEXT_TAGS:
            continue
        text = clean_text(block.text_content())
        if not text:
            continue
        if not is_lead(block, text):
            break
        leads.append(block)
    return leads[::-1]


def is_lead(block: html.HtmlElement, text: str) -> bool:
    """Prose: at least :data:`MIN_LEAD_CHARS`, no link, no heading or image inside (a lead may itself be set
    as a heading), and it ends a sentence.

    >>> is_lead(html.fromstring("<div>" + "word " * 20 + "end.</div>"), "word " * 20 + "end.")
    True
    """
    if len(text) < MIN_LEAD_CHARS or next(block.iterdescendants("a", "h1", "h2", "h3", "img"), None) is not None:
        return False
    return text.rstrip(CLOSING_QUOTES)[-1:] in SENTENCE_ENDS
