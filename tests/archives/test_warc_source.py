"""``-a source=warc``: records rebuilt from WARC files with no network, checked record by record."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.archives.conftest import compare
from tests.conftest import LOOPBACK, ROOT, SNAPSHOT, published, read_jsonl, run
from tests.support.archives import TwoMoments, build_mirror_warc
from tests.tools.redesign import redesign


def warc_crawl(warc: str, out: Path | None, *extra: str, env: dict[str, str] | None = None) -> Any:
    output = ["-O", str(out)] if out else []
    args = ["scrapy", "crawl", "baghdadpost", "-a", "source=warc", "-a", f"warc={warc}", *LOOPBACK, *output, *extra]
    return run(args, env=env or {})


def by_key(path: Path) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["edition"], r["storyId"]): r for r in read_jsonl(path)}


@pytest.fixture(scope="module")
def crawl(moments: TwoMoments, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("warc") / "out.jsonl"
    # INFO: a story the archive says is gone is logged there (dropped:, as in a live crawl)
    result = warc_crawl(",".join(map(str, moments.warcs)), out, "-s", "NEWSCRAWLER_STATE=0", "-s", "LOG_LEVEL=INFO")
    assert result.returncode == 0, result.stderr[-3000:]
    return {"records": by_key(out), "stderr": result.stderr}


def test_each_story_from_its_latest_capture_that_is_a_story(crawl: dict[str, Any], moments: TwoMoments) -> None:
    assert compare(crawl["records"], moments, "warc") == []


def test_changed_stories_come_from_the_second_moment_even_under_other_url_variants(
    crawl: dict[str, Any], moments: TwoMoments
) -> None:
    for key in moments.changed:
        assert crawl["records"][key]["articleBody"].startswith("Update: officials confirmed the report.")
    for key, path in moments.variants.items():
        assert crawl["records"][key]["url"] == "https://www.thebaghdadpost.com" + path


def test_a_later_page_without_a_story_or_a_404_falls_back_to_the_earlier_capture(
    crawl: dict[str, Any], moments: TwoMoments
) -> None:
    for key in [*moments.not_a_story, moments.deleted]:
        assert crawl["records"][key]["metadata"]["captureTimestamp"].startswith("2020-11-01")


def test_provenance_in_metadata(crawl: dict[str, Any]) -> None:
    for record in crawl["records"].values():
        assert record["metadata"]["source"] == "warc"
        assert re.fullmatch(r"sha1:[A-Z2-7]{32}", record["metadata"]["digest"])


def test_stories_with_only_failed_captures_are_counted(crawl: dict[str, Any]) -> None:
    assert crawl["stderr"].count("story not found in the archive (http_404)") == 3


def test_a_read_ahead_worker_killed_mid_crawl_costs_no_story(moments: TwoMoments, tmp_path: Path) -> None:
    """A real SIGKILL to the rebuild's worker process: the crawl's process does the rest, every record is there."""
    out = tmp_path / "out.jsonl"
    warcs = ",".join(map(str, moments.warcs))
    args = ["crawl", "baghdadpost", "-a", "source=warc", "-a", f"warc={warcs}", *LOOPBACK, "-O", str(out)]
    settings = ["-s", "NEWSCRAWLER_STATE=0", "-s", "NEWSCRAWLER_REBUILD_WORKERS=1"]
    crawl = subprocess.Popen(
        [str(Path(sys.executable).parent / "scrapy"), *args, *settings],
        cwd=ROOT,
        env={**os.environ, "NEWSCRAWLER_DATA_DIR": str(tmp_path / "data")},
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    os.kill(_worker_of(crawl.pid), signal.SIGKILL)
    _, stderr = crawl.communicate(timeout=300)
    assert crawl.returncode == 0, stderr[-3000:]
    assert "work ahead stopped (BrokenProcessPool); the crawl's process does it all" in stderr
    assert compare(by_key(out), moments, "warc") == []


@pytest.mark.slow
def test_sigterm_stops_a_rebuild_in_its_story_phase(tmp_path: Path) -> None:
    """A graceful stop (a scheduler's SIGTERM) ends a rebuild soon, as it ends a live crawl: the story phase is one
    callback, which Scrapy would let run to the end; the stories left are accounted as interrupted."""
    snapshot = tmp_path / "snapshot"
    make = [sys.executable, str(ROOT / "benchmarks" / "make_snapshot.py"), str(snapshot), "--en", "1500", "--ar", "500"]
    subprocess.run(make, check=True, capture_output=True)
    build_mirror_warc(tmp_path / "big.warc.gz", snapshot)
    out, data = tmp_path / "out.jsonl", tmp_path / "data"
    args = ["crawl", "baghdadpost", "-a", "source=warc", "-a", f"warc={tmp_path / 'big.warc.gz'}", "-O", str(out)]
    crawl = subprocess.Popen(
        [str(Path(sys.executable).parent / "scrapy"), *args, "-s", "NEWSCRAWLER_STATE=0", "-s", "LOG_LEVEL=DEBUG"],
        cwd=ROOT,
        env={**os.environ, "NEWSCRAWLER_DATA_DIR": str(data)},
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",  # debug lines quote raw bytes of windows-1256 pages
    )
    assert crawl.stderr is not None
    lines: list[str] = []
    while not lines or "Scraped from" not in lines[-1]:  # the first record: the story phase has begun
        lines.append(crawl.stderr.readline())
        assert crawl.poll() is None, "".join(lines)[-3000:]
    crawl.send_signal(signal.SIGTERM)
    stderr = crawl.communicate(timeout=120)[1]
    stories, exported = len(read_jsonl(snapshot / "expected.jsonl")), len(read_jsonl(out))
    assert "'finish_reason': 'shutdown'" in stderr, stderr[-3000:]
    assert 0 < exported < stories / 2, stderr[-3000:]
    interrupted = re.search(r"'newscrawler/outcomes/failed:interrupted': (\d+)", stderr)
    assert interrupted is not None and int(interrupted[1]) > stories / 2, stderr[-3000:]
    assert "'newscrawler/outcomes_unaccounted': 0," in stderr


def _worker_of(parent: int) -> int:
    """The pid of the read-ahead worker ``parent`` spawned (a child running multiprocessing's spawn_main)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid, ppid = stat.parent.name, int(stat.read_text().rsplit(")", 1)[1].split()[1])
                command = (stat.parent / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if ppid == parent and b"spawn_main" in command:
                return int(pid)
        time.sleep(0.02)
    raise AssertionError("no worker process appeared")


def test_one_wacz_and_plain_warc_files_give_the_same_records(
    crawl: dict[str, Any], moments: TwoMoments, tmp_path: Path
) -> None:
    wacz = tmp_path / "both.wacz"
    with zipfile.ZipFile(wacz, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
        for warc in moments.warcs:
            archive.write(warc, f"archive/{warc.name}")
    plain = tmp_path / "moment-2.warc"
    plain.write_bytes(gzip.decompress(moments.warcs[1].read_bytes()))
    for spec in (str(wacz), f"{moments.warcs[0]},{plain}"):
        out = tmp_path / "out.jsonl"
        result = warc_crawl(spec, out, "-s", "NEWSCRAWLER_STATE=0")
        assert result.returncode == 0, result.stderr[-2000:]
        assert compare(by_key(out), moments, "warc") == [], spec


def test_glob_and_edition(moments: TwoMoments, tmp_path: Path) -> None:
    out = tmp_path / "ar.jsonl"
    result = warc_crawl(str(moments.warcs[0].parent / "moment-*.warc.gz"), out, "-a", "edition=ar")
    assert result.returncode == 0, result.stderr[-2000:]
    assert {k for k in moments.expected if k[0] == "ar"} == set(by_key(out))


BAD = [
    (
        ["-a", "source=warc"],
        "error: source=warc needs -a warc=PATH[,PATH...] (.warc, .warc.gz or .wacz; globs allowed)",
    ),
    (["-a", "source=warc", "-a", "warc=/nonexistent/x.warc.gz"], "error: no WARC file at '/nonexistent/x.warc.gz'"),
    (["-a", "source=warc", "-a", "warc=/tmp/nothing-*.warc"], "error: no WARC file at '/tmp/nothing-*.warc'"),
    (["-a", "warc=a.warc"], "error: warc applies to source=warc, not source=live"),
    (["-a", "source=ftp"], "error: unknown source 'ftp': use live, wayback, commoncrawl, warc"),
    (["-a", "source=wayback", "-a", "cdx_url=nope"], "error: malformed cdx_url 'nope': use an http(s) URL"),
    (["-a", "source=wayback", "-a", "base_url=http://x"], "error: base_url applies to source=live, not source=wayback"),
]


@pytest.mark.parametrize(("args", "line"), BAD, ids=[b[1][7:40] for b in BAD])
def test_bad_arguments_one_line_exit_2(args: list[str], line: str, tmp_path: Path) -> None:
    result = run(["scrapy", "crawl", "baghdadpost", *args], env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [line]
    assert published(tmp_path) == []


def test_a_file_that_is_not_warc_stops_before_any_request(tmp_path: Path) -> None:
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(gzip.compress(b"<html>not an archive</html>"))
    result = warc_crawl(str(fake), None, env={"NEWSCRAWLER_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot read {fake} as WARC: ")
    assert published(tmp_path / "data") == []


def test_a_warc_corrupt_past_its_first_record_keeps_the_records_before_and_fails_the_run(
    moments: TwoMoments, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.warc.gz"
    data = moments.warcs[0].read_bytes()
    broken.write_bytes(data[: len(data) // 2] + b"garbage" * 100)
    data_dir = tmp_path / "data"
    result = warc_crawl(str(broken), None, "-s", "NEWSCRAWLER_STATE=0", env={"NEWSCRAWLER_DATA_DIR": str(data_dir)})
    assert result.returncode == 1  # the unreadable-records monitor
    warnings = [line for line in result.stderr.splitlines() if "damaged record(s) skipped" in line]
    assert len(warnings) == 1 and str(broken) in warnings[0], result.stderr[-2000:]
    [export] = [p for p in published(data_dir) if p.suffix == ".jsonl"]
    assert len(read_jsonl(export)) > len(moments.expected) / 4


@pytest.mark.parametrize(
    ("compress", "workers"),
    [(False, 0), (False, 2), (True, -1)],
    ids=["plain-in-process", "plain-2-workers", "gzipped-bodies"],
)
def test_a_warc_of_our_own_loopback_crawl_gives_exactly_the_expected_records(
    expected_records: dict[tuple[str, int], dict[str, Any]], tmp_path: Path, compress: bool, workers: int
) -> None:
    """Captures are answered in the spider (no request cycle), gzipped bodies decoded as the live crawl's
    downloader decodes them, story pages read in the crawl's process or ahead in workers: the same records."""
    build_mirror_warc(tmp_path / "own.warc.gz", compress=compress)
    out = tmp_path / "out.jsonl"
    settings = ["-s", "NEWSCRAWLER_STATE=0", "-s", f"NEWSCRAWLER_REBUILD_WORKERS={workers}", "-s", "LOG_LEVEL=INFO"]
    result = warc_crawl(str(tmp_path / "own.warc.gz"), out, *settings)
    assert result.returncode == 0, result.stderr[-2000:]
    got = by_key(out)
    assert set(got) == set(expected_records)
    for key, expected in expected_records.items():
        assert {k: got[key][k] for k in expected if k not in ("url", "metadata")} == {
            k: v for k, v in expected.items() if k not in ("url", "metadata")
        }, key
        assert got[key]["url"].startswith("http://127.0.0.1:")
    read_ahead = [int(n) for n in re.findall(r"'newscrawler/archive/read_ahead': (\d+)", result.stderr)]
    if workers == 0:
        assert read_ahead == []
    else:  # all but the stories whose latest capture is a redirect (the snapshot has 5), followed in the crawl
        assert len(read_ahead) == 1 and len(expected_records) - 5 <= read_ahead[0] < len(expected_records)


def test_a_warc_of_redesigned_pages_is_read_by_the_generic_path_dates_included(
    expected_records: dict[tuple[str, int], dict[str, Any]], tmp_path: Path
) -> None:
    """The archives span the site's redesigns: captures whose class names all changed still give every story,
    its identity, headline and both dates (the listed date from the redesigned listing captures), flagged."""
    build_mirror_warc(tmp_path / "redesigned.warc.gz", redesign(SNAPSHOT, tmp_path / "snapshot"))
    out = tmp_path / "out.jsonl"
    result = warc_crawl(str(tmp_path / "redesigned.warc.gz"), out, "-s", "NEWSCRAWLER_STATE=0")
    assert result.returncode == 1, result.stderr[-2000:]  # the generic-extraction monitor fails the run
    got = by_key(out)
    assert set(got) == set(expected_records)
    for key, expected in expected_records.items():
        fields = ("canonicalUrl", "headline", "dateModified", "datePublished", "datePublishedRaw")
        assert {k: got[key][k] for k in fields} == {k: expected[k] for k in fields}, key
        assert "headline" in got[key]["metadata"]["extraction"]["generic"], key
