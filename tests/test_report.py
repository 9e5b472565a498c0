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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import lxml.html
import pytest

from newscrawler.outcomes import KINDS
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
    outcomes = {cells(tr)["outcome"]: cells(tr) for tr in rows(runs["doc"], "outcomes")}
    every = Counter[str]()
    for manifest in runs["manifests"]:
        every.update(manifest["outcomes"])
    assert list(outcomes) == sorted(every, key=lambda o: (KINDS.index(o.split(":")[0]), o))  # one row each
    assert {o: int(c["all runs"]) for o, c in outcomes.items()} == every
    assert {o: int(c["last run"]) for o, c in outcomes.items() if c["last run"] != "0"} == runs["manifests"][-1][
        "outcomes"
    ]
    assert every["dropped:http_404"] == sum(m["notFetched"].get("http_404", 0) for m in runs["manifests"]) > 0
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
        == f"newscrawler: error: nothing to report under {tmp_path}: no run manifest and no crawl state (runs with "
        "-o/-O write only their feed, and keep no state unless -s NEWSCRAWLER_STATE=1)"
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


def data_with_runs(runs: dict[str, Any], count: int, data: Path) -> Path:
    """A data directory of ``count`` runs made from the fixture's real ones (their manifests and exports, in
    turn), 15 minutes apart; no crawl state (the archive then comes from the exports)."""
    sources = sorted((runs["data"] / "exports").rglob("*.manifest.json"))
    start = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    for i in range(count):
        manifest = json.loads(sources[i % len(sources)].read_text("utf-8"))
        began = start + timedelta(minutes=15 * i)
        run_id = f"{began:%Y%m%dT%H%M%SZ}-{i:08x}"
        folder = data / "exports" / "baghdadpost" / f"{began:%Y-%m-%d}"
        folder.mkdir(parents=True, exist_ok=True)
        os.link(sources[i % len(sources)].with_name(manifest["export"]["file"]), folder / f"{run_id}.jsonl")
        manifest.update(runId=run_id, startTime=f"{began:%Y-%m-%dT%H:%M:%S}Z", export={"file": f"{run_id}.jsonl"})
        manifest["endTime"] = f"{began + timedelta(seconds=40 + i % 7):%Y-%m-%dT%H:%M:%S}Z"
        (folder / f"{run_id}.manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return data


#: Every chart's text boxes, and the pairs that overlap (by more than a pixel each way), as the browser lays them.
OVERLAPS = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0);
  const overlaps = [];
  boxes.forEach(([ta, a], i) => boxes.slice(i + 1).forEach(([tb, b]) => {
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      overlaps.push([ta, tb]);
  }));
  return {texts: boxes.length, width: svg.getBoundingClientRect().width, overlaps};
})"""


def test_report_renders_in_a_real_browser(runs: dict[str, Any], tmp_path: Path) -> None:
    """Debian's chromium, headless, from a fresh profile, shows the report of 1, 2, 4 and 200 runs: no console
    error, no horizontal scroll on a laptop's 1366 px wide screen, and in no chart does any text (tick labels,
    axis labels, legends) overlap another; the screenshots are kept in test-artifacts/."""
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium on this machine (.ci/run installs Debian's)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reports = {4: runs["data"] / "report.html"}
    for count in (1, 2, 200):
        data = data_with_runs(runs, count, tmp_path / f"runs-{count}")
        build_report(data)
        reports[count] = data / "report.html"
    problems: list[str] = []
    seen: dict[int, tuple[int, list[dict[str, Any]]]] = {}
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "browser-profile"),
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
        for count, report in sorted(reports.items()):
            page.goto(report.as_uri())
            seen[count] = (page.evaluate("document.documentElement.scrollWidth"), page.evaluate(OVERLAPS))
            page.screenshot(path=str(ARTIFACTS / f"report-{count}-runs.png"), full_page=True)
        context.close()
    assert problems == []
    for count, (width, charts) in seen.items():
        assert width <= 1366, count
        assert len(charts) >= 5 and all(0 < c["width"] <= 1366 and c["texts"] > 3 for c in charts), count
        assert [c["overlaps"] for c in charts if c["overlaps"]] == [], count
        assert (ARTIFACTS / f"report-{count}-runs.png").stat().st_size > 10_000
    doc = lxml.html.fromstring(reports[200].read_text(encoding="utf-8"))
    assert len(rows(doc, "last-runs")) == 20 and "200 runs" in doc.xpath("string(//header)")


def test_report_says_which_runs_it_leaves_out(site: SnapshotServer, tmp_path: Path) -> None:
    """A data directory of -O crawls has runs in its crawl state but no manifest: the report shows 0 runs and
    says why, naming them; a manifest that is not JSON is named too."""
    data = tmp_path / "data"
    feed = tmp_path / "out.jsonl"
    result = scrapy_crawl(  # asked to keep state: a one-off -O run keeps none by default
        site.url, feed, "-a", "edition=en", "-a", "sections=6", "-s", "NEWSCRAWLER_STATE=1",
        env={"NEWSCRAWLER_DATA_DIR": str(data)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    broken = data / "exports" / "baghdadpost" / "2026-11-01" / "20261101T060000Z-00000000.manifest.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{", encoding="utf-8")
    doc = build_report(data)
    [state] = (data / "state").glob("newscrawler@*.sqlite3")
    with sqlite3.connect(state) as db:
        [(run_id,)] = db.execute("SELECT run_id FROM runs").fetchall()
    [left_out] = doc.xpath('//section[@id="runs"]//p[@class="left-out"]')
    text = " ".join(left_out.text_content().split())
    assert "1 manifests could not be read: 20261101T060000Z-00000000.manifest.json (not JSON)." in text
    assert f"1 runs the crawl state knows wrote Scrapy's own feeds (-o/-O), which have no manifest: {run_id} (" in text
    assert str(feed) in text
    assert "0 runs" in doc.xpath("string(//header)") and doc.xpath('//header//a[@href="#runs"]')
