"""``newscrawler report`` built from the data directory of real runs against a changing site: several incremental
runs, an Arabic-only run and a failed one; its numbers checked against the manifests, the exports and the state."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import lxml.html
import pytest

from newscrawler.report.records import COVERAGE_FIELDS
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import ROOT, read_jsonl, run, scrapy_crawl
from tests.support.mutate import SiteCopy

ARTIFACTS = Path(os.environ.get("NEWSCRAWLER_TEST_ARTIFACTS", ROOT / "test-artifacts"))


def crawl(site_root: Path, data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with SnapshotServer(site_root) as server:
        return scrapy_crawl(server.url, None, *extra, env={"NEWSCRAWLER_DATA_DIR": str(data)})


def build_report(data: Path) -> lxml.html.HtmlElement:
    result = run(["newscrawler", "report", "--data", str(data)])
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(data / "report.html")
    return lxml.html.fromstring((data / "report.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run 1 (both editions), a changed site, run 2, an Arabic-only run 3, a failed run 4; then the report."""
    base = tmp_path_factory.mktemp("report")
    site, data = SiteCopy(base / "site"), base / "data"
    assert crawl(site.root, data).returncode == 0
    site.add_story(
        ("en", 22455), 50700, "Parliament approves the budget", "14 November 2020 10:00 AM", "pages/en/section/1_1.html"
    )
    site.change_story("en", 50603, "Friday، 13 November 2020 05:28 AM", "Saturday، 14 November 2020 09:00 AM")
    site.delete_story("en", 49990)
    site.save()
    assert crawl(site.root, data).returncode == 0
    assert crawl(site.root, data, "-a", "edition=ar").returncode == 0
    assert crawl(site.root, data, "-a", "sections=999").returncode == 1
    manifests = sorted((data / "exports").rglob("*.manifest.json"))
    assert len(manifests) == 4
    return {
        "data": data,
        "doc": build_report(data),
        "manifests": [json.loads(p.read_text("utf-8")) for p in manifests],
        "exports": [read_jsonl(p.with_name(p.name.replace(".manifest.json", ".jsonl"))) for p in manifests],
    }


def cells(tr: Any) -> dict[str, str]:
    return {td.get("data-key"): td.text_content().strip() for td in tr.xpath("./td")}


def rows(doc: Any, table_id: str) -> list[Any]:
    return list(doc.xpath(f'//table[@id="{table_id}"]/tbody/tr'))


