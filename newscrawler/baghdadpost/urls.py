"""The site's URL scheme: editions, story/section/author URLs, canonical forms and mirrors.

The server (IIS) matches paths case-insensitively and resolves a story by ``(edition, storyId)`` whatever the
slug, so every link variant of a story maps to one :class:`StoryKey`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

#: The real site; canonical URLs always use it, whatever mirror a crawl reads.
HOST = "https://www.thebaghdadpost.com"
EDITIONS: tuple[str, ...] = ("en", "ar")
#: ``inLanguage`` of each edition.
LANGUAGE = {"en": "en", "ar": "ar"}
_HOSTNAMES = {"www.thebaghdadpost.com", "thebaghdadpost.com"}

PageKind = Literal["home", "section", "author", "story", "other"]
_PATH = re.compile(r"^/(?P<ed>en|ar)(?:/(?P<kind>story|section|author)/(?P<id>\d+)(?:/(?P<slug>[^?#]*))?)?/?$", re.I)


class StoryKey(NamedTuple):
    """A story's identity: its edition and its numeric id (each edition has its own id sequence)."""

    edition: str
    story_id: int


class PathInfo(NamedTuple):
    kind: PageKind
    edition: str
    ident: int | None
    slug: str


@lru_cache(maxsize=4096)  # asked of the same links many times a page; PathInfo is immutable
def path_info(url: str) -> PathInfo:
    """Classify ``url`` by its path, whatever its case, host or percent-encoding.

    >>> path_info("/EN/story/11554/Some-Slug")
    PathInfo(kind='story', edition='en', ident=11554, slug='Some-Slug')
    >>> path_info("https://www.thebaghdadpost.com/ar/").kind
    'home'
    >>> path_info("/en/Page/1/About").kind
    'other'
    """
    match = _PATH.match(urlsplit(url).path)
    if not match:
        return PathInfo("other", "", None, "")
    kind = (match["kind"] or "home").lower()
    ident = int(match["id"]) if match["id"] else None
    return PathInfo(kind, match["ed"].lower(), ident, unquote(match["slug"] or "").strip("/"))  # type: ignore[arg-type]


def story_key(url: str) -> StoryKey | None:
    """The :class:`StoryKey` a story URL points to, or None for any other URL.

    >>> story_key("https://www.thebaghdadpost.com/EN/Story/43875")
    StoryKey(edition='en', story_id=43875)
    >>> story_key("/en/Section/1/Iraq-News") is None
    True
    """
    info = path_info(url)
    return StoryKey(info.edition, info.ident) if info.kind == "story" and info.ident is not None else None


def slugify(title: str, edition: str) -> str:
    """The slug the site derives from a title: runs of other characters replaced by ``-``, trimmed, case kept.

    English keeps ``[A-Za-z0-9]``; Arabic keeps letters and digits of any script.

    >>> slugify("Iraq, rise of militias", "en")
    'Iraq-rise-of-militias'
    >>> slugify("ماذا بعد مقتل المتظاهرين؟", "ar")
    'ماذا-بعد-مقتل-المتظاهرين'
    """
    pattern = r"[^A-Za-z0-9]+" if edition == "en" else r"[\W_]+"
    return re.sub(pattern, "-", title).strip("-")


def canonical_url(kind: str, edition: str, ident: int, slug: str) -> str:
    """``{HOST}/{edition}/{Kind}/{id}/{slug}``: edition lower case, kind capitalised, slug percent-encoded
    with upper-case hex (``slug`` may be given encoded or not).

    >>> canonical_url("story", "AR", 1, "%d8%a5-x")
    'https://www.thebaghdadpost.com/ar/Story/1/%D8%A5-x'
    """
    encoded = quote(unquote(slug), safe="-._~")
    return f"{HOST}/{edition.lower()}/{kind.capitalize()}/{ident}/{encoded}".rstrip("/")


