"""A story page's fields as read, by the site's rules or the generic extractor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class StoryPage:
    """A story page's fields as printed: texts whitespace-collapsed, links as written on the page."""

    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    image_src: str | None = None
    image_caption: str | None = None
    date_raw: str | None = None
    authors: list[tuple[str, str]] = field(default_factory=list)
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    #: The URLs the page gives for itself, in order of trust (read from the page as they are iterated).
    declared_urls: Iterable[str] = ()
    #: Record fields whose value the generic extractor gave because the site's rules found nothing.
    generic_fields: list[str] = field(default_factory=list)
    #: Record fields whose element the site's rules did not find on the page (its markup may have changed), so
    #: the generic extractor is asked; a field whose element is there but empty (no caption under an image, a
    #: caption that is a file name) is not absent.
    absent: frozenset[str] = frozenset()

    @property
    def extraction(self) -> dict[str, str | list[str]]:
        """``metadata.extraction``: ``{"method": "site", "generic": []}``, or ``"generic"`` and the fields that
        fell back to the generic extractor."""
        return {"method": "generic" if self.generic_fields else "site", "generic": list(self.generic_fields)}
