"""An unruled table carried over a page break: the rows at the top of a page that go on
with the table the previous page ended in, read in that table's columns.

An HTML engine or a word processor that breaks a row over pages prints the row's rest at
the top of the next page — often with no header above it (the header is repeated only
where a new row begins, or not at all) and with text in a few columns only (the cells
whose text ran on). On its own such a fragment is no table, or a table of its own few
columns, and its text cannot find its cells. But its columns are the previous page's:
the engine lays a table out once, so each line of the fragment starts where the cells of
that table's columns start, and keeps within their borders. So the lines from the top of
the page that keep the carried columns — until a header, a line outside the borders, or
a lone line after a gap (a heading or a paragraph) — are gridded with the carried
borders; `pdf._rejoin_split_row` and the tables' reader then join them to the row they
continue, or read them as the table's next rows.

Whether the first of those rows is the rest of the row the break cut is told by the
columns: the cut row's cells that ran to the page foot go on, those that ended higher up
were complete, and those it left empty may have been moved whole (an engine keeping two
lines of a cell together). A rest under the header printed again is found the same way,
before the header finder can take its lines for a stack of labels. The rest is joined to
its row (`join_rest`) unless its first cell starts the way rows start (a row number).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .gutters import ALIGN, column_of, fits, gutter_of, line_segments
from extractor.model import Table

from .positioned import BBox, Grid, TextLine
from .unruled_rows import row_starts


@dataclass
class Carry:
    """What the next page needs of the table a page ended in: its column borders, where
    text starts in each column, its text size, and its first line (a header printed
    again is no continuation)."""

    bounds: list[float]
    starts: list[float] | None  # None: a header alone, no body yet
    size: float
    head: str
    row_cols: frozenset[int] = frozenset()  # the columns the last row has text in
    open_cols: frozenset[int] = frozenset()  # … and those whose text runs to its foot
    row_lines: int = 0  # … and how many lines it has
    head_lines: int = 0  # how many lines its header takes

    def cut(self) -> bool:
        """Whether the last row looks cut by the page break: some cell ended higher up
        than those that run to the foot, or every cell runs to it over three lines and
        more (a row that ended there has cells of several heights, most often)."""
        return bool(self.open_cols) and (self.open_cols < self.row_cols or self.row_lines >= 3)

    def goes_on(self) -> set[int]:
        """The columns the rest of a cut row may have text in: those that ran to the
        foot, and those the row left empty (an engine that may not split a cell of a
        few lines moves all of it to the next page)."""
        return set(self.open_cols) | (set(range(len(self.bounds) - 1)) - self.row_cols)


@dataclass
class Carried:
    """The top of a page read in the carried columns: its grid and lines, and whether its
    first row is the rest of the row the page break cut (`Carry.open_cols`)."""

    grid: Grid
    lines: list[TextLine]
    rest: bool
    rest_at: int = 0  # the rest's row (1: under the header printed again)


def carry_of(grid: Grid, block: list[TextLine], table: Table) -> Carry | None:
    """The carry of an unruled table (`grid`, its lines, the table made of them): its
    borders from its widest row, the column starts its text keeps line after line (twice
    at least: a centred header label does not count) — none when the table is a header
    alone, whose borders the body on the next page must settle."""
    from ..layout import header_span
    row = max(grid.rows, key=lambda r: sum(b is not None for b in r))
    if any(b is None for b in row) or len(row) < 2 or not block:
        return None
    bounds = [row[0][0]] + [b[2] for b in row]
    seen: Counter = Counter()
    for line in block:
        for s in line_segments(line):
            seen[round(s[0])] += 1
    span = header_span(table.rows)  # (whether the table has a header, and its rows)
    n_head = span[1] if span is not None else 0
    header_only = span is not None and n_head >= len(table.rows)
    starts = None if header_only else sorted(x for x, n in seen.items() if n >= 2)
    sizes = sorted(l.size for l in block)
    row_cols, open_cols, n = _last_row_columns(grid, block, bounds)
    head_lines = 0
    if span is not None and 0 < n_head < len(table.rows):
        foot = max((c.bbox[3] for c in table.rows[n_head - 1] if c.bbox), default=0.0)
        head_lines = sum((l.top + l.bottom) / 2 < foot for l in block)
    return Carry(bounds, starts, sizes[len(sizes) // 2], block[0].text, row_cols, open_cols, n,
                 head_lines)


def _last_row_columns(grid: Grid, block: list[TextLine], bounds: list[float]):
    """The columns the table's last row has text in, and those whose text reaches the
    row's last line: a row the page break cut goes on in these only (a cell whose text
    ended higher up was complete)."""
    last = next((b for b in grid.rows[-1] if b is not None), None)
    if last is None or len(grid.rows) < 2:
        return frozenset(), frozenset(), 0
    lines = [l for l in block if last[1] <= (l.top + l.bottom) / 2 <= last[3]]
    if len(lines) < 2:
        return frozenset(), frozenset(), len(lines)
    foot = max(l.foot for l in lines)
    steps = sorted(b.foot - a.foot for a, b in zip(lines, lines[1:]) if b.foot - a.foot > 0.5 * b.size)
    pitch = steps[len(steps) // 2] if steps else 0.0
    row, open_ = set(), set()
    for l in lines:
        cols = {column_of(q, bounds) for q in line_segments(l)}
        row |= cols
        # (its last line, or the one above: an engine keeps two lines of a cell
        # together on the next page — widows —, cutting that cell a line higher)
        if foot - l.foot < 0.5 * l.size + (pitch if pitch < 2 * l.size else 0.0):
            open_ |= cols
    return frozenset(row), frozenset(open_), len(lines)


def carried_rows(lines: list[TextLine], carry: Carry, base: float) -> Carried | None:
    """The lines at the top of the page that go on with the carried table, gridded in
    its columns (rows where `unruled_rows.row_starts` puts them), or None."""
    from .unruled import _similar

    bounds = carry.bounds
    if carry.head_lines and carry.starts is not None and carry.cut() and (
            _similar(lines[0].text, carry.head) or _header_like(lines[0], gutter_of(lines[0]))):
        return _under_header(lines, carry, base)
    taken: list[TextLine] = []
    segs: list[list[tuple[float, float]]] = []
    pitch = 0.0
    for line in lines:
        s = line_segments(line)
        gut = gutter_of(line)
        if abs(line.size - carry.size) > 0.15 * carry.size:
            break
        if line.x0 < bounds[0] - 2 * line.size or line.x1 > bounds[-1] + 2 * line.size:
            break  # (a cell's line may reach past the longest seen in its column)
        if carry.starts is not None and not fits(s, bounds, gut):
            break  # (a header's borders are only near: its labels are centred)
        if _similar(line.text, carry.head) or (len(s) >= 2 and _header_like(line, gut)):
            break  # the header printed again (or another table's): read as usual
        if taken:
            prev = taken[-1]
            step = line.foot - prev.foot
            if line.top - prev.bottom > 2.5 * line.size:
                break
            if len(s) == 1 and pitch and step > pitch + 0.6 * line.size and column_of(s[0], bounds) == 0:
                break  # a lone line in the first column after a gap: a heading, a paragraph
            pitch = step if not pitch else min(pitch, step)
        if carry.starts is not None and not any(abs(q[0] - x) <= ALIGN for q in s for x in carry.starts):
            break  # no text where a cell's starts: a heading, a paragraph, a title
        taken.append(line)
        segs.append(s)
    if not taken:
        return None
    flat = [q for ss in segs for q in ss]
    if carry.starts is None:  # the header ended the last page: a row of several cells
        if len(segs[0]) < 2:
            return None
        bounds = _snapped(bounds, segs, gutter_of(taken[0]))
        n = next((k for k, ss in enumerate(segs) if not fits(ss, bounds, gutter_of(taken[k]))), len(segs))
        return Carried(*_grid(taken[:n], segs[:n], bounds, base), False) if n else None
    on_start = sum(any(abs(q[0] - x) <= ALIGN for x in carry.starts) for q in flat)
    cols = {column_of(q, bounds) for q in flat}
    # the cells' text starts where the table's columns start theirs (a centred signature
    # or a paragraph does not); text in the first column alone is a paragraph unless
    # every line of it does
    if 2 * on_start < len(flat) or (cols == {0} and on_start < len(flat)):
        return None
    grid, taken = _grid(taken, segs, bounds, base)
    first = {column_of(q, bounds) for ss, l in zip(segs, taken)
             if l.top < grid.rows[0][0][3] for q in ss}
    # the rest of a cut row: text only in columns that ran to the page foot, while some
    # other cell of that row ended higher up (rows of one line each cannot tell)
    rest = carry.cut() and first <= carry.goes_on()
    return Carried(grid, taken, rest)


def _under_header(lines: list[TextLine], carry: Carry, base: float) -> Carried | None:
    """The header printed again at the top of the page, then the rest of the cut row:
    lines with text only in the columns that ran to the last page's foot (a cell's text
    going on, which would read as a stack of labels under the header), then the table's
    next rows while they keep the carried columns. None when no such rest follows."""
    from .unruled import _similar

    bounds, n = carry.bounds, carry.head_lines
    if len(lines) <= n or any(abs(l.size - carry.size) > 0.2 * carry.size
                              or l.x0 < bounds[0] - 2 * l.size or l.x1 > bounds[-1] + 2 * l.size
                              or not fits(line_segments(l), bounds, gutter_of(l))
                              for l in lines[:n]):
        return None  # (labels that miss the columns: another table's header, laid out anew)
    taken, segs = list(lines[:n]), [line_segments(l) for l in lines[:n]]
    rest = 0
    spanning: set[int] = set()
    for line in lines[n:]:
        s = line_segments(line)
        if abs(line.size - carry.size) > 0.15 * carry.size or line.top - taken[-1].bottom > 2.5 * line.size:
            break
        if not fits(s, bounds, gutter_of(line)):
            if rest and fits(_words(line, s), bounds, gutter_of(line)):
                pass  # two cells' text set closer than a gutter: its words keep the columns
            elif not rest or not _group_row(line, s, carry):
                break
            else:
                spanning.add(len(taken))  # a group row across the table, below the rest
                taken.append(line)
                segs.append(s)
                continue
        step = line.foot - taken[-1].foot
        if _similar(line.text, carry.head) or (len(s) >= 2 and _header_like(line, gutter_of(line), True)):
            break  # a header again: the next table's
        if rest == len(taken) - n and {column_of(q, bounds) for q in s} <= carry.goes_on() \
                and any(abs(q[0] - x) <= ALIGN for q in s for x in carry.starts) \
                and not (rest and base and step > base + 0.6 * line.size) \
                and not (column_of(s[0], bounds) == 0 and _ROW_NUMBER.match(line.text)):
            rest += 1  # (still the rest: no padding above it, no row number)
        elif not rest:
            return None  # a row of its own right under the header: read as usual
        elif not any(abs(q[0] - x) <= ALIGN for q in s for x in carry.starts):
            break  # no text where a cell starts: a paragraph under the table
        taken.append(line)
        segs.append(s)
    if not rest:
        return None
    body = list(range(n + rest, len(taken)))
    starts = [0, n] + ([n + rest + k for k in row_starts(taken, segs, body, spanning, bounds, base, 0)]
                       if body else [])
    return Carried(_rows(taken, starts, bounds, spanning), taken, True, 1)


def _words(line: TextLine, s) -> list[tuple[float, float]]:
    from .gutters import words_of
    return [w for q in s for w in words_of(line, q)]


def _group_row(line: TextLine, s, carry: Carry) -> bool:
    """Whether a line crossing the columns is a group row ("2 มาตรการ…" across the
    table): one or two runs of text, the first where the first column's text starts."""
    return len(s) <= 2 and column_of(s[0], carry.bounds) == 0 and any(
        abs(s[0][0] - x) <= ALIGN for x in carry.starts)


