"""WARCs as other tools write them, deduplicated crawls and damaged files: every readable story rebuilt, every
loss counted (the manifest) and the exit status saying so."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOOPBACK, SNAPSHOT, read_jsonl, run
from tests.support.archives import build_mirror_warc
from tests.support.producers import (
    break_member,
    pywb_record,
    record_offsets,
    revisits_of,
    wacz_pack,
    wacz_tool,
    warcprox_crawl,
    warcprox_python,
    wget_available,
    wget_crawl,
    wrong_digest,
)

Records = dict[tuple[str, int], dict[str, Any]]
needs_warcprox = pytest.mark.skipif(warcprox_python() is None, reason="warcprox is not installed (see .ci/run)")


def rebuild(warcs: list[Path], data: Path) -> tuple[int, Records, dict[str, Any], str]:
    """A rebuild from ``warcs``: exit status, records by story, the run's manifest, stderr."""
    spec = ",".join(map(str, warcs))
    command = ["scrapy", "crawl", "baghdadpost", "-a", "source=warc", "-a", f"warc={spec}", *LOOPBACK]
    result = run([*command, "-s", "NEWSCRAWLER_STATE=0"], env={"NEWSCRAWLER_DATA_DIR": str(data)})
    [manifest_path] = (data / "exports").rglob("*.manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    export = manifest_path.with_name(manifest["export"]["file"])
    records = {(r["edition"], r["storyId"]): r for r in read_jsonl(export)}
    return result.returncode, records, manifest, result.stderr


def differences(got: Records, expected: Records, ignored: tuple[str, ...] = ()) -> list[str]:
    """Records that differ from the snapshot's expected ones, fields other than ``url``/``metadata`` (and
    ``ignored``) compared."""
    problems = [f"missing {k}" for k in expected if k not in got] + [
        f"unexpected {k}" for k in got if k not in expected
    ]
    for key in set(got) & set(expected):
        fields = [f for f in expected[key] if f not in ("url", "metadata", *ignored)]
        wrong = [f for f in fields if got[key].get(f) != expected[key][f]]
        problems += [f"{key}: {', '.join(wrong)}"] if wrong else []
    return problems


def failed(manifest: dict[str, Any], monitor: str) -> bool:
    """True when the monitor named ``monitor`` failed the run."""
    results = manifest["monitors"]["results"]
    return any(name.startswith(monitor) and str(outcome).startswith("failed") for name, outcome in results.items())


@pytest.fixture(scope="module")
def warcprox_crawls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two crawls through warcprox with one dedup database: the second writes revisits of unchanged pages."""
    if warcprox_python() is None:
        pytest.skip("warcprox is not installed (see .ci/run)")
    base = tmp_path_factory.mktemp("warcprox")
    for name in ("first", "second"):
        (base / name).mkdir()
    return tuple(warcprox_crawl(SNAPSHOT, base / n, base / "dedup.db") for n in ("first", "second"))  # type: ignore[return-value]


@needs_warcprox
def test_warcprox_in_front_of_a_gzip_chunked_server_rebuilds_every_record(
    warcprox_crawls: tuple[Path, Path], expected_records: Records, tmp_path: Path
) -> None:
    """warcprox digests a chunked answer's payload de-chunked (WARC 1.1), warcio as stored: both accepted."""
    code, records, manifest, stderr = rebuild([warcprox_crawls[0]], tmp_path)
    assert code == 0, stderr[-3000:]
    assert differences(records, expected_records) == []
    digests = manifest["archiveDigests"]
    assert digests.get("transfer_decoded", 0) >= 10 and "mismatch" not in digests, digests
    assert manifest["archiveUnreadable"] == {} and "revisitsUnresolved" not in manifest


@needs_warcprox
def test_a_deduplicated_second_crawl_with_and_without_its_originals(
    warcprox_crawls: tuple[Path, Path], expected_records: Records, tmp_path: Path
) -> None:
    first, second = warcprox_crawls
    code, records, manifest, stderr = rebuild([first, second], tmp_path / "both")
    assert code == 0, stderr[-3000:]
    assert differences(records, expected_records) == []
    alone = rebuild([first], tmp_path / "first")[1]
    later = [
        k for k, r in records.items() if r["metadata"]["captureTimestamp"] > alone[k]["metadata"]["captureTimestamp"]
    ]
    assert len(later) > len(records) - 5  # the second crawl's revisits, resolved to the first's records

    code, records, manifest, stderr = rebuild([second], tmp_path / "alone")
    assert code == 1  # stories lost: the failed-stories monitor
    unresolved = manifest["revisitsUnresolved"]
    assert unresolved["count"] >= len(expected_records) - len(records) > 100
    assert len(unresolved["named"]) == min(unresolved["count"], 100)
    assert manifest["outcomes"]["failed:revisit_unresolved"] >= len(expected_records) - len(records) - 5
    assert stderr.count("revisit record(s) whose original is in none of the files read") == 1


@pytest.mark.parametrize("producer", ["wget", "pywb-record"])
def test_gnu_wget_and_pywb_recording_rebuild_every_record(
    producer: str, expected_records: Records, tmp_path: Path
) -> None:
    if producer == "wget" and not wget_available():
        pytest.skip("GNU wget is not installed (apt-get install wget; see .ci/run)")
    warcs = [wget_crawl(SNAPSHOT, tmp_path)] if producer == "wget" else pywb_record(SNAPSHOT, tmp_path)
    code, records, manifest, stderr = rebuild(warcs, tmp_path / "data")
    assert code == 0, stderr[-3000:]
    assert differences(records, expected_records) == []
    assert "mismatch" not in manifest["archiveDigests"] and manifest["archiveUnreadable"] == {}


@needs_warcprox
@pytest.mark.skipif(wacz_tool() is None, reason="the wacz package is not installed (see .ci/run)")
def test_a_wacz_packed_by_the_wacz_package_rebuilds_every_record(
    warcprox_crawls: tuple[Path, Path], expected_records: Records, tmp_path: Path
) -> None:
    """Webrecorder's packer (its own CDXJ index, pages.jsonl, datapackage.json) around warcprox's two crawls."""
    wacz = wacz_pack(list(warcprox_crawls), tmp_path / "crawls.wacz")
    code, records, manifest, stderr = rebuild([wacz], tmp_path / "data")
    assert code == 0, stderr[-3000:]
    assert differences(records, expected_records) == []
    assert "revisitsUnresolved" not in manifest


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mirror") / "own.warc.gz"
    build_mirror_warc(path)
    return path


def story_at(path: Path, index: int) -> tuple[str, int]:
    url = record_offsets(path)[index][3]
    found = re.search(r"/(en|ar)/story/(\d+)", url, re.IGNORECASE)
    assert found, url
    return found[1].lower(), int(found[2])


def test_a_bad_gzip_member_and_a_wrong_digest_cost_only_the_broken_record(
    mirror: Path, expected_records: Records, tmp_path: Path
) -> None:
    """One record's gzip member corrupt mid-file, another's payload digest wrong: the first story is lost (and
    the run fails, saying why), the second read all the same and counted; every other story exported."""
    responses = [i for i, r in enumerate(record_offsets(mirror)) if r[4] == 200 and "/story/" in r[3].lower()]
    broken, misdigested = responses[len(responses) // 2], responses[len(responses) // 3]
    wrong_digest(mirror, tmp_path / "digest.warc.gz", misdigested)
    break_member(tmp_path / "digest.warc.gz", tmp_path / "damaged.warc.gz", broken)
    code, records, manifest, stderr = rebuild([tmp_path / "damaged.warc.gz"], tmp_path / "data")
    assert code == 1
    lost = story_at(mirror, broken)
    assert differences(records, {k: v for k, v in expected_records.items() if k != lost}) == []
    assert manifest["archiveUnreadable"] == {"bad_gzip": 1}
    assert manifest["archiveDigests"]["mismatch"] == 1
    assert failed(manifest, "archive records unreadable")
    assert stderr.count("damaged record(s) skipped (bad_gzip 1)") == 1
    assert stderr.count("payload digest matches neither") == 1


def test_a_file_cut_mid_record_keeps_every_whole_record_before_the_cut(
    mirror: Path, expected_records: Records, tmp_path: Path
) -> None:
    offsets = record_offsets(mirror)
    cut_at = offsets[len(offsets) // 2]
    (tmp_path / "cut.warc.gz").write_bytes(mirror.read_bytes()[: cut_at[0] + cut_at[1] // 2])
    code, records, manifest, _ = rebuild([tmp_path / "cut.warc.gz"], tmp_path / "data")
    whole = offsets[: len(offsets) // 2]
    before = {story_at(mirror, i) for i, r in enumerate(whole) if r[4] == 200 and "/story/" in r[3].lower()}
    assert code == 1
    assert manifest["archiveUnreadable"] == {"cut_short": 1}
    assert set(records) == before & set(expected_records) and len(before) > 50
    undated = ("datePublished", "datePublishedRaw")  # the listing pages were captured after the cut
    assert differences(records, {k: expected_records[k] for k in set(records)}, undated) == []
    assert manifest["undated"] == len(records) and failed(manifest, "undated stories")


def test_a_warc_of_only_revisits_is_read_and_its_stories_accounted_for(mirror: Path, tmp_path: Path) -> None:
    written = revisits_of(mirror, tmp_path / "revisits.warc.gz", "2020-12-01T00:00:00Z")
    code, records, manifest, stderr = rebuild([tmp_path / "revisits.warc.gz"], tmp_path / "data")
    assert code == 1 and records == {}
    stories = sum(1 for r in record_offsets(mirror) if r[2] == "response" and "/story/" in r[3].lower())
    assert written > stories and manifest["revisitsUnresolved"]["count"] == stories
    assert stderr.count("revisit record(s) whose original") == 1
