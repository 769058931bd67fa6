"""One page's blocks: tables (ruled grids, and unruled ones found in the rest), then the
text outside them as paragraph lines, in reading order, numbered on from the last page.

A wrapped paragraph becomes one `Line`, as the text reader has it: document fields (a
quoted score with its year, the agency with its district) need the whole sentence — also
when the paragraph runs on over a page break, or is a centred heading whose wrapped
lines share no left edge.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from extractor.model import Cell, Line, Table
from .glyphs import Glyphs
from .grid_cells import cell_of_lattice, cell_of_points, round_tenths
from .positioned import (BBox, Grid, ITEM_START, LineCounter, TextLine, base_pitch,
                         first_word, group_lines, join_lines, segment_lines)
from .gutters import page_segments
from .unruled import find_unruled, gutter_of, words
from .unruled_carry import Carry, carried_rows, carry_of, rest_row


def _inside(g: Glyphs, idx: np.ndarray, box: BBox, tol: float) -> np.ndarray:
    cx, cy = g.cx[idx], g.cy[idx]
    return (cx >= box[0] - tol) & (cx <= box[2] + tol) & (cy >= box[1] - tol) & (cy <= box[3] + tol)


def _cell_text(lines: list[TextLine], right: float | None = None) -> str:
    if len(lines) == 1:  # (most cells: `join_lines` of one text is that text)
        return lines[0].text
    if right is None or len(lines) < 2:
        return join_lines([l.text for l in lines])
    texts = [lines[0].text]
    for a, b in zip(lines, lines[1:]):
        t = b.text
        # (a cut number goes on with a digit: most lines start with none)
        if t[:1] in _DIGITS and _number_cut(a, b, right):
            texts[-1] += t
        else:
            texts.append(t)
    return join_lines(texts)


_DIGITS = frozenset("0123456789๐๑๒๓๔๕๖๗๘๙")


_TAIL_DIGITS = re.compile(r"(?<![0-9๐-๙])[0-9๐-๙]{1,3}$")
_HEAD_DIGITS = re.compile(r"^[0-9๐-๙]{1,3}(?![0-9๐-๙])")


def _number_cut(a: TextLine, b: TextLine, right: float) -> bool:
    """Whether a number was cut by the wrap (a narrow column whose words an HTML engine
    breaks anywhere: "256" / "6"): `a` fills its cell to the border and ends in digits,
    `b` goes on with digits, the two a year's four digits at most."""
    # (the end-anchored search on the text's end: 3 digits, the character before them
    # and a newline `$` may stand before)
    # (`b`'s head first: most lines of a cell start with no digit)
    head = _HEAD_DIGITS.match(b.text)
    if not head:
        return False
    tail = _TAIL_DIGITS.search(a.text[-6:])
    return bool(tail and len(tail.group()) + len(head.group()) <= 4
                and a.x1 >= right - 1.5 * a.size)


