"""Body cleaning: paragraph splitting and text normalisation."""

from __future__ import annotations

import pytest
from lxml import html

from newscrawler.baghdadpost.body import body_paragraphs
from newscrawler.pipelines.text import join_paragraphs
from newscrawler.text import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  a  b ", "a b"),
        ("a\u00a0\u00a0b", "a b"),
        ("\u200fقال\u200e مصدر\u061c", "قال مصدر"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("\u0627\u0653", "\u0622"),  # decomposed madda -> NFC
        ("\u0627\u0654", "\u0623"),  # decomposed hamza -> NFC
        ("\n\t line \r\n", "line"),
        ("\u00a0", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("body", "paragraphs"),
    [
        ("<p>one</p><p>two</p>", ["one", "two"]),
        ("<p>a<br>b<br/>c</p>", ["a", "b", "c"]),
        ("<p>se<b>iz</b>ed <span>x</span></p>", ["seized x"]),
        ("<h3>Sub</h3><p><strong>Strong sub</strong></p>", ["Sub", "Strong sub"]),
        ("<div class='ads'><p class='ad-label'>Advertisement</p></div><p>x</p>", ["x"]),
        ("<p>x</p><script>var a = 1;</script><p><iframe src='v'></iframe></p>", ["x"]),
        ("<p>Read also: <a href='/en/Story/1/x'>Other</a></p><p>y</p>", ["y"]),
        ("<p><strong>Read Also:</strong> <a href='/en/Story/1/x'>Other</a></p>", []),
        ("<p>اقرأ أيضاً: <a href='/ar/Story/1/x'>خبر</a></p><p>نص</p>", ["نص"]),
        ("<p>Reading also matters</p>", ["Reading also matters"]),
        (
            "<blockquote class='twitter-tweet'><p>Tired. <a>#Iran</a></p>\n&mdash; X (@x) <a>June 6, 2017</a>"
            "</blockquote>",
            ["Tired. #Iran — X (@x) June 6, 2017"],
        ),
        ("<div dir='rtl'><p>أ</p><div><p>ب</p></div></div>", ["أ", "ب"]),
        ("<p>&nbsp;</p><p> </p><p>x</p>", ["x"]),
        ("bare text<p>x</p>tail", ["bare text", "x", "tail"]),
    ],
)
def test_body_paragraphs(body: str, paragraphs: list[str]) -> None:
    container = html.fromstring(f"<div class='news-text'>{body}</div>")
    assert [clean_text(p) for p in body_paragraphs(container) if clean_text(p)] == paragraphs


def test_join_paragraphs() -> None:
    assert join_paragraphs(["a ", "\u00a0", " b"]) == "a\n\nb"
    assert join_paragraphs(["\u200f", " "]) is None


def test_collapse_whitespace_splits_on_every_unicode_space() -> None:
    """Every code point the regex ``\\s`` matches is collapsed, and nothing else."""
    import re

    from newscrawler.text import collapse_whitespace

    spaces = [chr(c) for c in range(0x3001) if re.fullmatch(r"\s", chr(c))]  # U+3000 is the last one
    assert len(spaces) > 20
    for space in spaces:
        assert collapse_whitespace(f"{space}a{space}{space}b{space}") == "a b", hex(ord(space))
    text = "".join(chr(c) for c in range(0x2000, 0x2100)) + "\u200b\u00ad"
    assert collapse_whitespace(text) == re.sub(r"\s+", " ", text).strip()
