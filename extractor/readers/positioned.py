"""Positioned text → `Document` blocks: the part the PDF and OCR readers share.

Both readers end with the same thing per page: pieces of text with boxes (one character
each from a PDF text layer, one word each from OCR), and the table grids found on the
page (from ruling lines, from the image, or from text alignment). This module turns that
into the `Line` and `Table` blocks the text reader makes, so that headers, stitching and
records work on PDFs unchanged. Coordinates are points, origin top left, as displayed.

`line` numbers are a running count of visual text lines across the document, so that
provenance sorts; `page` is the real page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from ..model import Cell, Line, Table

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
_THAI = re.compile("[\u0e01-\u0e5b]")


@dataclass(slots=True)
class Piece:
    """A character (PDF) or word (OCR) with its box; `order` is its place in the stream."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    order: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class TextLine:
    pieces: list[Piece]
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Grid:
    """A table found on a page: rows of cell boxes; None where a merged cell covers."""

    rows: list[list[BBox | None]]
    warnings: list[str] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        boxes = [b for r in self.rows for b in r if b]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


class LineCounter:
    """The running 1-based line number across a document's pages."""

    def __init__(self) -> None:
        self.n = 0

    def take(self, k: int = 1) -> int:
        first = self.n + 1
        self.n += max(k, 1)
        return first


# ---- lines ---------------------------------------------------------------------------

def group_lines(pieces: list[Piece]) -> list[TextLine]:
    """Cluster pieces into visual lines by their vertical centres, top to bottom.

    Centres, not box overlap: a Thai font's loose boxes (room for stacked marks) are
    taller than the line spacing, so boxes of neighbouring lines overlap.

    >>> ls = group_lines([Piece("b", 10, 0, 15, 10, 1), Piece("a", 0, 1, 5, 11, 0),
    ...                   Piece("c", 0, 8, 5, 18, 2)])
    >>> [[p.text for p in l.pieces] for l in ls]
    [['a', 'b'], ['c']]
    """
    lines: list[TextLine] = []
    centre = 0.0
    for p in sorted(pieces, key=lambda p: p.cy):
        cur = lines[-1] if lines else None
        h = p.bottom - p.top
        if cur is not None and p.cy - centre <= 0.3 * min(h, cur.height):
            cur.pieces.append(p)
            cur.x0, cur.x1 = min(cur.x0, p.x0), max(cur.x1, p.x1)
            cur.top, cur.bottom = min(cur.top, p.top), max(cur.bottom, p.bottom)
        else:
            lines.append(TextLine([p], p.x0, p.top, p.x1, p.bottom))
            centre = p.cy
    for line in lines:
        line.pieces.sort(key=lambda p: p.order)
    return lines


def line_text(line: TextLine) -> str:
    """A line's text in stream order, with a space where the pieces leave a gap."""
    out: list[str] = []
    right = None
    gap = 0.25 * max(line.height, 1.0)
    for p in line.pieces:
        if right is not None and out and not out[-1].endswith(" ") and not p.text.startswith(" "):
            if p.x0 - right > gap or p.x1 < right - 2 * gap:  # a gap, or a jump back left
                out.append(" ")
        out.append(p.text)
        right = p.x1 if right is None or p.x0 > right - 2 * gap else max(right, p.x1)
    return " ".join("".join(out).split())


def join_lines(texts: list[str]) -> str:
    """Lines of one cell as one string: Thai runs on across a line break (Thai wraps
    between words without a space), anything else gets a space.

    >>> join_lines(["การปฏิบัติ", "หน้าที่", "(No Gift", "Policy)"])
    'การปฏิบัติหน้าที่ (No Gift Policy)'
    """
    out = ""
    for t in (t for t in texts if t):
        if out and not (_THAI.match(out[-1]) and _THAI.match(t[0])):
            out += " "
        out += t
    return out


# ---- tables without rules ------------------------------------------------------------