def _table_block(grid: Grid, g: Glyphs, idx: np.ndarray, block: list[TextLine] | None,
                 page: int, counter: LineCounter) -> Table:
    """A grid's cells filled with the text inside them. A position a merged cell covers
    gets a copy marked `spanned`, as the HTML reader does for rowspan/colspan, so that a
    status group header reads column by column. Each row takes as many line numbers as
    its tallest cell has lines."""
    n_rows, n_cols = len(grid.rows), max(len(r) for r in grid.rows)
    # each position's owner: the index (into `keys`, `boxes`) of the cell there or of
    # the merged cell covering it, -1 for none
    own = [[-1] * n_cols for _ in range(n_rows)]
    keys: list[tuple[int, int]] = []
    boxes: list[BBox] = []
    for r, row in enumerate(grid.rows):
        for c, box in enumerate(row):
            if box is not None:
                own[r][c] = len(keys)
                keys.append((r, c))
                boxes.append(box)
    barr = np.asarray(boxes, float).reshape(-1, 4)
    empty = [(r, c) for r in range(n_rows) for c in range(n_cols) if own[r][c] < 0]
    if empty:
        # A merged cell covers the positions left empty: the one whose box holds the
        # middle of the position (its column's x-range, its row's y-range).
        # (a row's own y-range: its lowest box — not one that a rowspan makes taller; a
        # column's own x-range: its narrowest box)
        col_x = [min((((b[2] - b[0]), (b[0] + b[2]) / 2) for row in grid.rows
                      if c < len(row) and (b := row[c])), default=(0, None))[1] for c in range(n_cols)]
        row_y = [min((((b[3] - b[1]), (b[1] + b[3]) / 2) for b in row if b), default=(0, None))[1]
                 for row in grid.rows]
        held = [(r, c) for r, c in empty if col_x[c] is not None and row_y[r] is not None]
        holder = dict(zip(held, cell_of_points(np.array([col_x[c] for _, c in held], float),
                                                np.array([row_y[r] for r, _ in held], float),
                                                barr, 0.5).tolist()))
        for r, c in empty:  # (row by row: the positions above and left are settled)
            k = holder.get((r, c), -1)
            if k >= 0:
                own[r][c] = k
            elif r and own[r - 1][c] >= 0:
                own[r][c] = own[r - 1][c]
            elif c and own[r][c - 1] >= 0:
                own[r][c] = own[r][c - 1]
    lines_of: list[list[TextLine]] = [[] for _ in keys]
    if block is None:  # ruled: each letter by its own centre; neighbouring cells sit close
        cx, cy = g.cx[idx], g.cy[idx]
        where = cell_of_lattice(cx, cy, barr, n_rows, n_cols, 1.0)
        if where is None:
            where = cell_of_points(cx, cy, barr, 1.0)
        where = _overflow_kept(g, idx, where, keys)
        inside = where >= 0
        # one pass for the table's lines, cell by cell; a mark goes with its letter's
        # line, even over the cell border
        for line in group_lines(g, idx[inside], key=where[inside]):
            lines_of[line.key].append(line)
    else:  # unruled: whole runs of text, so that a header spanning columns stays whole
        borders = _borders(grid)
        segs = [seg for line in block for seg in _body_words(
            segment_lines(line, gutter_of(line)), grid, borders)]
        where = cell_of_points(np.array([(s.x0 + s.x1) / 2 for s in segs]),
                                np.array([(s.top + s.bottom) / 2 for s in segs]), barr, 1.0)
        for seg, k in zip(segs, where.tolist()):
            if k >= 0:
                cell = lines_of[k]
                if cell and abs(cell[-1].top - seg.top) < 0.3 * seg.size:
                    cell[-1] = cell[-1].merged(seg)
                else:
                    cell.append(seg)
    rounded = round_tenths(barr.ravel())  # (as `_round` rounds each box)
    made: list[Cell | None] = [None] * len(keys)
    firsts: list[int] = []
    k = 0  # the cells in `keys` order: row by row, left to right
    for r in range(n_rows):
        k0 = k
        while k < len(keys) and keys[k][0] == r:
            k += 1
        height = max([len(lines_of[j]) for j in range(k0, k)], default=1) or 1
        first = counter.take(height)
        firsts.append(first)
        for j in range(k0, k):
            made[j] = Cell(_cell_text(lines_of[j], boxes[j][2]), first, page,
                           bbox=tuple(rounded[4 * j:4 * j + 4]))
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        owners = own[r]
        if all(j >= 0 and keys[j] == (r, c) and not made[j].raw for c, j in enumerate(owners)):
            continue  # a row with nothing in it (a cell drawn on to the page foot)
        row = []
        for c, j in enumerate(owners):
            if j < 0:
                row.append(Cell("", firsts[r], page))
            elif keys[j] == (r, c):
                row.append(made[j])
            else:  # the copy a merged cell leaves in the positions it covers
                src = made[j]
                row.append(Cell(src.raw, src.line, page, bbox=src.bbox, spanned=True))
        rows.append(row)
    return Table(rows, rows[0][0].line if rows else counter.n, page, "pdf")


def _overflow_kept(g: Glyphs, idx: np.ndarray, where: np.ndarray, keys) -> np.ndarray:
    """A word too long for its cell runs on over the border into the cell to its right
    (HTML engines do not break it): letters written one after the other, each touching
    the last, on one line, belong to the cell the run starts in. Text of two cells never
    touches: the cells' padding lies between."""
    if len(idx) < 2:
        return where
    o = np.argsort(g.order[idx], kind="stable")
    ids, w = idx[o], where[o]
    mark = g.mark[ids]
    last_base = np.maximum.accumulate(np.where(~mark, np.arange(len(ids)), 0))
    prev = last_base[np.maximum(np.arange(len(ids)) - 1, 0)]
    touch = (np.abs(g.x0[ids] - g.x1[ids[prev]]) <= 0.5) | mark
    same = np.abs(g.cy[ids] - g.cy[ids[prev]]) < 0.3 * g.size[ids]
    cont = np.zeros(len(ids), bool)
    cont[1:] = (touch & same)[1:]
    run = np.cumsum(~cont) - 1
    start = np.flatnonzero(~cont)
    first = w[start][run]
    moved = np.flatnonzero((w != first) & (first >= 0) & (w >= 0))
    if len(moved) == 0:
        return where
    w = w.copy()
    for i in moved.tolist():
        (r0, c0), (r1, c1) = keys[first[i]], keys[w[i]]
        if r0 == r1 and c1 > c0:  # over the right border of its own cell only
            w[i] = first[i]
    out = np.empty_like(where)
    out[o] = w
    return out


