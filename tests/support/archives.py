"""Web archives of a snapshot for the archive-source tests: the site captured at two moments, as WARC files
written with warcio from bytes really fetched from ``newscrawler serve``-style servers on 127.0.0.1.

Moment 1 captures every page of the snapshot. Between the moments the site changes (tests/support/mutate.py);
moment 2 captures every listing page again but only some stories: a few changed (some under other URL variants),
a few as a 200 page that is not a story (an archive's soft error), one deleted (404), a few unchanged, and the
slugless redirects again. :attr:`TwoMoments.expected` is, per story, the record of its latest capture that is a
story, computed from the snapshot's ``expected.jsonl``.
"""

from __future__ import annotations

import gzip
import http.client
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawler.baghdadpost.urls import HOST, story_key
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import SNAPSHOT, read_jsonl
from tests.support.mutate import SiteCopy

MOMENT_1 = datetime(2020, 11, 1, tzinfo=UTC)
MOMENT_2 = datetime(2020, 11, 20, tzinfo=UTC)
NEW_RAW = "Saturday، 21 November 2020 09:00 AM"
NEW_ISO = "2020-11-21T09:00:00+03:00"
UPDATE = "Update: officials confirmed the report."

Fetched = tuple[int, str, list[tuple[str, str]], bytes]