def _segments(line: TextLine, min_gap: float) -> list[tuple[float, float]]:
    segs: list[list[float]] = []
    for p in sorted(line.pieces, key=lambda p: p.x0):
        if p.text.isspace():
            continue
        if segs and p.x0 - segs[-1][1] < min_gap:
            segs[-1][1] = max(segs[-1][1], p.x1)
        else:
            segs.append([p.x0, p.x1])
    return [(a, b) for a, b in segs]


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
    `min_cols - 1` common vertical gutters. Rows break where the line pitch jumps (cell
    padding) or where the first column starts a numbered item."""
    found: list[tuple[Grid, list[TextLine]]] = []
    i = 0
    while i < len(lines):
        h = max(lines[i].height, 1.0)
        gutter = max(6.0, 0.6 * h)
        segs = _segments(lines[i], gutter)
        if len(segs) < min_cols:
            i += 1
            continue
        free = [(segs[k][1], segs[k + 1][0]) for k in range(len(segs) - 1)]
        x0, x1 = segs[0][0], segs[-1][1]
        block = [lines[i]]
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.top - block[-1].bottom > 2.5 * h or line.x0 < x0 - gutter:
                break
            new = [g for g in _cut(free, _segments(line, gutter)) if g[1] - g[0] >= 0.5 * gutter]
            if len(new) < len(free):  # the line crosses a column gutter: not in the table
                break
            free, x1 = new, max(x1, line.x1)
            block.append(line)
            j += 1
        multi = sum(len(_segments(l, gutter)) >= 2 for l in block)
        if len(free) + 1 >= min_cols and len(block) >= 2 and multi >= 2:
            bounds = [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1]
            found.append((Grid(_rows_by_pitch(block, bounds)), block))
            i = j
        else:
            i += 1
    return found


_ITEM_START = re.compile(r"^\s*(?:[0-9๐-๙]{1,2}\s*[.)]|ตัวชี้วัดที่)")


def _rows_by_pitch(block: list[TextLine], bounds: list[float]) -> list[list[BBox | None]]:
    pitches = [b.top - a.top for a, b in zip(block, block[1:])]
    base = min(pitches) if pitches else 0
    starts = [0]
    for k in range(1, len(block)):
        first_col = [p for p in block[k].pieces if p.cx < bounds[1]]
        numbered = bool(first_col) and bool(_ITEM_START.match(
            line_text(TextLine(first_col, 0, 0, 0, block[k].height))))
        if pitches[k - 1] > 1.3 * base or (numbered and k - starts[-1] > 0):
            starts.append(k)
    starts.append(len(block))
    rows = []
    for a, b in zip(starts, starts[1:]):
        top = block[a].top - 1
        bottom = block[b - 1].bottom + 1
        rows.append([(bounds[c], top, bounds[c + 1], bottom) for c in range(len(bounds) - 1)])
    return rows


# ---- assembling a page ---------------------------------------------------------------

def _inside(p: Piece, box: BBox, tol: float = 1.0) -> bool:
    return box[0] - tol <= p.cx <= box[2] + tol and box[1] - tol <= p.cy <= box[3] + tol


def _table_block(grid: Grid, pieces: list[Piece], page: int, counter: LineCounter,
                 piece_text) -> tuple[Table, float]:
    n_cols = max(len(r) for r in grid.rows)
    cells: dict[tuple[int, int], list[Piece]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    boxes: dict[tuple[int, int], BBox] = {}
    for r, row in enumerate(grid.rows):
        for c in range(n_cols):
            box = row[c] if c < len(row) else None
            if box is not None:
                boxes[(r, c)] = box
                owner[(r, c)] = (r, c)
    for r, row in enumerate(grid.rows):  # a merged cell covers the positions left empty
        for c in range(n_cols):
            if (r, c) in owner:
                continue
            ref = (r - 1, c) if r and (r - 1, c) in owner else (r, c - 1) if c and (r, c - 1) in owner else None
            if ref is not None:
                owner[(r, c)] = owner[ref]
    for p in pieces:
        for key, box in boxes.items():
            if _inside(p, box):
                cells.setdefault(key, []).append(p)
                break
    rows: list[list[Cell]] = []
    for r in range(len(grid.rows)):
        texts: dict[int, tuple[str, int]] = {}
        height = 1
        for c in range(n_cols):
            if owner.get((r, c)) == (r, c):
                lines = group_lines(cells.get((r, c), []))
                texts[c] = (piece_text(lines), len(lines))
                height = max(height, len(lines))
        first = counter.take(height)
        row = []
        for c in range(n_cols):
            key = owner.get((r, c))
            if key is None:
                row.append(Cell("", first, page))
            elif key == (r, c):
                row.append(Cell(texts[c][0], first, page, bbox=_round(boxes[key])))
            else:  # the copy a merged cell leaves in the positions it covers
                src = rows[key[0]][key[1]] if key[0] < r else row[key[1]]
                row.append(Cell(src.raw, src.line, page, bbox=src.bbox, spanned=True))
        rows.append(row)
    return Table(rows, rows[0][0].line if rows else counter.n, page, "pdf"), grid.bbox[1]


def _round(b: BBox) -> BBox:
    return (round(b[0], 1), round(b[1], 1), round(b[2], 1), round(b[3], 1))


def page_blocks(pieces: list[Piece], grids: list[Grid], page: int, counter: LineCounter,
                drop_line=None, find_tables: bool = True) -> list[Line | Table]:
    """One page's blocks in reading order: tables from `grids` (plus unruled ones found
    in the text outside them), and the remaining text as paragraph lines."""
    def cell_text(lines: list[TextLine]) -> str:
        return join_lines([line_text(l) for l in lines])

    rest = [p for p in pieces if not any(_inside(p, g.bbox, 2.0) for g in grids)]
    lines = group_lines(rest)
    items: list[tuple[float, object]] = [(g.bbox[1], g) for g in grids]
    if find_tables:
        taken: set[int] = set()
        for grid, block in find_unruled(lines):
            items.append((grid.bbox[1], grid))
            taken.update(id(l) for l in block)
        lines = [l for l in lines if id(l) not in taken]
    items.extend((l.top, l) for l in lines)
    items.sort(key=lambda it: it[0])
    blocks: list[Line | Table] = []
    for _, item in items:
        if isinstance(item, Grid):
            inside = [p for p in pieces if _inside(p, item.bbox, 2.0)]
            table, _top = _table_block(item, inside, page, counter, cell_text)
            if any(c.raw for r in table.rows for c in r):
                blocks.append(table)
            continue
        text = line_text(item)
        if not text or (drop_line is not None and drop_line(text)):
            continue
        blocks.append(Line(text, counter.take(), page,
                           _round((item.x0, item.top, item.x1, item.bottom))))
    return blocks


def pitch(lines: list[TextLine]) -> float:
    """Median distance between consecutive line tops (for callers' tolerances)."""
    d = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top]
    return median(d) if d else 0.0
