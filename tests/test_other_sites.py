"""``newscrawler extract --generic`` on real article pages of other news sites (``fixtures/other-sites``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newscrawler.extract import extract_record, page_url
from tests.conftest import ROOT, run

SITES = ROOT / "fixtures" / "other-sites"
CASES = sorted(p.name for p in SITES.iterdir() if (p / "expected.json").is_file())


def expected(case: str) -> dict[str, Any]:
    return json.loads((SITES / case / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=CASES)
def read(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    body = (SITES / request.param / "page.html").read_bytes()
    record = extract_record(body, page_url(body, None), generic=True)
    assert record is not None
    return record, expected(request.param)


@pytest.mark.parametrize("name", ["url", "headline", "inLanguage", "dateModifiedRaw", "mainImage"])
def test_field(read: tuple[dict[str, Any], dict[str, Any]], name: str) -> None:
    record, want = read
    assert record[name] == want[name]


def test_body(read: tuple[dict[str, Any], dict[str, Any]]) -> None:
    record, want = read
    body = record["articleBody"]
    assert body.startswith(want["bodyStartsWith"])
    assert [p for p in want["bodyHolds"] if p not in body] == []
    assert [p for p in want["bodyLacks"] if p in body] == []
    assert body.count("\n\n") + 1 >= want["paragraphsAtLeast"]


def test_record_is_flagged_generic_without_site_identity(read: tuple[dict[str, Any], dict[str, Any]]) -> None:
    record, _ = read
    assert record["storyId"] is None and record["edition"] is None
    assert {"headline", "articleBody"} <= set(record["metadata"]["extraction"]["generic"])


def test_extract_command_prints_one_record_per_file(tmp_path: Path) -> None:
    pages = [str(SITES / case / "page.html") for case in CASES]
    result = run(["newscrawler", "extract", "--generic", *pages])
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["headline"] for r in records] == [expected(case)["headline"] for case in CASES]


def test_extract_command_site_page_and_non_story(tmp_path: Path) -> None:
    story = ROOT / "fixtures" / "pages" / "en-template-a-tweet" / "page.html"
    error = ROOT / "fixtures" / "site" / "pages" / "404.html"
    result = run(
        ["newscrawler", "extract", str(story), str(error), "--url", "https://www.thebaghdadpost.com/en/Story/11554/x"]
    )
    assert result.returncode == 1
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["storyId"] == 11554 and record["metadata"]["extraction"] == "site"
    assert result.stderr.strip() == f"newscrawler: {error}: not a story page"


def test_extract_command_missing_file(tmp_path: Path) -> None:
    result = run(["newscrawler", "extract", str(tmp_path / "nope.html")])
    assert result.returncode == 2
    assert result.stderr.startswith("newscrawler: error: cannot read") and len(result.stderr.splitlines()) == 1
