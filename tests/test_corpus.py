"""The corpus as consumers get it: five incremental runs against a site that changes between them (stories
added, edited, deleted, back again), the corpus after each equal to that revision's expected records; rebuilt
from the exports alone byte for byte; read by pandas, DuckDB and pyarrow with typed columns."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from newscrawler.exports.schema import problems
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import SNAPSHOT, published, read_jsonl, run, scrapy_crawl
from tests.support.corpus_data import story, write_export
from tests.support.mutate import SiteCopy

Key = tuple[str, int]
RECENT, LIKE = ("en", 50603), ("en", 22455)
NEW = [("en", 50700), ("en", 50701)]
HEADLINES = {NEW[0]: "Parliament approves the 2021 budget", NEW[1]: "Curfew lifted in Basra"}
LISTED = {NEW[0]: "14 November 2020 10:00 AM", NEW[1]: "14 November 2020 11:30 AM"}
UPDATE = "Update: officials confirmed the report."


class Revisions:
    """The site copy and the records a full, correct crawl of its current revision holds (``removed``: the keys
    gone from the site, whose last content the corpus keeps)."""

    def __init__(self, root: Path) -> None:
        self.site = SiteCopy(root)
        self.expected: dict[Key, dict[str, Any]] = {
            (r["edition"], r["storyId"]): {k: v for k, v in r.items() if k != "url"}
            for r in read_jsonl(SNAPSHOT / "expected.jsonl")
        }
        self.removed: set[Key] = set()
        self.pages: dict[Key, dict[str, Any]] = {}

    def add(self, key: Key) -> None:
        self.site.add_story(LIKE, key[1], HEADLINES[key], LISTED[key], "pages/en/section/1_1.html")
        slug = "-".join(HEADLINES[key].split())
        self.expected[key] = {
            **self.expected[LIKE],
            "storyId": key[1],
            "headline": HEADLINES[key],
            "canonicalUrl": f"https://www.thebaghdadpost.com/en/Story/{key[1]}/{slug}",
            "datePublished": "2020-11-14T" + ("10:00" if key == NEW[0] else "11:30") + ":00+03:00",
            "datePublishedRaw": LISTED[key],
        }

    def change(self, key: Key, old: str, new: str, iso: str) -> None:
        self.site.change_story(*key, old, new)
        record = self.expected[key]
        record.update(dateModified=iso, dateModifiedRaw=new, articleBody=f"{UPDATE}\n\n{record['articleBody']}")

    def delete(self, key: Key) -> None:
        self.pages[key] = copy.deepcopy(self.site.manifest[self.site.story_path(*key)])
        self.site.delete_story(*key)
        self.removed.add(key)

    def restore(self, key: Key) -> None:
        path = next(p for p in self.site.manifest if p.lower().startswith(f"/{key[0]}/story/{key[1]}/"))
        self.site.manifest[path] = self.pages.pop(key)
        self.removed.discard(key)


def crawl(site_root: Path, data: Path) -> str:
    with SnapshotServer(site_root) as server:
        result = scrapy_crawl(server.url, None, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def corpus_records(corpus: Path) -> dict[Key, dict[str, Any]]:
    records = {}
    for path in sorted((corpus / "jsonl").rglob("*.jsonl.gz")):
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            record = json.loads(line)
            key = (record["edition"], record["storyId"])
            assert key not in records, f"{key} twice in the corpus"
            records[key] = record
    return records


def snapshot_of(revisions: Revisions, corpus: Path) -> dict[str, Any]:
    """What the test checks after a run: the expected records then, and the corpus as it was."""
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    return {
        "expected": copy.deepcopy(revisions.expected),
        "removed": set(revisions.removed),
        "records": corpus_records(corpus),
        "manifest": manifest,
        "checksums_ok": all(
            hashlib.sha256((corpus / f["file"]).read_bytes()).hexdigest() == f["sha256"]
            for entry in manifest["partitions"].values()
            for f in entry["files"].values()
        ),
    }


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("corpus")
    revisions, data = Revisions(base / "site"), base / "data"
    corpus = data / "corpus" / "baghdadpost"
    steps = []
    logs = [crawl(revisions.site.root, data)]
    steps.append(snapshot_of(revisions, corpus))
    revisions.add(NEW[0])
    revisions.change(
        RECENT, "Friday، 13 November 2020 05:28 AM", "Saturday، 14 November 2020 09:00 AM", "2020-11-14T09:00:00+03:00"
    )
    for step in (
        [],
        [lambda: revisions.add(NEW[1]), lambda: revisions.delete(RECENT)],
        [lambda: revisions.delete(NEW[0])],
        [lambda: revisions.restore(RECENT)],
    ):
        for change in step:
            change()
        revisions.site.save()
        logs.append(crawl(revisions.site.root, data))
        steps.append(snapshot_of(revisions, corpus))
    return {"data": data, "corpus": corpus, "steps": steps, "logs": logs}


def test_corpus_equals_each_revision(history: dict[str, Any]) -> None:
    for number, step in enumerate(history["steps"], 1):
        got, expected = step["records"], step["expected"]
        assert set(got) == set(expected), f"run {number}"
        for key, record in expected.items():
            assert {k: got[key].get(k) for k in record} == record, f"run {number}: {key}"
            removed = got[key]["removed"]
            assert (removed is not None) == (key in step["removed"]), f"run {number}: {key} removed={removed}"
        assert step["checksums_ok"] and step["manifest"]["records"]["total"] == len(expected)
        assert step["manifest"]["records"]["removed"] == len(step["removed"])
        assert len(step["manifest"]["runs"]) == number


def test_removed_story_keeps_content_and_when_first_seen_gone(history: dict[str, Any]) -> None:
    third, fourth, fifth = history["steps"][2:]
    gone = third["records"][RECENT]
    assert gone["articleBody"].startswith(UPDATE) and gone["removed"].endswith("Z")
    assert gone["removed"] >= gone["metadata"]["dateDownloaded"]
    assert fourth["records"][RECENT]["removed"] == gone["removed"]  # first seen gone, not last
    assert fifth["records"][RECENT]["removed"] is None and fifth["records"][RECENT]["metadata"]["version"] == 4


def test_exports_say_deletions_line_by_line(history: dict[str, Any]) -> None:
    exports = sorted(p for p in published(history["data"]) if p.name.endswith(".jsonl"))
    third = read_jsonl(exports[2])
    [deletion] = [r for r in third if r["removed"]]
    assert (deletion["edition"], deletion["storyId"]) == RECENT and "headline" not in deletion
    assert deletion["metadata"]["version"] == 3
    assert all(list(problems(path)) == [] for path in exports)


def test_rebuild_from_exports_alone_is_byte_identical(history: dict[str, Any], tmp_path: Path) -> None:
    shutil.copytree(history["data"] / "exports", tmp_path / "exports")
    result = run(["newscrawler", "corpus", "--data", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    assert "stories (1 removed) from 5 export(s)" in result.stdout
    ours, rebuilt = history["corpus"], tmp_path / "corpus" / "baghdadpost"
    files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert files == sorted(
        p.relative_to(rebuilt) for p in rebuilt.rglob("*") if p.is_file() and p.name != "manifest.json"
    )
    assert all((ours / f).read_bytes() == (rebuilt / f).read_bytes() for f in files)


@pytest.fixture(scope="module")
def mixed(history: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five runs' exports plus one later export with a record read by the generic extractor."""
    data = tmp_path_factory.mktemp("mixed")
    shutil.copytree(history["data"] / "exports", data / "exports")
    generic = story(7, downloaded="2099-01-01T00:00:00Z")
    generic["metadata"]["extraction"] = {"method": "generic", "generic": ["headline", "articleBody"]}
    write_export(data, "20990101T000000Z-00000000", [generic])
    assert run(["newscrawler", "corpus", "--data", str(data)]).returncode == 0
    return data / "corpus" / "baghdadpost"