def _header_like(line: TextLine, gut: float, strict: bool = False) -> bool:
    """Whether a line names columns: two of its runs of text at least, and a third of
    them, are header phrases (a header's first line, its words cut by narrow columns:
    "ลำ | มาตร | วิธีดำเนินการ | ระยะ | ผู้รั | สรุปผลการดำเนินการ…")."""
    from ..headers import match_header
    from .positioned import segment_lines
    parts = segment_lines(line, gut)
    named = sum(match_header(p.text).field is not None for p in parts)
    if strict:  # (among a table's rows: cells may name a period, "ไตรมาส ๒", or a result)
        return named >= 2 and 2 * named >= len(parts) and not any(
            re.match(r"\s*[-–•0-9๐-๙]", p.text) for p in parts)
    return named >= 2 and 3 * named >= len(parts)


def _snapped(bounds: list[float], segs, gut: float) -> list[float]:
    """A header's column borders moved into the gutters its body leaves free: a border
    inside a body's text goes to the middle of the nearest gutter (the labels, centred in
    their columns, left it only near); borders in one gutter (columns the body leaves
    empty) all stay."""
    from .gutters import keeps
    x0, x1 = bounds[0], bounds[-1]
    free = [g for g in keeps([(x0, x1)], [q for ss in segs for q in ss], 0.8 * gut)
            if x0 < g[0] and g[1] < x1]
    if not free:
        return bounds
    inner = []
    for x in bounds[1:-1]:
        if not any(a - gut <= x <= b + gut for a, b in free):
            a, b = min(free, key=lambda g: min(abs(g[0] - x), abs(g[1] - x)))
            x = (a + b) / 2
        elif not any(a <= x <= b for a, b in free):
            a, b = min(free, key=lambda g: min(abs(g[0] - x), abs(g[1] - x)))
            x = min(max(x, a), b)  # a border at the gutter's edge: just inside it
        inner.append(x)
    inner = sorted(set(inner))
    return [x0] + inner + [x1]


