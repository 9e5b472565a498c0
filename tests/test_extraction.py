"""The generic extractor's pure parts, table by table: date lines, image sources, listing items, next pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from newscrawler.extraction.content import is_embedded_post, is_junk
from newscrawler.extraction.dateline import DateForms, find_date_line
from newscrawler.extraction.listing import ListedLink, listed_links, next_by_text
from newscrawler.extraction.media import image_source
from newscrawler.extraction.story import extract_story

FORMS = DateForms().extended(["Last Modified"], [], [])
HEADLINE, BODY_END = "A headline", "The last paragraph."


@pytest.mark.parametrize(
    ("before", "after", "found"),
    [
        (["Tuesday، 22 April 2020 12:02 AM"], [], "Tuesday، 22 April 2020 12:02 AM"),
        ([], ["Last Modified: Monday، 19 December 2016 11:27 PM"], "Monday، 19 December 2016 11:27 PM"),
        ([], ["Last Modified:", "Monday، 19 December 2016 11:27 PM"], "Monday، 19 December 2016 11:27 PM"),
        (["Tuesday، 12 May 2020", "03:11 AM"], [], "Tuesday، 12 May 2020 03:11 AM"),
        (["آخر تحديث: الأحد، ٢٤ أيار ٢٠٢٠ ٠٦:٣٣ ص"], [], "الأحد، ٢٤ أيار ٢٠٢٠ ٠٦:٣٣ ص"),
        (["Updated 3:45 PM EST, Mon March 4, 2024"], [], "3:45 PM EST, Mon March 4, 2024"),
        (["Posted on March 4, 2024 by Jane Morgan"], [], "March 4, 2024"),
        (["Sunday, 29 November 2020"], [], None),  # the header's visit day: no time
        ([], ["Related Stories", "Some story", "01 March 2017 12:47 PM"], None),  # a related item's date
        (["Last Modified: never"], [], None),
        (["Monday, 19 December 2016 11:27 PM", "x", "x", "x"], [], None),  # too far above the headline
    ],
)
def test_date_line(before: list[str], after: list[str], found: str | None) -> None:
    lines = [*before, HEADLINE, "A paragraph.", BODY_END, *after]
    assert find_date_line(lines, len(before), len(before) + 2, FORMS) == found


@pytest.mark.parametrize(
    ("attributes", "source"),
    [
        ('src="/a.jpg"', "/a.jpg"),
        ('src="/img/lazy-placeholder.gif" data-src="/up/a.jpg"', "/up/a.jpg"),
        ('src="/img/blank.gif" data-x7f3a="/up/a.jpg"', "/up/a.jpg"),
        ('src="data:image/gif;base64,R0lGOD" data-original="/up/b.png?w=300"', "/up/b.png?w=300"),
        ('srcset="/up/c.webp 1x, /up/c2.webp 2x"', "/up/c.webp"),
        ('src="/img/spacer.gif"', None),
        ('src="/api/image"', None),
    ],
)
def test_image_source(attributes: str, source: str | None) -> None:
    assert image_source(html.fromstring(f"<img {attributes}>")) == source


@pytest.mark.parametrize(
    ("markup", "junk"),
    [
        ("<nav><a href='/a'>A</a></nav>", True),
        ("<aside>Most read</aside>", True),
        ("<div style='display: none'>x</div>", True),
        ("<ul><li><a href='/a'>Story A</a></li><li><a href='/b'>Story B</a></li></ul>", True),
        (
            "<div>Text with <a href='/a'>a link</a> and <a href='/b'>another</a> in a long sentence of prose.</div>",
            False,
        ),
        ("<p><a href='/a'>Read</a> <a href='/b'>more</a></p>", False),  # a paragraph is never a link list
    ],
)
def test_junk_elements(markup: str, junk: bool) -> None:
    assert is_junk(html.fromstring(markup)) is junk


def test_pasted_post_is_one_paragraph() -> None:
    tweet = html.fromstring(
        '<blockquote><p>Hi</p>— A (@a) <a href="https://twitter.com/a/status/1">June 5</a></blockquote>'
    )
    quote = html.fromstring("<blockquote><p>A quote</p></blockquote>")
    assert is_embedded_post(tweet) and not is_embedded_post(quote)


LISTING = """<html><body>
<div><ul><li><a href="/story/9">Ticker story</a></li><li><a href="/story/8">Another ticker story</a></li></ul></div>
<div><div><h1>Section</h1>
  <div><div><a href="/story/1"><img src="/1.jpg"></a>
            <h3><a href="/story/1">One</a></h3><span>14 March 2019 02:51 PM</span></div>
       <div><h3><a href="/story/2">Two</a></h3><span>13 March 2019 01:00 PM</span><p>Teaser</p></div></div>
  <div><a href="?page=2">Next</a></div></div>