def test_read_by_duckdb(mixed: Path) -> None:
    db = duckdb.connect()
    parquet = db.sql(f"SELECT * FROM read_parquet('{mixed}/parquet/*/*.parquet')")
    types = dict(zip(parquet.columns, map(str, parquet.types), strict=True))
    assert types["datePublished"] == "TIMESTAMP WITH TIME ZONE" and types["removed"] == "TIMESTAMP WITH TIME ZONE"
    assert types["authors"] == 'STRUCT("name" VARCHAR, url VARCHAR)[]'
    assert 'extraction STRUCT("method" VARCHAR, generic VARCHAR[])' in types["metadata"]
    methods = db.sql(
        f"SELECT metadata.extraction.method, count(*) FROM read_json('{mixed}/jsonl/*/*.jsonl.gz') GROUP BY 1"
    ).fetchall()
    assert dict(methods) == {"site": 179, "generic": 1}
    removed = db.sql(f"SELECT count(*) FROM read_parquet('{mixed}/parquet/*/*.parquet') WHERE removed IS NOT NULL")
    assert removed.fetchall() == [(1,)]  # deleted in run 4 (the one of run 3 was back in run 5)


def test_read_by_pandas(mixed: Path) -> None:
    frame = pd.read_parquet(mixed / "parquet")
    assert len(frame) == 180 and str(frame["datePublished"].dtype) == "datetime64[us, UTC]"
    assert frame["storyId"].dtype == "int64"
    with_authors = [authors for authors in frame["authors"] if len(authors)]
    assert with_authors and all(set(author) == {"name", "url"} for authors in with_authors for author in authors)
    assert frame["metadata"].map(lambda m: m["extraction"]["method"]).value_counts().to_dict() == {
        "site": 179,
        "generic": 1,
    }
    lines = pd.concat(pd.read_json(p, lines=True) for p in sorted((mixed / "jsonl").rglob("*.jsonl.gz")))
    assert {type(m["extraction"]) for m in lines["metadata"]} == {dict}


