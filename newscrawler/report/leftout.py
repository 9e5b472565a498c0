"""The runs the report does not show, and why: it reads per-run exports and their manifests, so a manifest it
cannot read, or a run that published none (``-o``/``-O`` write Scrapy's own feeds; ``NEWSCRAWLER_EXPORT`` off
writes no file), is left out, and says so."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from newscrawler.report.runs import Run, manifest_files

#: Examples named per reason.
SHOWN = 3


def left_out(data: Path, state: Path | None, runs: list[Run]) -> list[str]:
    """One sentence per reason runs were left out (with how many and a few examples); empty when none was."""
    shown = {run.manifest for run in runs} | {run.run_id for run in runs}
    unreadable = [f"{p.name} ({why})" for p in manifest_files(data) if p not in shown and (why := _unreadable(p))]
    feeds: list[str] = []
    nothing: list[str] = []
    for run_id, export in _state_runs(state):
        if run_id not in shown:
            (feeds if export else nothing).append(f"{run_id} ({export})" if export else run_id)
    sentences = []
    if unreadable:
        sentences.append(f"{len(unreadable)} manifests could not be read: {_some(unreadable)}.")
    if feeds:
        sentences.append(
            f"{len(feeds)} runs the crawl state knows wrote Scrapy's own feeds (-o/-O), which have no manifest: "
            f"{_some(feeds)}."
        )
    if nothing:
        sentences.append(f"{len(nothing)} runs the crawl state knows published no export: {_some(nothing)}.")
    return sentences


def _some(names: list[str]) -> str:
    more = len(names) - SHOWN
    return ", ".join(names[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def _unreadable(path: Path) -> str | None:
    """Why a manifest cannot be read, or None when it can."""
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return error.strerror or type(error).__name__
    except ValueError:
        return "not JSON"
    return None


def _state_runs(state: Path | None) -> list[tuple[str, str]]:
    """``(run_id, export)`` of every run the crawl state applied (``export`` empty when it wrote no file)."""
    if state is None or not state.is_file():
        return []
    try:
        with closing(sqlite3.connect(f"file:{state}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT run_id, export_path FROM runs WHERE status = 'applied' ORDER BY run_id")
            return [(str(run_id), str(export or "")) for run_id, export in rows.fetchall()]
    except sqlite3.Error:
        return []
