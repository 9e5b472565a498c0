"""The commands a user types: ``scrapy crawl/list/parse/check``, ``newscrawler serve/demo``; bad input fails
with one readable line and a non-zero exit."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, SNAPSHOT, read_jsonl, run, scrapy_crawl


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "edition=fr"], "error: unknown edition 'fr': use en, ar or all"),
        (["-a", "since=last tuesday"], "error: malformed since 'last tuesday'"),
        (["-a", "max_pages=0"], "error: malformed max_pages '0'"),
        (["-a", "base_url=ftp://x"], "error: malformed base_url 'ftp://x'"),
    ],
)
def test_bad_argument_stops_before_any_request(
    site: SnapshotServer, tmp_path: Path, args: list[str], message: str
) -> None:
    before = len(site.requests)
    result = scrapy_crawl(site.url, tmp_path / "o.jsonl", *args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip().splitlines()[0]]
    assert result.stderr.startswith(message)
    assert len(site.requests) == before
    assert not (tmp_path / "o.jsonl").exists()


def test_unreachable_base_url(tmp_path: Path) -> None:
    result = scrapy_crawl(f"http://127.0.0.1:{_free_port()}", tmp_path / "o.jsonl")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: cannot reach base_url http://127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_section_fails_the_run(site: SnapshotServer, tmp_path: Path) -> None:
    result = scrapy_crawl(site.url, tmp_path / "o.jsonl", "-a", "sections=999")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert "unknown section(s): 999 (not linked from any edition's home page)" in errors[0]


def test_sections_by_id_and_slug_and_max_pages(site: SnapshotServer, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    result = scrapy_crawl(site.url, out, "-a", "edition=en", "-a", "sections=1,iran", "-a", "max_pages=1")
    assert result.returncode == 0, result.stderr[-2000:]
    crumbs = {r["breadcrumbs"][0]["name"] for r in read_jsonl(out)}
    assert crumbs == {"Iraq News", "Iran"}
    assert len(read_jsonl(out)) == 24  # 12 per listing page, one page each


def test_since_stops_paging(site: SnapshotServer, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    result = scrapy_crawl(site.url, out, "-a", "edition=en", "-a", "since=2020-01-01")
    assert result.returncode == 0, result.stderr[-2000:]
    records = read_jsonl(out)
    assert records and all(r["datePublished"] >= "2020-01-01" for r in records)
    assert not any("page=2" in path for path in site.requests[-40:] if "/Section/1/" in path)


def test_scrapy_list() -> None:
    result = run(["scrapy", "list"])
    assert result.returncode == 0 and result.stdout.split() == ["baghdadpost"]


def test_serve_answers_like_the_site_and_stops_on_sigint() -> None:
    port = _free_port()
    exe = Path(sys.executable).parent / "newscrawler"
    proc = subprocess.Popen([str(exe), "serve", str(SNAPSHOT), "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and f"127.0.0.1:{port}" in proc.stdout.readline()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/EN/story/11554/any-slug") as response:
            assert response.status == 200 and b"36 ISIS militants" in response.read()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) in (0, 130)


def test_serve_rejects_a_non_snapshot(tmp_path: Path) -> None:
    result = run(["newscrawler", "serve", str(tmp_path)])
    assert result.returncode == 2
    assert result.stderr.strip() == f"newscrawler: error: {tmp_path} is not a snapshot (no manifest.json)"


def test_demo_crawls_the_bundled_snapshot(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run(["newscrawler", "demo", "--output", str(tmp_path / "demo")], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "stories: 177 (ar 59, en 118)" in result.stdout
    assert "outcomes: exported 177 | unchanged 0 | skipped 0 | dropped 3 (http_404 3) | failed 0" in result.stdout
    assert re.search(r"monitors: (\d+) of \1 passed", result.stdout), result.stdout
    [export] = (tmp_path / "demo").rglob("*.jsonl")
    assert f"records written to {export}" in result.stdout
    assert len(read_jsonl(export)) == 177
    assert export.with_name(export.name.replace(".jsonl", ".manifest.json")).is_file()
    assert result.stdout.rstrip().endswith(f"report: {export.parent / 'report.html'}")
    assert "<svg" in (export.parent / "report.html").read_text(encoding="utf-8")
    assert time.monotonic() - started < 120


def test_demo_unwritable_output(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(["newscrawler", "demo", "--output", str(blocker / "sub")], cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.startswith("newscrawler: error: cannot create output directory")
