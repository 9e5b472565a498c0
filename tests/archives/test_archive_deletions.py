"""Deletions read from an archive: a story exported before whose latest capture answers 404 gets a deletion
record; one whose latest capture is the site's error page served with 200 keeps its content (no deletion)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import LOOPBACK, SNAPSHOT, published, read_jsonl, run
from tests.support.archives import WarcFile, build_mirror_warc

GONE, ERROR_PAGE = ("en", 50603), ("en", 11554)


def rebuild(data: Path, warcs: str) -> list[dict[str, object]]:
    before = set(published(data))
    args = ["scrapy", "crawl", "baghdadpost", "-a", "source=warc", "-a", f"warc={warcs}", *LOOPBACK]
    result = run(args, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    [export] = [p for p in set(published(data)) - before if p.name.endswith(".jsonl")]
    return read_jsonl(export)


def test_latest_capture_404_is_a_deletion_an_error_page_is_not(tmp_path: Path) -> None:
    build_mirror_warc(tmp_path / "mirror.warc.gz")
    data = tmp_path / "data"
    first = {(r["edition"], r["storyId"]): r for r in rebuild(data, str(tmp_path / "mirror.warc.gz"))}
    later = WarcFile(tmp_path / "later.warc.gz", datetime(2021, 1, 1, tzinfo=UTC))
    error_page = (SNAPSHOT / "pages" / "404.html").read_bytes()
    html = [("Content-Type", "text/html; charset=utf-8")]
    gone_at = later.capture(str(first[GONE]["url"]), (404, "Not Found", html, error_page))
    later.capture(str(first[ERROR_PAGE]["url"]), (200, "OK", html, error_page))
    later.close()
    second = rebuild(data, f"{tmp_path / 'mirror.warc.gz'},{tmp_path / 'later.warc.gz'}")
    assert [(r["edition"], r["storyId"], r["removed"]) for r in second] == [(*GONE, gone_at)]
    assert second[0]["metadata"]["version"] == 2 and "articleBody" not in second[0]
    corpus = run(["newscrawler", "corpus", "--data", str(data)])
    assert corpus.returncode == 0 and f"{len(first)} stories (1 removed)" in corpus.stdout
