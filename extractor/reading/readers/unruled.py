"""Tables drawn without rules: columns from white space kept across many lines, rows from
cell padding or row numbers.

Word tables with their borders turned off, HTML tables without borders, and scans of
them show columns only as vertical gutters that every line of the table keeps clear.
One line's gaps cannot tell a column gap from a wide word space (0.26–0.38 em in Thai
fonts, against 0.5 em and more between columns): the gutters are what a run of lines
leaves free together, measured in em of the text's own size (not glyph-box heights,
which a Thai font makes far taller than the type).

The columns come from the table's body, not its header: header cells are centred (their
gaps say little of where the columns are) and may sit in several staggered lines, while
body rows start their cells at the same left edges line after line. So a run starts at a
line whose cells start where the next line's do, and goes on while lines keep its
gutters; then the header is found above it by fitting each line into those columns
(a group row — an indicator, a section — may stand between header and body). Rows break
at the row numbers of a number column (also "๑.๒"), or the first column's numbering,
else where the line pitch jumps (cell padding). Used by `page.py` on the text outside
any ruled table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .positioned import (BBox, Grid, ITEM_START, TextLine, base_pitch, segment_lines,
                         segments)

GUTTER_EM = 0.45  # narrower gaps are word spaces
ALIGN = 1.5  # points: cells of one column start at the same x, within this
# a row number alone: "๓", "3.", "2)", "๒.๑" (not a value: "70.40)", "94.03")
_NUMBER_ONLY = re.compile(r"^\s*(?:\(?[0-9๐-๙]{1,3}\s*[.)]?|[0-9๐-๙]{1,2}(?:\.[0-9๐-๙]){1,3}\.?)\s*$")
# an item a cell starts with: "๑.", "2)", "1.2 …", "ตัวชี้วัดที่"
_ITEM = re.compile(r"^\s*[0-9๐-๙]{1,2}(?:\.[0-9๐-๙])+\s")


def gutter_of(line: TextLine) -> float:
    """The least gap between two columns, for text of this line's size."""
    return max(3.0, GUTTER_EM * line.size)


_BOXES = frozenset("☐☑☒□■✓✔✗✘")
_BOX_RE = re.compile("[☐☑☒□■✓✔✗✘]")


def _segs(line: TextLine) -> list[tuple[float, float]]:
    """The line's runs of text between gaps a gutter wide; a checkbox stays with the
    label after it (its gap may be as wide as a gutter, line after line)."""
    out = segments(line, gutter_of(line))
    if len(out) < 2 or not _BOX_RE.search(line.text):
        return out
    parts = segment_lines(line, gutter_of(line))
    merged: list[tuple[float, float]] = []
    glue = False
    for part, ext in zip(parts, out):
        if glue and ext[0] - merged[-1][1] < 1.2 * line.size:
            merged[-1] = (merged[-1][0], ext[1])
        else:
            merged.append(ext)
        glue = part.text.strip() in _BOXES
    return merged


