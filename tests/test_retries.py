"""Retries outlast transient faults: each case a real crawl against the fault server on 127.0.0.1."""

from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

import pytest

from newscrawler.snapshot.faults import FaultPlan, FaultServer
from tests.conftest import SNAPSHOT
from tests.support.faulty import crawl

#: One small section: 6 Arabic stories on one listing page.
SMALL = ["edition=ar", "sections=14"]
STORY, OTHER = "/ar/story/105478", "/ar/story/98060"
SMALL_STORIES = {("ar", i) for i in (114781, 105478, 98060, 89227, 74579, 24696)}


def serve(**script: list[str]) -> FaultServer:
    return FaultServer(SNAPSHOT, FaultPlan(), script={k.replace("_", "/"): v for k, v in script.items()})


def scripted(script: dict[str, list[str]]) -> FaultServer:
    return FaultServer(SNAPSHOT, FaultPlan(), script=script)


def test_transient_503_then_200(tmp_path: Path) -> None:
    with scripted({STORY: ["503"]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(result.records) == SMALL_STORIES
    assert result.stat("retry/count") == 1


def test_retry_after_pauses_the_whole_host(tmp_path: Path) -> None:
    with scripted({STORY: ["429:5"]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(result.records) == SMALL_STORIES
    assert result.stat("retry/count") == 0 and result.stat("newscrawler/retry_after/count") >= 1
    limited = next(t for t, _, _, what in server.log.entries if what == "429:5")
    later = [round(t - limited, 2) for t, _, _, _ in server.log.entries if t > limited]
    # Requests already on the wire when the 429 went out arrive within milliseconds; then nothing for 5 s.
    assert not [t for t in later if 0.3 <= t < 4.95], later
    assert len([t for t in later if t < 0.3]) == server.log.counts["in_retry_after_window"]


def test_retry_after_as_http_date(tmp_path: Path) -> None:
    until = int(time.time()) + 12  # room for a slow start on a loaded machine: the 429 must come well before
    with scripted({STORY: [f"429:{formatdate(until, usegmt=True)}"]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert set(result.records) == SMALL_STORIES and result.returncode == 0
    limited = next(t for t, _, _, what in server.log.entries if what.startswith("429:"))
    early = [t for t, _, _, _ in server.log.entries if limited + 0.3 <= t < until - 0.05]
    assert until - limited > 2 and not early, (limited, until, early)


def test_retry_after_garbage_is_backoff(tmp_path: Path) -> None:
    with scripted({STORY: ["429:soon"]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert set(result.records) == SMALL_STORIES and result.returncode == 0
    assert result.stat("retry/count") == 1 and result.stat("newscrawler/retry_after/count") == 0


def test_retry_after_too_long_stops_the_run(tmp_path: Path) -> None:
    with scripted({STORY: ["429:86400"]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert result.returncode == 1
    assert result.manifest["finishReason"] == "rate_limited"
    assert "above NEWSCRAWLER_MAX_RETRY_AFTER=600" in result.stderr
    assert ("ar", 105478) not in result.records


def test_persistent_500_fails_the_story_only(tmp_path: Path) -> None:
    with scripted({STORY: ["500"] * 10}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL, "-s", "NEWSCRAWLER_MONITOR_MAX_FAILED=0")
    assert set(result.records) == SMALL_STORIES - {("ar", 105478)}
    assert result.manifest["outcomes"] == {"exported": 5, "failed:http_500": 1}
    assert result.stat("retry/count") == 3
    assert "story not fetched (http_500)" in result.stderr
    assert result.returncode == 1  # the monitor of failed stories, set to allow none
    assert "stories failed/failed stories within their limit: 1 stories failed, above 0" in result.stderr


@pytest.mark.parametrize("fault", ["truncate", "chunked", "reset", "stall", "502", "empty"])
def test_one_transient_fault_costs_nothing(tmp_path: Path, fault: str) -> None:
    plan = FaultPlan(stall_s=5.0)
    with FaultServer(SNAPSHOT, plan, script={STORY: [fault], OTHER: [fault, fault]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL, "-s", "DOWNLOAD_TIMEOUT=1")
    assert set(result.records) == SMALL_STORIES, result.stderr[-3000:]


def test_soft_error_then_story(tmp_path: Path) -> None:
    with scripted({STORY: ["soft"], OTHER: ["soft", "soft", "soft"]}) as server:
        result = crawl(server.url, tmp_path / "data", *SMALL)
    assert set(result.records) == SMALL_STORIES - {("ar", 98060)}
    assert result.stat("newscrawler/soft_retry/count") == 3
    assert result.stat("newscrawler/dropped/not_a_story") == 1
