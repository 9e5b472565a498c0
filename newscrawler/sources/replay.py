"""Replay URLs of Wayback-style archives: ``{archive_url}/{timestamp}id_/{original URL}``."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_REPLAY = re.compile(r"^/(?P<ts>\d{1,14})(?:[a-z]{2}_)?/(?P<url>.+)$")


def replay_url(archive_url: str, timestamp: str, url: str) -> str:
    """The URL of a capture's original bytes.

    >>> replay_url("https://web.archive.org/web/", "20201114090000", "https://example.com/a?b=1")
    'https://web.archive.org/web/20201114090000id_/https://example.com/a?b=1'
    """
    return f"{archive_url.rstrip('/')}/{timestamp}id_/{url}"


def parse_replay_url(url: str, archive_url: str) -> tuple[str, str] | None:
    """``(original URL, timestamp)`` of a replay URL under ``archive_url`` (host and path), else None.

    >>> parse_replay_url("http://127.0.0.1:9/web/20201114090000id_/http://example.com/x?p=2", "http://127.0.0.1:9/web")
    ('http://example.com/x?p=2', '20201114090000')
    >>> parse_replay_url("https://example.com/x", "https://web.archive.org/web") is None
    True
    """
    base, parts = urlsplit(archive_url.rstrip("/")), urlsplit(url)
    if parts.netloc.lower() != base.netloc.lower() or not parts.path.startswith(base.path + "/"):
        return None
    rest = parts.path[len(base.path) :] + (f"?{parts.query}" if parts.query else "")
    match = _REPLAY.match(rest)
    if not match:
        return None
    original = match["url"]
    if "://" not in original:  # some archives collapse the scheme's double slash
        original = re.sub(r"^(https?):/+", r"\1://", original)
    return original, match["ts"]


def same_resource(a: str, b: str) -> bool:
    """True when two URLs name one resource for an archive index: scheme, ``www.`` and case ignored.

    >>> same_resource("https://www.Example.com/EN/story/1", "http://example.com/en/Story/1")
    True
    """
    return _key(a) == _key(b)


def _key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}".lower()