def _grid(taken: list[TextLine], segs, bounds: list[float], base: float) -> tuple[Grid, list[TextLine]]:
    members = list(range(len(taken)))
    return _rows(taken, row_starts(taken, segs, members, set(), bounds, base, 0), bounds), taken


def _rows(taken: list[TextLine], starts: list[int], bounds: list[float],
          spanning: set[int] = frozenset()) -> Grid:
    x0 = min(bounds[0], min(l.x0 for l in taken) - 1)
    x1 = max(bounds[-1], max(l.x1 for l in taken) + 1)
    edges = [x0] + list(bounds[1:-1]) + [x1]
    rows: list[list[BBox | None]] = []
    for a, b in zip(starts, starts[1:] + [len(taken)]):
        part = taken[a:b]
        t, bt = min(l.top for l in part) - 1, max(l.bottom for l in part) + 1
        if a in spanning and b - a == 1:  # one merged cell across the table
            rows.append([(edges[0], t, edges[-1], bt)] + [None] * (len(edges) - 2))
        else:
            rows.append([(edges[c], t, edges[c + 1], bt) for c in range(len(edges) - 1)])
    return Grid(rows, ruled=False)


def rest_row(carry: Carry | None, cont: Carried | None, blocks: list) -> int | None:
    """Which row of the page's first block is the rest of the row the last page's table
    ended in, if one is: the first row of the carried lines (`Carried.rest`), or the
    first row under the header printed again when its text lies only in the columns
    that ran to the page foot while some other cell of that row ended higher up."""
    if not blocks or not isinstance(blocks[0], Table):
        return None
    table = blocks[0]
    if cont is not None:
        at = cont.rest_at
        return at if cont.rest and at < len(table.rows) and not _starts_row(table.rows[at]) else None
    if carry is None or not carry.cut() or table.n_cols != len(carry.bounds) - 1:
        return None
    from ..layout import header_span
    span = header_span(table.rows)
    n_head = span[1] if span is not None else 0
    if span is None or not 0 < n_head < len(table.rows):
        return None
    filled = {c for c, cell in enumerate(table.rows[n_head]) if cell.raw.strip() and not cell.spanned}
    piece = table.rows[n_head]
    return n_head if filled and filled <= carry.goes_on() and not _starts_row(piece) else None


