"""Clean the record's texts: the body from its extracted paragraphs, and the single-line texts."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newscrawler.text import clean_text

#: Single-line text fields cleaned in place.
TEXT_FIELDS = ("headline", "imageCaption")


def join_paragraphs(paragraphs: list[str]) -> str | None:
    """Clean each paragraph, drop the empty ones, join with a blank line; None when nothing is left.

    >>> join_paragraphs(["  a\\u00a0 b ", "\\u200b", "c"])
    'a b\\n\\nc'
    """
    cleaned = [text for text in map(clean_text, paragraphs) if text]
    return "\n\n".join(cleaned) or None


class TextPipeline:
    """Fill ``articleBody`` from ``articleBodyParagraphs``; clean ``headline`` and ``imageCaption``."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if "articleBodyParagraphs" in adapter:
            adapter["articleBody"] = join_paragraphs(adapter.get("articleBodyParagraphs") or [])
        for name in TEXT_FIELDS:
            if adapter.get(name):
                adapter[name] = clean_text(adapter[name]) or None
        return item
