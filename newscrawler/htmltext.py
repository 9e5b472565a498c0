"""Turn an HTML subtree into paragraph texts: block elements and ``<br>`` end a paragraph.

Generic machinery: which elements are junk, and which are kept whole as one paragraph, is decided by the
predicates the caller passes (the site package knows its ads and embeds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import html

Predicate = Callable[[html.HtmlElement], bool]

#: Elements that start and end a paragraph of their own.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "blockquote",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "hr",
        "form",
        "nav",
        "main",
        "address",
        "center",
    ]
)
#: Elements whose content is never text of the page.
NON_TEXT_TAGS = frozenset(
    ["script", "style", "noscript", "iframe", "object", "embed", "video", "audio", "template", "ins", "svg", "canvas"]
)
_BREAK = None


def paragraphs(root: html.HtmlElement, skip: Predicate, whole: Predicate) -> list[str]:
    """Return the raw text of each paragraph under ``root``, in document order, not normalised.

    ``skip(el)`` drops an element and its content (its tail text stays); ``whole(el)`` keeps an element's
    whole text as one paragraph, ``<br>`` and nested blocks included.

    >>> el = html.fromstring("<div><p>a<b>b</b><br>c</p>d<h3>e</h3><p class='x'>f</p></div>")
    >>> paragraphs(el, skip=lambda e: e.get("class") == "x", whole=lambda e: False)
    ['ab', 'c', 'd', 'e']
    """
    out: list[str] = []
    current: list[str] = []
    for piece in _pieces(root, skip, whole):
        if piece is _BREAK:
            out.append("".join(current))
            current = []
        else:
            current.append(piece)
    out.append("".join(current))
    return [text for text in out if text.strip()]


def _pieces(el: html.HtmlElement, skip: Predicate, whole: Predicate) -> Iterator[str | None]:
    """Yield the text pieces under ``el`` with ``_BREAK`` where a paragraph ends (tails excluded)."""
    if el.text:
        yield el.text
    for child in el:
        yield from _child_pieces(child, skip, whole)
        if child.tail:
            yield child.tail


def _child_pieces(child: html.HtmlElement, skip: Predicate, whole: Predicate) -> Iterator[str | None]:
    if not isinstance(child.tag, str) or child.tag in NON_TEXT_TAGS or skip(child):
        return
    if child.tag == "br":
        yield _BREAK
    elif whole(child):
        yield from (_BREAK, "".join(_all_text(child)), _BREAK)
    elif child.tag in BLOCK_TAGS:
        yield _BREAK
        yield from _pieces(child, skip, whole)
        yield _BREAK
    else:
        yield from _pieces(child, skip, whole)


def _all_text(el: html.HtmlElement) -> Iterator[str]:
    """Every text node under ``el`` (non-text elements excluded), a space around each nested block."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in NON_TEXT_TAGS:
            block = child.tag in BLOCK_TAGS or child.tag == "br"
            yield " " if block else ""
            yield from _all_text(child)
            yield " " if block else ""
        if child.tail:
            yield child.tail
