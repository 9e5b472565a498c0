"""Listing pages read without their selectors: story links found by URL shape, each with the date beside it.

A listing's own items are told apart from the page's other story links by structure alone: links in navigation,
asides and footers are left out; each link's *item* is its largest wrapper linking to no other story, and
only items that show a date count (tickers show none); of those, the items within the smallest wrapper of the
page's ``<h1>`` that holds any are the listing's (its title heads it; "Most Read" boxes stand apart).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import NamedTuple

from lxml import html

from newscrawler.htmltext import paragraphs
from newscrawler.text import collapse_whitespace

#: Wrappers whose links are never a listing's items.
OUTSIDE = frozenset({"nav", "aside", "footer"})
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
    links: dict[html.HtmlElement, html.HtmlElement] = {}
    for a in root.iter("a"):
        key = key_of(a.get("href") or "")
        if key is not None and not any(p.tag in OUTSIDE for p in a.iterancestors()):
            links.setdefault(_item(a, key, key_of), a)
    own = {item: _date(item, is_date) for item in links}
    firsts = [_date_first(item, a, is_date) for item, a in links.items() if own[item] is not None]
    date_first = sum(firsts) > len(firsts) / 2
    items: dict[html.HtmlElement, ListedLink] = {}
    for item, a in links.items():
        date = own[item] or _date_beside(item, is_date, key_of, date_first)
        if date is not None:
            items[item] = ListedLink(a.get("href") or "", date)
    region = _main_region(root, list(items))
    return [link for item, link in items.items() if region is None or region in item.iterancestors()]


def _main_region(root: html.HtmlElement, items: list[html.HtmlElement]) -> html.HtmlElement | None:
    """The smallest wrapper of the first ``<h1>`` holding any item (the listing's title heads its list);
    without a ``<h1>``, the parent of the most items."""
    h1 = next(root.iter("h1"), None)
    holders = {a for item in items for a in item.iterancestors()}
    if h1 is not None:
        return next((a for a in h1.iterancestors() if a in holders), None)
    parents = [item.getparent() for item in items]
    return max(set(parents), key=parents.count) if parents else None


def _item(a: html.HtmlElement, key: Hashable, key_of: Callable[[str], Hashable | None]) -> html.HtmlElement:
    """The largest wrapper of link ``a`` whose story links all point to story ``key``."""
    item = a
    for parent in a.iterancestors():
        if any(key_of(other.get("href") or "") not in (None, key) for other in parent.iter("a")):
            break
        item = parent
    return item


def _date_first(item: html.HtmlElement, a: html.HtmlElement, is_date: Callable[[str], bool]) -> bool:
    """True when the item shows its date ahead of its link (author pages), False after it (section pages)."""
    for el in item.iter():
        if el is a:
            return False
        texts = [el.text] if el is item else [el.text, el.tail]
        if any(is_date(collapse_whitespace(t or "")) for t in texts):
            return True
    return False


def _date_beside(
    item: html.HtmlElement, is_date: Callable[[str], bool], key_of: Callable[[str], Hashable | None], before: bool
) -> str | None:
    """The date in the siblings after the item, or before it (``before``: those first), up to the next story
    link: markup that nests blocks in paragraphs is split apart by HTML parsers, leaving the date beside its
    item. The page's other items tell which side its dates are on."""
    found = None
    sides = [item.itersiblings(), item.itersiblings(preceding=True)]
    for siblings in sides[::-1] if before else sides:
        for sibling in siblings:
            if found is not None or any(key_of(a.get("href") or "") for a in sibling.iter("a")):
                break
            found = _date(sibling, is_date)
    return found


def _date(item: html.HtmlElement, is_date: Callable[[str], bool]) -> str | None:
    for line in paragraphs(item, skip=lambda el: False, whole=lambda el: False):
        text = collapse_whitespace(line)
        if is_date(text):
            return text
    return None


def next_by_text(root: html.HtmlElement) -> str | None:
    """The link whose text (or ``rel``) says it leads to the next page, outside navigation."""
    for a in root.iter("a"):
        text = collapse_whitespace(a.text_content()).casefold()
        if a.get("href") and ("next" in (a.get("rel") or "").split() or text in NEXT_TEXTS):
            return str(a.get("href"))
    return None
