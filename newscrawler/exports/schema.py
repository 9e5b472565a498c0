"""The record's JSON Schema (draft 2020-12, shipped in the package) and validation of export files."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, NamedTuple

# Read as package data: the package may be a zipped egg (scrapyd), where no file path exists.
SCHEMA: dict[str, Any] = json.loads(files("newscrawler.exports").joinpath("article.schema.json").read_text("utf-8"))
#: Changes only by the rules in the README: major for a removed, renamed or retyped key; minor for an added one.
SCHEMA_VERSION: str = SCHEMA["schemaVersion"]


class Problem(NamedTuple):
    """One problem in an export: where (line, field) and what."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(SCHEMA)
    return Draft202012Validator(SCHEMA)


def read_lines(path: Path) -> list[bytes]:
    """The lines of an export, plain or gzip (told by its first bytes); the last keeps no newline of its own."""
    raw = path.read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    return data.split(b"\n")


def problems(path: Path) -> Iterator[Problem]:
    """Every problem of an export file, line by line: invalid JSON, schema violations, a half-written last line."""
    lines = read_lines(path)
    if lines[-1] != b"":
        yield Problem(len(lines), "-", "last line has no newline (half-written file?)")
    for number, line in enumerate(lines[:-1], 1):
        yield from _line_problems(number, line)


def _line_problems(number: int, line: bytes) -> Iterator[Problem]:
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield Problem(number, "-", f"not a JSON object: {exc}")
        return
    for error in sorted(_validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]):
        field = ".".join(str(part) for part in error.absolute_path) or "-"
        yield Problem(number, field, error.message)
