"""The lead image of a story and its caption: the first real image between the headline and the body's end.

Lazy-loading pages put a placeholder in ``src`` and the image in an attribute whose name varies (``data-src``,
``data-original``…): any attribute holding an image URL is read, a placeholder never. Images that are links to
other pages (author photos, related stories), icons and images in navigation or asides are not lead images.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import html

from newscrawler.text import collapse_whitespace

IMAGE_URL = re.compile(r"^(?!data:)\S+\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]\S*)?$", re.I)
PLACEHOLDER = re.compile(r"placeholder|blank\.gif|spacer|pixel\.gif|transparent|loading|lazy|data:image", re.I)
#: Words in an image's file name that mark a page's furniture (share buttons, logos, icons), not a story image.
FURNITURE = re.compile(
    r"(?:^|[/_.-])(?:share|icons?|logos?|sprites?|buttons?|social|avatars?|badges?)(?:[/_.-]|$)", re.I
)
#: Images smaller than this (by their width or height attribute) are icons.
MIN_SIDE = 50
#: A caption is short; one found beside its image rather than around it, shorter.
MAX_CAPTION = 300
MAX_SHORT_CAPTION = 150
_NOT_SOURCES = frozenset({"alt", "title", "class", "id", "style", "width", "height", "srcset", "sizes", "loading"})


def image_source(img: html.HtmlElement) -> str | None:
    """The image an ``<img>`` shows once loaded: an image URL in any attribute (lazy-loading ones first), the
    first ``srcset`` candidate otherwise; None for a placeholder.

    >>> image_source(html.fromstring('<img src="/x/lazy-placeholder.gif" data-lazy="/up/a.jpg">'))
    '/up/a.jpg'
    """
    found = [v.strip() for k, v in img.attrib.items() if k not in _NOT_SOURCES and k != "src" and v]
    found += [img.get("src", "").strip()]
    found += [c.strip().split(" ")[0] for k in ("srcset", "data-srcset") for c in (img.get(k) or "").split(",")]
    return next((str(v) for v in found if v and IMAGE_URL.match(v) and not PLACEHOLDER.search(v)), None)


def lead_image(images: list[html.HtmlElement], skip: Callable[[html.HtmlElement], bool]) -> html.HtmlElement | None:
    """The first of ``images`` (in page order, between the headline and the body's end) that is a story
    image: not an icon, not a link to another page, not inside an element ``skip`` rejects."""
    for img in images:
        source = image_source(img)
        usable = source and not FURNITURE.search(source) and not _is_icon(img) and not _links_elsewhere(img)
        if usable and not any(skip(a) for a in img.iterancestors()):
            return img
    return None


def declared_image(images: list[html.HtmlElement], declared: str | None) -> html.HtmlElement | None:
    """The first of ``images`` showing the image the page declares as its own (``og:image``): a lead image
    set above the headline, outside the range :func:`lead_image` looks in."""
    if not declared:
        return None
    return next((img for img in images if image_source(img) == declared.strip() and not _is_icon(img)), None)


def _is_icon(img: html.HtmlElement) -> bool:
    sides = [img.get(k, "") for k in ("width", "height")]
    return any(s.isdigit() and int(s) < MIN_SIDE for s in sides)


def _links_elsewhere(img: html.HtmlElement) -> bool:
    link = next(img.iterancestors("a"), None)
    return link is not None and not IMAGE_URL.match(link.get("href", "") or "")


def caption(img: html.HtmlElement, taken: Callable[[html.HtmlElement], bool]) -> str | None:
    """The caption of ``img``: its figure's ``<figcaption>``, else the short text of its nearest wrapper
    (two levels up at most) that holds nothing ``taken`` (the headline, the body) claims, else the short,
    link-free text right after a wrapper holding the image alone. An image set in a paragraph of running
    text (text right after it, or more than a short caption's length) has none: that text is the story's."""
    figure = next(img.iterancestors("figure"), None)
    if figure is not None:
        texts = [collapse_whitespace(c.text_content()) for c in figure.iter("figcaption")]
        return next((t for t in texts if t), None)
    alone = img
    for level, wrapper in enumerate(img.iterancestors()):
        if level >= 2 or taken(wrapper) or wrapper.tag in ("body", "html"):
            break
        text = collapse_whitespace(_text(wrapper))
        if wrapper.tag == "p" and ((alone.tail or "").strip() or len(text) > MAX_SHORT_CAPTION):
            return None
        if text:
            return text if len(text) <= MAX_CAPTION else None
        alone = wrapper
    return _caption_after(alone, taken)


def _caption_after(el: html.HtmlElement, taken: Callable[[html.HtmlElement], bool]) -> str | None:
    """Short text right after ``el`` (HTML parsers move a block out of the paragraph that held it)."""
    after = next((s for s in el.itersiblings() if isinstance(s.tag, str) and s.tag not in ("script", "style")), None)
    if after is None or taken(after) or after.tag == "p" or next(after.iter("a", "img"), None) is not None:
        return None
    text = collapse_whitespace(_text(after))
    return text if 0 < len(text) <= MAX_SHORT_CAPTION and not (el.tail or "").strip() else None


def _text(el: html.HtmlElement) -> str:
    """Visible text of ``el`` (scripts and styles left out)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
