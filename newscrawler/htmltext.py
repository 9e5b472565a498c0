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


def paragraphs(root: html.HtmlElement, skip: Predicate, whole: Predicate) -> list[str]:
    """Return the raw text of each paragraph under ``root``, in document order, not normalised.

    ``skip(el)`` drops an element and its content (its tail text stays); ``whole(el)`` keeps an element's
    whole text as one paragraph, ``<br>`` and nested blocks included.

    >>> el = html.fromstring("<div><p>a<b>b</b><br>c</p>d<h3>e</h3><p class='x'>f</p></div>")
    >>> paragraphs(el, skip=lambda e: e.get("class") == "x", whole=lambda e: False)
    ['ab', 'c', 'd', 'e']
    """
    lines = _Lines(skip, whole)
    lines.inside(root)
    lines.end()
    return [text for text in lines.done if text.strip()]


class _Lines:
    """Text pieces gathered into paragraphs during one walk of a tree (plain recursion: a chain of nested
    generators costs a step per level for every piece)."""

    def __init__(self, skip: Predicate, whole: Predicate) -> None:
        self.skip, self.whole = skip, whole
        self.done: list[str] = []
        self.current: list[str] = []

    def end(self) -> None:
        """End the paragraph being gathered."""
        self.done.append("".join(self.current))
        self.current = []

    def inside(self, el: html.HtmlElement) -> None:
        """Gather the text under ``el`` (its tail excluded)."""
        if el.text:
            self.current.append(el.text)
        for child in el:
            self.child(child)
            if child.tail:
                self.current.append(child.tail)

    def child(self, child: html.HtmlElement) -> None:
        tag = child.tag
        if not isinstance(tag, str) or tag in NON_TEXT_TAGS or self.skip(child):
            return
        if tag == "br":
            self.end()
        elif self.whole(child):
            self.end()
            self.current.append("".join(_all_text(child)))
            self.end()
        elif tag in BLOCK_TAGS:
            self.end()
            self.inside(child)
            self.end()
        else:
            self.inside(child)


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
