"""Run monitors: each threshold is a setting, and a failed monitor makes ``newscrawler crawl`` exit 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import LOOPBACK, published, run
from tests.support.mutate import SiteCopy


def newscrawler_crawl(base_url: str, data: Path, *extra: str) -> tuple[int, str, dict[str, Any]]:
    result = run(
        ["newscrawler", "crawl", f"base_url={base_url}", *LOOPBACK, *extra],
        env={"NEWSCRAWLER_DATA_DIR": str(data)},
        cwd=data.parent,
    )
    manifests = [p for p in published(data) if p.name.endswith(".manifest.json")]
    manifest = json.loads(manifests[-1].read_text(encoding="utf-8")) if manifests else {}
    return result.returncode, result.stderr, manifest


@pytest.fixture
def empty_site(tmp_path: Path) -> Path:
    """A site whose home pages link to nothing (down for maintenance)."""
    root = tmp_path / "empty"
    (root / "pages").mkdir(parents=True)
    (root / "pages" / "home.html").write_text("<html><body><p>Maintenance</p></body></html>")
    (root / "pages" / "404.html").write_text("<html><body>404</body></html>")
    html = {"Content-Type": "text/html; charset=utf-8"}
    manifest = {f"/{ed}/": {"file": "pages/home.html", "status": 200, "headers": html} for ed in ("en", "ar")}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_empty_site_fails_the_run(empty_site: Path, tmp_path: Path) -> None:
    with SnapshotServer(empty_site) as server:
        code, stderr, manifest = newscrawler_crawl(server.url, tmp_path / "data")
    assert code == 1
    assert "monitors failed: stories listed/within its threshold: 0 is below NEWSCRAWLER_MONITOR_MIN_LISTED=1" in stderr
    assert manifest["monitors"]["passed"] is False and manifest["records"]["total"] == 0


def test_healthy_run_passes_and_reports_every_monitor(site: SnapshotServer, tmp_path: Path) -> None:
    code, stderr, manifest = newscrawler_crawl(site.url, tmp_path / "data")
    assert code == 0, stderr[-2000:]
    results = manifest["monitors"]["results"]
    assert manifest["monitors"]["passed"] is True and len(results) == 15
    assert not [name for name, outcome in results.items() if outcome.startswith("failed")]


@pytest.mark.parametrize(
    ("settings", "failure"),
    [
        (["NEWSCRAWLER_MONITOR_MIN_RECORDS=1000"], "records exported/within its threshold: 177 is below"),
        (['NEWSCRAWLER_MONITOR_COVERAGE={"dateModified": 1.0}'], "dateModified in 96.6% of records, below 100%"),
        (["NEWSCRAWLER_MONITOR_MAX_4XX=2", "NEWSCRAWLER_MONITOR_MAX_4XX_SHARE=0"], "3 4xx answers, above 2 ("),
        (["NEWSCRAWLER_MONITOR_MAX_4XX=0", "NEWSCRAWLER_MONITOR_MAX_4XX_SHARE=0.01"], "3 4xx answers, above 2.15 ("),
    ],
)
def test_threshold_settings(site: SnapshotServer, tmp_path: Path, settings: list[str], failure: str) -> None:
    options = [part for setting in settings for part in ("-s", setting)]
    code, stderr, manifest = newscrawler_crawl(site.url, tmp_path / "data", *options)
    assert code == 1
    assert failure in stderr
    assert manifest["monitors"]["passed"] is False


def test_unparsed_date_fails(tmp_path: Path) -> None:
    site = SiteCopy(tmp_path / "site")
    path = site.story_path("en", 11554)
    page = site.root / site.manifest[path]["file"]
    page.write_text(page.read_text("utf-8").replace("Tuesday، 06 June 2017 07:14 PM", "Tuesday، 06 Juin 2017"))
    with SnapshotServer(site.root) as server:
        code, stderr, manifest = newscrawler_crawl(server.url, tmp_path / "data")
    assert code == 1
    assert "dates not parsed/within its threshold: 1 is above NEWSCRAWLER_MONITOR_MAX_DATE_FAILURES=0" in stderr
    assert manifest["datesUnparsed"] == {"dateModified": 1}


def test_finish_reason_fails(site: SnapshotServer, tmp_path: Path) -> None:
    code, stderr, manifest = newscrawler_crawl(site.url, tmp_path / "data", "sections=999")
    assert code == 1
    assert "Finish Reason Monitor" in stderr and manifest["finishReason"] == "unknown_section"


def test_bad_argument_is_one_line(tmp_path: Path) -> None:
    result = run(["newscrawler", "crawl", "edition=fr"], env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown edition 'fr': use en, ar or all"