def _cut(free: list[tuple[float, float]], segs: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """What each free x-interval keeps of itself besides the segments' extents (sorted
    left to right by their start)."""
    out = []
    for a, b in free:
        parts = []
        cur = a
        for s0, s1 in segs:
            if s1 <= cur:
                continue
            if s0 >= b:
                break
            if s0 > cur:
                parts.append((cur, s0))
            cur = s1
            if cur >= b:
                break
        if cur < b:
            parts.append((cur, b))
        out.append(parts)
    return out


def _keeps(free, segs, min_w: float) -> list[tuple[float, float]]:
    return [p for parts in _cut(free, sorted(segs)) for p in parts if p[1] - p[0] >= min_w]


def _aligned(segs, starts: list[float]) -> int:
    """How many of the segments start where a column of the run starts."""
    return sum(any(abs(s0 - x) <= ALIGN for x in starts) for s0, _ in segs)


@dataclass
class _Run:
    """Lines that keep common gutters: `block` (indices into the page's lines), the
    spanning rows among them, the gutters left free and the column starts seen."""

    block: list[int]
    free: list[tuple[float, float]]
    x0: float
    x1: float
    starts: list[float]
    spanning: set[int] = field(default_factory=set)
    overflow: set[int] = field(default_factory=set)

    def weight(self, segs) -> int:
        return sum(len(segs[k]) >= 2 for k in self.block)


def find_unruled(lines: list[TextLine], min_cols: int = 3) -> list[tuple[Grid, list[TextLine]]]:
    """Tables whose columns show only as white space: runs of body lines that keep at
    least `min_cols - 1` common gutters, with their header lines and group rows."""
    base = base_pitch(lines)
    segs = [_segs(l) for l in lines]
    runs: list[_Run] = []
    i = 0
    while i < len(lines):
        if len(segs[i]) < min_cols or not _body_like(lines, segs, i):
            i += 1
            continue
        run = _run(lines, segs, i, base)
        runs.append(run)
        i = run.block[-1] + 1
    # Lines no body-like run took may still make a table (cells centred line by line).
    taken = {k for r in runs for k in r.block}
    n_body = len(runs)
    i = 0
    while i < len(lines):
        if i in taken or len(segs[i]) < min_cols:
            i += 1
            continue
        run = _run(lines, segs, i, base, stop=taken)
        runs.append(run)
        i = run.block[-1] + 1
    claimed: set[int] = set()
    found: list[tuple[Grid, list[int]]] = []
    # Body runs before the rest (lines of a header may make a run of their own), the
    # fullest first: their headers may lie in the tail of a lesser run above.
    order = sorted(range(len(runs)), key=lambda r: (r >= n_body, -runs[r].weight(segs), runs[r].block[0]))
    # A body run's rows down to its last line of several cells are no other table's
    # header (only the lines hanging below them may be).
    body_rows = {}
    for r in runs[:n_body]:
        if r.weight(segs) < 2:
            continue  # one line: no body
        last = max((p for p, k in enumerate(r.block) if len(segs[k]) >= 2), default=0)
        body_rows.update((k, id(r)) for k in r.block[:last + 1])
    for run in (runs[r] for r in order):
        cut = next((p for p, k in enumerate(run.block) if k in claimed), len(run.block))
        run.block = run.block[:cut]
        if not run.block:
            continue
        stop = claimed | {k for k, owner in body_rows.items() if owner != id(run)}
        done = _finish(lines, segs, run, base, min_cols, stop)
        if done is not None:
            found.append(done)
            claimed.update(done[1])
    found.sort(key=lambda f: f[1][0])
    return [(grid, [lines[k] for k in members]) for grid, members in found]


def _body_like(lines, segs, i: int) -> bool:
    """Whether line `i` starts cells where a neighbouring line of several cells does:
    a body row (left-aligned cells), not a header line of centred labels."""
    for k in list(range(i + 1, min(i + 5, len(lines)))) + list(range(i - 1, max(i - 4, -1), -1)):
        if len(segs[k]) >= 2 and abs(lines[k].top - lines[i].top) < 6 * lines[i].size:
            if _aligned(segs[i], [s[0] for s in segs[k]]) >= 2:
                return True
    return False


def _run(lines, segs, i: int, base: float, stop: set[int] = frozenset()) -> _Run:
    """The lines from `i` down that keep its gutters (narrowing them), with group rows
    that cross them, and lines that only overflow one gutter into an empty cell."""
    em = lines[i].size
    gut = gutter_of(lines[i])
    min_w = 0.8 * gut
    free = [(segs[i][k][1], segs[i][k + 1][0]) for k in range(len(segs[i]) - 1)]
    run = _Run([i], free, segs[i][0][0], segs[i][-1][1], [s[0] for s in segs[i]])
    # the run's first line and the lines just above it: a header, if it has one
    heads = [lines[k].text for k in range(max(0, i - 3), i + 1)]
    j = i + 1
    while j < len(lines) and j not in stop:
        line, prev = lines[j], lines[run.block[-1]]
        if line.top - prev.bottom > 2.5 * em:
            break
        if base and line.foot - prev.foot > 1.3 * base and len(run.block) > 1 and len(segs[j]) >= 2 \
                and (any(_similar(line.text, h) for h in heads) or _header_line(line, gutter_of(line))):
            break  # a header again, or another table's: a new table begins
        parts = _cut(run.free, segs[j])
        kept = [[p for p in ps if p[1] - p[0] >= min_w] for ps in parts]
        crossed = [k for k, ps in enumerate(kept) if not ps]
        if not crossed:
            split = any(len(ps) > 1 for ps in kept)
            # Text inside a gutter (a column empty until now: ticks, remarks) belongs to
            # the table only if the line's other cells start where the table's do.
            if split and _aligned(segs[j], run.starts) < max(1, min(2, len(segs[j]) - 1)):
                break
            _take(run, j, segs, [p for ps in kept for p in ps])
            j += 1
            continue
        if _spans(lines, segs, run, j, min_w, gut, stop):
            run.spanning.add(j)
            run.block.append(j)
            j += 1
            continue
        # Cells written close together (a long word run over into the next cell): the
        # line's words, not its runs of text, must keep the gutters.
        ws = [w for q in segs[j] for w in (_words_of(line, q) if any(
            q[0] < a + min_w and q[1] > b - min_w for a, b in (run.free[k] for k in crossed))
            else [q])]
        wparts = _cut(run.free, ws)
        wkept = [[p for p in ps if p[1] - p[0] >= min_w] for ps in wparts]
        wcrossed = [k for k, ps in enumerate(wkept) if not ps]
        if len(segs[j]) >= 2 and len(ws) > len(segs[j]) and (
                not wcrossed or _overflows(ws, run, wcrossed, wparts, min_w)):
            run.overflow.add(j)
            new = []
            for k, ps in enumerate(wkept):
                new.extend([run.free[k]] if k in wcrossed else ps)
            _take(run, j, segs, new)
            j += 1
            continue
        if _overflows(segs[j], run, crossed, parts, min_w):
            run.overflow.add(j)
            free = [run.free[k] if k in crossed else None for k in range(len(run.free))]
            new = []
            for k, ps in enumerate(kept):
                new.extend([free[k]] if k in crossed else ps)
            _take(run, j, segs, new)
            j += 1
            continue
        if _word_gaps(segs[j], run, crossed, kept) or (
                len(run.free) - len(crossed) >= 2
                and not _not_word_spaces([run.free[k] for k in crossed], lines, segs, run.block)):
            _take(run, j, segs, [p for k, ps in enumerate(kept) if k not in crossed for p in ps])
            j += 1
            continue
        break
    return run


def _word_gaps(line_segs, run: _Run, crossed: list[int], kept) -> bool:
    """Whether the gutters a row line crosses were word spaces of the lines before (a
    font whose space is as wide as a gutter: "O๑ – O๓"): the line's cells start where
    the table's do (two at least), and two gutters or more stay. (Or the gutters were a
    space wide on every line so far: `_not_word_spaces`.)"""
    return (len(line_segs) >= 2 and _aligned(line_segs, run.starts) >= 2
            and len(kept) - len(crossed) >= 2)


def _header_line(line: TextLine, gap: float) -> bool:
    """Whether a line's runs of text are column headers (the header vocabulary)."""
    from extractor.model import Cell
    from ..layout import is_header_row
    return is_header_row([Cell(s.text, 0) for s in segment_lines(line, gap)])


def _take(run: _Run, j: int, segs, free) -> None:
    run.free = free
    run.x0, run.x1 = min(run.x0, segs[j][0][0]), max(run.x1, segs[j][-1][1])
    run.starts.extend(s[0] for s in segs[j] if not any(abs(s[0] - x) <= ALIGN for x in run.starts))
    run.block.append(j)


def _spans(lines, segs, run: _Run, j: int, min_w: float, gut: float, stop) -> bool:
    """Whether line `j`, crossing the gutters, is a row spanning the table (a group or
    indicator heading): one or two runs of text from the first column (or a short one,
    centred), and the next line a row of the table again."""
    line, nxt = lines[j], j + 1
    short = line.x1 - line.x0 < 0.6 * (run.x1 - run.x0) and abs(
        (line.x0 + line.x1) / 2 - (run.x0 + run.x1) / 2) < 2 * line.size  # centred
    # one or two runs of text (a number and a heading), counted at twice the gutter: a
    # font's word space may be as wide as a gutter
    if nxt >= len(lines) or nxt in stop or len(segments(line, 2 * gut)) > 2:
        return False
    if not (line.x0 <= run.x0 + gut or short):
        return False
    if lines[nxt].top - line.bottom > 2.5 * line.size or len(segs[nxt]) < 2:
        return False
    kept = [[p for p in ps if p[1] - p[0] >= min_w] for ps in _cut(run.free, segs[nxt])]
    # (a heading followed by a header line begins another table)
    return all(kept) and _aligned(segs[nxt], run.starts) >= 1 \
        and not _header_line(lines[nxt], gutter_of(lines[nxt]))


def _overflows(line_segs, run: _Run, crossed: list[int], parts, min_w: float) -> bool:
    """Whether a row line crosses one gutter only because one cell's text runs on past
    its column into the empty cell beside it (a long word an HTML engine would not
    break): that text starts where a column starts, and nothing else of the line lies in
    the cell it runs into."""
    if len(crossed) != 1 or len(line_segs) < 2:
        return False
    a, b = run.free[crossed[0]]
    s = next((s for s in line_segs if s[0] < a + min_w and s[1] > b - min_w), None)
    if s is None or not any(abs(s[0] - x) <= ALIGN for x in run.starts):
        return False
    nxt_gutter = next((g for g in run.free if g[0] >= b), None)
    limit = nxt_gutter[0] if nxt_gutter else run.x1
    others = [t for t in line_segs if t is not s and b - min_w < t[0] < limit]
    return not others and s[1] < limit


def _finish(lines, segs, run: _Run, base, min_cols, claimed):
    """Columns, header lines above, rows and trailing prose of one run: the grid and
    its member lines, or None when it is no table."""
    block = list(run.block)
    spanning = run.spanning & set(block)
    gut = gutter_of(lines[block[0]])

    def columns(ks: list[int]):
        body = [k for k in ks if k not in spanning and k not in run.overflow] or ks
        x0 = min(segs[k][0][0] for k in body)
        x1 = max(segs[k][-1][1] for k in body)
        gaps = [g for g in _keeps([(x0, x1)], [s for k in body for s in segs[k]], 0.8 * gut)
                if x0 < g[0] and g[1] < x1]
        # A group header ("สถานะ" over three status columns) spans gutters the rows below
        # it keep: look for them without the first line.
        if len(body) > 2:
            finer = [g for g in _keeps([(x0, x1)], [s for k in body[1:] for s in segs[k]], 0.8 * gut)
                     if x0 < g[0] and g[1] < x1]
            if len(finer) > len(gaps):
                gaps = finer
        return _not_word_spaces(gaps, lines, segs, body), x0, x1

    # prose under the table: trailing lines of one run of text across a column border
    while len(block) > 2 and len(segs[block[-1]]) == 1:
        free, x0, x1 = columns(block[:-1])
        if _fits(segs[block[-1]], [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1], gut):
            break
        block.pop()
    free, x0, x1 = columns(block)
    if len(free) + 1 < min_cols:
        return None
    bounds = [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1]
    head, group = _header_above(lines, segs, block, bounds, x0, x1, gut, claimed)
    if group is None:
        head = _without_row_rest(lines, head, bounds, gut)
    bounds = _with_label_gaps(bounds, free, [k for k in head if k != group], segs,
                              [k for k in block if k not in spanning], gut)
    members = head + block
    spanning = (spanning & set(block)) | ({group} if group is not None else set())
    starts = _row_starts(lines, segs, members, spanning, bounds, base,
                         len(head) - (group is not None))
    # prose under the table, in its first column only
    while len(starts) > 1 and all(
            all(s[1] < bounds[1] for s in segs[k]) for k in members[starts[-1]:]):
        members = members[:starts.pop()]
    body = set(members) - set(head)  # the header alone makes no table
    if len(members) < 2 or sum(len(segs[k]) >= 2 for k in body) < 2:
        return None
    # the outer borders take in header labels wider than their column's body text
    bounds[0] = min(bounds[0], min(lines[k].x0 for k in members) - 1)
    bounds[-1] = max(bounds[-1], max(lines[k].x1 for k in members) + 1)
    rows: list[list[BBox | None]] = []
    for a, b in zip(starts, starts[1:] + [len(members)]):
        part = [lines[k] for k in members[a:b]]
        t, bt = min(l.top for l in part) - 1, max(l.bottom for l in part) + 1
        if members[a] in spanning and b - a == 1:  # a spanning row: one merged cell
            rows.append([(bounds[0], t, bounds[-1], bt)] + [None] * (len(bounds) - 2))
        else:
            rows.append([(bounds[c], t, bounds[c + 1], bt) for c in range(len(bounds) - 1)])
    return Grid(rows, ruled=False), members


def _not_word_spaces(gaps, lines, segs, body) -> list[tuple[float, float]]:
    """The gutters without those that are one word space wide on every line that has
    text on both sides: a font whose space is as wide as a gutter, and cells that all
    begin with the same word ("ไตรมาส ๑", "ไตรมาส ๒-๓") or a bullet ("- ", "☐ ")."""
    space = next((lines[k].g.space_em for k in body if lines[k].g.space_em), None)
    if not space:
        return gaps
    out = []
    for a, b in gaps:
        seen = []
        for k in body:
            ss = segs[k]
            for s, t in zip(ss, ss[1:]):  # text on both edges of the gap
                if a - 1 <= s[1] <= a + 0.5 and b - 0.5 <= t[0] <= b + 1:
                    seen.append((t[0] - s[1], lines[k].size))
                    break
        if len(seen) >= 2 and all(abs(w - space * em) <= max(0.6, 0.06 * em) for w, em in seen):
            continue
        out.append((a, b))
    return out


def _fits(line_segs, bounds: list[float], tol: float) -> bool:
    """Whether each run of text lies within one column (within `tol` of its borders;
    the outer columns open outwards: a label may be wider than the text under it)."""
    inner = [-1e9] + list(bounds[1:-1]) + [1e9]
    return all(any(inner[c] - tol <= s0 and s1 <= inner[c + 1] + tol
                   for c in range(len(inner) - 1)) for s0, s1 in line_segs)


def _header_above(lines, segs, body: list[int], bounds, x0, x1, gut, claimed):
    """The header lines just above a table's body (line indices, top down), and the group
    row among them if one stands between header and body.

    A header line fits the columns: each label inside one (or, on a line of several
    labels, one label over a group of columns). Going up from the body, lines that fit
    are taken once a full header line is reached — labels in half the columns or more:
    below it a tall header cell may leave wide gaps (status labels wrapped in narrow
    columns, cells centred in their height), above it only lines set close, and not a
    lone text in the first column (the end of the paragraph above the table). A group
    row (one or two runs of text from the first column, or centred) may stand between
    header and body."""
    n_cols = len(bounds) - 1
    # each column's body text, left to right: a label may be wider than its column's
    # share of the gutters (narrow tick columns) as long as it covers no other column's text
    extent: dict[int, list[float]] = {}
    for k in body:
        for q in segs[k]:
            e = extent.setdefault(_column(q, bounds), [q[0], q[1]])
            e[0], e[1] = min(e[0], q[0]), max(e[1], q[1])

    def fit(q) -> bool:
        if _fits([q], bounds, gut):
            return True
        c = _column(q, bounds)
        return not any(q[0] <= e[0] and e[1] <= q[1] or e[0] < q[0] < e[1] or e[0] < q[1] < e[1]
                       for d, e in extent.items() if d != c)

    pitches = sorted(lines[b].foot - lines[a].foot for a, b in zip(body, body[1:]) if b == a + 1)
    pitch = pitches[len(pitches) // 4] if pitches else 0.0  # the body's line pitch
    head: list[int] = []
    tentative: list[int] = []
    pending = group = None
    full = False
    first = body[0]
    below = first
    k = first - 1
    while k >= 0 and k not in claimed and first - k <= 12:
        up = lines[k]
        em = lines[below].size
        gap, step = lines[below].top - up.bottom, lines[below].foot - up.foot
        if gap > (1.2 if full else 3.0) * em and not (pitch and step <= (1.3 if full else 2.0) * pitch):
            break
        if len(segments(up, 2 * gut)) < 3 and (up.x0 < x0 - 3 * em or up.x1 > x1 + 3 * em):
            break  # (a line of labels may reach past a body that fills only some columns)
        # its labels: runs of text, or their words where one of several runs crosses a
        # border (a lone run across borders is a title or a group row, not labels)
        s = [w for q in segs[k] for w in ([q] if len(segs[k]) < 2 or fit(q) else _words_of(up, q))]
        inside = [fit(q) for q in s]
        one_text = len(segments(up, 2 * gut)) <= 2  # (a number and a heading)
        if pending is None and not tentative and one_text and abs(up.x0 - x0) <= ALIGN \
                and up.x1 > bounds[1] + gut:
            # from the first column's edge across its border: a group row, not a label
            pending = k
        elif _spaced_prose(up, segs[k]):
            break  # words a wide space apart, not labels: the paragraph above
        elif all(inside) or (len(s) >= 3 and sum(inside) >= len(s) - 1):
            cols = {_column(q, bounds) for q in s}
            if full and len(s) == 1 and cols == {0} and gap > 0.3 * em:
                break  # (the end of the paragraph above; a staggered label overlaps)
            if full:
                head.insert(0, k)
            else:
                tentative.append(k)
                if len(s) >= 2 and len(cols) >= max(2, n_cols // 2):
                    full = True
                    if pending is not None:
                        group = pending
                    head = sorted(tentative + ([pending] if pending is not None else []))
        elif pending is None and not tentative and one_text and (
                up.x0 <= x0 + gut or abs((up.x0 + up.x1) / 2 - (x0 + x1) / 2) < 2 * em):
            pending = k
        else:
            break
        below = k
        k -= 1
    return head, group


def _spaced_prose(line: TextLine, line_segs) -> bool:
    """Whether a line's runs of text are one word space apart each (a font whose space is
    as wide as a gutter): prose, not column labels."""
    space = line.g.space_em
    if not space or len(line_segs) < 2:
        return False
    w = space * line.size
    return all(abs((t[0] - s[1]) - w) <= max(0.6, 0.06 * line.size)
               for s, t in zip(line_segs, line_segs[1:]))


def _with_label_gaps(bounds, gutters, head, segs, body, gut: float) -> list[float]:
    """Column borders also where the header's labels leave a gap that the body's text
    leaves free too: columns the body does not fill on this page (a row's rest under
    the header printed again) or never (a tick column no row ticks). A gutter the labels
    divide loses the border at its middle."""
    if not head:
        return bounds
    inner = list(bounds[1:-1])
    added: list[float] = []
    text = sorted(q for k in body for q in segs[k])
    for k in head:
        for s, t in zip(segs[k], segs[k][1:]):
            a, b = s[1], t[0]
            if b - a < gut or any(a - gut <= x <= b + gut for x in inner + added):
                continue
            free = _keeps([(a, b)], text, 1.0)
            if free:
                lo, hi = max(free, key=lambda p: p[1] - p[0])
                added.append((lo + hi) / 2)
    if not added:
        return bounds
    kept = [x for x, (ga, gb) in zip(inner, gutters) if not any(ga <= y <= gb for y in added)]
    right = max([bounds[-1]] + [segs[k][-1][1] + 1 for k in head])
    return [bounds[0]] + sorted(kept + added) + [right]


def _without_row_rest(lines, head: list[int], bounds, gut: float) -> list[int]:
    """The header lines without their last lines when those come after a jump in the
    pitch and name no column (the header vocabulary, their texts joined column by
    column): the rest of a row the page break cut, under the header printed again —
    not a second header row ("ยังไม่ได้ / ดำเนินการ" under a status group is one)."""
    if len(head) < 2:
        return head
    steps = [lines[b].foot - lines[a].foot for a, b in zip(head, head[1:])]
    least = min(steps)
    cut = max((p + 1 for p, st in enumerate(steps) if st > least + 0.25 * lines[head[0]].size),
              default=None)
    if cut is None:
        return head
    from ..headers import match_header
    texts: dict[int, list[str]] = {}
    for k in head[cut:]:
        for part in segment_lines(lines[k], gutter_of(lines[k])):
            texts.setdefault(_column((part.x0, part.x1), bounds), []).append(part.text)
    if any(match_header("".join(t)).field is not None for t in texts.values()):
        return head
    return head[:cut]


def words(part: TextLine) -> list[TextLine]:
    """A run of text cut into its words: at spaces, or — where two texts touch with no
    space (two cells' labels, one running over into the other's column) — where the
    stream jumps from one text to the other."""
    ws = segment_lines(part, part.g.space_ratio * part.size)
    if len(ws) > 1:
        return ws
    g, idx = part.g, part.idx
    base = np.flatnonzero(~g.mark[idx])  # unit positions of the letters
    if len(base) < 2:
        return ws
    o = g.order[idx[base]]
    jumps = np.flatnonzero(np.abs(np.diff(o)) > 3) + 1
    if len(jumps) == 0:
        return ws
    edges = [0] + base[jumps].tolist() + [len(idx)]
    return [part.part(a, b) for a, b in zip(edges, edges[1:]) if b > a]


def _words_of(line: TextLine, seg) -> list[tuple[float, float]]:
    """The words of one run of text of a line (two cells' labels closer than a gutter
    make one run: "รับผิดชอบ เวลา")."""
    part = next((p for p in segment_lines(line, gutter_of(line))
                 if abs(p.x0 - seg[0]) < 0.5 and abs(p.x1 - seg[1]) < 0.5), None)
    if part is None:
        return [seg]
    return [(w.x0, w.x1) for w in words(part)]


def _column(seg, bounds) -> int:
    c = (seg[0] + seg[1]) / 2
    return next((i for i in range(len(bounds) - 1) if c < bounds[i + 1]), len(bounds) - 2)


def _first_run(line: TextLine) -> TextLine:
    """The line's first run of text (up to a gap a gutter wide)."""
    cuts = np.flatnonzero(line.gaps[1:] >= gutter_of(line))
    return line if len(cuts) == 0 else line.part(0, int(cuts[0]) + 1)


def _similar(a: str, b: str) -> bool:
    from rapidfuzz.fuzz import ratio
    return len(a) >= 6 and ratio(a, b) >= 80


def _row_starts(lines, segs, members, spanning, bounds, base, n_head) -> list[int]:
    """Positions in `members` where rows begin. The header (its first `n_head` lines,
    when known) is one row; a spanning line is a row of its own; below, rows start
    - at the lines of a column that holds only row numbers ("๓", "๒.๑"), when there is one;
    - else where the first column starts a numbered item ("๑.", "ตัวชี้วัดที่ 2") —
      except, in a table whose rows are padded (its first row, or most numbered lines,
      come after a jump in the line pitch), a numbered line at the ordinary pitch: a
      sub-item of its cell;
    - else where the pitch jumps (cell padding)."""
    pitch = {k: lines[members[k]].foot - lines[members[k - 1]].foot for k in range(1, len(members))}
    em = lines[members[0]].size
    body_pitch = [p for k, p in pitch.items() if k > n_head]
    usual = sorted(body_pitch or pitch.values())[len(body_pitch or pitch) // 4] if pitch else 0.0
    usual = min(usual, base) if base else usual
    # A row starts after a jump in the pitch (the cells' padding). A small jump may be a
    # paragraph's spacing inside a cell: it starts a row only where most cells begin.
    n_cols = len(bounds) - 1
    jumps = {k for k, p in pitch.items() if usual and (
        p > usual + 0.6 * em or (p > usual + 0.25 * em
                                 and 2 * len({_column(q, bounds) for q in segs[members[k]]}) > n_cols))}
    head_end = n_head if n_head else next((k for k in range(len(members)) if k in jumps), len(members))
    numbered: set[int] = set()
    firsts: dict[int, str] = {}  # line → its text in the first column
    for k in range(max(1, n_head), len(members)):
        if members[k] in spanning:
            continue  # a group row: its own row whatever it starts with
        first = _first_run(lines[members[k]])
        if (first.x0 + first.x1) / 2 < bounds[1]:
            firsts[k] = first.text
            if ITEM_START.match(first.text) or _ITEM.match(first.text) \
                    or _NUMBER_ONLY.match(first.text):
                numbered.add(k)
    span_rows = {k for k in range(len(members)) if members[k] in spanning}
    span_rows |= {k + 1 for k in span_rows if k + 1 < len(members)}
    below = [k for k in firsts if numbered and k >= min(numbered)]  # under the header
    seq_col = bool(numbered) and all(k in numbered and _NUMBER_ONLY.match(firsts[k]) for k in below)
    if numbered and not seq_col:
        loose = {k for k in numbered if pitch[k] > usual + 0.2 * em}
        if min(numbered) in jumps or len(loose) >= 0.6 * len(numbered):
            numbered = loose | {min(numbered)}  # padded rows: tight numbered lines are sub-items
    rows = numbered or {k for k in jumps if k >= head_end}
    if not rows and n_head and len(members) - n_head > 1:
        # no numbers, no padding between rows (a word processor's table): a line with
        # text in every column is a row of its own (one line each: a score summary)
        full = [k for k in range(n_head, len(members))
                if len({_column(q, bounds) for q in segs[members[k]]}) == n_cols]
        if len(full) * 2 > len(members) - n_head:
            rows = set(full)
    starts = {0} | rows | span_rows
    if n_head:
        starts.add(n_head)
    if numbered:
        starts.add(min(numbered))  # the header ends where the first numbered row begins
        # … or at the last jump before it: the rest of a row broken by the page break,
        # under the header printed again
        cont = [k for k in jumps if max(n_head, 1) <= k < min(numbered)]
        if cont:
            starts.add(max(cont))
    elif head_end < len(members):
        starts.add(head_end)
    return sorted(s for s in starts if s < len(members))
