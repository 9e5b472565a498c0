"""Resolve request paths against a snapshot the way the real site (IIS) does.

``manifest.json`` maps each path (with query; Arabic percent-encoded, upper-case hex) to ``file``, ``status``
and ``headers``. Paths are percent-decoded and matched case-insensitively; ``/{ed}/story/{id}[/anything]``
resolves by (edition, id) whatever the slug, except where the manifest gives that exact path a 301;
``?page=N`` (N > 1) selects a listing page and a page past the last is a 404; ``?page=1`` and other query
strings are ignored; an unknown path is a 404 with ``pages/404.html``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from newscrawler.baghdadpost.urls import StoryKey, listing_page, story_key


@dataclass(frozen=True)
class Answer:
    """What the server sends: status, headers, body."""

    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Snapshot:
    """A loaded snapshot directory, indexed for lookups."""

    root: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    stories: dict[StoryKey, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Snapshot:
        """Read ``root/manifest.json``; raise ``FileNotFoundError``/``ValueError`` for a directory that is not one."""
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        snap = cls(root=root)
        for path, entry in manifest.items():
            snap.entries[_normal(path)] = entry
            key = story_key(path)
            if key is not None and entry["status"] != 301:
                snap.stories.setdefault(key, entry)
        return snap

    def resolve(self, raw_path: str) -> Answer:
        """The answer to a GET of ``raw_path`` (path and query as sent on the request line)."""
        parts = urlsplit(_decode_request_path(raw_path))
        path = _normal(parts.path)
        page = listing_page("?" + parts.query)
        if page > 1:
            return self._answer(self.entries.get(f"{path}?page={page}"))
        exact = self.entries.get(path)
        if exact is not None and exact["status"] == 301:
            return self._answer(exact)
        key = story_key(path)
        return self._answer(self.stories.get(key) if key else exact)

    def _answer(self, entry: dict[str, Any] | None) -> Answer:
        if entry is None:
            body = (self.root / "pages" / "404.html").read_bytes()
            return Answer(404, {"Content-Type": "text/html; charset=utf-8"}, body)
        try:
            body = (self.root / entry["file"]).read_bytes() if entry.get("file") else b""
        except OSError as error:
            return Answer(500, {"Content-Type": "text/plain; charset=utf-8"}, f"snapshot file: {error}".encode())
        return Answer(int(entry["status"]), dict(entry["headers"]), body)


def _normal(path: str) -> str:
    """Percent-decoded, lower-cased path (query kept as given, lower-cased)."""
    return unquote(path).lower()


def _decode_request_path(raw: str) -> str:
    """``http.server`` decodes the request line as Latin-1; raw UTF-8 in a path is re-read as UTF-8."""
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw
