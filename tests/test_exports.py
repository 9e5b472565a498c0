"""Per-run exports, as downstream consumers read them: json line by line, jsonschema, pandas, DuckDB."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from jsonschema import Draft202012Validator

from newscrawler.exports.schema import SCHEMA, SCHEMA_VERSION
from newscrawler.items import EXPORT_FIELDS
from newscrawler.snapshot.server import SnapshotServer
from tests.conftest import published, read_jsonl, run, scrapy_crawl

RUN_FILE = re.compile(r"exports/baghdadpost/\d{4}-\d\d-\d\d/(\d{8}T\d{6}Z-[0-9a-f]{8})\.(jsonl|manifest\.json)$")


@pytest.fixture(scope="module")
def run_dir(site: SnapshotServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("exports") / "data"
    result = scrapy_crawl(site.url, None, env={"NEWSCRAWLER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr[-3000:]
    return data


@pytest.fixture(scope="module")
def export(run_dir: Path) -> Path:
    return next(p for p in published(run_dir) if p.suffix == ".jsonl")


@pytest.fixture(scope="module")
def manifest(export: Path) -> dict[str, Any]:
    return json.loads(export.with_name(export.name.replace(".jsonl", ".manifest.json")).read_text(encoding="utf-8"))


def test_one_export_and_its_manifest_under_final_names(run_dir: Path) -> None:
    files = published(run_dir)
    assert len(files) == 2
    ids = {RUN_FILE.search(p.as_posix()).group(1) for p in files}  # type: ignore[union-attr]
    assert len(ids) == 1


def test_manifest_describes_the_export(export: Path, manifest: dict[str, Any]) -> None:
    assert manifest["export"]["sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert manifest["export"]["lines"] == 177 and manifest["export"]["file"] == export.name
    assert manifest["records"] == {"total": 177, "byEdition": {"ar": 59, "en": 118}}
    assert manifest["finishReason"] == "finished" and manifest["spider"] == "baghdadpost"
    assert manifest["schemaVersion"] == SCHEMA_VERSION
    assert manifest["runId"] == export.name.split(".")[0]
    assert set(manifest["arguments"]) == {"base_url"}
    assert manifest["notFetched"] == {"http_404": 3} and manifest["dropped"] == {}
    assert manifest["startTime"] < manifest["endTime"]


def test_json_line_by_line(export: Path, expected_records: dict[Any, Any]) -> None:
    lines = export.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        record = json.loads(line)
        assert list(record) == EXPORT_FIELDS
        expected = expected_records[(record["edition"], record["storyId"])]
        assert {k: record[k] for k in expected if k != "url"} == {k: v for k, v in expected.items() if k != "url"}
    assert "\\u06" not in export.read_text(encoding="utf-8")


def test_jsonschema(export: Path) -> None:
    validator = Draft202012Validator(SCHEMA)
    for line in export.read_text(encoding="utf-8").splitlines():
        assert list(validator.iter_errors(json.loads(line))) == []


def test_pandas(export: Path) -> None:
    frame = pd.read_json(export, lines=True)
    assert len(frame) == 177
    modified = pd.to_datetime(frame["dateModified"])
    assert str(modified.dt.tz) == "UTC+03:00"
    row = frame[(frame.edition == "ar") & (frame.storyId == 105478)].iloc[0]
    assert row.headline == "ماذا بعد مقتل المتظاهرين؟"


def test_duckdb(export: Path) -> None:
    relation = duckdb.sql(f"SELECT * FROM read_json('{export}', format='newline_delimited')")
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["dateModified"] == types["datePublished"] == "TIMESTAMP WITH TIME ZONE"
    [(count, instant, headline)] = duckdb.sql(
        f"SELECT count(*) OVER (), epoch(dateModified), headline FROM read_json('{export}', format='newline_delimited')"
        " WHERE edition = 'ar' AND storyId = 105478"
    ).fetchall()
    assert count == 1 and headline == "ماذا بعد مقتل المتظاهرين؟"
    assert instant == 1590291180  # 2020-05-24T06:33:00+03:00


def test_validate_command_accepts_it(export: Path) -> None:
    result = run(["newscrawler", "validate", str(export)])
    assert result.returncode == 0 and result.stdout == ""


def test_a_second_run_publishes_its_own_file(site: SnapshotServer, run_dir: Path, export: Path) -> None:
    before = hashlib.sha256(export.read_bytes()).hexdigest()
    result = scrapy_crawl(
        site.url,
        None,
        "-a",
        "edition=ar",
        "-a",
        "sections=14",
        "-s",
        "NEWSCRAWLER_STATE=0",
        env={"NEWSCRAWLER_DATA_DIR": str(run_dir)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    exports = [p for p in published(run_dir) if p.suffix == ".jsonl"]
    assert len(exports) == 2 and hashlib.sha256(export.read_bytes()).hexdigest() == before
    newest = max(exports, key=lambda p: p.name)
    assert len(read_jsonl(newest)) == 6


def test_gzip_export(site: SnapshotServer, tmp_path: Path) -> None:
    result = scrapy_crawl(
        site.url,
        None,
        "-a",
        "edition=en",
        "-a",
        "sections=5",
        "-s",
        "NEWSCRAWLER_EXPORT_GZIP=1",
        env={"NEWSCRAWLER_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [export] = [p for p in published(tmp_path) if p.name.endswith(".jsonl.gz")]
    assert len(gzip.decompress(export.read_bytes()).decode("utf-8").splitlines()) == 10
    manifest = json.loads(next(published(tmp_path)[0].parent.glob("*.manifest.json")).read_text(encoding="utf-8"))
    assert manifest["export"]["compression"] == "gzip" and manifest["records"]["total"] == 10
    assert run(["newscrawler", "validate", str(export)]).returncode == 0
    assert len(pd.read_json(export, lines=True)) == 10
    assert duckdb.sql(f"SELECT count(*) FROM read_json('{export}', format='newline_delimited')").fetchall() == [(10,)]


def test_dash_o_appends_and_dash_capital_o_overwrites(site: SnapshotServer, tmp_path: Path) -> None:
    out, env = tmp_path / "out.jsonl", {"NEWSCRAWLER_DATA_DIR": str(tmp_path / "data")}
    args = ("-a", "edition=en", "-a", "sections=5", "-s", "NEWSCRAWLER_STATE=0")  # every run exports everything
    assert scrapy_crawl(site.url, out, *args, env=env).returncode == 0
    assert scrapy_crawl(site.url, None, "-o", str(out), *args, env=env).returncode == 0
    assert len(read_jsonl(out)) == 20
    assert scrapy_crawl(site.url, out, *args, env=env).returncode == 0
    assert len(read_jsonl(out)) == 10
    assert published(tmp_path / "data") == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"headline": "x"}\n', "line 1: -: 'url' is a required property"),
        (b"not json\n", "line 1: -: not a JSON object"),
        (b"", None),
    ],
)
def test_validate_reports_line_and_field(export: Path, tmp_path: Path, content: bytes, expected: str | None) -> None:
    good = export.read_bytes().split(b"\n")[0] + b"\n"
    record = json.loads(good)
    record["dateModified"] = "2020-05-24 06:33"
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress(content + good + json.dumps(record).encode() + b"\n" + good[:40]))
    result = run(["newscrawler", "validate", str(bad)])
    assert result.returncode == 1
    offset = 1 if content else 0
    if expected:
        assert f"{bad}: {expected}" in result.stdout
    assert f"{bad}: line {2 + offset}: dateModified: '2020-05-24 06:33' does not match" in result.stdout
    assert f"{bad}: line {3 + offset}: -: last line has no newline" in result.stdout
