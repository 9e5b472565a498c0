"""A generated Internet Archive of The Baghdad Post on loopback, of any size, nothing of it held in memory.

:class:`BigArchive` answers as the Internet Archive does (the dialect of ``tests/support/shims.py``):
``/cdx/search/cdx`` prefix queries in its JSON dialect, paged with ``limit`` and ``showResumeKey``/``resumeKey``,
and ``/web/{timestamp}id_/{url}`` replays. Every row and page is computed from its number when asked.

Stories: one in four English, the rest Arabic (as the real archive, about 50,000 and 150,000). Each has four
captures: its page under the story URL (200), an older one under a URL variant (``/EN/``, lower case; 200), a
newer revisit (``warc/revisit``, never a candidate), and between them, by story id, a slugless 301 to the story
URL, a 404, a 503, or a soft error (a 200 page without a story: tried, then the next capture). Section listings
(12 stories a page) are captured once each, after their newest story.
"""

from __future__ import annotations

import base64
import json
import random
import sys
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_snapshot as gen  # noqa: E402
import sitegen_html as html  # noqa: E402

from tests.support.shims import IA_FIELDS, _Server  # noqa: E402

HOST = "http://www.thebaghdadpost.com"
START, STEP = datetime(2016, 12, 1, 8, tzinfo=UTC), timedelta(minutes=7)
PER_PAGE = 12
#: Offsets of a story's four captures from its time: the page, the variant, the fourth kind, the revisit.
OFFSETS = (timedelta(days=1), timedelta(hours=2), timedelta(days=2), timedelta(days=30))
ANSWER = list[tuple[str, str]]


def stamp(when: datetime) -> str:
    return when.strftime("%Y%m%d%H%M%S")


