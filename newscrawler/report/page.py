"""The report's sections as HTML: runs, archive, sections, quality."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newscrawler.report import figures
from newscrawler.report.archive import Gap, Story, find_gaps, per_day, per_section
from newscrawler.report.markup import cell, esc, figure, link, paragraph, row, section, table
from newscrawler.report.records import RecordSummary
from newscrawler.report.runs import Run

#: Runs listed in the table (the chart shows all).
TABLE_RUNS = 20


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, loaded from one data directory."""

    output: Path
    runs: list[Run]
    exported: dict[str, list[RecordSummary]]
    latest: dict[tuple[str, int], RecordSummary]
    stories: list[Story]
    archive_source: str
    #: Why runs are not shown (:mod:`newscrawler.report.leftout`), one sentence per reason.
    left_out: tuple[str, ...] = ()


def _number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def runs_section(d: ReportData) -> str:
    left_out = [paragraph("Left out: " + esc(" ".join(d.left_out)), "left-out")] if d.left_out else []
    if not d.runs:
        none = paragraph("No run has published a manifest under this data directory.")
        return section("runs", "Runs", none, *left_out)
    failed = [r for r in d.runs if not r.succeeded]
    last = d.runs[-1]
    summary = (
        f"{len(d.runs)} runs, {len(d.runs) - len(failed)} succeeded, "
        f'<span class="{"bad" if failed else "ok"}">{len(failed)} failed</span>. '
        f"Last run {esc(last.run_id)}: <span class={'ok' if last.succeeded else 'bad'}>{esc(last.verdict)}</span>."
    )
    chart = figure(figures.runs_chart(d.runs), "Records exported per run (new, changed); requests and duration.")
    table_title = f"<h3>Last {TABLE_RUNS} runs</h3>"
    return section("runs", "Runs", paragraph(summary), *left_out, chart, table_title, runs_table(d))


def runs_table(d: ReportData) -> str:
    headers = ["run", "start (UTC)", "verdict", "export", "manifest"]
    headers += ["duration (s)", "requests", "records", "new", "changed", "en", "ar"]
    rows = []
    for run in reversed(d.runs[-TABLE_RUNS:]):
        cells = [
            cell(run.run_id, "run"),
            cell(f"{run.start:%Y-%m-%d %H:%M:%S}" if run.start else "-", "start"),
            cell(run.verdict, "verdict"),
            cell(link(run.export, d.output, run.export.name if run.export else ""), "export", raw=True),
            cell(link(run.manifest, d.output, "manifest"), "manifest", raw=True),
            cell(_number(run.duration, 1), "duration", numeric=True),
            cell(run.requests, "requests", numeric=True),
            cell(run.records, "records", numeric=True),
            cell(_number(run.new), "new", numeric=True),
            cell(_number(run.changed), "changed", numeric=True),
            *(cell(run.by_edition.get(e, 0), f"records-{e}", numeric=True) for e in ("en", "ar")),
        ]
        rows.append(row(cells, data_run=run.run_id, **{"class": "" if run.succeeded else "failed"}))
    return table("last-runs", headers, rows, numeric_from=5)


def archive_section(d: ReportData) -> str:
    if not d.stories:
        return section("archive", "Archive", paragraph("No story is known yet."))
    editions = sorted({s.edition for s in d.stories})
    daily = {e: per_day(d.stories, e) for e in editions}
    gaps = [gap for e in editions for gap in find_gaps(e, daily[e])]
    rows = [_edition_row(e, daily[e], gaps) for e in editions if daily[e]]
    parts = [
        paragraph(
            f"From {esc(d.archive_source)}. A gap is a run of days without a story where the week on each "
            "side averaged at least two stories a day: a section walk that stopped early, a listing that broke."
        ),
        table(
            "archive-editions",
            ["edition", "first day", "last day", "stories", "days with stories", "gaps"],
            rows,
            numeric_from=3,
        ),
        figure(figures.daily_chart({e: daily[e] for e in editions if daily[e]}, gaps), "Stories per day."),
        "<h3>Gaps</h3>",
        gaps_table(gaps) if gaps else paragraph("No gap.", "ok"),
    ]
    undated = sum(1 for s in d.stories if s.day is None)
    if undated:
        parts.insert(1, paragraph(f"{undated} stories have no listed date and are not in the chart."))
    return section("archive", "Archive", *parts)


