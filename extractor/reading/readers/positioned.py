"""Positioned text → `Document` blocks: the part the PDF and OCR readers share.

Both readers end with the same thing per page: pieces of text with boxes (one character
each from a PDF text layer, one word each from OCR), and the table grids found on the
page (from ruling lines, from the image, or from text alignment). These modules turn that
into the `Line` and `Table` blocks the text reader makes, so that headers, stitching and
records work on PDFs unchanged. Coordinates are points, origin top left, as displayed.
Here: pieces, lines and their text; `unruled.py` finds tables drawn without rules;
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
    left to right, each followed by the marks that sit on it), its box and em size."""

    __slots__ = ("g", "idx", "x0", "top", "x1", "bottom", "size", "_text")

    def __init__(self, g: Glyphs, idx: np.ndarray) -> None:
        self.g, self.idx = g, idx
        base = idx[~g.mark[idx]] if len(idx) else idx
        if len(base) == 0:
            base = idx
        self.x0, self.x1 = float(g.x0[base].min()), float(g.x1[base].max())
        self.top, self.bottom = float(g.top[base].min()), float(g.bottom[base].max())
        self.size = float(np.median(g.size[base]))
        self._text: str | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _line_text(self)
        return self._text

    def sub(self, idx: np.ndarray) -> "TextLine":
        return TextLine(self.g, idx)


def group_lines(g: Glyphs, idx: np.ndarray | None = None) -> list[TextLine]:
    """Cluster glyphs into visual lines, top to bottom, each in reading order.

    Letters go by their vertical centres (a Thai font's loose boxes, with room for
    stacked marks, are taller than the line spacing, so boxes of neighbouring lines
    overlap); a new line starts where the centre moves by more than `line_ratio` em
    (some glyphs come with their ink box, not the line's: centres spread). Marks are
    placed by geometry, not stream order — engines write a mark after the next letter
    (LibreOffice: "สิน ้"): each goes after the letter whose box holds its centre.

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
    base, marks = idx[~is_mark], idx[is_mark]
    if len(base) == 0:
        base, marks = idx, idx[:0]
    cy = g.cy[base]
    o = np.argsort(cy, kind="stable")
    base, cy = base[o], cy[o]
    size = g.size[base]
    tol = g.line_ratio * np.minimum(size[1:], size[:-1])
    groups = np.split(base, np.flatnonzero(np.diff(cy) > tol) + 1)
    groups = [grp[np.lexsort((g.order[grp], g.x0[grp]))] for grp in groups]
    if len(marks) == 0:
        return [TextLine(g, grp) for grp in groups]
    # each mark: the line whose band holds it (nearest centre), then the letter before it
    tops = np.array([g.top[grp].min() for grp in groups])
    bottoms = np.array([g.bottom[grp].max() for grp in groups])
    lefts = np.array([g.x0[grp].min() for grp in groups])
    rights = np.array([g.x1[grp].max() for grp in groups])
    em = np.array([np.median(g.size[grp]) for grp in groups])
    mcx, mcy = g.cx[marks], g.cy[marks]
    band = ((mcy[:, None] >= tops - 0.6 * em) & (mcy[:, None] <= bottoms + 0.6 * em)
            & (mcx[:, None] >= lefts - em) & (mcx[:, None] <= rights + em))
    dist = np.where(band, np.abs(mcy[:, None] - (tops + bottoms) / 2), np.inf)
    line_of = np.argmin(dist, axis=1)
    lost = ~np.isfinite(dist[np.arange(len(marks)), line_of])
    if lost.any():  # no line near: the nearest centre regardless
        d = np.abs(mcy[lost, None] - (tops + bottoms) / 2)
        line_of[lost] = np.argmin(d, axis=1)
    lines = []
    for k, grp in enumerate(groups):
        mine = marks[line_of == k]
        if len(mine) == 0:
            lines.append(TextLine(g, grp))
            continue
        mine = mine[np.argsort(g.order[mine], kind="stable")]
        # the letter whose box starts at or before the mark's centre — or the one before
        # it, when that one holds more of the mark (a next letter's box may start early)
        bx0, bx1 = g.x0[grp], g.x1[grp]
        pos = np.clip(np.searchsorted(bx0, g.cx[mine], side="right") - 1, 0, len(grp) - 1)
        before = np.clip(pos - 1, 0, len(grp) - 1)
        mx0, mx1 = g.x0[mine], g.x1[mine]
        ov = np.minimum(mx1, bx1[pos]) - np.maximum(mx0, bx0[pos])
        ov_before = np.minimum(mx1, bx1[before]) - np.maximum(mx0, bx0[before])
        pos = np.where(ov_before > ov, before, pos)
        keys_pos = np.concatenate((np.arange(len(grp)), pos))
        keys_kind = np.concatenate((np.zeros(len(grp), int), np.ones(len(mine), int)))
        keys_seq = np.concatenate((np.zeros(len(grp), int), np.arange(len(mine))))
        allidx = np.concatenate((grp, mine))
        lines.append(TextLine(g, allidx[np.lexsort((keys_seq, keys_kind, keys_pos))]))
    return lines


def _gaps(line: TextLine) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in `line.idx`) of its letters, and the gap before each letter."""
    g, idx = line.g, line.idx
    pos = np.flatnonzero(~g.mark[idx]) if len(idx) else np.zeros(0, int)
    if len(pos) == 0:
        pos = np.arange(len(idx))
    # how far right the text before each letter reaches, marks included: a glyph
    # whose box pdfium split among its characters leaves its marks the right part
    right = np.maximum.accumulate(g.x1[idx])
    gaps = np.zeros(len(pos))
    nz = pos > 0
    gaps[nz] = g.x0[idx[pos[nz]]] - right[pos[nz] - 1]
    return pos, gaps


