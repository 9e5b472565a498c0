"""CSS selectors translated to XPath and compiled once, evaluated on lxml elements.

``Selector.css(query)`` (parsel) looks the translation up in a cache but has lxml compile the XPath again on every
call, and wraps every result in a new ``Selector``. A :class:`Css` is built once, at import, from the same
translation (parsel's, so ``::text`` and ``::attr(name)`` work as in Scrapy) and returns lxml elements and
plain strings: the same results, in the same (document) order.

>>> from lxml import html
>>> page = html.fromstring('<div><p class="a">one <b>two</b></p><p><a href="/x">three</a></p></div>')
>>> Css("p.a::text").all(page), Css("a::attr(href)").first(page), Css("p").first(page).tag
(['one '], '/x', 'p')
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from parsel.csstranslator import css2xpath


class Css:
    """One CSS query (a comma-separated list is one query, its matches in document order)."""

    __slots__ = ("_xpath", "query")

    def __init__(self, query: str) -> None:
        self.query = query
        self._xpath = etree.XPath(css2xpath(query), smart_strings=False)

    def all(self, element: Any) -> list[Any]:
        """Every match under ``element`` (itself included): elements, or strings for ``::text``/``::attr``."""
        return list(self._xpath(element))  # type: ignore[arg-type]

    def first(self, element: Any) -> Any | None:
        """The first match in document order, or None."""
        found = self._xpath(element)
        return found[0] if isinstance(found, list) and found else None

    def __repr__(self) -> str:
        return f"Css({self.query!r})"


#: Every text node under an element, as ``::text`` gives them.
TEXTS = Css("::text")
