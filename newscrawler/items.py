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
    #: At least ``{"dateDownloaded": "...Z"}`` (UTC).
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
    "metadata",
]
