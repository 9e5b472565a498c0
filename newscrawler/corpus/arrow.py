"""Parquet columns typed from the record's JSON Schema: a ``date-time`` string is a timestamp (UTC, with time
zone), an integer ``int64``, an array a list, an object a struct, anything else a string. Written with pyarrow.

Every key the schema lists is a column, in the schema's order; a key a record lacks is null.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawler.exports.schema import SCHEMA

TIMESTAMP = pa.timestamp("us", tz="UTC")


def arrow_type(node: dict[str, Any]) -> pa.DataType:
    """The Arrow type of a JSON Schema node.

    >>> str(arrow_type({"type": ["string", "null"], "format": "date-time"}))
    'timestamp[us, tz=UTC]'
    >>> str(arrow_type({"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}))
    'list<item: struct<name: string>>'
    """
    for branch in node.get("oneOf", []):  # a nullable object: the object's type
        if branch.get("type") != "null":
            return arrow_type(branch)
    kinds = node.get("type", "string")
    kind = next((k for k in ([kinds] if isinstance(kinds, str) else kinds) if k != "null"), "string")
    if kind == "object":
        return pa.struct([(name, arrow_type(child)) for name, child in node.get("properties", {}).items()])
    if kind == "array":
        return pa.list_(arrow_type(node.get("items", {})))
    if kind == "integer":
        return pa.int64()
    return TIMESTAMP if node.get("format") == "date-time" else pa.string()


@cache
def record_schema() -> pa.Schema:
    """The Arrow schema of a record (:data:`~newscrawler.exports.schema.SCHEMA`)."""
    return pa.schema([(name, arrow_type(node)) for name, node in SCHEMA["properties"].items()])


@cache
def text_schema() -> pa.Schema:
    """:func:`record_schema` with every timestamp as text: records are read in as they are, then cast."""
    return pa.schema([(field.name, _as_text(field.type)) for field in record_schema()])


def _as_text(kind: pa.DataType) -> pa.DataType:
    if kind == TIMESTAMP:
        return pa.string()
    if pa.types.is_struct(kind):
        return pa.struct([(field.name, _as_text(field.type)) for field in kind])
    if pa.types.is_list(kind):
        return pa.list_(_as_text(kind.value_type))
    return kind


def write_parquet(records: list[dict[str, Any]], path: Path) -> None:
    """Write ``records`` to ``path`` as one Parquet file with the record schema (zstd); date-time text (ISO 8601
    with offset) is cast by Arrow to UTC timestamps."""
    table = pa.Table.from_pylist(records, schema=text_schema()).cast(record_schema())
    pq.write_table(table, path, compression="zstd")
