"""The report's charts, drawn with matplotlib and kept as inline SVG.

Text stays text in the SVG (``svg.fonttype: none``), so the browser shapes Arabic and lays it right to left;
element ids are salted with a constant, so the same data draws the same SVG.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import matplotlib
from matplotlib.figure import Figure

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
        x = list(range(len(runs)))
        new = [r.new if r.new is not None else r.records for r in runs]
        top.bar(x, new, color="#1f77b4", label="new")
        top.bar(x, [r.changed or 0 for r in runs], bottom=new, color="#ff7f0e", label="changed")
        failed = [i for i, r in enumerate(runs) if not r.succeeded]
        for i in failed:
            top.axvspan(i - 0.5, i + 0.5, color=FAILED, alpha=0.15, lw=0, gid=f"failed-run-{runs[i].run_id}")
        top.plot([], [], "s", color=FAILED, alpha=0.3, label="failed run")
        top.set_ylabel("records exported")
        top.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=3)
        top.set_xlim(-0.6, max(len(runs), 12) - 0.4)  # a few runs still draw as bars, not as walls
        bottom.plot(x, [r.requests for r in runs], marker=".", color="#555", label="requests")
        bottom.set_ylabel("requests")
        seconds = bottom.twinx()
        seconds.plot(x, [r.duration or 0 for r in runs], marker=".", color="#9467bd", label="duration")
        seconds.set_ylabel("duration (s)", color="#9467bd")
        bottom.scatter(failed, [runs[i].requests for i in failed], marker="x", color=FAILED, zorder=3)
        _run_ticks(bottom, runs)

    return to_svg(draw, 10, 4.6)


def _run_ticks(axes: Any, runs: list[Run]) -> None:
    step = max(1, len(runs) // 8)
    ticks = list(range(0, len(runs), step))
    axes.set_xticks(ticks, [f"{runs[i].start:%m-%d %H:%M}" if runs[i].start else "?" for i in ticks])
    axes.set_xlabel("run (start time, UTC)")


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
