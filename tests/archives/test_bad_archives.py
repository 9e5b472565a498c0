"""Archives that cannot be used: one readable line, a non-zero exit, no record published."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.archives.conftest import FAST
from tests.conftest import LOOPBACK, published, read_jsonl, run
from tests.support.pywb import free_port


class Garbage(BaseHTTPRequestHandler):
    """Answers every request with a 200 HTML page, as a proxy or a broken archive does."""

    def do_GET(self) -> None:
        body = b"<html><body>Service temporarily unavailable</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def garbage() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def crawl(data: Path, *args: str) -> tuple[int, list[str]]:
    command = ["scrapy", "crawl", "baghdadpost", *LOOPBACK, *FAST, *args]
    result = run(command, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    return result.returncode, result.stderr.strip().splitlines()


SOURCES = {
    "wayback": lambda url: ["-a", "source=wayback", "-a", f"cdx_url={url}/cdx", "-a", f"archive_url={url}/web"],
    "commoncrawl": lambda url: ["-a", "source=commoncrawl", "-a", f"cc_index_url={url}", "-a", f"cc_data_url={url}"],
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_an_unreachable_archive_stops_before_any_request(source: str, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, lines = crawl(tmp_path, *SOURCES[source](url))
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"error: cannot reach the archive index {url}") and "refused" in lines[0].lower()
    assert published(tmp_path) == []


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_an_index_answering_garbage_fails_the_run_with_no_record(source: str, garbage: str, tmp_path: Path) -> None:
    code, lines = crawl(tmp_path, *SOURCES[source](garbage))
    errors = [line for line in lines if " ERROR: " in line]
    assert code == 1
    assert len([e for e in errors if "archive index" in e or "crawl list" in e]) == 1, errors
    assert "cannot read the archive index" in errors[0] or "is not a crawl list" in errors[0], errors
    assert "archive_index_failed" in "\n".join(lines)
    assert all(read_jsonl(p) == [] for p in published(tmp_path) if p.suffix == ".jsonl")
