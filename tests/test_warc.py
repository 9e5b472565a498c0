"""NEWSCRAWLER_WARC=1: the run's fetches in a standard .warc.gz beside its export, faithful to the wire."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawler.snapshot.manifest import Snapshot
from tests.conftest import SNAPSHOT, published, read_jsonl, scrapy_crawl
from tests.support.warc_site import COOKIES, REASON, WarcTestSite
from tests.test_crash_safety import killed_run, killer


def read_warc(path: Path) -> list[dict[str, Any]]:
    """Every record as a generic reader sees it: WARC headers, HTTP head, raw and decoded payload."""
    records = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            entry: dict[str, Any] = {"type": record.rec_type, "warc": dict(record.rec_headers.headers)}
            entry["http"] = record.http_headers
            entry["raw"] = record.raw_stream.read()
            records.append(entry)
    with path.open("rb") as handle:
        decoded = [r.content_stream().read() for r in ArchiveIterator(handle) if r.rec_type == "response"]
    for entry, body in zip([e for e in records if e["type"] == "response"], decoded, strict=True):
        entry["decoded"] = body
    return records


def target(record: dict[str, Any]) -> str:
    parts = urlsplit(record["warc"]["WARC-Target-URI"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = tmp_path_factory.mktemp("warc") / "data"
    started = datetime.now(UTC).replace(microsecond=0)
    with WarcTestSite(SNAPSHOT) as site:
        result = scrapy_crawl(site.url, None, "-s", "NEWSCRAWLER_WARC=1", env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    files = published(data)
    [warc] = [p for p in files if p.name.endswith(".warc.gz")]
    [manifest] = [json.loads(p.read_text()) for p in files if p.name.endswith(".manifest.json")]
    [export] = [p for p in files if p.suffix == ".jsonl"]
    return {
        "warc": warc,
        "records": read_warc(warc),
        "manifest": manifest,
        "export": read_jsonl(export),
        "answers": site.answers,
        "started": started,
        "ended": datetime.now(UTC),
    }


def responses(run: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in run["records"] if r["type"] == "response"]


def test_published_beside_the_export_and_listed_in_the_manifest(run: dict[str, Any]) -> None:
    import hashlib

    warc, manifest = run["warc"], run["manifest"]
    assert warc.name == f"{manifest['runId']}.warc.gz"
    assert manifest["warc"] == {
        "file": warc.name,
        "sha256": hashlib.sha256(warc.read_bytes()).hexdigest(),
        "records": len(run["records"]),
        "bytes": warc.stat().st_size,
    }
    assert not [p for p in warc.parent.iterdir() if p.name.endswith(".part")]


def test_warcio_check_passes(run: dict[str, Any]) -> None:
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", "-v", str(run["warc"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout[-2000:]
    assert check.stdout.count("digest pass") == len(run["records"])


def test_one_response_record_per_answer_sent(run: dict[str, Any]) -> None:
    """Every answer the server sent (redirects, 404s, robots.txt, listings with their query) is recorded once."""
    sent = Counter((path, status) for path, status, _ in run["answers"])
    recorded = Counter((target(r), r["http"].get_statuscode()) for r in responses(run))
    assert recorded == Counter({(p, str(s)): n for (p, s), n in sent.items()})
    statuses = {s for _, s in sent}
    assert {200, 301, 404} <= statuses
    assert any("?page=" in path for path, _ in sent)


def test_status_line_and_repeated_headers_as_sent(run: dict[str, Any]) -> None:
    for record in responses(run):
        http = record["http"]
        assert http.protocol == "HTTP/1.1"
        assert http.statusline.split(" ", 1)[1] == REASON
        assert [v for n, v in http.headers if n == "Set-Cookie"] == list(COOKIES)


def test_raw_body_before_decompression(run: dict[str, Any]) -> None:
    """Gzipped answers are stored gzipped (bytes as sent); readers decode them to the snapshot's page."""
    snapshot = Snapshot.load(SNAPSHOT)
    sent = {path: body for path, _, body in run["answers"]}
    gzipped = [r for r in responses(run) if r["http"].get_header("Content-Encoding") == "gzip"]
    assert len(gzipped) > 100
    for record in gzipped:
        assert record["raw"] == sent[target(record)]
        assert record["raw"][:2] == b"\x1f\x8b"
        assert record["decoded"] == gzip.decompress(record["raw"]) == snapshot.resolve(target(record)).body


def test_chunked_answers_readable(run: dict[str, Any]) -> None:
    chunked = [r for r in responses(run) if r["http"].get_header("Transfer-Encoding") == "chunked"]
    assert chunked
    sent = {path: body for path, _, body in run["answers"]}
    for record in chunked:
        assert record["decoded"] == sent[target(record)]


def test_requests_concurrent_to_their_responses(run: dict[str, Any]) -> None:
    by_id = {r["warc"]["WARC-Record-ID"]: r for r in responses(run)}
    requests = [r for r in run["records"] if r["type"] == "request"]
    assert len(requests) == len(by_id)
    for request in requests:
        response = by_id[request["warc"]["WARC-Concurrent-To"]]
        assert request["warc"]["WARC-Target-URI"] == response["warc"]["WARC-Target-URI"]
        head = request["http"]
        assert f"{head.protocol} {head.statusline}" == f"GET {target(request)} HTTP/1.1"
        assert head.get_header("Host") == urlsplit(request["warc"]["WARC-Target-URI"]).netloc
        assert "gzip" in head.get_header("Accept-Encoding")


def test_warc_dates_are_fetch_times(run: dict[str, Any]) -> None:
    for record in run["records"]:
        when = datetime.fromisoformat(record["warc"]["WARC-Date"].replace("Z", "+00:00"))
        assert run["started"] <= when <= run["ended"]


def test_records_unchanged_by_recording(run: dict[str, Any], expected_records: dict[Any, Any]) -> None:
    got = {(r["edition"], r["storyId"]): r for r in run["export"]}
    assert set(got) == set(expected_records)
    for key, expected in expected_records.items():
        assert {k: got[key].get(k) for k in expected if k != "url"} == {k: v for k, v in expected.items() if k != "url"}


def test_off_by_default_writes_no_warc(site: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = scrapy_crawl(
        site.url, None, "-a", "edition=en", "-a", "sections=1", env={"NEWSCRAWLER_DATA_DIR": str(data)}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    files = published(data)
    assert not [p for p in files if ".warc" in p.name]
    [manifest] = [json.loads(p.read_text()) for p in files if p.name.endswith(".manifest.json")]
    assert "warc" not in manifest


def test_sigkill_mid_run_publishes_no_warc(tmp_path: Path) -> None:
    data = tmp_path / "data"
    options = (killer(100), "-s", "KILL_AT=first_item", "-s", "NEWSCRAWLER_WARC=1")
    assert killed_run(data, *options) == -9
    files = published(data)
    assert not [p for p in files if p.name.endswith(".warc.gz")]
    [part] = [p for p in files if ".warc.gz." in p.name]
    assert part.name.endswith(".part") and part.stat().st_size > 0
    # the next run in that directory clears the dead run's temporary file and publishes its own
    env = {**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)}
    with WarcTestSite(SNAPSHOT) as site:
        result = scrapy_crawl(site.url, None, "-s", "NEWSCRAWLER_WARC=1", "-a", "edition=en", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    files = published(data)
    assert not [p for p in files if p.name.endswith(".part")]
    assert len([p for p in files if p.name.endswith(".warc.gz")]) == 1
