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
    segs: list[list[float]] = []
    for p in sorted(line.pieces, key=lambda p: p.x0):
        if p.text.isspace():
            continue
        if segs and p.x0 - segs[-1][1] < min_gap:
            segs[-1][1] = max(segs[-1][1], p.x1)
        else:
            segs.append([p.x0, p.x1])
    return [(a, b) for a, b in segs]


def segment_pieces(line: TextLine, min_gap: float) -> list[list[Piece]]:
    segs: list[list[Piece]] = []
    right = None
    for p in sorted(line.pieces, key=lambda p: p.x0):
        if segs and (p.text.isspace() or p.x0 - right < min_gap):
            segs[-1].append(p)
        else:
            segs.append([p])
        right = p.x1 if right is None else max(right, p.x1)
    return segs


ITEM_START = re.compile(r"^\s*(?:[0-9๐-๙]{1,2}\s*[.)](?![0-9๐-๙])|ตัวชี้วัดที่)")


def base_pitch(lines: list[TextLine]) -> float:
    """The page's ordinary line spacing: a low quantile of the distances between lines."""
    d = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > 1)
    return d[len(d) // 4] if d else 0.0