class BigArchive(_Server):
    """``stories`` stories (``4 * stories`` story captures) and their listings (see the module)."""

    def __init__(self, stories: int) -> None:
        super().__init__()
        self.counts = {"en": stories // 4, "ar": stories - stories // 4}
        self.site = gen.make_site()

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, ANSWER, bytes]:
        if path.startswith("/cdx/search/cdx?"):
            return self._cdx(dict(urllib.parse.parse_qsl(path.split("?", 1)[1])))
        timestamp, _, original = path.removeprefix("/web/").partition("id_/")
        return self._replay(timestamp, original)

    # -- index -----------------------------------------------------------------------------------------------

    def _cdx(self, query: dict[str, str]) -> tuple[int, ANSWER, bytes]:
        _, ed, kind = query["url"].rstrip("/").split("/")[-3:]
        total = self._rows(ed, kind)
        start = int(base64.b64decode(query["resumeKey"])) if query.get("resumeKey") else 0
        limit = int(query.get("limit") or total or 1)
        rows = [self._row(ed, kind, n) for n in range(start, min(start + limit, total))]
        page: list[list[str]] = [IA_FIELDS, *rows]
        if query.get("showResumeKey") == "true" and start + limit < total:
            page += [[], [base64.b64encode(str(start + limit).encode()).decode()]]
        return 200, [("Content-Type", "application/json")], json.dumps(page).encode()

    def _rows(self, ed: str, kind: str) -> int:
        if kind == "story":
            return 4 * self.counts[ed]
        return sum(self._pages(ed, n) for n in range(len(gen.SECTIONS[ed]))) if kind == "section" else 0

    def _row(self, ed: str, kind: str, n: int) -> list[str]:
        if kind == "section":
            section, page = self._listing_of(ed, n)
            return self._cdx_row(self._listing_url(ed, section, page), self._newest(ed), 200, "text/html")
        index, which = divmod(n, 4)
        sid, when = self._story(ed, index)
        url = self._story_url(ed, sid) if which == 0 else self._story_url(ed, sid).replace(f"/{ed}/", f"/{ed.upper()}/")
        if which == 3:
            return self._cdx_row(url, when + OFFSETS[3], None, "warc/revisit")
        if which == 2:
            status = (301, 404, 503, 200)[sid % 4]
            url = f"{HOST}/{ed}/Story/{sid}" if status == 301 else url
            return self._cdx_row(url, when + OFFSETS[2], status, "text/html")
        return self._cdx_row(url, when + OFFSETS[which], 200, "text/html")

    def _cdx_row(self, url: str, when: datetime, status: int | None, mime: str) -> list[str]:
        digest = base64.b32encode(f"{url}{when}".encode()[-20:]).decode()
        key = url.split("://", 1)[1].lower().removeprefix("www.")
        return [key, stamp(when), url, mime, str(status) if status else "-", digest, "2048"]

    # -- stories and listings ------------------------------------------------------------------------------------

    def _story(self, ed: str, index: int) -> tuple[int, datetime]:
        return 1000 + 7 * index, START + STEP * index * (1 if ed == "ar" else 3)

    def _story_url(self, ed: str, sid: int) -> str:
        return f"{HOST}/{ed}/Story/{sid}/Story-{sid}"

    def _newest(self, ed: str) -> datetime:
        return self._story(ed, self.counts[ed])[1] + timedelta(days=1)

    def _pages(self, ed: str, section: int) -> int:
        sections = len(gen.SECTIONS[ed])
        stories = len(range(section, self.counts[ed], sections))
        return max(1, -(-stories // PER_PAGE))

    def _listing_of(self, ed: str, n: int) -> tuple[int, int]:
        for section in range(len(gen.SECTIONS[ed])):
            if n < self._pages(ed, section):
                return section, n + 1
            n -= self._pages(ed, section)
        raise IndexError(n)

    def _listing_url(self, ed: str, section: int, page: int) -> str:
        number, name = gen.SECTIONS[ed][section]
        path = f"/{ed}/Section/{number}/{urllib.parse.quote(gen.slug(name, ed), safe='-')}"
        return HOST + path + (f"?page={page}" if page > 1 else "")

    def _make(self, ed: str, index: int) -> dict[str, Any]:
        sid, when = self._story(ed, index)
        story = gen.make_story(ed, sid, when, random.Random(sid), self.site)
        return {**story, "link": self._story_url(ed, sid).removeprefix(HOST), "cp1256": False}

    # -- replays ---------------------------------------------------------------------------------------------

    def _replay(self, timestamp: str, original: str) -> tuple[int, ANSWER, bytes]:
        info = urllib.parse.urlsplit(original)
        parts = info.path.strip("/").split("/")
        ed, kind, ident = parts[0].lower(), parts[1].lower(), int(parts[2])
        if kind == "section":
            return self._listing_page(ed, ident, int(dict(urllib.parse.parse_qsl(info.query)).get("page", 1)))
        index = (ident - 1000) // 7
        sid, when = self._story(ed, index)
        if timestamp == stamp(when + OFFSETS[2]) and sid % 4 in (0, 3):
            if sid % 4 == 0:
                location = f"{self.url}/web/{timestamp}id_/{self._story_url(ed, sid)}"
                return 301, [("Location", location)], b""
            return 200, [("Content-Type", "text/html; charset=utf-8")], self._page(ed, "<p>Server error.</p>")
        story = self._make(ed, index)
        extra, main = html.story(story)
        return 200, [("Content-Type", "text/html; charset=utf-8")], self._page(ed, main, extra)

    def _listing_page(self, ed: str, number: int, page: int) -> tuple[int, ANSWER, bytes]:
        section = [n for n, _ in gen.SECTIONS[ed]].index(number)
        sections, pages = len(gen.SECTIONS[ed]), self._pages(ed, section)
        newest_first = range(section, self.counts[ed], sections)[::-1]
        items = [self._make(ed, i) for i in newest_first[(page - 1) * PER_PAGE : page * PER_PAGE]]
        path = self._listing_url(ed, section, 1).removeprefix(HOST)
        main = html.listing(items, gen.SECTIONS[ed][section][1], path, page, pages)
        return 200, [("Content-Type", "text/html; charset=utf-8")], self._page(ed, main)

    def _page(self, ed: str, main: str, extra: str = "") -> bytes:
        return html.page(self.site, ed, main, extra).encode()
