"""Quality figures: field coverage per edition, dates that did not parse, outcomes by reason, extraction paths."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newscrawler.report.records import COVERAGE_FIELDS, RecordSummary
from newscrawler.report.runs import Run


def coverage(records: Iterable[RecordSummary]) -> dict[str, dict[str, float]]:
    """Share of records holding each field, by edition then field.

    >>> from newscrawler.report.records import summarise
    >>> rows = [summarise({"edition": "en", "headline": "a"}), summarise({"edition": "en", "headline": ""})]
    >>> coverage(rows)["en"]["headline"], coverage(rows)["en"]["authors"]
    (0.5, 0.0)
    """
    totals: Counter[str] = Counter()
    filled: dict[str, Counter[str]] = {}
    for record in records:
        totals[record.edition] += 1
        filled.setdefault(record.edition, Counter()).update(record.filled)
    return {
        edition: {name: filled[edition][name] / total for name in COVERAGE_FIELDS}
        for edition, total in sorted(totals.items())
    }


def unparsed_dates(records: Iterable[RecordSummary]) -> dict[str, Counter[str]]:
    """Records whose date text did not parse, by edition then field."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        for name, _raw in record.unparsed:
            counts.setdefault(record.edition, Counter())[name] += 1
    return counts


def unparsed_examples(records: Iterable[RecordSummary], limit: int = 10) -> list[tuple[RecordSummary, str, str]]:
    """Up to ``limit`` ``(record, field, text)`` of date texts that did not parse, distinct texts first seen."""
    seen: dict[str, tuple[RecordSummary, str, str]] = {}
    for record in records:
        for name, raw in record.unparsed:
            seen.setdefault(raw, (record, name, raw))
    return list(seen.values())[:limit]


def outcomes(run: Run) -> Counter[str]:
    """One run's stories by outcome (``exported``, ``dropped:http_404``...: :mod:`newscrawler.outcomes`) and,
    where the manifest has them, ``archive/…`` (damaged records, digest mismatches, unresolved revisits) and
    ``undated/…`` (records without datePublished), and ``walk stopped early/{reason}/{listing}``."""
    counts = Counter(run.outcomes)
    counts.update({f"archive/{reason}": n for reason, n in run.archive.items()})
    if run.undated:
        counts["undated/no datePublished"] = run.undated
    counts.update({f"walk stopped early/{reason}": n for reason, n in run.walks_stopped_early.items()})
    return counts


def outcomes_over(runs: Iterable[Run]) -> Counter[str]:
    """:func:`outcomes` summed over ``runs``."""
    total: Counter[str] = Counter()
    for run in runs:
        total.update(outcomes(run))
    return total


def extraction_paths(records: Iterable[RecordSummary]) -> dict[str, Counter[str]]:
    """Records by ``metadata.extraction`` (the path that extracted them), by edition; empty when no record
    says (every record came from the site's own extraction)."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        if record.extraction:
            counts.setdefault(record.edition, Counter())[record.extraction] += 1
    return counts
