"""Horizontal (stacked) bar charts as inline SVG, for the HTML report.

Hand-written SVG rather than matplotlib images: labels stay real text, so Thai agency and
province names are drawn by the viewer's browser with its own Thai fonts (matplotlib would
need a Thai font at build time and bake the glyphs in, or draw boxes); the page stays small
and the output is byte-for-byte deterministic; and the report needs no plotting library.
Each bar segment carries a <title> (the browser's tooltip) with its exact count.
"""
from __future__ import annotations

from html import escape
from typing import Callable, Sequence

from .formats import display_width

# Status colours: green done, amber under way, red not started, grey unknown. Distinct for
# common colour-vision deficiencies by lightness too; the test looks for them in screenshots.
STATUS_COLOURS = {
    "completed": "#2e7d32",
    "in_progress": "#f0a30a",
    "not_started": "#c62828",
    "no status": "#9e9e9e",
}
REPORT_STATUS_COLOURS = {"ok": "#2e7d32", "empty": "#f0a30a", "failed": "#c62828"}
NEUTRAL = "#3b6fb6"

_FONT_PX = 13
_CHAR_PX = 7.6  # average advance of one display column at 13px (Latin and Thai alike)
_ROW_PX = 24
_BAR_PX = 16


def _num(x: float) -> str:
    """Coordinates with at most one decimal, so the same data gives the same bytes."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _cut(label: str, columns: int) -> str:
    if display_width(label) <= columns:
        return label
    out, width = "", 0
    for ch in label:
        width += display_width(ch)
        if width > columns - 1:
            break
        out += ch
    return out + "…"


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, Sequence[float]]],
              series: Sequence[str], colours: dict[str, str] | None = None, *,
              width: int = 760, max_value: float | None = None,
              value_format: Callable[[float], str] = lambda v: f"{v:g}",
              label_columns: int = 34, legend: bool = True) -> str:
    """One horizontal bar per row, stacked by series (with a legend when there are several,
    unless `legend` is false: rows that each hold one series and are labelled with it).

    `rows` are (label, one value per series). `max_value` fixes the scale (1.0 for shares);
    by default the longest bar fills the plot. Zero segments are not drawn.
    """
    colours = colours or {}
    fill = {s: colours.get(s, NEUTRAL) for s in series}
    longest = max([display_width(_cut(label, label_columns)) for label, _ in rows] + [4])
    label_px = round(min(label_columns, longest) * _CHAR_PX) + 12
    plot_px = width - label_px - 56  # room on the right for the total
    legend = legend and len(series) > 1
    top = 28 if legend else 6
    height = top + _ROW_PX * max(1, len(rows)) + 6
    scale_max = max_value or max([sum(v) for _, v in rows] + [0]) or 1
    out = [f'<svg class="chart" id="{escape(chart_id)}" xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="{escape(chart_id)}-title" font-size="{_FONT_PX}">',
           f'<title id="{escape(chart_id)}-title">{escape(title)}</title>']
    if legend:
        x = label_px
        out.append('<g class="legend">')
        for s in series:
            out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{fill[s]}"/>'
                       f'<text x="{x + 16}" y="16">{escape(s)}</text>')
            x += 16 + round(display_width(s) * _CHAR_PX) + 18
        out.append("</g>")
    if not rows:
        out.append(f'<text class="empty" x="{label_px}" y="{top + 16}">no data</text>')
    for i, (label, values) in enumerate(rows):
        y = top + i * _ROW_PX
        out.append(f'<g class="row"><text class="label" x="{label_px - 8}" y="{y + 15}" '
                   f'text-anchor="end"><title>{escape(label)}</title>'
                   f'{escape(_cut(label, label_columns))}</text>')
        x = float(label_px)
        for s, v in zip(series, values):
            if not v:
                continue
            w = max(1.0, plot_px * v / scale_max)
            out.append(f'<rect class="bar" data-series="{escape(s)}" x="{_num(x)}" y="{y + 4}" '
                       f'width="{_num(w)}" height="{_BAR_PX}" fill="{fill[s]}">'
                       f'<title>{escape(label)} — {escape(s)}: {escape(value_format(v))}</title></rect>')
            x += w
        out.append(f'<text class="total" x="{_num(x + 6)}" y="{y + 15}">'
                   f'{escape(value_format(sum(values)))}</text></g>')
    out.append("</svg>")
    return "\n".join(out)
