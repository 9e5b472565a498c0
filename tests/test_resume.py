"""Which run a run resumes, on a real SQLite state file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newscrawler.sources.captures import Capture
from newscrawler.sources.progress import IndexProgress, ListingProgress
from newscrawler.state.resume import RunChain


def db(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)


@pytest.mark.parametrize(
    ("ended", "resumed"),
    [(None, True), ("shutdown", True), ("export_failed", True), ("closespider_timeout", True), ("finished", False)],
)
def test_the_next_run_of_the_command_resumes_one_that_did_not_finish(
    tmp_path: Path, ended: str | None, resumed: bool
) -> None:
    first = RunChain(db(tmp_path), "run-1", "cmd")
    if ended is not None:
        first.finish(ended)
    second = RunChain(db(tmp_path), "run-2", "cmd")
    assert second.resumes == ("run-1" if resumed else None)
    assert (second.chain, second.chain_start) == (
        (first.chain, first.chain_start) if resumed else ("run-2", second.chain_start)
    )
    assert RunChain(db(tmp_path), "run-3", "other command").resumes is None


def test_a_chain_keeps_its_start_and_progress_until_a_run_of_it_finishes(tmp_path: Path) -> None:
    first = RunChain(db(tmp_path), "run-1", "cmd")
    IndexProgress(first).add("q", [Capture("20200101000000", "http://a/x", 200, "text/html")], "key-2")
    ListingProgress(first).add('["section", "en", 1, 1]', [("en", 7, "http://a/7", "20200101000000", "today")])
    first.finish("shutdown")
    second = RunChain(db(tmp_path), "run-2", "cmd")  # killed: no finish
    third = RunChain(db(tmp_path), "run-3", "cmd")
    assert (third.resumes, third.chain, third.chain_start) == ("run-2", "run-1", first.chain_start)
    assert second.chain == "run-1"
    assert list(IndexProgress(third).read("q")) == [
        ([Capture("20200101000000", "http://a/x", 200, "text/html")], "key-2")
    ]
    assert ListingProgress(third).read() == {
        '["section", "en", 1, 1]': [("en", 7, "http://a/7", "20200101000000", "today")]
    }
    assert third.done_before(first.chain_start) and not third.done_before("2000-01-01T00:00:00Z")
    assert not third.done_before(None)
    third.finish("finished")
    assert list(IndexProgress(third).read("q")) == [] and ListingProgress(third).read() == {}
    assert RunChain(db(tmp_path), "run-4", "cmd").resumes is None
