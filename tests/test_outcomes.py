"""The outcome ledger: one outcome per story met, the first one standing; open stories at the end are failures
of an interrupted run, or reported as unaccounted."""

from __future__ import annotations

import logging

import pytest

from newscrawler.outcomes import OutcomeLedger, is_outcome


@pytest.mark.parametrize(
    ("outcome", "valid"),
    [
        ("exported", True),
        ("unchanged", True),
        ("skipped:since", True),
        ("dropped:not_a_story", True),
        ("failed:http_500", True),
        ("failed:", False),
        ("failed", False),
        ("exported:twice", False),
        ("lost:x", False),
    ],
)
def test_outcome_names(outcome: str, valid: bool) -> None:
    assert is_outcome(outcome) is valid


def test_first_outcome_stands_and_met_is_idempotent() -> None:
    ledger = OutcomeLedger()
    ledger.met(("en", 1))
    ledger.met(("en", 1))
    assert ledger.end(("en", 1), "exported") is True
    assert ledger.end(("en", 1), "dropped:duplicate") is False
    ledger.met(("en", 1))  # met again after its end: still one story, one outcome
    assert ledger.counts() == {"exported": 1} and ledger.met_count == 1


def test_a_skipped_story_taken_up_after_all_gets_its_new_outcome() -> None:
    ledger = OutcomeLedger()
    ledger.end(("en", 3), "skipped:since")  # an old listing date
    ledger.met(("en", 3))  # listed again elsewhere, and fetched
    assert ledger.counts() == {} and ledger.met_count == 1
    ledger.end(("en", 3), "exported")
    assert ledger.counts() == {"exported": 1} and ledger.met_count == 1


def test_end_without_met_counts_as_met() -> None:
    ledger = OutcomeLedger()
    ledger.end("archive:abc", "skipped:known")
    assert ledger.met_count == 1 and ledger.counts() == {"skipped:known": 1}


def test_bad_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="not an outcome"):
        OutcomeLedger().end(("en", 1), "lost")


def test_open_stories_of_an_interrupted_run_fail() -> None:
    ledger = OutcomeLedger()
    ledger.met(("en", 1))
    ledger.met(("en", 2))
    ledger.end(("en", 2), "exported")
    ledger.spider_closed("rate_limited")
    assert ledger.counts() == {"exported": 1, "failed:interrupted": 1}


def test_open_stories_of_a_finished_run_are_unaccounted(caplog: pytest.LogCaptureFixture) -> None:
    ledger = OutcomeLedger()
    ledger.met(("en", 7))
    with caplog.at_level(logging.ERROR):
        ledger.spider_closed("finished")
    assert ledger.met_count == 1 and ledger.counts() == {}
    assert "1 stories met but not accounted for: ('en', 7)" in caplog.text
