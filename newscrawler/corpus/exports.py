"""The published exports of a data directory, as units the corpus takes in order.

A run publishes ``{run-id}.jsonl[.gz]`` or, in parts, ``{run-id}.p00001.jsonl[.gz]``, ``.p00002`` ... under
``{data}/exports/{spider}/{YYYY-MM-DD}/``. Names starting with ``.`` or ending ``.part`` are never read (files
still being written). Units sort by (run id, part): run ids sort by start time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

_EXPORT = re.compile(r"^(?P<run>[^.]+)(?:\.p(?P<part>\d+))?\.jsonl(?:\.gz)?$")


class ExportUnit(NamedTuple):
    """One published export file: a whole run's, or one part of it."""

    run_id: str
    part: int
    path: Path

    @property
    def name(self) -> str:
        """``{run-id}`` or ``{run-id}.p00001``: how the corpus manifest lists it."""
        return f"{self.run_id}.p{self.part:05d}" if self.part else self.run_id


def parse_name(path: Path) -> ExportUnit | None:
    """The unit a file name stands for, or None when it is no published export.

    >>> parse_name(Path("20261125T093000Z-ab.p00002.jsonl.gz")).name
    '20261125T093000Z-ab.p00002'
    >>> [parse_name(Path(n)) for n in (".x.jsonl.1.part", "a.manifest.json", "a.warc.gz")]
    [None, None, None]
    """
    match = _EXPORT.match(path.name)
    if match is None or path.name.startswith("."):
        return None
    return ExportUnit(match["run"], int(match["part"] or 0), path)


def export_units(data: Path, spider: str) -> list[ExportUnit]:
    """Every published export of ``spider`` under ``data``, in (run id, part) order."""
    root = data / "exports" / spider
    found = (parse_name(path) for path in root.glob("*/*.jsonl*")) if root.is_dir() else iter(())
    return sorted((unit for unit in found if unit is not None), key=lambda u: (u.run_id, u.part))