def _borders(grid: Grid) -> list[float]:
    """The right borders of a grid's cells but the last of each row."""
    return sorted({b[2] for row in grid.rows for b in row[:-1] if b})


def _body_words(segs: list[TextLine], grid: Grid, borders: list[float] | None = None
                ) -> list[TextLine]:
    """Runs of text of an unruled table's line; one that crosses a column border (two
    cells' words closer than a gutter: a full narrow cell, labels of two narrow columns)
    is cut into its words, each to go to the cell under it. (Spanning rows are one cell;
    a label over a group of columns is one word or stays in the column of its middle.)"""
    if len(grid.rows) < 2:
        return segs
    if borders is None:
        borders = _borders(grid)
    out = []
    for seg in segs:
        # (a border inside the run: the first border right of its left end, `borders`
        # being sorted, lies before its right end)
        i = bisect_right(borders, seg.x0 + 1)
        if i < len(borders) and borders[i] < seg.x1 - 1:
            out.extend(words(seg))
        else:
            out.append(seg)
    return out


def _round(b: BBox) -> BBox:
    return (round(float(b[0]), 1), round(float(b[1]), 1), round(float(b[2]), 1),
            round(float(b[3]), 1))


@dataclass
class Flow:
    """The paragraph a page ended in, so that the next page's first line can go on
    with it: the `Line` block, its last visual line, and that page's text margins."""

    block: Line | None = None
    last: TextLine | None = None
    left: float = 0.0
    right: float = 0.0
    base: float = 0.0
    carry: Carry | None = None  # the unruled table the page ended in, for the next
    rest: int | None = None  # the row of the page's first table that is the rest of its last
    ends: Table | None = None  # the unruled table the page ends in (lines inside it may follow)


def _carried(lines: list[TextLine], flow: Flow | None):
    """The lines at the top of the page that go on with the unruled table the last page
    ended in (`unruled_carry`), gridded in its columns, or None."""
    if flow is None or flow.carry is None or not lines:
        return None
    return carried_rows(lines, flow.carry, base_pitch(lines))


def _carry_on(items, flow: Flow, carried, blocks) -> Carry | None:
    """What the next page needs of the unruled table this page ends in, if it does — also
    when lines inside its extent come after it (a header label left out of it), not when
    anything lies below it. `flow.ends` is set to that table."""
    flow.ends = None
    k = len(items) - 1
    while k >= 0 and isinstance(items[k][1], TextLine):
        k -= 1
    if k < 0 or not isinstance(items[k][1], Grid) or items[k][2] is None:
        return None
    grid, block = items[k][1], items[k][2]
    if any(it[1].top > grid.bbox[3] for it in items[k + 1:]):
        return None
    table = next((b for b in reversed(blocks) if isinstance(b, Table)), None)
    if table is None:
        return None
    flow.ends = table
    if carried is not None and grid is carried.grid:  # the whole page went on with it
        return flow.carry
    return carry_of(grid, block, table)


