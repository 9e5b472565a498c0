"""The report's charts, drawn with matplotlib and kept as inline SVG.

Text stays text in the SVG (``svg.fonttype: none``), so the browser shapes Arabic and lays it right to left;
element ids are salted with a constant, so the same data draws the same SVG.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from newscrawler.report.archive import Gap
from newscrawler.report.runs import Run

matplotlib.use("svg")

STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "newscrawler",
    "font.size": 9,
    "axes.spines.top": False,
}
EDITION_COLOURS = {"en": "#1f77b4", "ar": "#2ca02c"}
#: The runs chart's x axis has room for at least this many runs (fewer draw as bars, not as walls), and labels at
#: most this many (a two-line ``MM-DD`` / ``HH:MM`` label is about 0.4 in wide; a slot of 14 on 9 in is 0.64 in).
MIN_SLOTS = 12
MAX_RUN_LABELS = 14
FAILED = "#d62728"


def to_svg(draw: Callable[[Figure], None], width: float, height: float) -> str:
    """Draw on a new figure of ``width`` x ``height`` inches; return its ``<svg>`` element, scaled to its box."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width, height), layout="constrained")
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart" role="img"', svg, count=1)


def runs_chart(runs: list[Run]) -> str:
    """Records new and changed per run (bars), requests and duration (lines); failed runs marked in red."""

    def draw(figure: Figure) -> None:
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        failed = [i for i, r in enumerate(runs) if not r.succeeded]
        _record_bars(top, runs, failed)
        _request_lines(bottom, runs, failed)
        for axes in (top, bottom):  # counts: no 200.25 requests with one or two runs
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        _run_ticks(bottom, runs)

    return to_svg(draw, 10, 4.6)


def _record_bars(axes: Any, runs: list[Run], failed: list[int]) -> None:
    x = list(range(len(runs)))
    new = [r.new if r.new is not None else r.records for r in runs]
    axes.bar(x, new, color="#1f77b4", label="new")
    axes.bar(x, [r.changed or 0 for r in runs], bottom=new, color="#ff7f0e", label="changed")
    for i in failed:
        axes.axvspan(i - 0.5, i + 0.5, color=FAILED, alpha=0.15, lw=0, gid=f"failed-run-{runs[i].run_id}")
    axes.plot([], [], "s", color=FAILED, alpha=0.3, label="failed run")
    axes.set_ylabel("records exported")
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=3)
    axes.set_xlim(-0.6, max(len(runs), MIN_SLOTS) - 0.4)  # a few runs still draw as bars, not as walls


def _request_lines(axes: Any, runs: list[Run], failed: list[int]) -> None:
    x = list(range(len(runs)))
    marker = "." if len(runs) <= 50 else None  # hundreds of dots would hide the line
    axes.plot(x, [r.requests for r in runs], marker=marker, color="#555", label="requests")
    axes.set_ylabel("requests")
    seconds = axes.twinx()
    seconds.plot(x, [r.duration or 0 for r in runs], marker=marker, color="#9467bd", label="duration")
    seconds.set_ylabel("duration (s)", color="#9467bd")
    axes.scatter(failed, [runs[i].requests for i in failed], marker="x", color=FAILED, zorder=3)


def run_tick_step(runs: int) -> int:
    """Runs between two labelled ones: at most :data:`MAX_RUN_LABELS` labels across the axis, whose slots are
    never fewer than :data:`MIN_SLOTS`, so neighbours' labels never meet (each is narrower than a slot).

    >>> [run_tick_step(n) for n in (1, 2, 12, 14, 15, 200)]
    [1, 1, 1, 1, 2, 15]
    """
    return max(1, math.ceil(max(runs, MIN_SLOTS) / MAX_RUN_LABELS))


def _run_ticks(axes: Any, runs: list[Run]) -> None:
    ticks = list(range(0, len(runs), run_tick_step(len(runs))))
    axes.set_xticks(ticks, [f"{runs[i].start:%m-%d\n%H:%M}" if runs[i].start else "?" for i in ticks])
    axes.set_xlabel("run (start day and time, UTC)")


def daily_chart(daily: dict[str, dict[date, int]], gaps: list[Gap]) -> str:
    """Stories per day, one panel per edition over the whole period; gaps shaded red."""
    editions = sorted(daily)

    def draw(figure: Figure) -> None:
        panels = figure.subplots(len(editions), 1, sharex=True, squeeze=False)[:, 0]
        for axes, edition in zip(panels, editions, strict=True):
            days = sorted(daily[edition])
            counts = [daily[edition][d] for d in days]
            colour = EDITION_COLOURS.get(edition, "#444")
            axes.fill_between(days, counts, step="mid", color=colour, alpha=0.6, lw=0)
            for gap in (g for g in gaps if g.edition == edition):
                start = datetime.combine(gap.first, time()) - timedelta(hours=12)
                end = datetime.combine(gap.last, time()) + timedelta(hours=12)
                axes.axvspan(start, end, color=FAILED, alpha=0.35, lw=0, gid=f"gap-{edition}-{gap.first}")
            axes.set_ylabel(f"{edition}: stories/day")
        if gaps:
            panels[0].plot([], [], "s", color=FAILED, alpha=0.5, label="gap (no story between busy days)")
            panels[0].legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False)

    return to_svg(draw, 10, 1.2 + 1.6 * max(1, len(editions)))


def barh_chart(groups: dict[str, Counter[str]] | dict[str, dict[str, float]], xlabel: str, percent: bool) -> str:
    """Horizontal bars, one panel per group (edition or run), labels as given (Arabic laid out by the browser)."""
    names = sorted(groups)
    rows = max((len(groups[n]) for n in names), default=1)

    def draw(figure: Figure) -> None:
        panels = figure.subplots(1, len(names), squeeze=False)[0]
        for axes, name in zip(panels, names, strict=True):
            items = sorted(groups[name].items(), key=lambda kv: (kv[1], kv[0]))
            values = [v * 100 if percent else v for _, v in items]
            axes.barh([label for label, _ in items], values, color=EDITION_COLOURS.get(name, "#7f7f7f"))
            axes.set_title(name)
            axes.set_xlabel(xlabel)
            if percent:
                axes.set_xlim(0, 100)

    return to_svg(draw, 10, 0.9 + 0.24 * rows)
