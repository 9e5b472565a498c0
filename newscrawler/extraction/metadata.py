"""What a page says about itself: ``<meta>`` properties, the canonical link, JSON-LD, ``<title>``."""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import html

from newscrawler.text import collapse_whitespace

#: Structured dates read when the page prints no date line, in order.
META_DATES = ("article:modified_time", "og:updated_time", "article:published_time", "date", "dc.date")
#: A ``<title>`` part shorter than this is a site's or a section's name, not a story's title.
MIN_TITLE_WORDS = 4
#: Between a story's title and the site's name in ``<title>``.
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]\s+")


def page_metadata(root: html.HtmlElement) -> dict[str, str]:
    """``<meta>`` properties and names, the canonical link, and JSON-LD's headline and dates (first found)."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key, value = (meta.get("property") or meta.get("name") or "").lower(), meta.get("content")
        if key and value and value.strip():
            found.setdefault(key, value.strip())
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            found.setdefault("canonical", link.get("href", "").strip())
    title = next(root.iter("title"), None)
    if title is not None and title.text_content().strip():
        found.setdefault("title", title.text_content().strip())
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            for key, value in _json_ld(script.text or "").items():
                found.setdefault(f"ld:{key}", value)
    return found


def _json_ld(text: str) -> dict[str, str]:
    try:
        data: Any = json.loads(text)
    except ValueError:
        return {}
    items = data if isinstance(data, list) else [*data.get("@graph", []), data] if isinstance(data, dict) else []
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            for key in ("headline", "dateModified", "datePublished"):
                if isinstance(item.get(key), str) and item[key].strip():
                    out.setdefault(key, item[key].strip())
    return out


def meta_headline(meta: dict[str, str]) -> str | None:
    """Open Graph, Twitter or JSON-LD title; else the longest part of ``<title>`` (without the site's name)
    when it reads like a story's title, not a site-wide one."""
    for key in ("og:title", "twitter:title", "ld:headline"):
        if meta.get(key):
            return collapse_whitespace(meta[key])
    parts = [p.strip() for p in TITLE_SEPARATORS.split(meta.get("title", "")) if p.strip()]
    site = {meta.get("og:site_name", "").casefold(), meta.get("application-name", "").casefold()}
    best = max(parts, key=len, default="")
    named = len(parts) > 1 and best.casefold() not in site and len(best.split()) >= MIN_TITLE_WORDS
    return collapse_whitespace(best) if named else None


def meta_date(meta: dict[str, str]) -> str | None:
    for key in ("ld:dateModified", "ld:datePublished", *META_DATES):
        if meta.get(key):
            return meta[key]
    return None
