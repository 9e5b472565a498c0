"""Small HTML builders: every text escaped, tables with machine-readable cells (``data-key``), Arabic right to left."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 0 24px 48px; max-width: 1180px; color: #222; }
h1 { margin: 24px 0 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
nav a { margin-right: 16px; } .meta { color: #666; } .chart { width: 100%; height: auto; display: block; }
.scroll { overflow-x: auto; } table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { background: #fdecea; } .bad { color: #b3261e; font-weight: 600; } .ok { color: #1b6e20; }
[dir=rtl] { text-align: right; }
"""


def esc(value: object) -> str:
    return escape("" if value is None else str(value))


def cell(value: object, key: str = "", numeric: bool = False, rtl: bool = False, raw: bool = False) -> str:
    """One ``<td>``: ``key`` as ``data-key``, numbers right-aligned, ``rtl`` (Arabic) laid out right to left,
    other text ``dir=auto``; ``raw`` for HTML already built."""
    attrs = [f'data-key="{esc(key)}"'] if key else []
    attrs.append('class="n"' if numeric else 'dir="rtl" lang="ar"' if rtl else 'dir="auto"')
    return f"<td {' '.join(attrs)}>{value if raw else esc(value)}</td>"


def table(table_id: str, headers: Sequence[str], rows: Iterable[str], numeric_from: int = 99) -> str:
    """A table with ``headers``; ``rows`` are ``<tr>`` elements; columns from ``numeric_from`` on are numbers."""
    head = "".join(f"<th{' class=n' if i >= numeric_from else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "\n".join(rows)
    start = f'<div class="scroll"><table id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
    return f"{start}\n<tbody>\n{body}\n</tbody></table></div>"


def row(cells: Iterable[str], **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{esc(value)}"' for name, value in attrs.items() if value)
    return f"<tr{extra}>{''.join(cells)}</tr>"


def link(target: Path | None, report: Path, text: str) -> str:
    """A link from the report at ``report`` to ``target``, relative so the data directory can move; ``-`` when
    there is no target."""
    if target is None:
        return "-"
    relative = Path(os.path.relpath(target, report.parent)).as_posix()
    return f'<a href="{esc(quote(relative))}">{esc(text)}</a>'


def section(section_id: str, title: str, *parts: str) -> str:
    return f'<section id="{esc(section_id)}">\n<h2>{esc(title)}</h2>\n' + "\n".join(parts) + "\n</section>"


def paragraph(text: str, css: str = "") -> str:
    return f"<p{f' class={css!r}' if css else ''}>{text}</p>"


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption class=meta>{esc(caption)}</figcaption></figure>"


def document(title: str, header: str, sections: Iterable[str]) -> str:
    """A whole self-contained document: no script, no external resource."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{header}\n"
        + "\n".join(sections)
        + "\n</body>\n</html>\n"
    )
