"""Where a run's export goes when no ``-o``/``-O`` is given, and the run id that names it.

Layout: ``{NEWSCRAWLER_DATA_DIR}/exports/{spider}/{YYYY-MM-DD}/{run-id}.jsonl`` (``.jsonl.gz`` with
``NEWSCRAWLER_EXPORT_GZIP``), the manifest beside it as ``{run-id}.manifest.json``. The date is the run's start
day in UTC; the run id is ``{YYYYmmddTHHMMSSZ}-{8 hex}``, unique per run and sorting by start time. A run that
reaches a checkpoint (:mod:`newscrawler.exports.checkpoints`) publishes its export in parts instead:
``{run-id}.p00001.jsonl`` with ``{run-id}.p00001.manifest.json``, then ``.p00002``..., sorting in order.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from newscrawler.items import EXPORT_FIELDS

SCHEME = "atomic://"


def new_run_id(now: datetime | None = None) -> str:
    """A new run id: start time (UTC) and 8 random hex digits.

    >>> new_run_id(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))[:17]
    '20261125T093000Z-'
    """
    return f"{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def data_dir(settings: BaseSettings) -> Path:
    """``NEWSCRAWLER_DATA_DIR`` as an absolute path."""
    return Path(settings.get("NEWSCRAWLER_DATA_DIR") or "data").expanduser().resolve()


def export_path(settings: BaseSettings, spider: str, run_id: str) -> Path:
    """The final path of a run's export."""
    day = f"{run_id[0:4]}-{run_id[4:6]}-{run_id[6:8]}"
    suffix = ".jsonl.gz" if settings.getbool("NEWSCRAWLER_EXPORT_GZIP") else ".jsonl"
    return data_dir(settings) / "exports" / spider / day / f"{run_id}{suffix}"


def warc_path(settings: BaseSettings, spider: str, run_id: str) -> Path:
    """The final path of a run's WARC (``NEWSCRAWLER_WARC``): beside its export, ``{run-id}.warc.gz``."""
    return export_path(settings, spider, run_id).with_name(f"{run_id}.warc.gz")


def manifest_path(export: Path) -> Path:
    """The manifest published beside an export (or one part of it).

    >>> manifest_path(Path("/d/20261125T093000Z-ab.jsonl.gz")).name
    '20261125T093000Z-ab.manifest.json'
    >>> manifest_path(Path("/d/20261125T093000Z-ab.p00002.jsonl")).name
    '20261125T093000Z-ab.p00002.manifest.json'
    """
    run_id, _, rest = export.name.partition(".")
    part = rest.split(".")[0] if rest.startswith("p") and rest[1:6].isdigit() else ""
    return export.with_name(f"{run_id}.{part}.manifest.json" if part else f"{run_id}.manifest.json")


def part_of(export: Path, part: int) -> Path:
    """The path of part ``part`` (1-based) of the export whose single-file path is ``export``.

    >>> part_of(Path("/d/20261125T093000Z-ab.jsonl.gz"), 3).name
    '20261125T093000Z-ab.p00003.jsonl.gz'
    """
    run_id, _, suffix = export.name.partition(".")
    return export.with_name(f"{run_id}.p{part:05d}.{suffix}")


def part_number(export: Path) -> int | None:
    """The part an export file is (``None``: the whole run in one file).

    >>> part_number(Path("/d/20261125T093000Z-ab.p00012.jsonl")), part_number(Path("/d/20261125T093000Z-ab.jsonl"))
    (12, None)
    """
    rest = export.name.partition(".")[2]
    return int(rest[1:6]) if rest.startswith("p") and rest[1:6].isdigit() else None


def default_feeds(settings: BaseSettings, spider: str, run_id: str) -> dict[str, dict[str, Any]]:
    """The ``FEEDS`` value for a run's per-run export (``%`` escaped: Scrapy fills URI parameters with it)."""
    path = export_path(settings, spider, run_id)
    options: dict[str, Any] = {"format": "jsonl", "encoding": "utf-8", "fields": EXPORT_FIELDS, "store_empty": True}
    if path.suffix == ".gz":
        options["postprocessing"] = ["scrapy.extensions.postprocessing.GzipPlugin"]
    return {SCHEME + str(path).replace("%", "%%"): options}


def uses_default_export(settings: BaseSettings) -> bool:
    """True when the run writes the per-run export: no ``FEEDS`` given and ``NEWSCRAWLER_EXPORT`` on."""
    return not settings.getdict("FEEDS") and settings.getbool("NEWSCRAWLER_EXPORT", True)
