"""Tables drawn without rules: columns from white space kept across many lines, rows from
cell padding or row numbers.

Word tables with their borders turned off, HTML tables without borders, and scans of
them show columns only as vertical gutters that every line of the table keeps clear.
One line's gaps cannot tell a column gap from a wide word space (0.26–0.38 em in Thai
fonts, against 0.5 em and more between columns): the gutters are what a run of lines
leaves free together, measured in em of the text's own size (not glyph-box heights,
which a Thai font makes far taller than the type). Rows break where the line pitch jumps
(cell padding), else where the row-number column (or the first column's numbering)
starts a new item. Used by `page.py` on the text outside any ruled table.
"""
from __future__ import annotations

import re

from .positioned import (BBox, Grid, ITEM_START, TextLine, base_pitch, segment_lines,
                         segments)

GUTTER_EM = 0.45  # narrower gaps are word spaces
_NUMBER_ONLY = re.compile(r"^\s*[0-9๐-๙]{1,3}\s*[.)]?\s*$")


def gutter_of(line: TextLine) -> float:
    """The least gap between two columns, for text of this line's size."""
    return max(3.0, GUTTER_EM * line.size)


def _segs(line: TextLine) -> list[tuple[float, float]]:
    return segments(line, gutter_of(line))


def _cut(free: list[tuple[float, float]], segs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Free x-intervals minus the segments' extents."""
    out = []
    for a, b in free:
        parts = [(a, b)]
        for s0, s1 in segs:
            parts = [q for (c, d) in parts for q in ((c, min(d, s0)), (max(c, s1), d)) if q[1] > q[0]]
        out.extend(parts)
    return out


def _keeps(free, segs, min_w: float) -> list[tuple[float, float]]:
    return [g for g in _cut(free, segs) if g[1] - g[0] >= min_w]


def find_unruled(lines: list[TextLine], min_cols: int = 3) -> list[tuple[Grid, list[TextLine]]]:
    """Tables whose columns show only as white space: runs of lines that keep at least
    `min_cols - 1` common vertical gutters. A line crossing the gutters ends the run,
    unless it starts in the first column (or is short: centred) and the lines after it
    keep the gutters again (a group heading row spanning the table); a line repeating the table's first line
    (a header printed again) ends it. (Header cells are centred: body lines may start
    left of them.) Header lines
    just above the run that fit its columns (a wrapped header's first line) join it."""
    base = base_pitch(lines)
    segs = [_segs(l) for l in lines]
    found: list[tuple[Grid, list[TextLine]]] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        if len(segs[i]) < min_cols:
            i += 1
            continue
        em = lines[i].size
        gut = gutter_of(lines[i])
        free = [(segs[i][k][1], segs[i][k + 1][0]) for k in range(len(segs[i]) - 1)]
        x0, x1 = segs[i][0][0], segs[i][-1][1]
        block = [i]
        spanning: set[int] = set()
        head = lines[i].text
        j = i + 1
        while j < len(lines):
            line, prev = lines[j], lines[block[-1]]
            if line.top - prev.bottom > 2.5 * em:
                break
            if base and line.top - prev.top > 1.3 * base and _similar(line.text, head):
                break  # the header again: a new table begins
            new = _keeps(free, segs[j], 0.8 * gut)
            if len(new) < len(free):  # crosses a gutter: a spanning row, or the end
                nxt = j + 1
                short = line.x1 - line.x0 < 0.6 * (x1 - x0)  # a centred group heading
                if (nxt < len(lines) and (line.x0 <= x0 + gut or short) and len(segs[j]) <= 2
                        and lines[nxt].top - line.bottom <= 2.5 * em
                        and len(_keeps(free, segs[nxt], 0.8 * gut)) == len(free)
                        and len(segs[nxt]) >= 2):
                    spanning.add(j)
                    block.append(j)
                    j += 1
                    continue
                break
            free, x0, x1 = new, min(x0, line.x0), max(x1, line.x1)
            block.append(j)
            j += 1
        rows = _finish(lines, segs, block, spanning, free, x0, x1, base, min_cols, used)
        if rows is not None:
            grid, members = rows
            found.append((grid, [lines[k] for k in members]))
            used.update(members)
            i = max(members) + 1
        else:
            i += 1
    return found


def _finish(lines, segs, block, spanning, free, x0, x1, base, min_cols, used):
    """Columns, header lines above, rows and trailing prose of one candidate run."""
    em = lines[block[0]].size
    gut = gutter_of(lines[block[0]])
    body = [k for k in block if k not in spanning]
    # A group header ("สถานะ" over three status columns) spans gutters the rows below
    # it keep: look for them without the first line.
    if len(body) > 2:
        finer = [g for g in _cut([(x0, x1)], [s for k in body[1:] for s in segs[k]])
                 if g[1] - g[0] >= 0.8 * gut and x0 < g[0] and g[1] < x1]
        if len(finer) > len(free):
            free = finer
    if len(free) + 1 < min_cols:
        return None
    # header lines above the run whose text fits its columns
    top = block[0]
    while top - 1 >= 0 and top - 1 not in used and block[0] - (top - 1) <= 3:
        up = lines[top - 1]
        if lines[top].top - up.bottom > 1.2 * em or up.x0 < x0 - gut or up.x1 > x1 + gut \
                or len(_keeps(free, segs[top - 1], 0.8 * gut)) < len(free):
            break
        top -= 1
    members = list(range(top, block[0])) + block
    bounds = [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1]
    starts = _row_starts(lines, segs, members, spanning, bounds, base, block[0])
    # prose under the table, in its first column only
    while len(starts) > 1 and all(
            all(s[1] < bounds[1] for s in segs[k]) for k in members[starts[-1]:]):
        members = members[:starts.pop()]
    multi = sum(len(segs[k]) >= 2 for k in members)
    if len(members) < 2 or multi < 2:
        return None
    rows: list[list[BBox | None]] = []
    for a, b in zip(starts, starts[1:] + [len(members)]):
        part = [lines[k] for k in members[a:b]]
        t, bt = min(l.top for l in part) - 1, max(l.bottom for l in part) + 1
        if members[a] in spanning and b - a == 1:  # a spanning row: one merged cell
            rows.append([(bounds[0], t, bounds[-1], bt)] + [None] * (len(bounds) - 2))
        else:
            rows.append([(bounds[c], t, bounds[c + 1], bt) for c in range(len(bounds) - 1)])
    return Grid(rows, ruled=False), members


def _similar(a: str, b: str) -> bool:
    from rapidfuzz.fuzz import ratio
    return len(a) >= 6 and ratio(a, b) >= 80


def _row_starts(lines, segs, members, spanning, bounds, base, first_body) -> list[int]:
    """Positions in `members` where rows begin. The header is one row, down to the
    first row. Below it a spanning line is a row of its own; otherwise rows start
    - at the lines of a column that holds only row numbers, when there is one;
    - else where the first column starts a numbered item ("๑.", "ตัวชี้วัดที่ 2") —
      except, in a table whose rows are padded (its first row, or most numbered lines,
      come after a jump in the line pitch), a numbered line at the ordinary pitch: a
      sub-item of its cell;
    - else where the pitch jumps (cell padding)."""
    pitch = {k: lines[members[k]].top - lines[members[k - 1]].top for k in range(1, len(members))}
    em = lines[members[0]].size
    usual = sorted(pitch.values())[len(pitch) // 2] if pitch else 0.0
    usual = min(usual, base) if base else usual
    jumps = {k for k, p in pitch.items() if usual and p > usual + 0.35 * em}
    head_end = next((k for k in range(len(members)) if k in jumps), len(members))
    numbered: set[int] = set()
    firsts: dict[int, str] = {}  # line → its text in the first column
    for k in range(1, len(members)):
        first = [s for s in segment_lines(lines[members[k]], gutter_of(lines[members[k]]))
                 if (s.x0 + s.x1) / 2 < bounds[1]]
        if first:
            firsts[k] = first[0].text
            if ITEM_START.match(first[0].text) or _NUMBER_ONLY.match(first[0].text):
                numbered.add(k)
    span_rows = {k for k in range(len(members)) if members[k] in spanning}
    span_rows |= {k + 1 for k in span_rows if k + 1 < len(members)}
    below = [k for k in firsts if numbered and k >= min(numbered)]  # under the header
    seq_col = bool(numbered) and all(k in numbered and _NUMBER_ONLY.match(firsts[k]) for k in below)
    if numbered and not seq_col:
        loose = {k for k in numbered if pitch[k] > usual + 0.2 * em}
        if min(numbered) in jumps or len(loose) >= 0.6 * len(numbered):
            numbered = loose | {min(numbered)}  # padded rows: tight numbered lines are sub-items
    rows = numbered or jumps
    starts = {0} | rows | span_rows
    if numbered:
        starts.add(min(numbered))  # the header ends where the first numbered row begins
        # … or at the last jump before it: the rest of a row broken by the page break,
        # under the header printed again
        cont = [k for k in jumps if k < min(numbered)]
        if cont:
            starts.add(max(cont))
    elif head_end < len(members):
        starts.add(head_end)
    return sorted(s for s in starts if s < len(members))