def page_blocks(source, grids: list[Grid], page: int, counter: LineCounter,
                drop_line=None, find_tables: bool = True,
                flow: Flow | None = None) -> list[Line | Table]:
    """One page's blocks in reading order: tables from `grids` (plus unruled ones found
    in the text outside them), and the remaining text as paragraph lines. `source` is
    the page's `Glyphs`, or OCR words (`positioned.Piece`). With `flow`, the page's first
    line may go on with the previous page's last paragraph (and `flow` is updated)."""
    g = source if isinstance(source, Glyphs) else Glyphs.from_pieces(source)
    every = np.arange(len(g))
    in_grid = np.zeros(len(g), bool)
    held = {}  # each ruled grid's glyphs (its table's, below)
    for grid in grids:
        held[id(grid)] = inside = _inside(g, every, grid.bbox, 2.0)
        in_grid |= inside
    lines = group_lines(g, every[~in_grid])
    if drop_line is not None:  # page numbers and running headers are no table's rows —
        # at the top or foot of the page: a lone number inside it is a cell's line ("๒๕๖๘")
        edge = {id(l) for l in lines[:2] + lines[-2:]}
        lines = [l for k, l in enumerate(lines) if l.text and not (
            id(l) in edge and drop_line(l.text) and not _YEAR.search(l.text)
            and not _set_close(lines, k))]
    items: list[tuple[float, object, object]] = [(grid.bbox[1], grid, None) for grid in grids]
    cont = None
    if find_tables:
        taken: set[int] = set()
        page_segments(lines)  # (the lines' runs in one pass, also for the carry's lines)
        cont = _carried(lines, flow)  # the rest of the previous page's table
        if cont is not None:
            items.append((cont.grid.bbox[1], cont.grid, cont.lines))
            taken.update(id(l) for l in cont.lines)
        for grid, block in find_unruled([l for l in lines if id(l) not in taken] if taken else lines):
            items.append((grid.bbox[1], grid, block))
            taken.update(id(l) for l in block)
        lines = [l for l in lines if id(l) not in taken]
    left = float(g.x0.min()) if len(g) else 0.0
    right = float(g.x1.max()) if len(g) else 0.0
    base = base_pitch(lines)
    items.extend((l.top, l, None) for l in lines)
    items.sort(key=lambda it: it[0])
    blocks: list[Line | Table] = []
    para: Line | None = None  # the paragraph the previous visual line `last` belongs to
    last: TextLine | None = None
    carried = flow is not None and flow.block is not None
    for _, item, block in items:
        if isinstance(item, Grid):
            idx = every[held[id(item)]] if block is None else None
            table = _table_block(item, g, idx, block, page, counter)
            if any(c.raw for r in table.rows for c in r):
                blocks.append(table)
            para, last, carried = None, None, False
            continue
        text = item.text
        if not text:
            continue  # a page number or running header: the paragraph may go on past it
        number = counter.take()
        if para is not None and _wraps_on(last, item, text, left, right, base):
            _extend(para, item, text, same_page=para.page == page)
        elif carried and not blocks and _wraps_on(flow.last, item, text, flow.left, flow.right,
                                                  flow.base, page_break=True):
            para = flow.block  # keeps its page and box: where it starts
            para.raw = join_lines([para.raw, text])
        else:
            para = Line(text, number, page, _round((item.x0, item.top, item.x1, item.bottom)))
            blocks.append(para)
        last, carried = item, False
    if flow is not None:
        flow.rest = rest_row(flow.carry, cont, blocks)
        flow.carry = _carry_on(items, flow, cont, blocks)
        if para is not None and last is not None:
            flow.block, flow.last, flow.left, flow.right, flow.base = para, last, left, right, base
        elif blocks or len(g):
            flow.block = flow.last = None
    return blocks


def _extend(prev: Line, item: TextLine, text: str, same_page: bool = True) -> None:
    prev.raw = join_lines([prev.raw, text])
    if same_page:
        b = prev.bbox
        prev.bbox = _round((min(b[0], item.x0), b[1], max(b[2], item.x1), item.bottom))


_YEAR = re.compile(r"[0-9๐-๙]{4}")  # no page number: a year, a cell's line


def _set_close(lines: list[TextLine], k: int) -> bool:
    """Whether line `k` is the end of a number a narrow column cut ("๒๕" / "๖๘"): digits
    right under the digits they go on, at the ordinary spacing — not a page number, which
    stands apart in the margin or is no part of a number above it."""
    l, up = lines[k], lines[k - 1] if k else None
    tail = _TAIL_DIGITS.search(up.text) if up is not None else None
    return bool(tail and _HEAD_DIGITS.fullmatch(l.text.strip())
                and len(tail.group()) + len(l.text.strip()) <= 4
                and min(l.x1, up.x1) > max(l.x0, up.x0) and l.top - up.bottom < 0.5 * l.size)
_HEADING_START = re.compile(r"^\s*(?:ตัวชี้วัดที่|\(?ต่อ\)?)")


def _wraps_on(prev: TextLine, line: TextLine, text: str, left: float, right: float,
              base: float, page_break: bool = False) -> bool:
    """Whether `line` goes on with the paragraph whose last line is `prev`: the line's
    first word would not have fitted at the end of `prev` (so the wrapper moved it), the
    two are set alike (same size) and, on one page, at ordinary spacing; `line` does not
    start an item or a heading. Left-aligned text shares its left edge; a centred
    heading shares its centre instead, `prev` being as wide as the text column allows."""
    from ..headers import SECTION_RE

    em = line.size
    if abs(prev.size - em) > 0.12 * em or ITEM_START.match(text) or _HEADING_START.match(text) \
            or (len(text) < 100 and SECTION_RE.search(text)):
        return False
    if not page_break:  # ordinary spacing: the page's usual pitch (glyph boxes of some
        pitch = line.top - prev.top  # producers are too short to measure gaps with)
        if pitch > 2.5 * em or (pitch > 1.6 * base if base else line.top - prev.bottom > 0.6 * line.height):
            return False
    # The first word (Thai runs on without spaces: a dictionary word), with its width
    # in proportion to its letters, and the space before it.
    word = (line.x1 - line.x0) * len(first_word(text)) / max(len(text), 1) + 0.25 * em
    if line.x0 <= prev.x0 + em and prev.x1 + word >= right - em:
        return True  # left-aligned (or justified) text
    centre, mid = (prev.x0 + prev.x1) / 2, (left + right) / 2
    return (abs((line.x0 + line.x1) / 2 - centre) < em and abs(centre - mid) < 2 * em
            and prev.x1 - prev.x0 + word >= right - left - 2 * em)
