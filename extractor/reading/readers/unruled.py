"""Tables drawn without rules: columns from white space, rows from line spacing.

Word tables with their borders turned off, and scans of them, show columns only as
vertical gutters that every line keeps clear; rows as a jump in line spacing (cell
padding). Used by `page.py` on the text outside any ruled table.
"""
from __future__ import annotations

from .positioned import (BBox, Grid, ITEM_START, TextLine, base_pitch, line_text,
                         segments)


def _cut(free: list[tuple[float, float]], segs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Free x-intervals minus the segments' extents."""
    out = []
    for a, b in free:
        parts = [(a, b)]
        for s0, s1 in segs:
            parts = [q for (c, d) in parts for q in ((c, min(d, s0)), (max(c, s1), d)) if q[1] > q[0]]
        out.extend(parts)
    return out


def find_unruled(lines: list[TextLine], min_cols: int = 3) -> list[tuple[Grid, list[TextLine]]]:
    """Tables whose columns show only as white space: runs of lines that keep at least
    `min_cols - 1` common vertical gutters. A line that crosses a gutter, starts left of
    the table or repeats the table's first line (a header printed again) ends the run.
    Rows break where the line pitch jumps (cell padding) or the first column starts a
    numbered item; trailing rows with text in the first column only are prose after the
    table, not rows."""
    base = base_pitch(lines)
    found: list[tuple[Grid, list[TextLine]]] = []
    i = 0
    while i < len(lines):
        h = max(lines[i].height, 1.0)
        gutter = max(6.0, 0.6 * h)
        segs = segments(lines[i], gutter)
        if len(segs) < min_cols:
            i += 1
            continue
        free = [(segs[k][1], segs[k + 1][0]) for k in range(len(segs) - 1)]
        x0, x1 = segs[0][0], segs[-1][1]
        block = [lines[i]]
        head = line_text(lines[i])
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.top - block[-1].bottom > 2.5 * h or line.x0 < x0 - gutter:
                break
            if line.top - block[-1].top > 1.3 * base and _similar(line_text(line), head):
                break  # the header again: a new table begins
            new = [g for g in _cut(free, segments(line, gutter)) if g[1] - g[0] >= 0.5 * gutter]
            if len(new) < len(free):  # the line crosses a column gutter: not in the table
                break
            free, x1 = new, max(x1, line.x1)
            block.append(line)
            j += 1
        bounds = [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1]
        starts = _row_starts(block, bounds, base)
        if len(starts) > 2:
            # A group header ("สถานะ" over three status columns) spans gutters that the
            # rows below it keep: look for them without the first row.
            finer = [g for g in _cut([(x0, x1)], [sg for l in block[starts[1]:]
                                                   for sg in segments(l, gutter)])
                     if g[1] - g[0] >= 0.5 * gutter and x0 < g[0] and g[1] < x1]
            if len(finer) > len(free):
                free = finer
                bounds = [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1]
                starts = _row_starts(block, bounds, base)
        while len(starts) > 1 and all(
                all(p.cx < bounds[1] for p in l.pieces) for l in block[starts[-1]:]):
            block = block[:starts.pop()]  # prose under the table, in its first column
        multi = sum(len(segments(l, gutter)) >= 2 for l in block)
        if len(free) + 1 >= min_cols and len(block) >= 2 and multi >= 2:
            found.append((Grid(_rows(block, bounds, starts), ruled=False), block))
            i += len(block)
        else:
            i += 1
    return found


def _similar(a: str, b: str) -> bool:
    from difflib import SequenceMatcher
    return len(a) >= 6 and SequenceMatcher(None, a, b).ratio() >= 0.8


def _row_starts(block: list[TextLine], bounds: list[float], base: float) -> list[int]:
    """First line of each row: where the pitch jumps (cell padding). A table drawn with
    no padding shows no jumps; then a numbered item in the first column starts a row
    (only then: inside a padded row, "๑. ๒. ๓." are sub-items of one cell)."""
    by_pitch = [0] + [k for k in range(1, len(block))
                      if block[k].top - block[k - 1].top > 1.3 * base]
    if len(by_pitch) > 1 or len(block) < 4:
        return by_pitch
    starts = list(by_pitch)
    for k in range(1, len(block)):
        first_col = [p for p in block[k].pieces if p.cx < bounds[1]]
        if k not in starts and first_col and ITEM_START.match(
                line_text(TextLine(first_col, 0, 0, 0, block[k].height))):
            starts.append(k)
    return sorted(starts)


def _rows(block: list[TextLine], bounds: list[float], starts: list[int]) -> list[list[BBox | None]]:
    rows = []
    for a, b in zip(starts, starts[1:] + [len(block)]):
        top, bottom = block[a].top - 1, block[b - 1].bottom + 1
        rows.append([(bounds[c], top, bounds[c + 1], bottom) for c in range(len(bounds) - 1)])
    return rows