def _edition_row(edition: str, daily: dict[date, int], gaps: list[Gap]) -> str:
    cells = [
        cell(edition, "edition"),
        cell(min(daily), "first"),
        cell(max(daily), "last"),
        cell(sum(daily.values()), "stories", numeric=True),
        cell(sum(1 for n in daily.values() if n), "days", numeric=True),
        cell(sum(1 for g in gaps if g.edition == edition), "gaps", numeric=True),
    ]
    return row(cells, data_edition=edition)


def gaps_table(gaps: list[Gap]) -> str:
    rows = [
        row(
            [
                cell(g.edition, "edition"),
                cell(g.first, "first"),
                cell(g.last, "last"),
                cell(g.days, "days", numeric=True),
                cell(f"{g.before:.1f}", "before", numeric=True),
                cell(f"{g.after:.1f}", "after", numeric=True),
            ],
            data_gap=f"{g.edition}-{g.first}",
            **{"class": "failed"},
        )
        for g in gaps
    ]
    headers = ["edition", "first day", "last day", "days", "stories/day before", "stories/day after"]
    return table("gaps", headers, rows, numeric_from=3)


def sections_section(d: ReportData) -> str:
    counts = per_section(d.stories)
    if not counts:
        return section("sections", "Stories per section", paragraph("No story is known yet."))
    rows = [
        row(
            [cell(edition, "edition"), cell(name, "section", rtl=edition == "ar"), cell(n, "stories", numeric=True)],
            data_edition=edition,
        )
        for edition in sorted(counts)
        for name, n in counts[edition].most_common()
    ]
    chart = figure(figures.barh_chart(counts, "stories", percent=False), "Stories per section, by edition.")
    return section(
        "sections",
        "Stories per section",
        chart,
        table("section-counts", ["edition", "section", "stories"], rows, numeric_from=2),
    )


def latest_stories(d: ReportData, limit: int = 8) -> str:
    """The newest stories in the exports (their latest version), per edition, with their headlines."""
    if not d.latest:
        return paragraph("No export to show stories from.")
    rows = []
    for edition in sorted({r.edition for r in d.latest.values()}):
        mine = (r for r in d.latest.values() if r.edition == edition)
        rows += [_story_row(r) for r in sorted(mine, key=lambda r: r.published or "", reverse=True)[:limit]]
    title = f"<h3>Newest stories, {limit} per edition</h3>"
    return title + table("latest-stories", ["edition", "id", "published", "section", "headline"], rows)


def _story_row(r: RecordSummary) -> str:
    rtl = r.edition == "ar"
    cells = [
        cell(r.edition, "edition"),
        cell(r.story_id, "id"),
        cell(r.published or "-", "published"),
        cell(r.section or "-", "section", rtl=rtl),
        cell(r.headline or "-", "headline", rtl=rtl),
    ]
    return row(cells, data_story=f"{r.edition}-{r.story_id}")


def counter_table(
    table_id: str, columns: dict[str, Counter[str]], first: str, order: Callable[[str], Any] | None = None
) -> str:
    """One row per key of any column (sorted, or by ``order``), one numeric column per named counter."""
    keys = sorted({k for counts in columns.values() for k in counts}, key=order)
    rows = [
        row(
            [cell(k, first), *(cell(counts.get(k, 0), name, numeric=True) for name, counts in columns.items())],
            data_reason=k,
        )
        for k in keys
    ]
    return table(table_id, [first, *columns], rows, numeric_from=1)
