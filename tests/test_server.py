"""The snapshot server answers like the real site (IIS) over real HTTP."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

import pytest

from newscrawler.snapshot.server import SnapshotServer

AR_SECTION = "/ar/Section/11/%D8%B9%D8%B1%D8%A7%D9%82%D9%8A%D8%A7%D8%AA"


def get(site: SnapshotServer, path: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(site.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/en/Story/11554/36-ISIS-militants-killed-in-airstrike-near-Fallujah", 200, b"36 ISIS militants"),
        ("/EN/STORY/11554/anything-at-all", 200, b"36 ISIS militants"),
        ("/en/story/11554", 200, b"36 ISIS militants"),
        ("/en/Story/22648/Tehran-accused-of-smuggling-weapons-to-Kataib-Hezbollah", 404, b""),
        ("/en/Section/1/Iraq-News?page=4", 200, b"news-item"),
        ("/en/Section/1/Iraq-News?page=5", 404, b""),
        ("/en/section/1/iraq-news?page=1", 200, b"news-item"),
        ("/en/Section/1/Iraq-News?utm_source=x", 200, b"news-item"),
        (AR_SECTION + "?page=2", 200, b"news-item"),
        (AR_SECTION.lower(), 200, b"news-item"),
        ("/nowhere", 404, b""),
        ("/robots.txt", 200, b"User-agent"),
    ],
)
def test_answers(site: SnapshotServer, path: str, status: int, needle: bytes) -> None:
    got, _, body = get(site, path)
    assert got == status and needle in body


def test_slugless_story_redirects_to_its_slug(site: SnapshotServer) -> None:
    status, headers, _ = get(site, "/en/Story/43875")
    assert status == 301 and headers["Location"] == "/en/Story/43875/Iraqi-Forces-Discover-Seven-IS-Hideouts-in-Babil"


def test_headers_come_from_the_manifest(site: SnapshotServer) -> None:
    _, headers, body = get(site, AR_SECTION + "?page=2")
    assert headers["Content-Type"] == "text/html" and b"windows-1256" in body[:2000]


def test_raw_utf8_path_is_decoded(site: SnapshotServer) -> None:
    parts = urlsplit(site.url)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10) as sock:
        sock.sendall("GET /ar/Section/11/عراقيات HTTP/1.0\r\n\r\n".encode())
        reply = b"".join(iter(lambda: sock.recv(65536), b""))
    assert reply.startswith(b"HTTP/1.0 200") and b"news-item" in reply
