"""The generic path: a redesigned copy of the snapshot crawled end to end, and the generic extractor alone on the
unmodified snapshot, both judged against the snapshot's ``expected.jsonl``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newscrawler.baghdadpost.urls import HOST, story_key
from newscrawler.exports.schema import problems
from newscrawler.extract import extract_record
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import LOOPBACK, SNAPSHOT, published, read_jsonl, run
from tests.support.scoring import EXACT_FIELDS, Scores, score
from tests.tools.redesign import redesign

EXPECTED = read_jsonl(SNAPSHOT / "expected.jsonl")
MANIFEST: dict[str, Any] = json.loads((SNAPSHOT / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``newscrawler crawl`` of a redesigned copy of the snapshot: exit status, log, records, manifest."""
    root = redesign(SNAPSHOT, tmp_path_factory.mktemp("redesign") / "site")
    data = tmp_path_factory.mktemp("redesign-data")
    with SnapshotServer(root) as server:
        result = run(
            ["newscrawler", "crawl", f"base_url={server.url}", *LOOPBACK], env={"NEWSCRAWLER_DATA_DIR": str(data)}
        )
    files = published(data)
    export = next(p for p in files if p.name.endswith(".jsonl"))
    manifest = json.loads(next(p for p in files if p.name.endswith(".manifest.json")).read_text(encoding="utf-8"))
    return {
        "code": result.returncode,
        "stderr": result.stderr,
        "records": read_jsonl(export),
        "manifest": manifest,
        "export": export,
    }


def test_redesign_changed_every_page(tmp_path: Path) -> None:
    root = redesign(SNAPSHOT, tmp_path / "site")
    page = (root / "pages" / "en" / "story" / "11" / "11554.html").read_text(encoding="utf-8")
    assert "news-title" not in page and "NewsDetails" not in page and "data-src=" not in page
    assert (root / "expected.jsonl").read_bytes() == (SNAPSHOT / "expected.jsonl").read_bytes()


def test_redesign_exports_every_story_once(redesigned: dict[str, Any]) -> None:
    scores = score(redesigned["records"], EXPECTED)
    assert scores.exported == scores.stories == len(EXPECTED) and scores.duplicates == 0
    assert len(redesigned["records"]) == len(EXPECTED)


@pytest.mark.parametrize("name", EXACT_FIELDS)
def test_redesign_identity_headline_dates_exact(redesigned: dict[str, Any], name: str) -> None:
    assert score(redesigned["records"], EXPECTED).exact[name] >= 0.99


def test_redesign_body_close(redesigned: dict[str, Any]) -> None:
    assert score(redesigned["records"], EXPECTED).f1_mean >= 0.97


def test_redesign_export_matches_the_schema(redesigned: dict[str, Any]) -> None:
    assert list(problems(redesigned["export"])) == []


def test_redesign_every_record_flagged(redesigned: dict[str, Any]) -> None:
    flags = [r["metadata"]["extraction"] for r in redesigned["records"]]
    assert all(f["method"] == "generic" and "articleBody" in f["generic"] and "headline" in f["generic"] for f in flags)


def test_redesign_monitor_fails_and_export_is_published(redesigned: dict[str, Any]) -> None:
    manifest = redesigned["manifest"]
    assert redesigned["code"] == 1
    assert manifest["records"]["total"] == len(EXPECTED)
    assert manifest["extraction"] == {"generic": len(EXPECTED)}
    assert manifest["genericFields"]["articleBody"] == len(EXPECTED)
    assert manifest["genericListings"]["stories"] > 0
    results = manifest["monitors"]["results"]
    assert results["generic extraction/records read by the site's rules"].startswith("failed")
    assert results["generic extraction/listing pages read by their selectors"].startswith("failed")
    assert "read with the generic extractor (articleBody 177," in redesigned["stderr"]


def generic_alone() -> list[dict[str, Any]]:
    """Every live story page of the snapshot read by the generic extractor alone, as ``extract --generic``."""
    records = []
    for path, entry in MANIFEST.items():
        if story_key(path) is not None and entry["status"] == 200:
            body = (SNAPSHOT / entry["file"]).read_bytes()
            record = extract_record(body, HOST + path, generic=True, headers=entry["headers"])
            assert record is not None, path
            records.append(record)
    return records


@pytest.fixture(scope="module")
def alone() -> Scores:
    # Page records carry no listing date: take it from the reference, which the crawl gives from the listing.
    listed = {(e["edition"], e["storyId"]): e for e in EXPECTED}
    records = generic_alone()
    for r in records:
        r["datePublished"] = listed[(r["edition"], r["storyId"])]["datePublished"]
        r["datePublishedRaw"] = listed[(r["edition"], r["storyId"])]["datePublishedRaw"]
    return score(records, EXPECTED)


@pytest.mark.parametrize("name", EXACT_FIELDS)
def test_generic_alone_exact(alone: Scores, name: str) -> None:
    assert alone.exact[name] >= 0.99


def test_generic_alone_body_close(alone: Scores) -> None:
    assert alone.exported == len(EXPECTED) and alone.f1_mean >= 0.97


@pytest.mark.parametrize(
    "path",
    ["/en/", "/ar/", "/en/Section/1/Iraq-News", "/en/Section/1/Iraq-News?page=2", "/en/Author/826/Nour-El-Din-Haddad"],
)
@pytest.mark.parametrize("redesigned_page", [False, True])
def test_pages_that_are_no_story_stay_no_story(path: str, redesigned_page: bool, tmp_path: Path) -> None:
    """Home, section and author pages served at a story URL are no story, by either path."""
    body = (SNAPSHOT / MANIFEST[path]["file"]).read_bytes()
    if redesigned_page:
        from tests.tools.redesign import redesign_page

        body = redesign_page(body, MANIFEST[path]["headers"]["Content-Type"], 1, 0.3)
    for generic in (False, True):
        assert extract_record(body, f"{HOST}/en/Story/1/x", generic=generic) is None


@pytest.mark.parametrize("redesigned_page", [False, True])
def test_error_page_is_no_story(redesigned_page: bool) -> None:
    """The site's 404 page (served with status 200 by a faulty server) is no story, by either path."""
    body = (SNAPSHOT / "pages" / "404.html").read_bytes()
    if redesigned_page:
        from tests.tools.redesign import redesign_page

        body = redesign_page(body, "text/html; charset=utf-8", 1, 0.3)
    for generic in (False, True):
        assert extract_record(body, f"{HOST}/en/Story/1/x", generic=generic) is None
