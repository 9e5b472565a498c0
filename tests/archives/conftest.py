"""Archives of the bundled snapshot, built once per session (see tests/support/archives.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.archives import TwoMoments, build_two_moments
from tests.support.pywb import Pywb
from tests.support.shims import CommonCrawlShim, IAShim


@pytest.fixture(scope="session")
def moments(tmp_path_factory: pytest.TempPathFactory) -> TwoMoments:
    return build_two_moments(tmp_path_factory.mktemp("archives"))


def compare(got: dict[tuple[str, int], dict[str, Any]], moments: TwoMoments, source: str) -> list[str]:
    """Differences between exported records and the expected ones, one line each (empty: identical)."""
    problems = [f"missing {key}" for key in moments.expected if key not in got]
    problems += [f"unexpected {key}" for key in got if key not in moments.expected]
    for key, expected in moments.expected.items():
        record = got.get(key)
        if record is None:
            continue
        wanted = {k: v for k, v in expected.items() if k not in ("metadata", "captureTimestamp")}
        problems += [f"{key} {k}: {record.get(k)!r} != {v!r}" for k, v in wanted.items() if record.get(k) != v]
        metadata = record["metadata"]
        if metadata.get("captureTimestamp") != expected["captureTimestamp"] or metadata.get("source") != source:
            problems.append(f"{key} metadata: {metadata}")
    return problems


#: Common Crawl crawl ids of the two moments (pywb collections of those names).
CRAWLS = ("CC-TEST-2020-45", "CC-TEST-2020-47")
#: No politeness delays against loopback servers.
FAST = ["-s", "NEWSCRAWLER_CDX_DELAY=0", "-s", "NEWSCRAWLER_REPLAY_DELAY=0", "-s", "NEWSCRAWLER_REPLAY_CONCURRENCY=8"]


@pytest.fixture(scope="session")
def pywb(moments: TwoMoments, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pywb]:
    """A real pywb: collection ``snap`` holds both moments; one collection per moment as Common Crawl crawls."""
    collections = {"snap": moments.warcs, CRAWLS[0]: moments.warcs[:1], CRAWLS[1]: moments.warcs[1:]}
    with Pywb(tmp_path_factory.mktemp("pywb"), collections) as server:
        yield server


@pytest.fixture(scope="session")
def ia(pywb: Pywb) -> Iterator[IAShim]:
    with IAShim(pywb.url + "/snap") as shim:
        yield shim


@pytest.fixture(scope="session")
def commoncrawl(pywb: Pywb) -> Iterator[CommonCrawlShim]:
    with CommonCrawlShim(pywb.url, {crawl: pywb.archive_dir(crawl) for crawl in CRAWLS}) as shim:
        yield shim
