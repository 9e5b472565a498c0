"""``newscrawler extract``: the record the crawl would export for a saved page, so that a page from the wild can
be checked, and become a page case.

A page of the site (its URL given with ``--url``, or declared by the page itself) is read as the spider reads
it: the site's rules, the generic extractor behind them (``generic=True``: the generic extractor alone), then
the text and date pipelines. Any other page is read by the generic extractor alone, into the same record shape
with ``storyId`` and ``edition`` null. A page that is not a story gives None.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.baghdadpost.record import build_article
from newscrawler.baghdadpost.story import declared_urls, parse_story
from newscrawler.baghdadpost.urls import story_key
from newscrawler.extraction.story import GenericStory, extract_story
from newscrawler.items import EXPORT_FIELDS, Article
from newscrawler.pipelines.dates import DatesPipeline
from newscrawler.pipelines.text import TextPipeline, join_paragraphs
from newscrawler.text import clean_text

#: Fields a record must have to be a story (as ``NEWSCRAWLER_REQUIRED_FIELDS``).
REQUIRED = ("headline", "articleBody")


def page_url(body: bytes, url: str | None, headers: dict[str, str] | None = None) -> str:
    """``url`` if given, else the URL the page declares for itself, else a placeholder."""
    if url:
        return url
    response = HtmlResponse(url="file:///page.html", body=body, headers=headers or {})
    return next((u for u in declared_urls(response.selector) if story_key(u)), None) or str(
        response.css("link[rel=canonical]::attr(href), meta[property='og:url']::attr(content)").get(response.url)
    )


def extract_record(
    body: bytes, url: str, generic: bool = False, headers: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """The exported record of the page ``body`` fetched at ``url``; None when the page is not a story."""
    response = HtmlResponse(url=url, body=body, headers=headers or {})
    key = story_key(url)
    if key is not None:
        page = parse_story(response.selector, generic_only=generic)
        if page is None:
            return None
        base = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        item = build_article(page, key, url, base, listed_date=None)
    else:
        story = extract_story(response.selector.root)
        if story is None:
            return None
        item = other_site_article(story, url)
    record = ItemAdapter(_pipelines(item)).asdict()
    if any(not record.get(name) for name in REQUIRED):
        return None
    return {name: record.get(name) for name in EXPORT_FIELDS}


def other_site_article(story: GenericStory, url: str) -> Article:
    """The record of a story on another site: no storyId or edition; dates kept as printed."""
    found = [name for name, value in _generic_values(story).items() if value]
    return Article(
        url=url,
        canonicalUrl=urljoin(url, story.declared_url or url),
        storyId=0,
        edition="",
        inLanguage=(story.language or "").split("-")[0].split("_")[0].lower(),
        headline=story.headline,
        imageCaption=story.image_caption,
        mainImage={"url": urljoin(url, story.image_src)} if story.image_src else None,
        dateModifiedRaw=story.date_raw,
        metadata={"dateDownloaded": _now(), "extraction": {"method": "generic", "generic": found}},
        articleBodyParagraphs=story.paragraphs,
    )


def _generic_values(story: GenericStory) -> dict[str, Any]:
    return {
        "headline": story.headline,
        "articleBody": join_paragraphs(story.paragraphs),
        "imageCaption": story.image_caption,
        "mainImage": story.image_src,
        "dateModified": story.date_raw,
    }


def _pipelines(item: Article) -> Article:
    crawler = get_crawler()
    assert crawler.stats is not None
    crawler.stats.open_spider()
    item = TextPipeline().process_item(item)
    if item.storyId:
        return DatesPipeline.from_crawler(crawler).process_item(item)  # type: ignore[no-any-return]
    item.storyId, item.edition = None, None  # type: ignore[assignment]
    item.dateModified = _iso_with_offset(item.dateModifiedRaw)
    return item


def _iso_with_offset(raw: str | None) -> str | None:
    """An ISO 8601 text that names its offset, normalised; any other text gives None (its zone is unknown)."""
    try:
        when = datetime.fromisoformat(clean_text(raw or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.isoformat() if when.tzinfo else None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
