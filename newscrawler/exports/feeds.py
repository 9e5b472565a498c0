"""Where a run's export goes when no ``-o``/``-O`` is given, and the run id that names it.

Layout: ``{NEWSCRAWLER_DATA_DIR}/exports/{spider}/{YYYY-MM-DD}/{run-id}.jsonl`` (``.jsonl.gz`` with
``NEWSCRAWLER_EXPORT_GZIP``), the manifest beside it as ``{run-id}.manifest.json``. The date is the run's start
day in UTC; the run id is ``{YYYYmmddTHHMMSSZ}-{8 hex}``, unique per run and sorting by start time.
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
    """The manifest published beside an export.

    >>> manifest_path(Path("/d/20261125T093000Z-ab.jsonl.gz")).name
    '20261125T093000Z-ab.manifest.json'
    """
    return export.with_name(export.name.split(".")[0] + ".manifest.json")


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