def latest(exports: list[list[dict[str, Any]]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Each story's latest content (a deletion record keeps the content it follows)."""
    held: dict[tuple[str, int], dict[str, Any]] = {}
    for records in exports:
        for r in records:
            if not r["removed"]:
                held[(r["edition"], r["storyId"])] = r
    return held


def test_report_is_one_self_contained_page_with_every_section(runs: dict[str, Any]) -> None:
    doc = runs["doc"]
    for section in ("runs", "archive", "sections", "quality"):
        [element] = doc.xpath(f'//section[@id="{section}"]')
        assert element.xpath(".//*[local-name()='svg']"), f"no chart in {section}"
    assert not doc.xpath("//script") and not doc.xpath("//link[@rel='stylesheet']")
    for target in doc.xpath("//@src | //@href"):
        assert not target.startswith(("http:", "https:", "//")), target
        assert target.startswith("#") or (runs["data"] / unquote(target)).is_file(), target


def test_runs_table_matches_the_manifests(runs: dict[str, Any]) -> None:
    table = {tr.get("data-run"): cells(tr) for tr in rows(runs["doc"], "last-runs")}
    assert list(table) == [m["runId"] for m in reversed(runs["manifests"])]  # newest first
    for manifest, records in zip(runs["manifests"], runs["exports"], strict=True):
        row = table[manifest["runId"]]
        versions = Counter(r["metadata"]["version"] > 1 for r in records)
        assert int(row["requests"]) == manifest["requests"]
        assert int(row["records"]) == manifest["records"]["total"] == len(records)
        assert (int(row["new"]), int(row["changed"])) == (versions[False], versions[True])
        for edition in ("en", "ar"):
            assert int(row[f"records-{edition}"]) == manifest["records"]["byEdition"].get(edition, 0)
        assert row["export"] == manifest["export"]["file"]
    removals = sum(1 for r in runs["exports"][1] if r["removed"])  # the deleted story, when a revisit met it
    assert table[runs["manifests"][1]["runId"]]["changed"] == str(1 + removals)  # the changed story


def test_failed_run_is_marked(runs: dict[str, Any]) -> None:
    failed = runs["manifests"][-1]
    [tr] = [tr for tr in rows(runs["doc"], "last-runs") if tr.get("data-run") == failed["runId"]]
    assert tr.get("class") == "failed" and cells(tr)["verdict"] == "failed: unknown_section"
    assert runs["doc"].xpath(f'//*[@id="failed-run-{failed["runId"]}"]')
    marked = [tr.get("data-run") for tr in rows(runs["doc"], "last-runs") if tr.get("class") == "failed"]
    assert marked == [failed["runId"]]


def test_archive_matches_the_state(runs: dict[str, Any]) -> None:
    with sqlite3.connect(runs["data"] / "state" / "newscrawler@127.0.0.1.sqlite3") as db:
        stored = dict(db.execute("SELECT edition, count(*) FROM stories WHERE version >= 1 GROUP BY edition"))
        days = dict(
            db.execute(
                "SELECT edition, count(DISTINCT substr(listed_time, 1, 10)) FROM stories "
                "WHERE version >= 1 GROUP BY edition"
            )
        )
    table = {tr.get("data-edition"): cells(tr) for tr in rows(runs["doc"], "archive-editions")}
    assert {e: int(c["stories"]) for e, c in table.items()} == stored
    assert {e: int(c["days"]) for e, c in table.items()} == days
    assert stored["en"] == 119 and stored["ar"] == 59  # 118 + 1 added; the deleted story was exported once


def test_sections_match_the_exports(runs: dict[str, Any]) -> None:
    expected = Counter((e, r["breadcrumbs"][0]["name"]) for (e, _), r in latest(runs["exports"]).items())
    shown = Counter(
        {(c["edition"], c["section"]): int(c["stories"]) for c in map(cells, rows(runs["doc"], "section-counts"))}
    )
    assert shown == expected


def test_quality_matches_the_exports_and_manifests(runs: dict[str, Any]) -> None:
    records = list(latest(runs["exports"]).values())
    coverage = {cells(tr)["field"]: cells(tr) for tr in rows(runs["doc"], "coverage")}
    for field in COVERAGE_FIELDS:
        for edition in ("en", "ar"):
            mine = [r for r in records if r["edition"] == edition]
            share = sum(1 for r in mine if r.get(field) not in (None, "", [], {})) / len(mine)
            assert coverage[field][edition] == f"{share:.1%}", (field, edition)
    outcomes = {cells(tr)["reason"]: cells(tr) for tr in rows(runs["doc"], "outcomes")}
    every = sum(m["notFetched"].get("http_404", 0) for m in runs["manifests"])
    assert int(outcomes["not fetched/http_404"]["all runs"]) == every > 0
    assert int(outcomes["not fetched/http_404"]["last run"]) == runs["manifests"][-1]["notFetched"].get("http_404", 0)
    unparsed = sum(sum(m["datesUnparsed"].values()) for m in runs["manifests"])
    assert bool(rows(runs["doc"], "dates-unparsed")) == bool(unparsed)


def test_arabic_is_laid_out_right_to_left(runs: dict[str, Any]) -> None:
    arabic = [td for td in runs["doc"].xpath("//td") if any("\u0600" <= ch <= "\u06ff" for ch in td.text_content())]
    assert len(arabic) > 10
    assert all(td.get("dir") in ("rtl", "auto") for td in arabic)
    headlines = runs["doc"].xpath(
        '//table[@id="latest-stories"]//tr[starts-with(@data-story, "ar-")]/td[@data-key="headline"]'
    )
    assert headlines and all(td.get("dir") == "rtl" and td.get("lang") == "ar" for td in headlines)


def test_report_of_nothing_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run(["newscrawler", "report", "--data", str(tmp_path)])
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"newscrawler: error: nothing to report under {tmp_path}: no run manifest and no crawl state"
    )


def test_gap_day_in_a_generated_snapshot_is_marked(tmp_path: Path) -> None:
    snapshot, data = tmp_path / "snapshot", tmp_path / "data"
    generator = [
        sys.executable,
        str(ROOT / "benchmarks" / "make_snapshot.py"),
        str(snapshot),
        "--en",
        "300",
        "--ar",
        "150",
        "--start",
        "2020-09-01T08:00",
        "--end",
        "2020-10-31T00:00",
        "--gap",
        "2020-10-10",
    ]
    subprocess.run(generator, check=True, capture_output=True, cwd=ROOT / "benchmarks")
    assert crawl(snapshot, data).returncode == 0
    doc = build_report(data)
    gaps = [(c["edition"], c["first"], c["last"]) for c in map(cells, rows(doc, "gaps"))]
    assert sorted(gaps) == [("ar", "2020-10-10", "2020-10-10"), ("en", "2020-10-10", "2020-10-10")]
    assert doc.xpath('//*[@id="gap-en-2020-10-10"]') and doc.xpath('//*[@id="gap-ar-2020-10-10"]')


def test_report_renders_in_a_real_browser(runs: dict[str, Any]) -> None:
    """Debian's chromium, headless, from a fresh profile: no console error, no horizontal scroll on a laptop's
    1366 px wide screen; the screenshot is kept in test-artifacts/."""
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium on this machine (.ci/run installs Debian's)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(runs["data"] / "browser-profile"),
            executable_path=browser,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
            viewport={"width": 1366, "height": 768},
        )
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.goto((runs["data"] / "report.html").as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        charts = page.evaluate("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().width)")
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        context.close()
    assert problems == []
    assert width <= 1366
    assert len(charts) >= 5 and all(0 < w <= 1366 for w in charts)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