_ROW_NUMBER = re.compile(r"^\s*(?:[0-9๐-๙]{1,3}\s*[.)]?\s*$|[0-9๐-๙]{1,2}(?:\.[0-9๐-๙])*\s*[.)]|ตัวชี้วัดที่)")


def _starts_row(row) -> bool:
    """Whether a row's first cell begins as a row does: a row number, a numbered item,
    an indicator ("๒.", "3", "1.2", "ตัวชี้วัดที่ 4") — a new row, whatever the columns say."""
    return bool(row) and bool(_ROW_NUMBER.match(row[0].raw))


def join_rest(prev: Table, blocks: list, at: int) -> None:
    """The rest of `prev`'s last row (row `at` of the page's first block, `rest_row`)
    appended to it cell by cell."""
    if blocks[0].n_cols == prev.n_cols:
        append_rest(prev, blocks[0], at, blocks)


def append_rest(prev: Table, table: Table, at: int, blocks: list) -> None:
    """Row `at` of `table` (the next page's) appended to `prev`'s last row cell by cell,
    and taken out of `table` (and `table` out of `blocks` when that leaves it empty)."""
    from .positioned import join_lines
    for a, b in zip(prev.rows[-1], table.rows[at]):
        if b.raw and not b.spanned:
            a.raw = join_lines([a.raw, b.raw]) if a.raw else b.raw
    del table.rows[at]
    if not table.rows:
        blocks.remove(table)
