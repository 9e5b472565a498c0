"""The ``baghdadpost`` spider's ``-a`` arguments, checked before any request is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from newscrawler.baghdadpost.urls import EDITIONS, HOST
from newscrawler.dates import ZONE
from newscrawler.helptext import ArgumentDoc
from newscrawler.sources.arguments import (
    ARCHIVE_ARGUMENT_DOCS,
    SourceArgumentError,
    SourceArguments,
    parse_source_arguments,
)

#: The live crawl's ``-a`` arguments as :func:`parse_arguments` takes them: meaning and default for the help.
LIVE_ARGUMENT_DOCS = (
    ArgumentDoc("edition", "en|ar|all", "the edition(s) to crawl", "all"),
    ArgumentDoc(
        "sections", "IDS", "comma-separated section ids or slugs (1,Iran; see the README's list)", "every section"
    ),
    ArgumentDoc(
        "since",
        "DATE",
        "a date (2020-01-31) or date and time (2020-01-31T18:00, Baghdad time unless an offset is given): "
        "a listing is not paged past stories older than this, and older stories are skipped",
        "none",
    ),
    ArgumentDoc("max_pages", "N", "listing pages per section", "all"),
    ArgumentDoc("base_url", "URL", "where the site is read from: the real host or a mirror (newscrawler serve)", HOST),
    ArgumentDoc("full", "0|1", "1: fetch every listed story; still export only new or changed ones", "0"),
)
#: Every ``-a`` argument the spider takes (any other name is an error): the live ones, then the archive ones.
SPIDER_ARGUMENTS = tuple(doc.name for doc in (*LIVE_ARGUMENT_DOCS, *ARCHIVE_ARGUMENT_DOCS))


class ArgumentError(ValueError):
    """A spider argument that cannot be used; its message is one line for the user."""


@dataclass(frozen=True)
class CrawlArguments:
    """What to crawl: editions, sections (ids or slugs; empty: all), oldest listed time, pages per listing."""

    editions: tuple[str, ...]
    sections: frozenset[str]
    since: datetime | None
    max_pages: int | None
    base_url: str
    full: bool = False
    #: Where pages come from: the live site (``base_url``) or an archive (:mod:`newscrawler.sources`).
    source: SourceArguments = field(default_factory=SourceArguments)


def parse_arguments(
    edition: str = "all",
    sections: str = "",
    since: str = "",
    max_pages: str = "",
    base_url: str = HOST,
    full: str = "",
    **archive: str,
) -> CrawlArguments:
    """Check and convert the spider's string arguments; raise :class:`ArgumentError` on any bad one.

    >>> parse_arguments(edition="en", sections="1, Iran", max_pages="2").sections == {"1", "iran"}
    True
    >>> parse_arguments(edition="fr")
    Traceback (most recent call last):
    ...
    newscrawler.spiders.arguments.ArgumentError: unknown edition 'fr': use en, ar or all
    >>> parse_arguments(source="warc", warc="a.warc.gz", base_url="http://127.0.0.1:9")
    Traceback (most recent call last):
    ...
    newscrawler.spiders.arguments.ArgumentError: base_url applies to source=live, not source=warc
    """
    source = _source(archive, base_url)
    return CrawlArguments(
        editions=_editions(edition),
        sections=frozenset(s.strip().lower() for s in sections.split(",") if s.strip()),
        since=_since(since),
        max_pages=_positive(max_pages, "max_pages"),
        base_url=_base_url(base_url),
        full=_flag(full, "full"),
        source=source,
    )


def _source(archive: dict[str, str], base_url: str) -> SourceArguments:
    """The source and its own arguments; an archive is read from its own URLs or files, never ``base_url``."""
    try:
        source = parse_source_arguments(archive)
    except SourceArgumentError as error:
        raise ArgumentError(str(error)) from None
    if source.is_archive and base_url != HOST:
        raise ArgumentError(f"base_url applies to source=live, not source={source.kind}")
    return source


def _flag(text: str, name: str) -> bool:
    value = str(text).strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ArgumentError(f"malformed {name} {text!r}: use 1 or 0")


def _editions(edition: str) -> tuple[str, ...]:
    value = (edition or "all").strip().lower()
    if value == "all":
        return EDITIONS
    if value not in EDITIONS:
        raise ArgumentError(f"unknown edition {edition!r}: use {', '.join(EDITIONS)} or all")
    return (value,)


def _since(text: str) -> datetime | None:
    """A date (``2020-01-31``) or date and time (``2020-01-31T18:00``); naive values are Baghdad time."""
    if not text.strip():
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ArgumentError(f"malformed since {text!r}: use a date like 2020-01-31 or 2020-01-31T18:00") from None
    if isinstance(parsed, date) and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZONE)
    return parsed


def _positive(text: str, name: str) -> int | None:
    if not str(text).strip():
        return None
    if not str(text).strip().isdigit() or int(text) < 1:
        raise ArgumentError(f"malformed {name} {text!r}: use a whole number of at least 1")
    return int(text)


def _base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArgumentError(f"malformed base_url {url!r}: use a URL like https://www.thebaghdadpost.com")
    return f"{parts.scheme}://{parts.netloc}"


def state_scope(base_url: str) -> str:
    """Whose crawl state a run reading ``base_url`` uses: "" for the site itself, else the mirror's host.

    >>> state_scope(HOST), state_scope("http://127.0.0.1:8000")
    ('', '127.0.0.1')
    """
    return "" if base_url.rstrip("/") == HOST else urlsplit(base_url).hostname or ""
