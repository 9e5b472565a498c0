"""The article record: one per story, named after zyte-common-items' ``Article`` plus the site's identity.

Each field's comment is its contract. ``EXPORT_FIELDS`` is the exported key order; fields after it are working
values that pipelines consume and exports never show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(kw_only=True)
class Article:
    """A story of The Baghdad Post, identified by ``(edition, storyId)``."""

    #: The URL the story was fetched from, after redirects (a mirror's URL when crawling one).
    url: str
    #: ``https://www.thebaghdadpost.com/{edition}/Story/{storyId}/{slug}``, whatever link variant led here.
    canonicalUrl: str
    #: The story's numeric id; ids rise with time, per edition.
    storyId: int
    #: ``en`` or ``ar``.
    edition: str
    #: Language of the text: ``en`` or ``ar``.
    inLanguage: str
    #: The title, whitespace collapsed; never the page ``<title>``.
    headline: str | None = None
    #: Paragraphs joined by a blank line, each cleaned (NFC, no invisible marks, whitespace collapsed).
    articleBody: str | None = None
    #: The lead image's caption; None when there is none or it is a file name left by the CMS.
    imageCaption: str | None = None
    #: ``{"url": ...}`` of the lead image on the canonical host, or None.
    mainImage: dict[str, str] | None = None
    #: The story page's own date line, ISO 8601 with offset; None when the page has none or it does not parse.
    dateModified: str | None = None
    #: The date line as shown, without its label, whitespace collapsed; None when the page has none.
    dateModifiedRaw: str | None = None
    #: The date the story's listing shows, ISO 8601 with offset; None when it does not parse.
    datePublished: str | None = None
    #: The listing's date text as shown.
    datePublishedRaw: str | None = None
    #: ``[{"name", "url"}]`` from the byline, urls on the canonical host; ``[]`` when none.
    authors: list[dict[str, str]] = field(default_factory=list)
    #: ``[{"name", "url"}]`` of the story's section, urls on the canonical host; Home excluded.
    breadcrumbs: list[dict[str, str]] = field(default_factory=list)
    #: None: the story is on the site (see :class:`Removal`, which gives the time it was first seen gone).
    removed: str | None = None
    #: At least ``{"dateDownloaded": "...Z"}`` (UTC); ``version`` and ``contentHash`` once versioned.
    metadata: dict[str, Any] = field(default_factory=dict)
    #: Working value: the body's paragraphs as extracted, before cleaning. Never exported.
    articleBodyParagraphs: list[str] = field(default_factory=list)


#: Exported keys, in order (``FEED_EXPORT_FIELDS``).
EXPORT_FIELDS: list[str] = [
    "url",
    "canonicalUrl",
    "storyId",
    "edition",
    "inLanguage",
    "headline",
    "articleBody",
    "imageCaption",
    "mainImage",
    "dateModified",
    "dateModifiedRaw",
    "datePublished",
    "datePublishedRaw",
    "authors",
    "breadcrumbs",
    "removed",
    "metadata",
]


@dataclass(kw_only=True)
class Removal:
    """A story the crawl had exported and now finds gone (its page answers 404 or 410): a deletion record.

    It carries the story's identity, ``removed`` (when it was first seen gone, UTC) and ``metadata`` (with the
    next ``version``); no content: a consumer keeps the content it holds, marked removed.
    """

    url: str
    canonicalUrl: str | None
    storyId: int
    edition: str
    inLanguage: str
    removed: str
    metadata: dict[str, Any] = field(default_factory=dict)
