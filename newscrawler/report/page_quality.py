"""The report's quality section: field coverage per edition, dates that did not parse, outcomes by reason for the
last run and all runs, records from the generic extraction path, and the newest stories."""

from __future__ import annotations

from collections import Counter

from newscrawler.outcomes import FINAL, KINDS
from newscrawler.report import figures, quality
from newscrawler.report.markup import cell, esc, figure, paragraph, row, section, table
from newscrawler.report.page import ReportData, counter_table, latest_stories
from newscrawler.report.records import COVERAGE_FIELDS


def quality_section(d: ReportData) -> str:
    return section(
        "quality",
        "Quality",
        "<h3>Field coverage</h3>",
        coverage_part(d),
        "<h3>Dates that did not parse</h3>",
        dates_part(d),
        "<h3>Outcomes by reason</h3>",
        outcomes_part(d),
        "<h3>Extraction path</h3>",
        extraction_part(d),
        latest_stories(d),
    )


def coverage_part(d: ReportData) -> str:
    shares = quality.coverage(d.latest.values())
    if not shares:
        return paragraph("No exported record to measure.")
    editions = sorted(shares)
    rows = [
        row(
            [cell(name, "field"), *(cell(f"{shares[e][name]:.1%}", e, numeric=True) for e in editions)], data_field=name
        )
        for name in COVERAGE_FIELDS
    ]
    counts = Counter(r.edition for r in d.latest.values())
    note = paragraph(
        "Share of stories whose latest exported record holds the field ("
        + ", ".join(f"{esc(e)}: {counts[e]:,} records" for e in editions)
        + ")."
    )
    chart = figure(figures.barh_chart(shares, "% of records", percent=True), "Field coverage per edition.")
    return note + table("coverage", ["field", *editions], rows, numeric_from=1) + chart


def dates_part(d: ReportData) -> str:
    records = list(d.latest.values())
    by_edition = quality.unparsed_dates(records)
    last = d.runs[-1].dates_unparsed if d.runs else {}
    every: Counter[str] = Counter()
    for run in d.runs:
        every.update(run.dates_unparsed)
    columns = {
        **{f"records {e}": by_edition[e] for e in sorted(by_edition)},
        "last run": Counter(last),
        "all runs": every,
    }
    examples = quality.unparsed_examples(records)
    parts = [
        counter_table("dates-unparsed", columns, "field")
        if any(columns.values())
        else paragraph("Every date text parsed.", "ok")
    ]
    if examples:
        rows = [
            row(
                [
                    cell(r.edition, "edition"),
                    cell(r.story_id, "id"),
                    cell(name, "field"),
                    cell(text, "text", rtl=r.edition == "ar"),
                ]
            )
            for r, name, text in examples
        ]
        parts.append(table("unparsed-examples", ["edition", "id", "field", "date text"], rows))
    return "\n".join(parts)


def outcomes_part(d: ReportData) -> str:
    if not d.runs:
        return paragraph("No run yet.")
    last, every = quality.outcomes(d.runs[-1]), quality.outcomes_over(d.runs)
    note = paragraph(
        "Every story a run meets ends in one outcome: exported, unchanged (fetched, not changed), skipped:REASON "
        "(not fetched on purpose), dropped:REASON (asking again would not change it, e.g. a deleted story's "
        "http_404) or failed:REASON (the next run fetches it again); walk stopped early: a listing walk a guard "
        "ended before its listing's end (stories past it were never listed to the crawl). The last run is "
        + esc(d.runs[-1].run_id)
        + "."
    )
    columns = {"last run": last, "all runs": every}
    lost = {name: Counter({o: n for o, n in c.items() if o not in FINAL}) for name, c in columns.items()}
    if not any(lost.values()):
        return (
            note
            + counter_table("outcomes", columns, "outcome", order=outcome_order)
            + paragraph("No story was skipped, dropped or failed in any run.", "ok")
        )
    chart = figure(figures.barh_chart(lost, "stories", percent=False), "Stories skipped, dropped or failed.")
    return note + counter_table("outcomes", columns, "outcome", order=outcome_order) + chart


def outcome_order(outcome: str) -> tuple[int, str]:
    """Outcomes in the order of :data:`~newscrawler.outcomes.KINDS`, then by reason."""
    kind, _, reason = outcome.partition(":")
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), reason)


def extraction_part(d: ReportData) -> str:
    by_records = quality.extraction_paths(d.latest.values())
    by_runs: Counter[str] = Counter()
    for run in d.runs:
        by_runs.update(run.extraction)
    if not by_records and not by_runs:
        return paragraph("Every record came from the site's own extraction (no record names another path).")
    columns = {**{f"records {e}": by_records[e] for e in sorted(by_records)}, "all runs (stats)": by_runs}
    return counter_table("extraction", columns, "path")
