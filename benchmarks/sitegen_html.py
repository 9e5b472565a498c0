"""HTML of a generated snapshot, in the markup of the reference snapshot (Template A, Template B, Arabic)."""

from __future__ import annotations

from html import escape
from typing import Any

HEAD = (
    '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}"{dir}>\n<head>'
    '<meta http-equiv="Content-Type" content="text/html; charset={charset}" /><title>{title}</title>{extra}</head>\n'
    '<body class="page"><form method="post" action="./" id="form1">\n<div class="top-bar"><div class="container">'
    '<span class="today-date" id="lblToday">Sunday, 29 November 2020</span>'
    '<a class="lang-switch" href="/{other}/">{other_name}</a></div></div>\n'
    '<nav class="navbar"><div class="container"><ul class="nav navbar-nav"><li class="active">'
    '<a href="/{ed}/">{home}</a></li>{nav}</ul></div></nav>\n<div class="news-ticker"><ul class="ticker">{ticker}</ul>'
    '</div>\n<div class="container main-container"><div class="row"><div class="col-md-8 col-sm-12">\n'
)
TAIL = (
    '</div>\n<div class="col-md-4 hidden-sm hidden-xs"><aside class="sidebar"><div class="widget widget-most-read">'
    '<h3 class="widget-title">Most Read</h3><ul>{most}</ul></div></aside></div>\n</div></div>\n'
    '<footer class="site-footer"><p class="copyright">&copy; 2020 The Baghdad Post.</p></footer>\n'
    "</form></body></html>\n"
)
TITLES = {"en": "Iraq News - Local News - Baghdadpost", "ar": "بغداد بوست"}


def page(site: dict[str, Any], ed: str, main: str, extra: str = "", charset: str = "utf-8") -> str:
    """A whole page of edition ``ed`` around ``main``, with the site's chrome (ticker, nav, most read)."""
    nav = "".join(f'<li><a href="{s["path"]}">{escape(s["name"])}</a></li>' for s in site["sections"][ed])
    latest = site["latest"][ed]
    ticker = "".join(f'<li><a href="{s["path"]}">{escape(s["headline"])}</a></li>' for s in latest)
    most = "".join(
        f'<li><a class="title" href="{s["path"]}">{escape(s["headline"])}</a>'
        f'<span class="date">{s["listed_raw"]}</span></li>'
        for s in latest
    )
    other = "ar" if ed == "en" else "en"
    head = HEAD.format(
        lang=ed,
        dir=' dir="rtl"' if ed == "ar" else "",
        charset=charset,
        title=TITLES[ed],
        extra=extra,
        other=other,
        other_name="العربية" if ed == "en" else "English",
        ed=ed,
        home="Home" if ed == "en" else "الرئيسية",
        nav=nav,
        ticker=ticker,
    )
    return head + main + TAIL.format(most=most)


def listing(items: list[dict[str, Any]], title: str, path: str, page_no: int, pages: int) -> str:
    rows = "".join(
        f'<div class="news-item row"><div class="col-xs-4 news-item-img"><a href="{s["link"]}">'
        f'<img class="lazy" src="/Content/images/lazy-placeholder.gif" data-src="{s["image"] or ""}" alt="" />'
        "</a></div>"
        f'<div class="col-xs-8"><h3 class="news-item-title"><a href="{s["link"]}">{escape(s["headline"])}</a></h3>'
        f'<span class="news-item-date"><i class="fa fa-clock-o"></i> {s["listed_raw"]}</span>'
        f'<p class="news-item-teaser">{escape(s["paragraphs"][0][:120])}</p></div></div>\n'
        for s in items
    )
    links = "".join(
        f'<li><a href="{path}?page={n}">{n}</a></li>' if n != page_no else f'<li class="active"><span>{n}</span></li>'
        for n in range(1, pages + 1)
    )
    nxt = f'<li class="next"><a rel="next" href="?page={page_no + 1}">&raquo;</a></li>' if page_no < pages else ""
    return (
        f'<div class="section-page"><ol class="breadcrumb"><li><a href="/">Home</a></li> <li class="active">'
        f'{escape(title)}</li></ol><h1 class="section-title">{escape(title)}</h1>\n<div class="news-list">\n{rows}'
        f'</div>\n<ul class="pagination">{links}{nxt}</ul></div>\n'
    )


def author_page(name: str, items: list[dict[str, Any]]) -> str:
    rows = "".join(
        f'<div class="author-item"><span class="date">{s["listed_raw"]}</span><h3><a href="{s["path"]}">'
        f"{escape(s['headline'])}</a></h3></div>\n"
        for s in items
    )
    return (
        f'<div class="author-page"><div class="author-head"><h1 class="author-name">{escape(name)}</h1></div>'
        f'<div class="author-articles">\n{rows}</div></div>\n'
    )


def story(s: dict[str, Any]) -> tuple[str, str]:
    """(head extra, main) of a story page in its template."""
    crumb = f'<a href="{s["section"]["path"]}">{escape(s["section"]["name"])}</a>'
    byline = (
        f'<div class="author-name"><span>By</span> <a href="{s["author"]["link"]}">{escape(s["author"]["name"])}'
        f"</a></div>"
        if s["author"]
        else ""
    )
    body = "\n".join(s["body_html"])
    if s["template"] == "A":
        image = (
            (
                f'<div class="news-img"><img src="{s["image"]}" alt="x" class="img-responsive" />'
                + (f'<span class="news-img-caption">{escape(s["caption_shown"])}</span>' if s["caption_shown"] else "")
                + "</div>"
            )
            if s["image"]
            else ""
        )
        date = f'<div class="last-modified">{s["label"]} {s["modified_raw"]}</div>' if s["modified_raw"] else ""
        main = (
            f'<div class="news-details" id="NewsDetails"><ol class="breadcrumb"><li><a href="/">Home</a></li> '
            f'<li class="active">{crumb}</li></ol>\n<h1 class="news-title">\n  {escape(s["headline"])}\n</h1>\n'
            f'{byline}{image}\n<div class="news-text" id="ContentPlaceHolder1_NewsBody">\n{body}\n</div>\n{date}\n'
            f'<div class="comments-box"><div class="fb-comments" data-href="{s["canonical"]}"></div></div></div>\n'
        )
        return "", main
    image = (
        (
            f'<figure class="story-figure"><img class="lazy img-fluid" src="/Content/images/lazy-placeholder.gif" '
            f'data-src="{s["image"]}" alt="x" />'
            + (f'<figcaption class="caption">{escape(s["caption_shown"])}</figcaption>' if s["caption_shown"] else "")
            + "</figure>"
        )
        if s["image"]
        else ""
    )
    date = (
        f'<div class="story-date"><i class="fa fa-clock-o"></i> {s["modified_raw"]}</div>' if s["modified_raw"] else ""
    )
    main = (
        f'<main class="story-page"><div class="story-header"><nav class="crumbs"><a href="/">Home</a>'
        f'<i class="sep">/</i>{crumb}</nav>{date}<h1 class="story-title">{escape(s["headline"])}</h1>{byline}'
        f'</div>{image}<article class="story-body">\n{body}\n</article></main>\n'
    )
    return f'<link rel="canonical" href="{s["canonical"]}" />', main
