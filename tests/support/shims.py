"""Thin loopback servers in front of a real pywb, answering as the real services do.

* :class:`IAShim` -- the Internet Archive: ``/cdx/search/cdx`` in its dialect (``output=json`` array of arrays
  with a header row; ``showResumeKey``/``resumeKey`` paging over ``limit``), and ``/web/{ts}id_/{url}``
  replays that redirect (302) to the exact timestamp of the closest capture and rewrite a captured redirect's
  ``Location`` to ``/web/{ts}id_/{target}``. Captures and replays come from pywb.
* :class:`CommonCrawlShim` -- Common Crawl's servers: ``/collinfo.json`` listing the crawls, ``/{crawl}-index``
  (pywb's CDX of the collection of that name, paged as Common Crawl pages: ``showNumPages=true`` then
  ``page=N``), and ``/data/{file}`` answering ``Range`` requests with 206.

Each records the paths asked and when (:attr:`log`).
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

IA_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}
_PYWB_FIELDS = ["urlkey", "timestamp", "url", "mime", "status", "digest", "length"]


class _Server:
    def __init__(self) -> None:
        self.log: list[tuple[float, float, str]] = []  # (start, end, path)
        shim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                start = time.monotonic()
                status, headers, body = shim.answer(self.path, dict(self.headers))
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                shim.log.append((start, time.monotonic(), self.path))

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _get(url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as answer:
            return answer.status, list(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read()


def _pywb_cdx(cdx: str, **params: str) -> list[dict[str, Any]]:
    status, _, body = _get(f"{cdx}?{urllib.parse.urlencode({**params, 'output': 'json'})}")
    return [json.loads(line) for line in body.decode().splitlines() if line.strip()] if status == 200 else []


class IAShim(_Server):
    def __init__(self, pywb_collection: str) -> None:
        super().__init__()
        self.pywb = pywb_collection  # e.g. http://127.0.0.1:PORT/snap

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        if path.startswith("/cdx/search/cdx?"):
            return self._cdx(dict(urllib.parse.parse_qsl(path.split("?", 1)[1])))
        if path.startswith("/web/"):
            return self._replay(path[len("/web/") :])
        return 404, [], b"not here"

    def _cdx(self, query: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        asked = {k: v for k, v in query.items() if k in ("url", "matchType", "from", "to")}
        rows = [[c.get(f, "-") for f in _PYWB_FIELDS] for c in _pywb_cdx(self.pywb + "/cdx", **asked)]
        start = int(base64.b64decode(query["resumeKey"])) if query.get("resumeKey") else 0
        limit = int(query.get("limit", len(rows) or 1))
        page = [IA_FIELDS, *rows[start : start + limit]]
        if query.get("showResumeKey") == "true" and start + limit < len(rows):
            page += [[], [base64.b64encode(str(start + limit).encode()).decode()]]
        return 200, [("Content-Type", "application/json")], json.dumps(page).encode()

    def _replay(self, rest: str) -> tuple[int, list[tuple[str, str]], bytes]:
        timestamp, _, original = rest.partition("id_/")
        closest = _pywb_cdx(self.pywb + "/cdx", url=original, closest=timestamp, sort="closest", limit="1")
        if closest and closest[0]["timestamp"] != timestamp:
            return 302, [("Location", f"{self.url}/web/{closest[0]['timestamp']}id_/{original}")], b""
        status, headers, body = _get(f"{self.pywb}/{timestamp}id_/{original}")
        kept = list(headers)
        if 300 <= status < 400:
            kept = [(k, v) for k, v in kept if k.lower() != "location"]
            target = urllib.parse.urljoin(original, {k.lower(): v for k, v in headers}["location"])
            kept.append(("Location", f"{self.url}/web/{timestamp}id_/{target}"))
        return status, kept, body


class CommonCrawlShim(_Server):
    def __init__(self, pywb_root: str, crawls: dict[str, Path], page_lines: int = 40) -> None:
        super().__init__()
        self.pywb, self.crawls = pywb_root, crawls  # crawl id -> its pywb collection's archive dir
        self.page_lines = page_lines

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        if path == "/collinfo.json":
            info = [{"id": c, "name": c, "cdx-api": f"{self.url}/{c}-index"} for c in sorted(self.crawls, reverse=True)]
            return 200, [("Content-Type", "application/json")], json.dumps(info).encode()
        if path.startswith("/data/"):
            return self._range(path[len("/data/") :], headers.get("Range", ""))
        crawl, _, query = path.lstrip("/").partition("-index?")
        if crawl in self.crawls:
            return self._index(crawl, dict(urllib.parse.parse_qsl(query)))
        return 404, [], b"not here"

    def _index(self, crawl: str, query: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        """Pages of :attr:`page_lines` captures, as Common Crawl's server pages its (zipnum) index."""
        asked = {k: v for k, v in query.items() if k in ("url", "matchType", "from", "to", "filter")}
        lines = [json.dumps(c) for c in _pywb_cdx(f"{self.pywb}/{crawl}/cdx", **asked)]
        pages = max(1, -(-len(lines) // self.page_lines))
        if query.get("showNumPages") == "true":
            return 200, [], json.dumps({"pages": pages, "pageSize": 5, "blocks": pages}).encode()
        page = int(query.get("page", 0))
        if not lines:
            return 404, [], b'{"message": "No Captures found for: ' + query["url"].encode() + b'"}\n'
        chunk = lines[page * self.page_lines : (page + 1) * self.page_lines]
        return 200, [("Content-Type", "text/x-ndjson")], ("\n".join(chunk) + "\n").encode()

    def _range(self, name: str, asked: str) -> tuple[int, list[tuple[str, str]], bytes]:
        files = [d / name for d in self.crawls.values() if (d / name).is_file()]
        if not files or not asked.startswith("bytes="):
            return 404 if not files else 416, [], b""
        first, last = (int(n) for n in asked[len("bytes=") :].split("-"))
        data = files[0].read_bytes()
        return 206, [("Content-Range", f"bytes {first}-{last}/{len(data)}")], data[first : last + 1]
