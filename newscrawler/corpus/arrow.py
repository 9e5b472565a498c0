"""Parquet columns typed from the record's JSON Schema: a ``date-time`` string is a timestamp (UTC, with time
zone), an integer ``int64``, an array a list, an object a struct, anything else a string. Written with pyarrow.

Every key the schema lists is a column, in the schema's order; a key a record lacks is null.
"""

from __future__ import annotations

from datetime import datetime
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


def _typed(value: Any, kind: pa.DataType) -> Any:
    """``value`` as pyarrow takes it for ``kind``: date-time text parsed, structs and lists converted inside."""
    if value is None:
        return None
    if kind == TIMESTAMP:
        return datetime.fromisoformat(value)
    if pa.types.is_struct(kind):
        return {field.name: _typed(value.get(field.name), field.type) for field in kind}
    if pa.types.is_list(kind):
        return [_typed(item, kind.value_type) for item in value]
    return value


def write_parquet(records: list[dict[str, Any]], path: Path) -> None:
    """Write ``records`` to ``path`` as one Parquet file with the record schema (zstd)."""
    schema = record_schema()
    columns = {field.name: [_typed(r.get(field.name), field.type) for r in records] for field in schema}
    table = pa.Table.from_pydict(columns, schema=schema)
    pq.write_table(table, path, compression="zstd")
