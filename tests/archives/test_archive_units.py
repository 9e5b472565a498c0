"""Pure parts of the archive sources, by table: CDX dialects, replay URLs, capture order, and the middleware's
handling of the Internet Archive's redirects (real Scrapy requests and responses, no server)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.sources.arguments import SourceArguments
from newscrawler.sources.captures import Capture, iso_timestamp
from newscrawler.sources.cdx import CdxError, parse_cdx, parse_num_pages
from newscrawler.sources.local import LocalAnswers
from newscrawler.sources.middleware import ArchiveMiddleware
from newscrawler.sources.requests import capture_request
from newscrawler.sources.selection import item_candidates
from newscrawler.sources.warcfiles import index_file
from tests.support.archives import WarcFile

IA = "https://web.archive.org/web"
ORIGINAL = "https://www.thebaghdadpost.com/en/Story/43875"
TARGET = "https://www.thebaghdadpost.com/en/Story/43875/Iraqi-Forces"

CDX = [
    ('[["urlkey","timestamp","original","mimetype","statuscode","digest","length"]]', 0, None),
    ("", 0, None),
    ('[["timestamp","original","statuscode","mimetype"],["20200101000000","http://a/x","200","text/html"]]', 1, None),
    (
        '[["timestamp","original","statuscode","mimetype"],["2020","http://a/x","-","warc/revisit"],[],["abc"]]',
        1,
        "abc",
    ),
    ('{"timestamp": "2020", "url": "http://a/x", "status": "301", "mime": "text/html"}\n', 1, None),
    ('{"timestamp": "2020", "url": "a"}\n{"timestamp": "2021", "url": "b", "filename": "f", "offset": "9"}', 2, None),
]


@pytest.mark.parametrize(("text", "count", "resume_key"), CDX)
def test_both_cdx_dialects(text: str, count: int, resume_key: str | None) -> None:
    page = parse_cdx(text)
    assert len(page.captures) == count and page.resume_key == resume_key


@pytest.mark.parametrize("text", ["<html>busy</html>", '{"url": "no timestamp"}', "[1, 2]", '[["a"],["b","c"]]'])
def test_garbage_is_not_cdx(text: str) -> None:
    with pytest.raises(CdxError):
        parse_cdx(text)


@pytest.mark.parametrize(("text", "pages"), [('{"pages": 4}', 4), ("[]", None), ("{}", None), ("not json", None)])
def test_page_counts(text: str, pages: int | None) -> None:
    assert parse_num_pages(text) == pages


@pytest.mark.parametrize(
    ("timestamp", "iso"), [("20201114090000", "2020-11-14T09:00:00Z"), ("202011", "2020-11-01T00:00:00Z")]
)
def test_capture_times(timestamp: str, iso: str) -> None:
    assert iso_timestamp(timestamp) == iso


def test_candidates_latest_first_without_revisits_or_errors() -> None:
    captures = [
        Capture("20190101000000", "u", 200, "text/html"),
        Capture("20200101000000", "u", 404, "text/html"),
        Capture("20210101000000", "u", None, "warc/revisit"),
        Capture("20200601000000", "u", 301, "text/html"),
        Capture("20200701000000", "u", 200, "application/pdf"),
    ]
    assert [c.timestamp[:4] + str(c.status) for c in item_candidates(captures)] == ["2020301", "2019200"]


def replay(status: int, location: str = "", timestamp: str = "20200101000000") -> tuple[Request, HtmlResponse]:
    source = SourceArguments(kind="wayback")
    request = capture_request(Capture(timestamp, ORIGINAL, status, "text/html", "D1"), source, print, print)
    headers = {"Location": location} if location else {}
    return request, HtmlResponse(request.url, status=status, headers=headers, body=b"<html></html>", request=request)


def middleware() -> ArchiveMiddleware:
    return ArchiveMiddleware(get_crawler())


def test_the_archive_redirect_to_the_exact_timestamp_is_followed() -> None:
    request, response = replay(302, f"{IA}/20200102030405id_/{ORIGINAL}")
    hop = middleware().process_response(request, response)
    assert isinstance(hop, Request) and hop.url == f"{IA}/20200102030405id_/{ORIGINAL}"
    assert hop.meta["capture"] == request.meta["capture"]


def test_a_captured_redirect_comes_back_at_the_original_url_with_the_live_location() -> None:
    request, response = replay(301, f"{IA}/20200101000000id_/{TARGET}")
    answer = middleware().process_response(request, response)
    assert isinstance(answer, HtmlResponse) and answer.url == ORIGINAL and answer.status == 301
    assert answer.headers["Location"] == TARGET.encode()
    assert answer.meta["archive_capture"].digest == "D1"


def test_pywb_leaves_a_relative_live_location_as_it_is() -> None:
    request, response = replay(301, "/en/Story/43875/Iraqi-Forces")
    answer = middleware().process_response(request, response)
    assert isinstance(answer, HtmlResponse) and answer.urljoin(answer.headers["Location"].decode()) == TARGET


def test_endless_archive_redirects_give_up() -> None:
    request, response = replay(302, f"{IA}/20200102030405id_/{ORIGINAL}")
    request.meta["archive_hops"] = 5
    with pytest.raises(Exception, match="redirected 6 times"):
        middleware().process_response(request, response)


HTML = ("Content-Type", "text/html; charset=utf-8")
PAGE = "<html><body><p>بغداد</p></body></html>".encode()


@pytest.mark.parametrize(
    ("status", "headers", "body", "here"),
    [
        (200, [HTML], PAGE, True),
        (200, [HTML, ("Content-Encoding", "gzip")], gzip.compress(PAGE), True),  # the reader decodes it
        (200, [("Content-Type", "text/html; charset=utf-8")], "بغداد".encode("cp1256"), False),
        (200, [("Content-Type", "application/pdf")], b"%PDF-1.4", False),
        (200, [HTML], b"  ", False),
        (404, [HTML], PAGE, False),
        (301, [HTML, ("Location", "/en/Story/1/x")], b"", False),
    ],
    ids=["html", "gzipped", "undecodable", "not-html", "empty", "404", "redirect"],
)
def test_local_answers_only_what_the_downloader_would_pass_on_unchanged(
    tmp_path: Path, status: int, headers: list[tuple[str, str]], body: bytes, here: bool
) -> None:
    """Plain HTML captures are answered in the spider; anything the downloader middlewares would decode, check or
    end goes to them (None)."""
    url = "https://www.thebaghdadpost.com/en/Story/1/x"
    warc = WarcFile(tmp_path / "one.warc.gz", datetime(2020, 1, 1, tzinfo=UTC))
    warc.capture(url, (status, "X", headers, body))
    warc.close()
    (capture,) = index_file(tmp_path / "one.warc.gz", lambda u: True)
    source = SourceArguments(kind="warc")
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    response = LocalAnswers(crawler).answer(capture_request(capture, source, print, print, story_key=("en", 1)))
    assert (response is not None) == here
    if response is not None:
        assert response.url == url and response.text == PAGE.decode()
        assert crawler.stats.get_value("downloader/response_count") == 1
