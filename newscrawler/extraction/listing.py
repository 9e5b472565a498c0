"""Listing pages read without their selectors: story links found by URL shape, each with the date beside it.

A listing's own items are told apart from the page's other story links by structure alone: links in navigation,
asides and footers are left out; each link's *item* is its largest wrapper linking to no other story; items
that are siblings form a list; only lists whose items show a date count (tickers show none), and of those the
list nearest the page's ``<h1>`` wins (the listing's title heads it; "Most Read" boxes stand apart).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import NamedTuple

from lxml import html

from newscrawler.htmltext import paragraphs
from newscrawler.text import collapse_whitespace

#: Wrappers whose links are never a listing's items.
OUTSIDE = frozenset({"nav", "aside", "footer", "header"})
#: Texts of a link to the next page of a listing (compared case-insensitively, whitespace collapsed).
NEXT_TEXTS = frozenset(
    {
        "next",
        "next page",
        "next »",
        "next ›",
        "older",
        "older posts",
        "»",
        "›",
        ">",
        ">>",
        "التالي",
        "التالية",
        "الصفحة التالية",
        "التالي »",
        "« التالي",
        "›› التالي",
    }
)


class ListedLink(NamedTuple):
    """A story link as written, with the date text shown beside it (None when none)."""

    href: str
    date_raw: str | None


def listed_links(
    root: html.HtmlElement, key_of: Callable[[str], Hashable | None], is_date: Callable[[str], bool]
) -> list[ListedLink]:
    """The items of a listing page's main list, in page order. ``key_of(href)`` names the story a link points
    to (None: not a story link); ``is_date(text)`` tells a listing date."""
    items: dict[html.HtmlElement, tuple[Hashable, html.HtmlElement]] = {}
    for a in root.iter("a"):
        key = key_of(a.get("href") or "")
        if key is not None and not any(p.tag in OUTSIDE for p in a.iterancestors()):
            items.setdefault(_item(a, key, key_of), (key, a))
    lists: dict[html.HtmlElement, list[ListedLink]] = {}
    for item, (_, a) in items.items():
        date = _date(item, is_date)
        parent = item.getparent()
        if date is not None and parent is not None:
            lists.setdefault(parent, []).append(ListedLink(a.get("href") or "", date))
    if not lists:
        return []
    return lists[max(lists, key=lambda parent: (_nearness(parent, root), len(lists[parent])))]


def _item(a: html.HtmlElement, key: Hashable, key_of: Callable[[str], Hashable | None]) -> html.HtmlElement:
    """The largest wrapper of link ``a`` whose story links all point to story ``key``."""
    item = a
    for parent in a.iterancestors():
        if any(key_of(other.get("href") or "") not in (None, key) for other in parent.iter("a")):
            break
        item = parent
    return item


def _date(item: html.HtmlElement, is_date: Callable[[str], bool]) -> str | None:
    for line in paragraphs(item, skip=lambda el: False, whole=lambda el: False):
        text = collapse_whitespace(line)
        if is_date(text):
            return text
    return None


def _nearness(parent: html.HtmlElement, root: html.HtmlElement) -> int:
    """How deep the smallest wrapper holding both this list and the first ``<h1>`` lies (deeper: nearer)."""
    h1 = next(root.iter("h1"), None)
    if h1 is None:
        return 0
    around = set(h1.iterancestors())
    common = next((p for p in (parent, *parent.iterancestors()) if p in around), None)
    return sum(1 for _ in common.iterancestors()) if common is not None else 0


def next_by_text(root: html.HtmlElement) -> str | None:
    """The link whose text (or ``rel``) says it leads to the next page, outside navigation."""
    for a in root.iter("a"):
        text = collapse_whitespace(a.text_content()).casefold()
        if a.get("href") and ("next" in (a.get("rel") or "").split() or text in NEXT_TEXTS):
            return str(a.get("href"))
    return None
