"""Which captures are tried, and in which order (the captures themselves are kept by
:mod:`newscrawler.sources.indexstore`).

An item (a story) is tried from its latest capture back: revisits and errors are never candidates; a 200 HTML
capture is tried as the item, a 3xx capture is followed inside the archive; the first that yields the item wins.
A listing page is read from its latest 200 HTML capture (the next-latest when that one fails).
"""

from __future__ import annotations

from newscrawler.sources.captures import Capture, latest_first


def resource_key(url: str) -> str:
    """A URL as an index keys it: no scheme, no ``www.``, lower case, no trailing slash.

    >>> resource_key("https://www.Example.com/EN/Story/1/"), resource_key("http://example.com/en/story/1?page=2")
    ('example.com/en/story/1', 'example.com/en/story/1?page=2')
    """
    rest = url.split("://", 1)[-1].lower().removeprefix("www.")
    path, _, query = rest.partition("?")
    return path.rstrip("/") + (f"?{query}" if query else "")


def item_candidates(captures: list[Capture]) -> list[Capture]:
    """The captures of an item worth fetching, latest first: 200 HTML pages and redirects; a truncated capture
    only when no complete 200 HTML capture is there.

    >>> whole, cut = Capture("2019", "u", 200, "text/html"), Capture("2020", "u", 200, "text/html", truncated=True)
    >>> item_candidates([whole, cut]) == [whole], item_candidates([cut]) == [cut]
    (True, True)
    """
    found = [c for c in latest_first(captures) if not c.revisit and (c.is_html_ok or c.is_redirect)]
    if any(c.is_html_ok and not c.truncated for c in found):
        return [c for c in found if not c.truncated]
    return found


def listing_candidates(captures: list[Capture]) -> list[Capture]:
    """The captures of a listing page worth fetching, latest first: 200 HTML pages."""
    return [c for c in latest_first(captures) if c.is_html_ok]


def index_reason(captures: list[Capture]) -> str:
    """Why an item with no candidate failed, from its latest capture: ``revisit_unresolved``, ``http_404``,
    ``not_html``.

    >>> index_reason([Capture("2020", "u", 404), Capture("2019", "u", 200, "text/html")])
    'http_404'
    """
    latest = latest_first(captures)[0]
    if latest.revisit:  # left unresolved (newscrawler.sources.revisits)
        return "revisit_unresolved"
    return "not_html" if latest.status == 200 else f"http_{latest.status}"
