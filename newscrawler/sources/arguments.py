"""The ``source`` spider argument and the arguments of each archive source, checked before any request."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from newscrawler.helptext import ArgumentDoc
from newscrawler.sources.captures import SOURCES

IA_CDX = "https://web.archive.org/cdx/search/cdx"
IA_ARCHIVE = "https://web.archive.org/web"
CC_INDEX = "https://index.commoncrawl.org"
CC_DATA = "https://data.commoncrawl.org"
#: The arguments each source takes (``live`` takes none of these).
SOURCE_ARGUMENTS = {
    "live": (),
    "wayback": ("cdx_url", "archive_url"),
    "commoncrawl": ("crawls", "cc_index_url", "cc_data_url"),
    "warc": ("warc",),
}
#: The archive arguments, with their meaning and default: ``newscrawler crawl --help`` shows them.
ARCHIVE_ARGUMENT_DOCS = (
    ArgumentDoc("source", "|".join(SOURCES), "where pages come from: the live site or a web archive", "live"),
    ArgumentDoc(
        "warc", "PATHS", "source=warc: comma-separated paths or globs of .warc, .warc.gz, .wacz files", "none; required"
    ),
    ArgumentDoc("cdx_url", "URL", "source=wayback: the CDX server (any pywb: {root}/{collection}/cdx)", IA_CDX),
    ArgumentDoc(
        "archive_url", "URL", "source=wayback: the replay root, {archive_url}/{timestamp}id_/{URL}", IA_ARCHIVE
    ),
    ArgumentDoc("crawls", "IDS", "source=commoncrawl: comma-separated crawl ids", "every crawl the index lists"),
    ArgumentDoc("cc_index_url", "URL", "source=commoncrawl: the index server", CC_INDEX),
    ArgumentDoc("cc_data_url", "URL", "source=commoncrawl: the WARC data server (Range requests)", CC_DATA),
)
ARCHIVE_ARGUMENTS = tuple(doc.name for doc in ARCHIVE_ARGUMENT_DOCS)


class SourceArgumentError(ValueError):
    """An archive argument that cannot be used; the message is one line."""


@dataclass(frozen=True)
class SourceArguments:
    """Where pages come from: ``kind`` is one of :data:`SOURCES`; the other fields apply to one kind each."""

    kind: str = "live"
    warc: str = ""
    cdx_url: str = IA_CDX
    archive_url: str = IA_ARCHIVE
    crawls: tuple[str, ...] = ()
    cc_index_url: str = CC_INDEX
    cc_data_url: str = CC_DATA

    @property
    def is_archive(self) -> bool:
        return self.kind != "live"


def parse_source_arguments(given: dict[str, str]) -> SourceArguments:
    """Check ``source`` and its own arguments (``given`` holds only those the user gave).

    >>> parse_source_arguments({"source": "wayback"}).cdx_url
    'https://web.archive.org/cdx/search/cdx'
    >>> parse_source_arguments({"source": "warc", "cdx_url": "http://x"})
    Traceback (most recent call last):
    ...
    newscrawler.sources.arguments.SourceArgumentError: cdx_url applies to source=wayback, not source=warc
    """
    kind = (given.get("source") or "live").strip().lower()
    if kind not in SOURCES:
        raise SourceArgumentError(f"unknown source {given['source']!r}: use {', '.join(SOURCES)}")
    for name in given:
        owner = next((k for k, names in SOURCE_ARGUMENTS.items() if name in names), kind)
        if name != "source" and owner != kind:
            raise SourceArgumentError(f"{name} applies to source={owner}, not source={kind}")
    if kind == "warc" and not given.get("warc", "").strip():
        raise SourceArgumentError("source=warc needs -a warc=PATH[,PATH...] (.warc, .warc.gz or .wacz; globs allowed)")
    urls = {
        name: _url(given[name], name)
        for name in ("cdx_url", "archive_url", "cc_index_url", "cc_data_url")
        if name in given
    }
    crawls = tuple(c.strip() for c in given.get("crawls", "").split(",") if c.strip())
    return SourceArguments(kind=kind, warc=given.get("warc", "").strip(), crawls=crawls, **urls)


def _url(text: str, name: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceArgumentError(f"malformed {name} {text!r}: use an http(s) URL")
    return text.strip().rstrip("/")