def fetch(base: str, path: str) -> Fetched:
    """One GET over real HTTP, redirects not followed: status, reason, headers (repeats kept), body."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.reason, answer.getheaders(), answer.read()
    finally:
        connection.close()


class WarcFile:
    """A ``.warc.gz`` being written, one response record per capture, one second apart from ``start``."""

    def __init__(self, path: Path, start: datetime) -> None:
        self.path, self.clock = path, start
        self.handle = path.open("wb")
        self.writer = WARCWriter(self.handle, gzip=True)

    def capture(self, url: str, fetched: Fetched) -> str:
        """Write one capture of ``url``; return its time (ISO 8601 UTC)."""
        status, reason, headers, body = fetched
        self.clock += timedelta(seconds=1)
        when = self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")
        http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": when}
        )
        self.writer.write_record(record)
        return when

    def close(self) -> None:
        self.handle.close()


@dataclass
class TwoMoments:
    """The WARC files and, per story, the record expected from them (with ``url`` and capture time)."""

    warcs: list[Path]
    expected: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    changed: list[tuple[str, int]] = field(default_factory=list)
    not_a_story: list[tuple[str, int]] = field(default_factory=list)
    deleted: tuple[str, int] = ("", 0)
    variants: dict[tuple[str, int], str] = field(default_factory=dict)


def _site_paths(manifest: dict[str, Any]) -> list[str]:
    return [p for p in manifest if p.lower().startswith(("/en/", "/ar/"))]


def build_two_moments(out: Path) -> TwoMoments:
    out.mkdir(parents=True, exist_ok=True)
    reference = {(r["edition"], r["storyId"]): r for r in read_jsonl(SNAPSHOT / "expected.jsonl")}
    site = SiteCopy(out / "site-moment-2")
    result = TwoMoments(warcs=[out / "moment-1.warc.gz", out / "moment-2.warc.gz"])
    story_urls = _capture_moment_1(result.warcs[0], site.manifest, reference, result)
    picked = _plan_moment_2(site, reference, result)
    _capture_moment_2(result.warcs[1], site, picked, result, story_urls)
    for key, record in reference.items():
        result.expected.setdefault(key, record)
    return result


def _capture_moment_1(
    path: Path, manifest: dict[str, Any], reference: dict[Any, Any], result: TwoMoments
) -> dict[Any, str]:
    """Every page of the snapshot; expected records of moment 1 (url: the story's 200 capture)."""
    warc = WarcFile(path, MOMENT_1)
    urls: dict[Any, str] = {}
    with SnapshotServer(SNAPSHOT) as server:
        for page in _site_paths(manifest):
            fetched = fetch(server.url, page)
            when = warc.capture(HOST + page, fetched)
            key = story_key(page)
            if key in reference and fetched[0] == 200:
                urls[key] = HOST + page
                result.expected[key] = _with_capture(reference[key], HOST + page, when)
    warc.close()
    return urls


def _plan_moment_2(site: SiteCopy, reference: dict[Any, Any], result: TwoMoments) -> list[tuple[str, int]]:
    """Change, blank and delete a few English stories of the copy; the stories moment 2 captures."""
    english = sorted(k for k, r in reference.items() if k[0] == "en" and r.get("dateModifiedRaw"))
    changed = [k for k in english if _changeable(site, k, reference[k]["dateModifiedRaw"])][:4]
    rest = [k for k in english if k not in changed]
    result.changed, result.not_a_story, result.deleted = changed, rest[:2], rest[2]
    for key in changed:
        site.change_story(*key, reference[key]["dateModifiedRaw"], NEW_RAW)
    site.delete_story(*result.deleted)
    site.save()
    result.variants = {changed[0]: f"/EN/story/{changed[0][1]}", changed[1]: f"/en/Story/{changed[1][1]}/Another-Slug"}
    return [*changed, *rest[:5]]


def _changeable(site: SiteCopy, key: tuple[str, int], raw: str) -> bool:
    page = site.root / site.manifest[site.story_path(*key)]["file"]
    return raw in page.read_text(encoding="utf-8")


def _capture_moment_2(
    path: Path, site: SiteCopy, picked: list[tuple[str, int]], result: TwoMoments, urls: dict[Any, str]
) -> None:
    warc = WarcFile(path, MOMENT_2)
    with SnapshotServer(site.root) as server:
        for page in _site_paths(site.manifest):
            if story_key(page) is None or site.manifest[page]["status"] == 301:  # listings, homes, redirects
                warc.capture(HOST + page, fetch(server.url, page))
        home = fetch(server.url, "/en/")
        for key in picked:
            page = result.variants.get(key) or urlsplit(urls[key]).path
            when = warc.capture(HOST + page, home if key in result.not_a_story else fetch(server.url, page))
            if key in result.changed:
                result.expected[key] = _changed(result.expected[key], HOST + page, when)
            elif key not in result.not_a_story and key != result.deleted:
                result.expected[key] = _with_capture(result.expected[key], HOST + page, when)
    warc.close()


def _with_capture(record: dict[str, Any], url: str, when: str) -> dict[str, Any]:
    return {**record, "url": url, "captureTimestamp": when}


def _changed(record: dict[str, Any], url: str, when: str) -> dict[str, Any]:
    body = f"{UPDATE}\n\n{record['articleBody']}"
    return {
        **_with_capture(record, url, when),
        "articleBody": body,
        "dateModified": NEW_ISO,
        "dateModifiedRaw": NEW_RAW,
    }


def write_expected(moments: TwoMoments, path: Path) -> None:
    """The expected records as JSON lines (for looking at a failing comparison)."""
    lines = (json.dumps(r, ensure_ascii=False) for _, r in sorted(moments.expected.items()))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def gzipped(fetched: Fetched) -> Fetched:
    """The answer as a server that compresses would have sent it (``Content-Encoding: gzip``)."""
    status, reason, headers, body = fetched
    kept = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-encoding")]
    packed = gzip.compress(body)
    return status, reason, [*kept, ("Content-Encoding", "gzip"), ("Content-Length", str(len(packed)))], packed


def build_mirror_warc(path: Path, snapshot: Path = SNAPSHOT, compress: bool = False) -> None:
    """One capture of every page of ``snapshot`` at the loopback URL it was fetched from (as a WARC of our own
    crawl of ``newscrawler serve`` holds it), with request records beside the responses; ``compress``: every
    body gzipped, as a compressing server sends it."""
    warc = WarcFile(path, MOMENT_1)
    with SnapshotServer(snapshot) as server:
        for page in _site_paths(json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))):
            request = warc.writer.create_warc_record(
                server.url + page,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {page} HTTP/1.1", [("Host", urlsplit(server.url).netloc)]),
            )
            warc.writer.write_record(request)
            fetched = fetch(server.url, page)
            warc.capture(server.url + page, gzipped(fetched) if compress else fetched)
    warc.close()
