"""``scrapy parse`` and ``scrapy check`` as a Scrapy user types them, against snapshots served on 127.0.0.1:
parse fetches the one page asked for and nothing else (requests counted at the server, the crawl state's bytes
unchanged), check runs the spider's contracts and fails when the markup breaks."""

from __future__ import annotations

import ast
import hashlib
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from newscrawler.items import EXPORT_FIELDS
from newscrawler.snapshot.faults import FaultPlan, FaultServer
from newscrawler.snapshot.server import SnapshotServer
from newscrawler.spiders.arguments import SPIDER_ARGUMENTS
from tests.conftest import SNAPSHOT, run, scrapy_crawl
from tests.tools.redesign import redesign

QUICK = ["-s", "DOWNLOAD_DELAY=0"]


def digests(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` by relative path, with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def parse(url: str, base_url: str | None, data: Path, *extra: str) -> CompletedProcess[str]:
    base = ["-a", f"base_url={base_url}"] if base_url else []
    command = ["scrapy", "parse", "--spider", "baghdadpost", "--nocolour", *base, *QUICK, *extra, url]
    return run(command, env={"NEWSCRAWLER_DATA_DIR": str(data)})


def printed_items(stdout: str) -> list[dict[str, Any]]:
    """The items ``scrapy parse`` printed (a Python literal after ``# Scraped Items``)."""
    block = stdout.split("# Scraped Items", 1)[1].split("\n", 1)[1].split("# Requests", 1)[0]
    items: list[dict[str, Any]] = ast.literal_eval(block.strip())
    return items


def assert_quiet(result: CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and " ERROR" not in result.stderr, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose crawl state knows stories (a parse must neither revisit nor change them)."""
    data = tmp_path_factory.mktemp("parse-data")
    with SnapshotServer(SNAPSHOT) as server:
        result = scrapy_crawl(
            server.url, None, "-a", "edition=en", "-a", "sections=6", env={"NEWSCRAWLER_DATA_DIR": str(data)}
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert list((data / "state").glob("newscrawler@127.0.0.1.sqlite3"))  # a snapshot's own state (issue 20)
    return data


def test_parse_fetches_any_url_of_a_story_alone(crawled: Path, expected_records: dict[Any, Any]) -> None:
    """Canonical URL in other cases and another slug, a mirror's URL, an Arabic story through the pipelines:
    one request each, the record printed, the crawl state's files unchanged, nothing on stderr."""
    before = digests(crawled)
    cases = [
        ("https://WWW.TheBaghdadPost.com/EN/story/11554/Another-Slug", ("en", 11554), ()),
        ("{mirror}/en/Story/20131/Countdown-to-mullahs-belligerence-begins", ("en", 20131), ()),
        ("https://www.thebaghdadpost.com/ar/Story/114781/x", ("ar", 114781), ("--pipelines",)),
    ]
    with SnapshotServer(SNAPSHOT) as a, SnapshotServer(SNAPSHOT) as b, SnapshotServer(SNAPSHOT) as c:
        servers = (a, b, c)
        with ThreadPoolExecutor(len(cases)) as pool:
            results = list(
                pool.map(
                    lambda case, server: parse(case[0].format(mirror=server.url), server.url, crawled, *case[2]),
                    cases,
                    servers,
                )
            )
        for (url, key, extra), server, result in zip(cases, servers, results, strict=True):
            assert result.returncode == 0, (url, result.stderr[-3000:])
            assert_quiet(result)
            assert result.stderr == ""
            assert len(server.requests) == 1, (url, server.requests)  # no robots.txt, no revisit, no other page
            [item] = printed_items(result.stdout)
            expected = expected_records[key]
            assert (item["edition"], item["storyId"], item["headline"]) == (key[0], key[1], expected["headline"])
            assert item["canonicalUrl"] == expected["canonicalUrl"]
            assert item["url"].startswith(server.url)
            if extra:  # through the pipelines: the record as exported, its body cleaned, its dates normalised
                assert sorted(item) == sorted(EXPORT_FIELDS)  # no working field (Scrapy prints keys sorted)
                assert item["articleBody"] == expected["articleBody"]
                assert item["dateModified"] == expected["dateModified"]
    assert digests(crawled) == before


def test_parse_says_what_a_page_without_a_record_is_and_bad_input_is_one_line(
    site: SnapshotServer, tmp_path: Path
) -> None:
    """A listing: its links shown, one line saying what it is, exit 0 (a home page too); a deleted story: one
    line, exit 1; a URL of another host or a misspelt argument: one line, exit 2, no request. Never a
    traceback, nothing written."""
    before = len(site.requests)
    resetting = FaultServer(SNAPSHOT, FaultPlan({"reset": 1.0}))
    calls = {
        "reset": ("https://www.thebaghdadpost.com/en/Story/11554/x", ("-a", f"base_url={resetting.url}")),
        "listing": ("https://www.thebaghdadpost.com/en/Section/3/Iran", ()),
        "deleted": (f"{site.url}/en/Story/22648/x", ()),
        "home": ("https://www.thebaghdadpost.com/en/", ("--pipelines",)),
        "elsewhere": ("http://127.0.0.2:9/en/Story/1/x", ()),
        "misspelt": (f"{site.url}/en/", ("-a", "edtion=en")),
    }
    with resetting, ThreadPoolExecutor(len(calls)) as pool:
        futures = {name: pool.submit(parse, url, site.url, tmp_path, *extra) for name, (url, extra) in calls.items()}
        results = {name: future.result() for name, future in futures.items()}
    lines = {name: result.stderr.splitlines() for name, result in results.items()}
    codes = {name: result.returncode for name, result in results.items()}
    assert codes == {"reset": 1, "listing": 0, "deleted": 1, "home": 0, "elsewhere": 2, "misspelt": 2}, lines
    assert printed_items(results["listing"].stdout) == []
    assert re.findall(r"<GET (\S+)>", results["listing"].stdout)  # the links it would follow, not fetched
    assert lines == {
        "reset": [f"no record: {resetting.url}/en/Story/11554/x not fetched (connection_lost)"],
        "listing": [f"no record: {site.url}/en/Section/3/Iran is a section listing (edition en, section 3, page 1)"],
        "deleted": [
            f"no record: {site.url}/en/Story/22648/x is a story page (edition en, story 22648), answered HTTP 404"
        ],
        "home": [f"no record: {site.url}/en/ is the home page of the en edition"],
        "elsewhere": [
            "error: http://127.0.0.2:9/en/Story/1/x is on neither https://www.thebaghdadpost.com nor base_url "
            f"{site.url}: give -a base_url= of its host"
        ],
        "misspelt": [
            "error: unknown spider argument 'edtion' (did you mean 'edition'?); known arguments: "
            + ", ".join(SPIDER_ARGUMENTS)
        ],
    }
    assert len(site.requests) == before + 3  # one page each for the three that fetched
    assert resetting.requests == ["/en/Story/11554/x"]  # a reset connection is not retried
    assert list(tmp_path.iterdir()) == []  # nothing written: no state, no export


def check(base_url: str, data: Path) -> CompletedProcess[str]:
    return run(["scrapy", "check", "-v", "-a", f"base_url={base_url}", *QUICK], env={"NEWSCRAWLER_DATA_DIR": str(data)})


def test_check_runs_real_contracts_against_the_served_snapshot(tmp_path: Path) -> None:
    """Every callback has contracts; they pass on the bundled snapshot, fetching their pages only (one is a
    redirect), writing nothing; served a redesigned copy (class names gone), the extraction contracts fail."""
    redesigned = redesign(SNAPSHOT, tmp_path / "redesigned")
    with SnapshotServer(SNAPSHOT) as good, SnapshotServer(redesigned) as broken:
        with ThreadPoolExecutor(2) as pool:
            passed, failed = pool.map(check, (good.url, broken.url), (tmp_path / "a", tmp_path / "b"))
        assert passed.returncode == 0, passed.stderr[-3000:]
        ran = int(re.search(r"Ran (\d+) contracts", passed.stderr)[1])  # type: ignore[index]
        assert ran >= 15 and passed.stderr.rstrip().endswith("OK")
        for callback in ("parse", "parse_home", "parse_listing", "parse_story"):
            assert f"[baghdadpost] {callback} (@returns post-hook) ... ok" in passed.stderr
        assert len(good.requests) == 5 and not any("robots" in p for p in good.requests), good.requests
        assert failed.returncode == 1, failed.stderr[-3000:]
        failures = set(re.findall(r"^FAIL: \[baghdadpost\] (\w+) \(@(\w+) post-hook\)", failed.stderr, re.M))
        assert {("parse_story", "extracted_by"), ("parse", "extracted_by"), ("parse_listing", "no_stats")} <= failures
        assert "extracted by 'generic', not 'site'" in failed.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_check_without_a_reachable_site_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{free.getsockname()[1]}"
    result = check(nobody, tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: cannot reach base_url {nobody}: Connection refused"]