<aside><div><a href="/story/7">Most read</a> <span>01 March 2017 12:47 PM</span></div></aside></div>
</body></html>"""


def _story_id(href: str) -> int | None:
    return int(href.rsplit("/", 1)[1]) if href.startswith("/story/") else None


def test_listing_items_with_their_dates() -> None:
    links = listed_links(html.fromstring(LISTING), _story_id, lambda text: text[-2:] in ("AM", "PM"))
    assert links == [ListedLink("/story/1", "14 March 2019 02:51 PM"), ListedLink("/story/2", "13 March 2019 01:00 PM")]


@pytest.mark.parametrize(
    ("markup", "href"),
    [
        ('<a href="?page=2">Next</a>', "?page=2"),
        ('<a href="/p/2">التالي</a>', "/p/2"),
        ('<a rel="next" href="/p/3">3</a>', "/p/3"),
        ('<a href="/p/1">Previous</a>', None),
    ],
)
def test_next_page_by_text(markup: str, href: str | None) -> None:
    assert next_by_text(html.fromstring(f"<div>{markup}</div>")) == href


STORY = """<html><head>{head}</head><body><nav><a href="/">Home</a></nav><main>{h1}
<p>{sentence}</p><p>{sentence}</p><p>{sentence}</p></main><footer>(c) The Site</footer></body></html>"""
SENTENCE = "The council met on Monday and agreed, after a long debate about the budget, to build a new bridge."


@pytest.mark.parametrize(
    ("head", "h1", "headline"),
    [
        ("<title>Site</title>", "<h1>Bridge to be built</h1>", "Bridge to be built"),
        ('<meta property="og:title" content="Council agrees on a bridge">', "", "Council agrees on a bridge"),
        ("<title>Council agrees on a new bridge | The Site</title>", "", "Council agrees on a new bridge"),
        ("<title>News - Local - The Site</title>", "", None),  # a site-wide title names no story
        (
            '<meta property="og:title" content="Council agrees on a bridge">',
            "<h1>Gazette</h1>",
            "Council agrees on a bridge",
        ),
    ],
)
def test_headline(head: str, h1: str, headline: str | None) -> None:
    from newscrawler.extraction.story import extract_story

    page = html.fromstring(STORY.format(head=head, h1=h1, sentence=SENTENCE))
    story = extract_story(page)
    assert (story.headline if story else None) == headline


WANTED_SETS = [{"mainImage"}, {"imageCaption"}, {"dateModified"}, {"mainImage", "dateModified"}, {"articleBody"}]
PAGE_FILES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "pages").glob("*/page.html"))


@pytest.mark.parametrize("wanted", WANTED_SETS, ids=lambda w: "+".join(sorted(w)))
@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.parent.name)
def test_wanted_fields_as_when_all_are_read(page: Path, wanted: set[str]) -> None:
    """Asked for some fields only, the generic extractor gives those exactly as when it reads everything."""
    root = html.fromstring(page.read_bytes())
    full, some = extract_story(root, FORMS), extract_story(root, FORMS, wanted=frozenset(wanted))
    assert (full is None) == (some is None)
    attributes = {"mainImage": "image_src", "imageCaption": "image_caption", "dateModified": "date_raw"}
    for name in [*wanted, "headline"]:
        attribute = attributes.get(name, "paragraphs" if name == "articleBody" else name)
        assert getattr(some, attribute, None) == getattr(full, attribute, None)
