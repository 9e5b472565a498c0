"""What the README shows is true: its sample records are the bundled snapshot's, its section table is what the
snapshot's home pages link, and its WARC rebuild glob finds the files a crawl writes."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from parsel import Selector
from scrapy.settings import Settings

from newscrawler.baghdadpost import listing
from newscrawler.baghdadpost.urls import path_info
from newscrawler.exports.feeds import export_path
from newscrawler.items import EXPORT_FIELDS
from newscrawler.snapshot.manifest import Snapshot
from newscrawler.sources.warcfiles import expand_paths
from newscrawler.state.policy import content_hash
from tests.conftest import ROOT, SNAPSHOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section_of(title: str) -> str:
    return README.split(f"\n### {title}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def same_but_cut(shown: Any, expected: Any) -> bool:
    """``shown`` equals ``expected``, except that a string ending in ``…`` need only begin ``expected``."""
    if isinstance(shown, str) and shown.endswith("…"):
        return isinstance(expected, str) and expected.startswith(shown[:-1]) and len(shown) > 20
    if isinstance(shown, dict) and isinstance(expected, dict):
        return shown.keys() == expected.keys() and all(same_but_cut(shown[k], expected[k]) for k in shown)
    if isinstance(shown, list) and isinstance(expected, list):
        return len(shown) == len(expected) and all(map(same_but_cut, shown, expected))
    return bool(shown == expected)


def test_sample_records_are_the_snapshots(expected_records: dict[tuple[str, int], dict[str, Any]]) -> None:
    samples = [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", section_of("Sample records"), re.S)]
    assert [s["edition"] for s in samples] == ["en", "ar"]
    for sample in samples:
        assert list(sample) == EXPORT_FIELDS
        expected = expected_records[(sample["edition"], sample["storyId"])]
        assert same_but_cut(sample["url"], expected["canonicalUrl"])  # fetched from the real host
        assert sample["metadata"]["extraction"] == {"method": "site", "generic": []} and sample["removed"] is None
        assert same_but_cut(sample["metadata"]["contentHash"], content_hash(expected))
        for name in (n for n in EXPORT_FIELDS if n not in ("url", "removed", "metadata")):
            assert same_but_cut(sample[name], expected[name]), name


def test_section_table_is_what_the_home_pages_link() -> None:
    snapshot = Snapshot.load(SNAPSHOT)
    linked = set()
    for edition in ("en", "ar"):
        answer = snapshot.resolve(f"/{edition}/")
        for link in listing.section_links(Selector(body=answer.body, type="html"), edition):
            info = path_info(link.href)
            linked.add((edition, str(info.ident), info.slug))
    rows = re.findall(r"^\| `(en|ar)` \| (\d+) \| `([^`]+)` \|", section_of("Sections"), re.M)
    assert {(e, i, unquote(slug)) for e, i, slug in rows} == linked and len(rows) == len(linked)


def test_warc_rebuild_glob_finds_the_crawls_warcs(tmp_path: Any) -> None:
    """The README's pattern, with ``data`` the data directory, matches the WARC a run writes beside its export."""
    [pattern] = set(re.findall(r"W='(data/[^']+)'", README))
    data = tmp_path / "data"
    settings = Settings({"NEWSCRAWLER_DATA_DIR": str(data), "NEWSCRAWLER_EXPORT_GZIP": False})
    run_id = "20261125T093000Z-0123abcd"
    warc = export_path(settings, "baghdadpost", run_id).with_name(f"{run_id}.warc.gz")
    warc.parent.mkdir(parents=True)
    warc.write_bytes(b"")
    assert expand_paths(str(tmp_path / pattern)) == [warc]
    assert "data/warc/" not in README