def _line_text(line: TextLine) -> str:
    g, idx = line.g, line.idx
    if len(idx) == 0:
        return ""
    pos, gaps = _gaps(line)
    spaced = set(pos[gaps > g.space_ratio * line.size].tolist())
    out = []
    for k, i in enumerate(idx.tolist()):
        if k in spaced:
            out.append(" ")
        out.append(g.text[i])
    return " ".join("".join(out).split())


def line_text(line: TextLine) -> str:
    """A line's text: letters left to right, marks on their letters, a space where the
    letters leave a gap wider than `space_ratio` em."""
    return line.text


_NO_BREAK_AFTER = re.compile("[\u0e40-\u0e44]$")  # a leading vowel needs its consonant
_NO_BREAK_BEFORE = re.compile("^[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")  # marks, ะ า ำ ๅ
_THAI_TAIL = re.compile("[\u0e01-\u0e4e]{1,12}$")
_THAI_HEAD = re.compile("^[\u0e01-\u0e4e]{1,12}")


@functools.lru_cache(maxsize=4096)
def _inside_word(tail: str, head: str) -> bool:
    """Whether a line break between two Thai runs fell inside a dictionary word."""
    from pythainlp.tokenize import word_tokenize

    pos, cut = 0, len(tail)
    for tok in word_tokenize(tail + head, engine="newmm", keep_whitespace=False):
        if pos < cut < pos + len(tok):
            return True
        pos += len(tok)
    return False


@functools.lru_cache(maxsize=4096)
def first_word(text: str) -> str:
    """The first unit a line wrapper would have moved whole: the text up to the first
    space (wrappers that break only at spaces), or for a long Thai run, its first
    dictionary word (wrappers that break Thai between words).

    >>> first_word("ผลการประเมินคุณธรรมและความโปร่งใส"), first_word("ได้คะแนน ๘๘.๑๒")
    ('ผล', 'ได้คะแนน')
    >>> first_word("95.75 (ผ่านดี)")
    '95.75'
    """
    head = text.split(" ", 1)[0]
    if len(head) <= 15 or not _THAI_HEAD.match(head):
        return head
    from pythainlp.tokenize import word_tokenize
    return next(iter(word_tokenize(head[:30], engine="newmm", keep_whitespace=False)), head)


def join_lines(texts: list[str]) -> str:
    """Lines of one cell or paragraph as one string. A PDF does not say whether a wrap
    ate a space: none where the break fell inside a syllable or a dictionary word
    (narrow columns split words anywhere), else a space, as the text reader sees it.

    >>> join_lines(["อำเภอสันป่าตอง", "จังหวัดเชียงใหม่", "ระยะเวลาด", "ำเนินการ", "เ", "ปิด"])
    'อำเภอสันป่าตอง จังหวัดเชียงใหม่ ระยะเวลาดำเนินการ เปิด'
    >>> join_lines(["ตุลาคม ๒๕๖๕ - มกราค", "ม ๒๕๖๖", "(No Gift", "Policy)"])
    'ตุลาคม ๒๕๖๕ - มกราคม ๒๕๖๖ (No Gift Policy)'
    """
    out = ""
    for t in (t for t in texts if t):
        if out and not (_NO_BREAK_AFTER.search(out) or _NO_BREAK_BEFORE.match(t)):
            tail, head = _THAI_TAIL.search(out), _THAI_HEAD.match(t)
            if not (tail and head and _inside_word(tail.group(), head.group())):
                out += " "
        out += t
    return out


# ---- segments: runs of text split by column-sized gaps ---------------------------

def segments(line: TextLine, min_gap: float) -> list[tuple[float, float]]:
    """The x-extents of the line's runs of text that no gap of `min_gap` splits."""
    return [(s.x0, s.x1) for s in segment_lines(line, min_gap)]


def segment_lines(line: TextLine, min_gap: float) -> list[TextLine]:
    """The line cut where its letters leave a gap of at least `min_gap`."""
    pos, gaps = _gaps(line)
    cuts = pos[gaps >= min_gap]
    cuts = cuts[cuts > 0]
    if len(cuts) == 0:
        return [line]
    return [line.sub(part) for part in np.split(line.idx, cuts) if len(part)]


ITEM_START = re.compile(r"^\s*(?:[0-9๐-๙]{1,2}\s*[.)](?![0-9๐-๙])|ตัวชี้วัดที่)")


def base_pitch(lines: list[TextLine]) -> float:
    """The page's ordinary line spacing: a low quantile of the distances between lines."""
    d = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > 1)
    return d[len(d) // 4] if d else 0.0