def canonical_of(url: str) -> str | None:
    """The canonical form of a story, section or author URL, or None for any other URL.

    >>> canonical_of("http://127.0.0.1:8080/EN/Author/826/Nour-El-Din-Haddad")
    'https://www.thebaghdadpost.com/en/Author/826/Nour-El-Din-Haddad'
    """
    info = path_info(url)
    if info.kind not in ("story", "section", "author") or info.ident is None:
        return None
    return canonical_url(info.kind, info.edition, info.ident, info.slug)


def is_site_host(url: str) -> bool:
    """True for URLs on the real site's host (with or without ``www``)."""
    return (urlsplit(url).hostname or "") in _HOSTNAMES


def rebase(url: str, base_url: str) -> str:
    """Move a URL on the real host onto ``base_url`` (a mirror); other URLs are returned unchanged.

    >>> rebase("https://www.thebaghdadpost.com/en/Story/1/x?page=2", "http://127.0.0.1:8080")
    'http://127.0.0.1:8080/en/Story/1/x?page=2'
    """
    if not is_site_host(url):
        return url
    base = urlsplit(base_url)
    parts = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def to_site(url: str, page_url: str, base_url: str) -> str:
    """Resolve ``url`` (found on ``page_url``) and put it on the real host if it is on the crawl's base host.

    >>> to_site("/Content/a.jpg", "http://127.0.0.1:9/en/Story/1/x", "http://127.0.0.1:9")
    'https://www.thebaghdadpost.com/Content/a.jpg'
    """
    absolute = urljoin(page_url, url.strip())
    parts = urlsplit(absolute)
    if parts.netloc in (urlsplit(base_url).netloc, urlsplit(page_url).netloc) or is_site_host(absolute):
        return HOST + urlunsplit(("", "", parts.path, parts.query, ""))
    return absolute


def home_url(base_url: str, edition: str) -> str:
    """The home page of an edition on ``base_url``."""
    return f"{base_url.rstrip('/')}/{edition}/"


def listing_page(url: str) -> int:
    """The listing page number in ``url`` (``?page=N``; the bare URL is page 1).

    >>> listing_page("/en/Section/1/Iraq-News?page=3"), listing_page("/en/Section/1/Iraq-News")
    (3, 1)
    """
    match = re.search(r"(?:^|&)page=(\d+)", urlsplit(url).query, re.I)
    return int(match[1]) if match else 1


def onto_base(url: str, base_url: str) -> str | None:
    """Where to fetch ``url``, any URL of the site: on the real host (any case of it) moved onto ``base_url``;
    already on ``base_url``'s host, as it is; None when it is on neither.

    >>> onto_base("https://WWW.thebaghdadpost.com/EN/story/1/x", "http://127.0.0.1:9")
    'http://127.0.0.1:9/EN/story/1/x'
    >>> onto_base("http://127.0.0.1:9/en/", "http://127.0.0.1:9"), onto_base("http://127.0.0.1:8/en/", HOST)
    ('http://127.0.0.1:9/en/', None)
    """
    if is_site_host(url):
        return rebase(url, base_url)
    return url if urlsplit(url).netloc.lower() == urlsplit(base_url).netloc.lower() else None


def describe(url: str) -> str:
    """What kind of page of the site ``url`` names, in words.

    >>> describe("/en/Section/1/Iraq-News?page=2")
    'a section listing (edition en, section 1, page 2)'
    >>> describe("/ar/"), describe("/en/About")
    ('the home page of the ar edition', 'not a page of the site the spider reads')
    """
    info = path_info(url)
    if info.kind == "home":
        return f"the home page of the {info.edition} edition"
    if info.kind == "section":
        return f"a section listing (edition {info.edition}, section {info.ident}, page {listing_page(url)})"
    if info.kind == "author":
        return f"an author page (edition {info.edition}, author {info.ident})"
    if info.kind == "story":
        return f"a story page (edition {info.edition}, story {info.ident})"
    return "not a page of the site the spider reads"
