"""Stricter arguments: unknown or misspelt spider arguments, sections of the other edition, plain-text help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newscrawler.snapshot.server import SnapshotServer
from newscrawler.spiders.arguments import SPIDER_ARGUMENTS
from tests.conftest import LOOPBACK, run, scrapy_crawl

KNOWN = f"known arguments: {', '.join(SPIDER_ARGUMENTS)}"


def _newscrawler_crawl(base_url: str, *args: str) -> list[str]:
    return ["newscrawler", "crawl", f"base_url={base_url}", *args, *LOOPBACK]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("scrapy", f"error: unknown spider argument 'bogus'; {KNOWN}"),
        ("newscrawler", f"error: unknown spider argument 'bogus'; {KNOWN}"),
    ],
)
def test_unknown_argument_is_one_line_exit_2_before_any_request(
    site: SnapshotServer, tmp_path: Path, command: str, message: str
) -> None:
    before = len(site.requests)
    if command == "scrapy":
        result = scrapy_crawl(site.url, tmp_path / "o.jsonl", "-a", "bogus=1")
    else:
        result = run(_newscrawler_crawl(site.url, "bogus=1", "-O", str(tmp_path / "o.jsonl")))
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert len(site.requests) == before
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize(
    ("given", "meant"), [("edtion", "edition"), ("section", "sections"), ("maxpages", "max_pages")]
)
def test_misspelt_argument_suggests_the_closest(site: SnapshotServer, tmp_path: Path, given: str, meant: str) -> None:
    result = run(_newscrawler_crawl(site.url, f"{given}=en", "-O", str(tmp_path / "o.jsonl")))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: unknown spider argument {given!r} (did you mean {meant!r}?); {KNOWN}"


def test_every_known_argument_passes_the_name_check(site: SnapshotServer, tmp_path: Path) -> None:
    """The check is derived from SPIDER_ARGUMENTS: every listed name gets past it (to the value checks)."""
    for name in SPIDER_ARGUMENTS:
        result = scrapy_crawl(site.url, tmp_path / "o.jsonl", "-a", f"{name}=\x01")
        assert "unknown spider argument" not in result.stderr, name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-a", "edition=ar", "-a", "sections=1"],
            "section(s) 1 belong to the en edition, not ar: use -a edition=en or edition=all",
        ),
        (
            ["-a", "edition=en", "-a", "sections=Iran,عراقيات,999"],
            "section(s) عراقيات belong to the ar edition, not en: use -a edition=ar or edition=all; "
            "unknown section(s): 999",
        ),
    ],
)
def test_section_of_the_other_edition_says_so(
    site: SnapshotServer, tmp_path: Path, args: list[str], message: str
) -> None:
    result = scrapy_crawl(site.url, tmp_path / "o.jsonl", *args)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert errors[0].endswith(message), errors


MARKUP = re.compile(r"``|:[a-z]+:`|`_")


@pytest.mark.parametrize("command", [[], ["serve"], ["demo"], ["validate"], ["report"]])
def test_help_is_plain_text(command: list[str]) -> None:
    result = run(["newscrawler", *command, "--help"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: newscrawler")
    assert not MARKUP.search(result.stdout), result.stdout
