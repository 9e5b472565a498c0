"""Runs as the report sees them: one per published manifest, plus the runs the crawl state discarded (a run that
stopped before its export was published leaves no manifest, only a ``discarded`` row in the state)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawler.report.records import RecordSummary, read_records


@dataclass(frozen=True)
class Run:
    """One run: when, how it ended, what it exported and why stories were lost."""

    run_id: str
    start: datetime | None
    end: datetime | None
    finish_reason: str | None
    requests: int = 0
    records: int = 0
    by_edition: dict[str, int] = field(default_factory=dict)
    new: int | None = None
    changed: int | None = None
    dates_unparsed: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    extraction: dict[str, int] = field(default_factory=dict)
    #: Records without datePublished, and what reading an archive met (damaged records, digests matching no
    #: convention, unresolved revisits).
    undated: int = 0
    archive: dict[str, int] = field(default_factory=dict)
    #: Listing walks a guard stopped early, by ``{reason}/{listing}``.
    walks_stopped_early: dict[str, int] = field(default_factory=dict)
    monitors_failed: tuple[str, ...] = ()
    export: Path | None = None
    manifest: Path | None = None

    @property
    def succeeded(self) -> bool:
        """Finished cleanly, export published, no monitor failed (as ``scrapy crawl``'s exit status judges)."""
        return self.finish_reason == "finished" and self.manifest is not None and not self.monitors_failed

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, when both are known."""
        return (self.end - self.start).total_seconds() if self.start and self.end else None

    @property
    def verdict(self) -> str:
        if self.succeeded:
            return "succeeded"
        if self.manifest is None:
            return "failed: nothing published"
        if self.finish_reason != "finished":
            return f"failed: {self.finish_reason}"
        return f"failed: monitors {', '.join(self.monitors_failed)}"


def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 time (``Z`` or offset; naive read as UTC) as an aware datetime, or None.

    >>> parse_time("2026-11-25T09:30:00.5Z").isoformat(), parse_time(None), parse_time("soon")
    ('2026-11-25T09:30:00.500000+00:00', None, None)
    """
    try:
        parsed = datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed and parsed.tzinfo is None else parsed


def flat_counts(value: Any, prefix: str = "") -> dict[str, int]:
    """Counts by reason from a manifest entry: ``{reason: n}`` or nested ``{kind: {reason: n}}`` flattened to
    ``kind/reason``; anything else ignored.

    >>> flat_counts({"dropped": {"no_body": 2}, "exported": 5, "note": "x"})
    {'dropped/no_body': 2, 'exported': 5}
    """
    if not isinstance(value, dict):
        return {}
    counts: dict[str, int] = {}
    for key, inner in value.items():
        name = f"{prefix}{key}"
        if isinstance(inner, bool):
            continue
        if isinstance(inner, int | float):
            counts[name] = int(inner)
        else:
            counts.update(flat_counts(inner, f"{name}/"))
    return counts


def archive_counts(manifest: dict[str, Any]) -> dict[str, int]:
    """What an archive run met that may cost stories, by reason.

    >>> archive_counts({"archiveUnreadable": {"bad_gzip": 1}, "archiveDigests": {"passed": 9, "mismatch": 2},
    ...                 "revisitsUnresolved": {"count": 3, "named": ["t u"]}})
    {'unreadable/bad_gzip': 1, 'digest_mismatch': 2, 'revisit_unresolved': 3}
    """
    counts = flat_counts(manifest.get("archiveUnreadable"), "unreadable/")
    mismatch = int((manifest.get("archiveDigests") or {}).get("mismatch") or 0)
    unresolved = int((manifest.get("revisitsUnresolved") or {}).get("count") or 0)
    return {
        **counts,
        **({"digest_mismatch": mismatch} if mismatch else {}),
        **({"revisit_unresolved": unresolved} if unresolved else {}),
    }


def failed_monitors(manifest: dict[str, Any]) -> tuple[str, ...]:
    results = (manifest.get("monitors") or {}).get("results") or {}
    return tuple(sorted(n for n, outcome in results.items() if str(outcome).startswith("failed")))


def run_from_manifest(path: Path, manifest: dict[str, Any], records: list[RecordSummary] | None) -> Run:
    """The :class:`Run` a manifest describes; ``records`` (its export, read) split new from changed."""
    export = path.with_name(str((manifest.get("export") or {}).get("file") or ""))
    versions = [r.version for r in records] if records is not None else None
    return Run(
        run_id=str(manifest.get("runId") or path.name.split(".")[0]),
        start=parse_time(manifest.get("startTime")),
        end=parse_time(manifest.get("endTime")),
        finish_reason=manifest.get("finishReason"),
        requests=int(manifest.get("requests") or 0),
        records=int((manifest.get("records") or {}).get("total") or 0),
        by_edition=flat_counts((manifest.get("records") or {}).get("byEdition")),
        new=None if versions is None else sum(1 for v in versions if v is None or v <= 1),
        changed=None if versions is None else sum(1 for v in versions if v is not None and v > 1),
        dates_unparsed=flat_counts(manifest.get("datesUnparsed")),
        outcomes=flat_counts(manifest.get("outcomes")) or legacy_outcomes(manifest),
        extraction=flat_counts(manifest.get("extraction")),
        undated=int(manifest.get("undated") or 0),
        archive=archive_counts(manifest),
        walks_stopped_early=flat_counts(manifest.get("walksStoppedEarly")),
        monitors_failed=failed_monitors(manifest),
        export=export if export.name and export.is_file() else None,
        manifest=path,
    )


def legacy_outcomes(manifest: dict[str, Any]) -> dict[str, int]:
    """The outcomes of a manifest written before it counted them: its records exported, its ``dropped`` and
    ``notFetched`` (a 404 or 410 is ``dropped``, as the crawl counts it now; anything else ``failed``).

    >>> legacy_outcomes({"records": {"total": 5}, "dropped": {"no_body": 1}, "notFetched": {"http_404": 2}})
    {'exported': 5, 'dropped:no_body': 1, 'dropped:http_404': 2}
    """
    counts = {"exported": int((manifest.get("records") or {}).get("total") or 0)}
    counts.update({f"dropped:{reason}": n for reason, n in flat_counts(manifest.get("dropped")).items()})
    for reason, n in flat_counts(manifest.get("notFetched")).items():
        counts[f"{'dropped' if reason in ('http_404', 'http_410') else 'failed'}:{reason}"] = n
    return {outcome: n for outcome, n in counts.items() if n}


def manifest_files(data: Path) -> list[Path]:
    """Every published manifest under ``{data}/exports``, oldest run first (run ids sort by start time)."""
    return sorted((data / "exports").glob("*/*/*.manifest.json"), key=lambda p: p.name)


def load_runs(data: Path, state: Path | None) -> tuple[list[Run], dict[str, list[RecordSummary]]]:
    """The runs under ``data`` (and the discarded ones ``state`` knows), oldest first, with each readable
    export's records by run id."""
    runs, exported = [], {}
    for path in manifest_files(data):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        export = path.with_name(str((manifest.get("export") or {}).get("file") or "-"))
        records = read_records(export) if export.is_file() else None
        run = run_from_manifest(path, manifest, records)
        runs.append(run)
        if records is not None:
            exported[run.run_id] = records
    known = {run.run_id for run in runs}
    runs += [run for run in discarded_runs(state) if run.run_id not in known]
    return sorted(runs, key=lambda r: (r.start or datetime.min.replace(tzinfo=UTC), r.run_id)), exported


def discarded_runs(state: Path | None) -> list[Run]:
    """Runs the crawl state staged but discarded: they stopped before their export was published."""
    if state is None or not state.is_file():
        return []
    with closing(sqlite3.connect(f"file:{state}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT run_id, staged_at FROM runs WHERE status = 'discarded'").fetchall()
    return [Run(run_id, run_id_time(run_id) or parse_time(staged), None, None) for run_id, staged in rows]


def run_id_time(run_id: str) -> datetime | None:
    """The start time a run id begins with (``YYYYmmddTHHMMSSZ-…``), or None.

    >>> run_id_time("20261125T093000Z-ab12cd34").isoformat(), run_id_time("manual")
    ('2026-11-25T09:30:00+00:00', None)
    """
    try:
        return datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
