"""What to ask a web archive for, and what its captures are, for The Baghdad Post.

Indexes (the Internet Archive's, pywb's, Common Crawl's) key URLs by a lower-cased path without scheme or
``www.``, so one prefix per page kind and edition covers every link variant (``/EN/Story/``, ``/en/story/``...).
"""

from __future__ import annotations

from typing import NamedTuple

from newscrawler.baghdadpost.urls import EDITIONS, StoryKey, listing_page, path_info, story_key

#: Page kinds asked for: stories, and the listings that date them.
INDEX_KINDS = ("story", "section", "author")
#: The site's host as an index query names it.
INDEX_HOST = "thebaghdadpost.com"


class ListingId(NamedTuple):
    """One listing page, whatever URL variant it was captured under."""

    kind: str  # "section" or "author"
    edition: str
    ident: int
    page: int


def index_prefixes(editions: tuple[str, ...] = EDITIONS) -> list[str]:
    """The URL prefixes to ask an index for, one per edition and page kind.

    >>> index_prefixes(("en",))
    ['thebaghdadpost.com/en/story/', 'thebaghdadpost.com/en/section/', 'thebaghdadpost.com/en/author/']
    """
    return [f"{INDEX_HOST}/{edition}/{kind}/" for edition in editions for kind in INDEX_KINDS]


def is_site_page(url: str) -> bool:
    """A story, section or author page (on any host: a WARC of a mirror holds the mirror's URLs)."""
    return path_info(url).kind in INDEX_KINDS


def listing_id(url: str) -> ListingId | None:
    """The listing page a section or author URL shows, or None.

    >>> listing_id("http://www.thebaghdadpost.com/EN/section/1/Iraq-News?page=3")
    ListingId(kind='section', edition='en', ident=1, page=3)
    """
    info = path_info(url)
    if info.kind not in ("section", "author") or info.ident is None:
        return None
    return ListingId(info.kind, info.edition, info.ident, listing_page(url))


def section_names(url: str) -> set[str]:
    """The names a ``sections`` argument may use for the section at ``url``: its id and its slug, lower case."""
    info = path_info(url)
    return {str(info.ident), info.slug.lower()} if info.kind == "section" else set()


def item_key(url: str) -> StoryKey | None:
    """The story a captured URL is, whatever its variant or slug."""
    return story_key(url)
