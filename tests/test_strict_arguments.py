"""Stricter arguments: unknown or misspelt spider arguments, sections of the other edition, plain-text help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newscrawler.baghdadpost.urls import EDITIONS
from newscrawler.snapshot.server import SnapshotServer
from newscrawler.sources.arguments import ARCHIVE_ARGUMENT_DOCS
from newscrawler.spiders.arguments import LIVE_ARGUMENT_DOCS, SPIDER_ARGUMENTS, parse_arguments
from tests.conftest import LOOPBACK, read_jsonl, run, scrapy_crawl

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


def test_crawl_help_lists_every_argument_with_meaning_and_default(site: SnapshotServer, tmp_path: Path) -> None:
    """``newscrawler crawl --help`` shows the table the arguments are checked against; the spider's name given
    first (``newscrawler crawl baghdadpost NAME=VALUE``) runs the crawl."""
    out = tmp_path / "o.jsonl"
    helped = run(["newscrawler", "crawl", "--help"])
    command = _newscrawler_crawl(site.url, "edition=en", "sections=6", "max_pages=1", "-O", str(out))
    crawled = run([*command[:2], "baghdadpost", *command[2:]])
    assert helped.returncode == 0 and helped.stderr == "", helped.stderr
    text = helped.stdout
    assert text.startswith("usage: newscrawler crawl [baghdadpost] [NAME=VALUE ...]")
    assert not MARKUP.search(text) and max(map(len, text.splitlines())) <= 100
    entries = re.findall(r"^  (\w+)=\S+(?:\s+(.*))?$", text, re.M)
    assert [name for name, _ in entries] == list(SPIDER_ARGUMENTS)
    for doc in (*LIVE_ARGUMENT_DOCS, *ARCHIVE_ARGUMENT_DOCS):
        assert f"(default: {doc.default})" in text and doc.meaning.split(":")[0].split(" (")[0] in text, doc.name
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert len(read_jsonl(out)) == 12 and {r["edition"] for r in read_jsonl(out)} == {"en"}


def test_argument_table_defaults_are_the_checks_defaults() -> None:
    """What the help says a missing argument means is what parse_arguments makes of it."""
    docs = {doc.name: doc.default for doc in (*LIVE_ARGUMENT_DOCS, *ARCHIVE_ARGUMENT_DOCS)}
    parsed = parse_arguments()
    assert (docs["edition"], parsed.editions) == ("all", EDITIONS)
    assert (docs["base_url"], docs["source"]) == (parsed.base_url, parsed.source.kind)
    assert (parsed.since, parsed.max_pages, parsed.full, parsed.sections) == (None, None, False, frozenset())
    assert docs["full"] == "0" and docs["max_pages"] == "all" and docs["since"] == "none"
    for name in ("cdx_url", "archive_url", "cc_index_url", "cc_data_url"):
        assert docs[name] == getattr(parsed.source, name), name
