"""Answers that cannot be used end their request with a reason (:class:`~.reasons.BadAnswer`), never reach a parser
half-read, and are never silently lost.

* :class:`RedirectGuard` (before Scrapy's redirects): a redirect back to a URL of its own chain (``redirect_loop``,
  self-redirects included: the duplicate filter would swallow them) or off the spider's ``allowed_domains`` / the
  first request's host (``offsite_redirect``).
* :class:`AnswerChecks` (after decompression, before retries) on 200 answers to requests marked with a
  ``story_key``: non-HTML (``non_html``; HTML sent without ``Content-Type`` is read as HTML); an empty body (a soft
  error: retried, then ``empty_body``); a body that does not decode in its declared charset is re-decoded with the
  BOM, the ``<meta>`` charset or UTF-8, whichever decodes it cleanly, else dropped (``encoding_error``): no U+FFFD
  or mojibake reaches a record."""

from __future__ import annotations

import codecs
from typing import NoReturn, Self
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding
from w3lib.url import canonicalize_url, safe_url_string

from newscrawler.retries.reasons import BadAnswer
from newscrawler.retries.soft import soft_retry

REDIRECTS = (301, 302, 303, 307, 308)


class RedirectGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECTS or not location or request.meta.get("dont_redirect"):
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
            self._count("redirect_loop")
            raise BadAnswer("redirect_loop", f"{request.url} -> {target}")
        if not on_domains(target, self._domains(chain[0])):
            self._count("offsite_redirect")
            raise BadAnswer("offsite_redirect", f"{request.url} -> {target}")
        return response

    def _domains(self, first_url: str) -> list[str]:
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        return list(allowed) if allowed else [urlsplit(first_url).hostname or ""]

    def _count(self, reason: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/bad_answer/{reason}")


class AnswerChecks:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if response.status != 200 or "story_key" not in request.meta or "dataloss" in response.flags:
            return response
        if passes_unchanged(response):
            return response
        if not response.body.strip():
            retry = soft_retry(request, self.crawler, "empty_body")
            return retry or self._bad("empty_body", request)
        if not isinstance(response, HtmlResponse) and _looks_like_html(response):
            response = response.replace(cls=HtmlResponse)
        if not isinstance(response, HtmlResponse):
            return self._bad("non_html", request, (response.headers.get(b"Content-Type") or b"").decode("latin-1"))
        return self._decoded(request, response)

    def _decoded(self, request: Request, response: TextResponse) -> TextResponse:
        """The response, re-decoded when its charset does not decode its body; ``encoding_error`` when none does."""
        if _decodes(response.body, response.encoding):
            return response
        for candidate in _candidates(response.body):
            if _decodes(response.body, candidate):
                self._count("redecoded")
                return response.replace(encoding=candidate)
        return self._bad("encoding_error", request, f"not {response.encoding}")

    def _bad(self, reason: str, request: Request, detail: str = "") -> NoReturn:
        self._count(reason)
        raise BadAnswer(reason, f"{request.url} {detail}".strip())

    def _count(self, reason: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/bad_answer/{reason}")


def passes_unchanged(response: Response) -> bool:
    """True when :class:`AnswerChecks` passes this answer on as it is, whatever the request: a 200 HTML answer
    with a body that decodes in its charset (other answers it may leave alone too, or end, re-decode or retry)."""
    html = isinstance(response, HtmlResponse) and bool(response.body.strip())
    return response.status == 200 and html and _decodes(response.body, response.encoding)  # type: ignore[attr-defined]


def on_domains(url: str, domains: list[str]) -> bool:
    """True when the URL's host is one of ``domains`` or under one (any port).

    >>> on_domains("http://127.0.0.1:8000/a", ["127.0.0.1"]), on_domains("https://m.site.com/", ["site.com"])
    (True, True)
    >>> on_domains("https://evil.example/", ["site.com"]), on_domains("https://notsite.com/", ["site.com"])
    (False, False)
    """
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


def _looks_like_html(response: Response) -> bool:
    """An answer without a ``Content-Type`` whose first bytes are HTML (Scrapy's guess misses ``<html lang=…>``)."""
    head = response.body[:5000].lower()
    return not response.headers.get(b"Content-Type") and (b"<html" in head or b"<!doctype html" in head)


def _candidates(body: bytes) -> list[str]:
    """Charsets to try, most trusted first: the byte-order mark, the page's ``<meta>``, UTF-8."""
    found = [read_bom(body)[0], html_body_declared_encoding(body), "utf-8"]
    return [name for name in (resolve_encoding(n) if n else None for n in found) if name]


def _decodes(body: bytes, encoding: str) -> bool:
    """>>> _decodes("بغداد".encode("cp1256"), "utf-8"), _decodes(b"abc", "utf-8"), _decodes(b"a", "no-such")
    (False, True, False)
    """
    name = resolve_encoding(encoding)
    if name is None:
        return False
    try:
        codecs.decode(body[len(read_bom(body)[1] or b"") :], name, "strict")
    except (UnicodeDecodeError, LookupError):
        return False
    return True
