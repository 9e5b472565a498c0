"""A loopback server for a snapshot that answers the way WARC recording must survive: HTTP/1.1 keep-alive, a
reason phrase of its own, two ``Set-Cookie`` headers on every answer, story pages gzipped (``Content-Encoding``)
when the client accepts it, and listing pages sent chunked. It logs every answer as ``(path, status, body)``,
``body`` being the bytes as sent (gzipped or not, never chunked)."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self

from newscrawler.snapshot.manifest import Snapshot

REASON = "Fine Thanks"
COOKIES = ("session=abc; Path=/", "lang=en; Path=/; HttpOnly")


class WarcTestSite:
    def __init__(self, root: Path) -> None:
        self.snapshot = Snapshot.load(root)
        self.answers: list[tuple[str, int, bytes]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(site: WarcTestSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "Microsoft-IIS/8.5"

        def do_GET(self) -> None:
            answer = site.snapshot.resolve(self.path)
            body = answer.body
            story = "/story/" in self.path.lower() and answer.status == 200
            gzipped = story and "gzip" in self.headers.get("Accept-Encoding", "")
            chunked = "/section/" in self.path.lower() and answer.status == 200
            if gzipped:
                body = gzip.compress(body, mtime=0)
            site.answers.append((self.path, answer.status, body))
            self.send_response(answer.status, REASON)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            for cookie in COOKIES:
                self.send_header("Set-Cookie", cookie)
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                half = len(body) // 2
                for part in (body[:half], body[half:], b""):
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            else:
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
