"""A loopback HTTP server for a snapshot, in a background thread or in the foreground."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self

from newscrawler.snapshot.manifest import Snapshot


class SnapshotServer:
    """Serve ``root`` on ``host:port`` (port 0: a free one), each answer after ``delay`` seconds.
    Use as a context manager, or :meth:`serve_forever`."""

    def __init__(
        self, root: Path, port: int = 0, host: str = "127.0.0.1", quiet: bool = True, delay: float = 0.0
    ) -> None:
        self.snapshot = Snapshot.load(root)
        self.requests: list[str] = []
        handler = _handler(self.snapshot, self.requests, quiet, delay)
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the base URL to crawl."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(snapshot: Snapshot, log: list[str], quiet: bool, delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-IIS/8.5"

        def do_GET(self) -> None:
            log.append(self.path)
            time.sleep(delay)
            answer = snapshot.resolve(self.path)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            if not quiet:
                super().log_message(format, *args)

    return Handler