def test_read_by_pyarrow(mixed: Path) -> None:
    table = ds.dataset(mixed / "parquet", format="parquet").to_table()
    assert table.schema.field("datePublished").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("authors").type == pa.list_(pa.struct([("name", pa.string()), ("url", pa.string())]))
    extraction = table.schema.field("metadata").type.field("extraction").type
    assert extraction == pa.struct([("method", pa.string()), ("generic", pa.list_(pa.string()))])
    assert table.num_rows == 180


def test_sigkill_during_an_update_leaves_the_previous_corpus_whole(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_export(data, "20260101T000000Z-aaaaaaaa", [story(n) for n in range(6000)])
    assert run(["newscrawler", "corpus", "--data", str(data)]).returncode == 0
    corpus = data / "corpus" / "baghdadpost"
    before = snapshot_files(corpus)
    write_export(data, "20260102T000000Z-bbbbbbbb", [story(n, 2, "2026-01-02T00:00:00Z") for n in range(0, 6000, 3)])
    command = [str(Path(sys.executable).parent / "newscrawler"), "corpus", "--update", "--data", str(data)]
    update = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    partial = data / "corpus" / ".generations" / "baghdadpost" / "00000002" / "parquet"
    deadline = time.monotonic() + 60
    while not any(partial.rglob("*.parquet")) and update.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    update.send_signal(signal.SIGKILL)
    assert update.wait() == -signal.SIGKILL, "the update ended before it could be killed"
    assert snapshot_files(corpus) == before and corpus.resolve().name == "00000001"
    again = run(["newscrawler", "corpus", "--update", "--data", str(data)])
    assert again.returncode == 0 and "6000 stories (0 removed) from 2 export(s)" in again.stdout
    records = corpus_records(corpus)
    assert len(records) == 6000 and {r["metadata"]["version"] for r in records.values()} == {1, 2}
    shutil.copytree(data / "exports", tmp_path / "alone" / "exports")
    assert run(["newscrawler", "corpus", "--data", str(tmp_path / "alone")]).returncode == 0
    assert snapshot_files(corpus) == snapshot_files(tmp_path / "alone" / "corpus" / "baghdadpost")


def snapshot_files(corpus: Path) -> dict[str, bytes]:
    """Every partition and index file of the corpus generation the link points to, by name (checked against its
    manifest's checksums first)."""
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    for entry in manifest["partitions"].values():
        for file in entry["files"].values():
            assert hashlib.sha256((corpus / file["file"]).read_bytes()).hexdigest() == file["sha256"]
    return {
        str(p.relative_to(corpus)): p.read_bytes() for p in corpus.rglob("*") if p.is_file() and p.suffix != ".json"
    }
