"""Which parts of a story body are the story's text.

Kept: paragraphs (lines split by ``<br>`` are paragraphs of their own), subheadings, the text of a pasted tweet
(one paragraph). Dropped: ads and their labels, scripts, video embeds, "Read also" lines.
"""

from __future__ import annotations

import re

from lxml import html

from newscrawler.htmltext import paragraphs
from newscrawler.text import clean_text

#: Classes of in-body elements that are never story text.
JUNK_CLASSES = frozenset(
    {
        "ads",
        "ads-inarticle",
        "ad-inner",
        "ad-label",
        "ads-title",
        "adsbygoogle",
        "video-wrapper",
        "share-buttons",
        "related",
        "related-news",
    }
)
#: Classes of embeds kept whole as one paragraph.
WHOLE_CLASSES = frozenset({"twitter-tweet", "instagram-media"})
#: A "Read also" line: the label, a colon, then the link to another story.
READ_ALSO = re.compile(r"^(?:read also|read more|اقرأ أيضا|اقرا أيضا|إقرأ أيضا|اقرأ ايضا)ً?\s*:", re.I)


def _classes(el: html.HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def _is_junk(el: html.HtmlElement) -> bool:
    return bool(_classes(el) & JUNK_CLASSES)


def _is_whole(el: html.HtmlElement) -> bool:
    return bool(_classes(el) & WHOLE_CLASSES)


def body_paragraphs(container: html.HtmlElement) -> list[str]:
    """The raw text of each story paragraph in the body ``container``, in order, "Read also" lines removed."""
    found = paragraphs(container, skip=_is_junk, whole=_is_whole)
    return [text for text in found if not READ_ALSO.match(clean_text(text))]
