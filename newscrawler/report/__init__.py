"""``newscrawler report``: one self-contained HTML file (inline SVG charts, no script, no network) from a data
directory's run manifests, exports and crawl state.

Sections: runs over time (records new and changed, requests, duration, verdict; the last runs with links to
their files), the archive (stories per day per edition, gaps marked), stories per section, and quality (field
coverage per edition, dates that did not parse, outcomes by reason, extraction paths, the newest stories).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from newscrawler.report.archive import fill_sections, stories_from_records, stories_from_state
from newscrawler.report.leftout import left_out
from newscrawler.report.markup import document, esc
from newscrawler.report.page import ReportData, archive_section, runs_section, sections_section
from newscrawler.report.page_quality import quality_section
from newscrawler.report.records import latest_versions
from newscrawler.report.runs import load_runs


class ReportError(Exception):
    """The report cannot be built; the message is one line for the user."""


def default_state(data: Path) -> Path:
    """Where a crawl keeps its state under ``data`` by default: the site's own, else the state of the mirror or
    snapshot crawled last (``newscrawler@{host}.sqlite3``)."""
    own = data / "state" / "newscrawler.sqlite3"
    scoped = sorted((data / "state").glob("newscrawler@*.sqlite3"), key=lambda p: p.stat().st_mtime)
    return own if own.is_file() or not scoped else scoped[-1]


def load(data: Path, output: Path, state: Path | None = None) -> ReportData:
    """Everything the report shows; the archive from the crawl state when there is one, else from the exports."""
    state = state if state is not None else default_state(data)
    has_state = state.is_file()
    runs, exported = load_runs(data, state if has_state else None)
    if not runs and not has_state:
        raise ReportError(
            f"nothing to report under {data}: no run manifest and no crawl state (runs with -o/-O write only their "
            "feed, and keep no state unless -s NEWSCRAWLER_STATE=1)"
        )
    latest = latest_versions(exported[r.run_id] for r in runs if r.run_id in exported)
    if has_state:
        stories, source = fill_sections(stories_from_state(state), latest), f"the crawl state {state}"
    else:
        stories, source = stories_from_records(latest), "the exported records (no crawl state)"
    missing = tuple(left_out(data, state if has_state else None, runs))
    return ReportData(output.resolve(), runs, exported, latest, stories, source, missing)


def render(d: ReportData, data: Path) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        "<header><h1>newscrawler: what the crawls did</h1>"
        f'<p class="meta">Data directory {esc(data)}; {len(d.runs)} runs{_left_out(d)}; generated {when}.</p>'
        '<nav><a href="#runs">Runs</a><a href="#archive">Archive</a><a href="#sections">Sections</a>'
        '<a href="#quality">Quality</a></nav></header>'
    )
    sections = [runs_section(d), archive_section(d), sections_section(d), quality_section(d)]
    return document("newscrawler report", header, sections)


def _left_out(d: ReportData) -> str:
    return ' (<a href="#runs">some left out</a>)' if d.left_out else ""


def write_report(data: Path, output: Path, state: Path | None = None) -> Path:
    """Build the report of ``data`` and publish it atomically at ``output``; return ``output``."""
    d = load(data, output, state)
    part = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(render(d, data), encoding="utf-8")
        part.replace(output)  # a reader sees the old report or the new one, never half of one
    except OSError as error:
        raise ReportError(f"cannot write {output}: {error.strerror or error}") from None
    return output
