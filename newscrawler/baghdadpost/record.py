"""From a parsed story page to an :class:`~newscrawler.items.Article` with canonical identity and URLs."""

from __future__ import annotations

from datetime import UTC, datetime

from newscrawler.baghdadpost.page import StoryPage
from newscrawler.baghdadpost.urls import (
    LANGUAGE,
    StoryKey,
    canonical_of,
    canonical_url,
    path_info,
    slugify,
    story_key,
    to_site,
)
from newscrawler.items import Article, Removal


def build_article(page: StoryPage, key: StoryKey, url: str, base_url: str, listed_date: str | None) -> Article:
    """The record of story ``key`` fetched at ``url`` (on ``base_url``), with the date its listing showed."""
    return Article(
        url=url,
        canonicalUrl=story_canonical(page, key),
        storyId=key.story_id,
        edition=key.edition,
        inLanguage=LANGUAGE[key.edition],
        headline=page.headline,
        imageCaption=page.image_caption if page.image_src else None,
        mainImage={"url": to_site(page.image_src, url, base_url)} if page.image_src else None,
        dateModifiedRaw=page.date_raw,
        datePublishedRaw=listed_date,
        authors=_named_links(page.authors, "author"),
        breadcrumbs=_named_links(page.crumbs, "section"),
        metadata={"dateDownloaded": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "extraction": page.extraction},
        articleBodyParagraphs=page.paragraphs,
    )


def removal(key: StoryKey, url: str, when: str) -> Removal:
    """The deletion record of story ``key``, found gone at ``url`` at ``when`` (UTC)."""
    canonical = canonical_of(url) if story_key(url) == key else None
    return Removal(
        url=url,
        canonicalUrl=canonical or canonical_url("story", key.edition, key.story_id, ""),
        storyId=key.story_id,
        edition=key.edition,
        inLanguage=LANGUAGE[key.edition],
        removed=when,
        metadata={"dateDownloaded": when},
    )


def story_canonical(page: StoryPage, key: StoryKey) -> str:
    """The URL the page declares for itself when it is this story; else built from the headline's slug."""
    for declared in page.declared_urls:
        if story_key(declared) == key and path_info(declared).slug:
            return canonical_of(declared) or ""
    return canonical_url("story", key.edition, key.story_id, slugify(page.headline or "", key.edition))


def _named_links(links: list[tuple[str, str]], kind: str) -> list[dict[str, str]]:
    """``[{"name", "url"}]`` for links of ``kind``, on the canonical host."""
    out = []
    for name, href in links:
        canonical = canonical_of(href) if path_info(href).kind == kind else None
        if canonical:
            out.append({"name": name, "url": canonical})
    return out
