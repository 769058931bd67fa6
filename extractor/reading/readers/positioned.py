"""Positioned text → `Document` blocks: the part the PDF and OCR readers share.

Both readers end with the same thing per page: pieces of text with boxes (one character
each from a PDF text layer, one word each from OCR), and the table grids found on the
page (from ruling lines, from the image, or from text alignment). These modules turn that
into the `Line` and `Table` blocks the text reader makes, so that headers, stitching and
records work on PDFs unchanged. Coordinates are points, origin top left, as displayed.
Here: pieces, lines and their text (joined over wraps: `line_joins.py`); `unruled.py`
finds tables drawn without rules;
`page.py` assembles a page's blocks.

`line` numbers are a running count of visual text lines across the document, so that
provenance sorts; `page` is the real page.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from .glyphs import Glyphs
from .line_joins import (_NO_BREAK_AFTER, _NO_BREAK_BEFORE, _THAI_HEAD, _THAI_TAIL,  # noqa: F401
                         _inside_word, first_word, join_lines)
from .sorting import by_key_then, left_to_right, with_marks

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


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
class Grid:
    """A table found on a page: rows of cell boxes; None where a merged cell covers."""

    rows: list[list[BBox | None]]
    ruled: bool = True  # cells drawn (pieces go by their own box) or found from alignment

    @functools.cached_property
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

class TextLine:
    """One visual line of glyphs: `idx` into the page's `Glyphs` in reading order (letters
    left to right, each followed by the marks that sit on it), its box and em size, its
    text, and for each unit the text it contributes (a leading space where the letters
    leave a gap) and the gap before it (0 for marks)."""

    __slots__ = ("g", "idx", "x0", "top", "x1", "bottom", "size", "tokens", "gaps", "key", "_text",
                 "_segments", "_foot", "runs", "cut_boxes")

    def __init__(self, g: Glyphs, idx: np.ndarray, box, size: float, tokens: list[str],
                 gaps: np.ndarray, key: int = 0) -> None:
        self.g, self.idx = g, idx
        self.x0, self.top, self.x1, self.bottom = box
        self.size, self.tokens, self.gaps, self.key = size, tokens, gaps, key
        self._text: str | None = None
        self._segments: tuple[float, list] | None = None
        self._foot: float | None = None
        self.runs: list[tuple[float, float]] | None = None  # `gutters.line_segments`, kept
        # (min_gap, edges, boxes): the parts `segment_lines` cuts at `min_gap`, their
        # boxes found for the whole page at once (`gutters.page_segments`)
        self.cut_boxes: tuple[float, list[int], list] | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join("".join(self.tokens).split())
        return self._text

    @property
    def foot(self) -> float:
        """Where the line stands: the median bottom of its letters' boxes (a box taller or
        deeper than the rest — a symbol from a fallback font, a letter given its ink box —
        does not move it), so that line pitches measure the type, not its odd glyphs."""
        if self._foot is None:
            g, idx = self.g, self.idx
            # Thai consonants standing on the line (no descender): fonts differ in how
            # deep a box reaches, and a line's digits may come from another font
            on = idx[g.on_line[idx]]
            base = on if len(on) else idx[~g.mark[idx]] if len(idx) else idx
            if not len(base):
                base = idx
            if len(base):
                bottoms = sorted(g.bottom[base].tolist())
                n = len(bottoms)
                self._foot = (bottoms[n // 2] + bottoms[(n - 1) // 2]) / 2  # the median
            else:
                self._foot = self.bottom
        return self._foot

    def part(self, a: int, b: int) -> "TextLine":
        """Units a..b of the line (in reading order) as a line of their own."""
        idx, g = self.idx[a:b], self.g
        base = idx[~g.mark[idx]] if len(idx) else idx
        if len(base) == 0:
            base = idx
        sub = g.boxes[base]
        lo, hi = sub.min(axis=0).tolist(), sub.max(axis=0).tolist()
        box = (lo[0], lo[1], hi[2], hi[3])
        tokens = list(self.tokens[a:b])
        if tokens:
            tokens[0] = tokens[0].lstrip(" ")
        gaps = self.gaps[a:b].copy()
        if len(gaps):
            gaps[0] = 0.0
        return TextLine(g, idx, box, self.size, tokens, gaps, self.key)

    def parts(self, edges: list[int], boxes: list | None = None) -> list["TextLine"]:
        """`part(a, b)` for each pair of consecutive `edges` (increasing, from 0 to the
        line's length), their boxes in one pass over the line (or `boxes`, found so)."""
        if len(edges) <= 2:
            return [self.part(a, b) for a, b in zip(edges, edges[1:]) if b > a]
        g, idx = self.g, self.idx
        if boxes is None:
            boxes = part_boxes(g, idx, np.asarray(edges[:-1])).tolist()
        gaps = self.gaps.copy()  # (one copy: each part's first gap is none)
        out = []
        for a, b, box_ in zip(edges, edges[1:], boxes):
            tokens = self.tokens[a:b]
            tokens[0] = tokens[0].lstrip(" ")
            gaps[a] = 0.0
            out.append(TextLine(g, idx[a:b], tuple(box_), self.size, tokens, gaps[a:b],
                                self.key))
        return out

    def merged(self, other: "TextLine") -> "TextLine":
        """This line and `other` (its right neighbour on the same visual line) as one."""
        box = (min(self.x0, other.x0), min(self.top, other.top),
               max(self.x1, other.x1), max(self.bottom, other.bottom))
        tokens = self.tokens + [(" " + other.tokens[0].lstrip(" "))] + other.tokens[1:] \
            if other.tokens else list(self.tokens)
        return TextLine(self.g, np.concatenate((self.idx, other.idx)), box, self.size, tokens,
                        np.concatenate((self.gaps, other.gaps)), self.key)




def part_boxes(g: Glyphs, idx: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The boxes of the parts of `idx` (units in reading order) that begin at `starts`:
    each from its letters (not its marks), from all its units if it has none."""
    lo = np.empty((len(starts), 4))
    if len(starts) == 0:
        return lo
    letter = ~g.mark[idx]
    # left, top, -right, -bottom, so that a minimum gives each edge (column by column:
    # a reduction along a 2-d array's first axis is slow)
    edges = (g.x0[idx], g.top[idx], -g.x1[idx], -g.bottom[idx])
    for k, e in enumerate(edges):
        lo[:, k] = np.minimum.reduceat(np.where(letter, e, np.inf), starts)
    bare = np.isinf(lo[:, 0]).nonzero()[0]  # (no letter: a box is never infinite)
    if len(bare):
        for k, e in enumerate(edges):
            lo[bare, k] = np.minimum.reduceat(e, starts)[bare]
    lo[:, 2:] = -lo[:, 2:]
    return lo
_FAR = 1e7  # separates groups in one array: larger than any page coordinate


def group_lines(g: Glyphs, idx: np.ndarray | None = None,
                key: np.ndarray | None = None) -> list[TextLine]:
    """Cluster glyphs into visual lines, top to bottom, each in reading order — within
    each `key` (a table cell) separately when keys are given (one pass for a table).

    Letters go by their vertical centres (a Thai font's loose boxes, with room for
    stacked marks, are taller than the line spacing, so boxes of neighbouring lines
    overlap); a new line starts where the centre moves by more than `line_ratio` em
    (some glyphs come with their ink box, not the line's: centres spread). Marks are
    placed by geometry, not stream order — engines write a mark after the next letter
    (LibreOffice: "สิน ้"): each goes after the letter whose box holds its centre, in
    the line whose band holds it. All in arrays: a page's lines in a few dozen numpy
    calls, whatever its size.

    >>> g = Glyphs.from_pieces([Piece("b", 10, 0, 15, 10, 1), Piece("a", 0, 1, 5, 11, 0),
    ...                         Piece("c", 0, 14, 5, 24, 2)])
    >>> [l.text for l in group_lines(g)]
    ['a b', 'c']
    """
    if idx is None:
        idx = np.arange(len(g))
    if len(idx) == 0:
        return []
    is_mark = g.mark[idx]
    letter = ~is_mark
    base, marks = idx[letter], idx[is_mark]
    # lines: bases sorted by key, then centre; a break at a new key or a jump of centre
    # (no key: a page's lines, one group — no key arrays)
    if key is None:
        if len(base) == 0:
            base, marks = idx, idx[:0]
        cy = g.cy[base]
        o = cy.argsort(kind="stable")  # (array methods: no numpy wrapper per call)
        base, cy, bkey = base[o], cy[o], None
    else:
        keys = np.asarray(key)
        bkey, mkey = keys[letter], keys[is_mark]
        if len(base) == 0:
            base, marks, bkey, mkey = idx, idx[:0], keys, keys[:0]
        cy = g.cy[base]
        o = by_key_then(bkey, cy)
        base, cy, bkey = base[o], cy[o], bkey[o]
    size = g.size[base]
    brk = np.empty(len(base), bool)
    brk[0] = True
    brk[1:] = (cy[1:] - cy[:-1]) > g.line_ratio * np.minimum(size[1:], size[:-1])
    if bkey is not None:
        brk[1:] |= bkey[1:] != bkey[:-1]
    gid = np.add.accumulate(brk, dtype=np.intp) - 1  # (cumsum of bools: a slower cast)
    starts = brk.nonzero()[0]
    n_lines = len(starts)
    tops = np.minimum.reduceat(g.top[base], starts)
    bottoms = np.maximum.reduceat(g.bottom[base], starts)
    lefts = np.minimum.reduceat(g.x0[base], starts)
    rights = np.maximum.reduceat(g.x1[base], starts)
    ems = size[starts]
    # letters within a line left to right (stream order on ties)
    o = left_to_right(gid, g.x0[base], g.order[base])
    base, gid = base[o], gid[o]
    units, unit_line, unit_kind = base, gid, np.zeros(len(base), int)
    if len(marks):
        mcx, mcy = g.cx[marks], g.cy[marks]
        # the line whose band holds the mark and whose letters reach under it; its own
        # key (cell) only breaks ties
        # candidates: the lines whose centre is within 1.5 em of the mark's (a window
        # of the lines sorted by centre), not every line of the page
        mids = (tops + bottoms) / 2
        by_mid = mids.argsort(kind="stable")
        sorted_mids = mids[by_mid]
        reach_y = 1.5 * g.size[marks]
        lo = sorted_mids.searchsorted(mcy - reach_y, side="left")
        hi = sorted_mids.searchsorted(mcy + reach_y, side="right")
        width = max(int((hi - lo).max()), 1)
        cand = lo[:, None] + np.arange(width)[None, :]
        valid = cand < hi[:, None]
        cand = by_mid[np.minimum(cand, n_lines - 1)]  # (cand >= 0: no clip's overhead)
        em_c = ems[cand]
        band = (mcy[:, None] >= tops[cand] - 0.6 * em_c) & (mcy[:, None] <= bottoms[cand] + 0.6 * em_c)
        under = (mcx[:, None] >= lefts[cand] - 0.3 * em_c) & (mcx[:, None] <= rights[cand] + 0.3 * em_c)
        dist = np.abs(mcy[:, None] - mids[cand])
        dist = dist + np.where(band, 0.0, 1e6) + np.where(under, 0.0, 1e3) + np.where(valid, 0.0, 1e9)
        if key is not None:
            dist = dist + np.where(mkey[:, None] == bkey[starts][cand], 0.0, 1.0)
        mline = cand[np.arange(len(marks)), dist.argmin(axis=1)]
        lost = ~valid.any(axis=1)  # no line near: the nearest centre regardless
        if lost.any():
            mline[lost] = np.argmin(np.abs(mcy[lost, None] - mids[None, :]), axis=1)
        # the letter whose box starts at or before the mark's centre — or the one
        # before it, when that one holds more of the mark (a next letter may start early)
        bx0 = g.x0[base] + gid * _FAR
        bx1 = g.x1[base] + gid * _FAR
        p = bx0.searchsorted(mcx + mline * _FAR, side="right") - 1
        first_of = starts[mline]
        last_of = np.append(starts[1:], len(base)) - 1  # each line's last letter
        p = np.minimum(np.maximum(p, first_of), last_of[mline])
        q = np.maximum(p - 1, first_of)
        mx0, mx1 = g.x0[marks] + mline * _FAR, g.x1[marks] + mline * _FAR
        ov_p = np.minimum(mx1, bx1[p]) - np.maximum(mx0, bx0[p])
        ov_q = np.minimum(mx1, bx1[q]) - np.maximum(mx0, bx0[q])
        p = np.where(ov_q > ov_p, q, p)
        units, unit_line, unit_kind = with_marks(base, gid, marks, mline, p, g.order[marks])
    # the gap before each letter: its left edge minus how far the line reached before it
    # (marks included: a glyph pdfium split among characters leaves them its right part)
    reach = np.maximum.accumulate(g.x1[units] + unit_line * _FAR) - unit_line * _FAR
    first = np.empty(len(units), bool)
    first[0] = True
    first[1:] = unit_line[1:] != unit_line[:-1]
    gaps = np.zeros(len(units))
    gaps[1:] = g.x0[units][1:] - reach[:-1]
    gaps[first | (unit_kind == 1)] = 0.0
    spaced = gaps > g.space_ratio * ems[unit_line]
    # each unit's text, a space before it where the gap is one (picked as an object array)
    toks = g.texts[units]
    sp = spaced.nonzero()[0]
    toks[sp] = np.add(" ", toks[sp])
    tokens = toks.tolist()
    bounds = first.nonzero()[0].tolist() + [len(units)]
    boxes = list(zip(lefts.tolist(), tops.tolist(), rights.tolist(), bottoms.tolist()))
    lines = [TextLine(g, units[a:b], box, em, tokens[a:b], gaps[a:b], k)
             for a, b, box, em, k in zip(bounds, bounds[1:], boxes, ems.tolist(),
                                         [0] * n_lines if bkey is None else bkey[starts].tolist())]
    if key is None:
        lines.sort(key=lambda l: l.top)
    return lines


def _line_len(starts: np.ndarray, n: int) -> np.ndarray:
    return np.diff(np.append(starts, n))


def line_text(line: TextLine) -> str:
    """A line's text: letters left to right, marks on their letters, a space where the
    letters leave a gap wider than `space_ratio` em."""
    return line.text


# ---- segments: runs of text split by column-sized gaps ---------------------------

def segments(line: TextLine, min_gap: float) -> list[tuple[float, float]]:
    """The x-extents of the line's runs of text that no gap of `min_gap` splits (no
    line objects made: the unruled-table finder asks this of every line)."""
    g, idx = line.g, line.idx
    cuts = (line.gaps[1:] >= min_gap).nonzero()[0] + 1  # (never before the first unit)
    if len(cuts) == 0:
        return [(line.x0, line.x1)]
    starts = np.concatenate(([0], cuts))
    x0 = np.minimum.reduceat(g.x0[idx], starts)
    x1 = np.maximum.reduceat(g.x1[idx], starts)
    return list(zip(x0.tolist(), x1.tolist()))


def segment_lines(line: TextLine, min_gap: float) -> list[TextLine]:
    """The line cut where its letters leave a gap of at least `min_gap` (kept: the
    unruled-table finder asks for the same cut several times)."""
    if line._segments is not None and line._segments[0] == min_gap:
        return line._segments[1]
    if line.cut_boxes is not None and line.cut_boxes[0] == min_gap:
        out = line.parts(line.cut_boxes[1], line.cut_boxes[2])
    else:
        cuts = (line.gaps[1:] >= min_gap).nonzero()[0] + 1  # (never before the first unit)
        if len(cuts) == 0:
            out = [line]
        else:
            out = line.parts([0] + cuts.tolist() + [len(line.idx)])
    line._segments = (min_gap, out)
    return out


def first_segment(line: TextLine, min_gap: float) -> tuple[float, float, str]:
    """The left, right and text of `segment_lines(line, min_gap)[0]`, the others not made
    when the page's pass found the cut (row starts ask only for a line's first cell)."""
    cut = line.cut_boxes
    if line._segments is None and cut is not None and cut[0] == min_gap:
        box = cut[2][0]
        # (as `parts` makes its text: the first token's leading space goes in the split)
        return box[0], box[2], " ".join("".join(line.tokens[:cut[1][1]]).split())
    part = segment_lines(line, min_gap)[0]
    return part.x0, part.x1, part.text


ITEM_START = re.compile(r"^\s*(?:[0-9๐-๙]{1,2}\s*[.)](?![0-9๐-๙])|ตัวชี้วัดที่)")


def base_pitch(lines: list[TextLine]) -> float:
    """The page's ordinary line spacing: a low quantile of the distances between lines."""
    d = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > 1)
    return d[len(d) // 4] if d else 0.0

