"""One page's blocks: tables (ruled grids, and unruled ones found in the rest), then the
text outside them as paragraph lines, in reading order, numbered on from the last page.

A wrapped paragraph becomes one `Line`, as the text reader has it: document fields (a
quoted score with its year) need the whole sentence.
"""
from __future__ import annotations

import re

from extractor.model import Cell, Line, Table
from .positioned import (BBox, Grid, ITEM_START, LineCounter, Piece, TextLine, first_word,
                         base_pitch, group_lines, join_lines, line_text, segment_pieces)
from .unruled import find_unruled


def _inside(p: Piece, box: BBox, tol: float = 1.0) -> bool:
    return box[0] - tol <= p.cx <= box[2] + tol and box[1] - tol <= p.cy <= box[3] + tol


def _table_block(grid: Grid, pieces: list[Piece], page: int, counter: LineCounter,
                 piece_text) -> tuple[Table, float]:
    """A grid's cells filled with the pieces inside them. A position a merged cell covers
    gets a copy marked `spanned`, as the HTML reader does for rowspan/colspan, so that a
    status group header reads column by column. Each row takes as many line numbers as
    its tallest cell has lines."""
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
    # Unruled: whole segments (runs of text with no column-sized gap), not single pieces,
    # so that a header spanning several columns is not cut into letters across them.
    # Ruled: each piece by its own box; text in neighbouring cells may sit close.
    for line in group_lines(pieces):
        segs = ([[p] for p in line.pieces] if grid.ruled
                else segment_pieces(line, max(6.0, 0.6 * line.height)))
        for seg in segs:
            cx = (min(p.x0 for p in seg) + max(p.x1 for p in seg)) / 2
            cy = sum(p.cy for p in seg) / len(seg)
            probe = Piece("", cx, cy, cx, cy, 0)
            for key, box in boxes.items():
                if _inside(probe, box):
                    cells.setdefault(key, []).extend(seg)
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
    right = max((p.x1 for p in pieces), default=0.0)  # the text's right margin
    base = base_pitch(lines)
    items.extend((l.top, l) for l in lines)
    items.sort(key=lambda it: it[0])
    blocks: list[Line | Table] = []
    last: TextLine | None = None  # the previous visual line, while blocks[-1] is its Line
    for _, item in items:
        if isinstance(item, Grid):
            inside = [p for p in pieces if _inside(p, item.bbox, 2.0)]
            table, _top = _table_block(item, inside, page, counter, cell_text)
            if any(c.raw for r in table.rows for c in r):
                blocks.append(table)
            last = None
            continue
        text = line_text(item)
        if not text or (drop_line is not None and drop_line(text)):
            last = None
            continue
        number = counter.take()
        prev = blocks[-1] if blocks else None
        if isinstance(prev, Line) and last is not None and _wraps_on(last, item, text, right, base):
            prev.raw = join_lines([prev.raw, text])
            b = prev.bbox
            prev.bbox = _round((min(b[0], item.x0), b[1], max(b[2], item.x1), item.bottom))
        else:
            blocks.append(Line(text, number, page, _round((item.x0, item.top, item.x1, item.bottom))))
        last = item
    return blocks


_HEADING_START = re.compile(r"^\s*(?:ตัวชี้วัดที่|\(?ต่อ\)?)")


def _wraps_on(prev: TextLine, line: TextLine, text: str, right: float, base: float) -> bool:
    """Whether `line` goes on with the paragraph whose last line is `prev`: its first
    word would not have fitted at the end of `prev`, `line` follows at ordinary spacing, not indented, and does not
    start an item or a heading. (The text reader sees one line per paragraph, and the
    document fields — a quoted score and its year — need the whole sentence.)"""
    from ..headers import SECTION_RE

    h = line.height
    # The line's first word (Thai runs on without spaces: a dictionary word), had it
    # fitted at the end of `prev`, would be there; its width in proportion to its letters.
    word = (line.x1 - line.x0) * len(first_word(text)) / max(len(text), 1)
    return (prev.x1 + word >= right - h and line.top - prev.bottom < 0.6 * h
            and (base == 0 or line.top - prev.top <= 1.6 * base)
            and line.x0 <= prev.x0 + h and not ITEM_START.match(text)
            and not _HEADING_START.match(text)
            and not (len(text) < 100 and SECTION_RE.search(text)))
