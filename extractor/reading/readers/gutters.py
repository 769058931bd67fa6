"""Columns of white space, the primitives the unruled-table finder is made of: a line's
runs of text between gaps a gutter wide, what free x-intervals keep of themselves beside
them, which column a run lies in, and the tests that tell a gutter or a line of labels
from a wide-spaced font's word spaces (see `unruled.py`).
"""
from __future__ import annotations

import re

import numpy as np

from .positioned import TextLine, part_boxes, segment_lines, segments

GUTTER_EM = 0.45  # narrower gaps are word spaces


ALIGN = 1.5  # points: cells of one column start at the same x, within this
# a row number alone: "๓", "3.", "2)", "๒.๑" (not a value: "70.40)", "94.03")


def gutter_of(line: TextLine) -> float:
    """The least gap between two columns, for text of this line's size."""
    return max(3.0, GUTTER_EM * line.size)


_BOXES = frozenset("☐☑☒□■✓✔✗✘")


_BOX_RE = re.compile("[☐☑☒□■✓✔✗✘]")


def line_segments(line: TextLine) -> list[tuple[float, float]]:
    """The line's runs of text between gaps a gutter wide; a checkbox stays with the
    label after it (its gap may be as wide as a gutter, line after line). Kept on the
    line: the finder and the page-break carry ask for them many times."""
    if line.runs is None:
        line.runs = _with_boxes(line, segments(line, gutter_of(line)))
    return line.runs


def page_segments(lines: list[TextLine]) -> None:
    """`line_segments` of all the lines of a page (one `Glyphs`) in one array pass:
    the same runs, without a dozen array calls per line."""
    todo = [l for l in lines if l.runs is None]
    if not todo or any(l.g is not todo[0].g or len(l.idx) == 0 for l in todo):
        return  # (each line on its own, when asked)
    g = todo[0].g
    lens = np.fromiter((len(l.idx) for l in todo), np.int64, len(todo))
    first = np.concatenate(([0], np.cumsum(lens)[:-1]))
    idx = np.concatenate([l.idx for l in todo])
    gaps = np.concatenate([l.gaps for l in todo])
    min_gap = np.fromiter((gutter_of(l) for l in todo), float, len(todo))
    start = gaps >= np.repeat(min_gap, lens)  # a run starts after a gutter-wide gap …
    start[first] = True  # … and where a line starts
    starts = start.nonzero()[0]
    x0 = np.minimum.reduceat(g.x0[idx], starts).tolist()
    x1 = np.maximum.reduceat(g.x1[idx], starts).tolist()
    n_arr = np.add.reduceat(start.astype(np.int64), first)
    n_runs = n_arr.tolist()
    # the runs of lines of several as lines of their own (`segment_lines` at the
    # gutter): their boxes now, for the whole page, the lines made when asked
    multi = np.repeat(n_arr >= 2, lens)
    boxes = part_boxes(g, idx[multi], start[multi].nonzero()[0]).tolist()
    local = (starts - np.repeat(first, n_arr)).tolist()  # each run's start in its line
    at = at_multi = 0
    for line, n, gut in zip(todo, n_runs, min_gap.tolist()):
        # (one run: the line's own box, of its letters, as `segments` gives it)
        if n == 1:
            out = [(line.x0, line.x1)]
        else:
            out = list(zip(x0[at:at + n], x1[at:at + n]))
            line.cut_boxes = (gut, local[at:at + n] + [len(line.idx)],
                              boxes[at_multi:at_multi + n])
            at_multi += n
        line.runs = _with_boxes(line, out)
        at += n


def _with_boxes(line: TextLine, out: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Runs of text with each checkbox joined to the label after it."""
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


def cut(free: list[tuple[float, float]], segs: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
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


def keeps(free, segs, min_w: float) -> list[tuple[float, float]]:
    return [p for parts in cut(free, sorted(segs)) for p in parts if p[1] - p[0] >= min_w]


def aligned(segs, starts: list[float]) -> int:
    """How many of the segments start where a column of the run starts."""
    n = 0
    for s0, _ in segs:  # (loops, not `any` over a generator: asked a few thousand times a pass)
        for x in starts:
            if abs(s0 - x) <= ALIGN:
                n += 1
                break
    return n


def not_word_spaces(gaps, lines, segs, body) -> list[tuple[float, float]]:
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


def fits(line_segs, bounds: list[float], tol: float) -> bool:
    """Whether each run of text lies within one column (within `tol` of its borders;
    the outer columns open outwards: a label may be wider than the text under it)."""
    inner = [-1e9] + list(bounds[1:-1]) + [1e9]
    return all(any(inner[c] - tol <= s0 and s1 <= inner[c + 1] + tol
                   for c in range(len(inner) - 1)) for s0, s1 in line_segs)


def spaced_prose(line: TextLine, line_segs) -> bool:
    """Whether a line's runs of text are one word space apart each (a font whose space is
    as wide as a gutter): prose, not column labels."""
    space = line.g.space_em
    if not space or len(line_segs) < 2:
        return False
    w = space * line.size
    return all(abs((t[0] - s[1]) - w) <= max(0.6, 0.06 * line.size)
               for s, t in zip(line_segs, line_segs[1:]))


def words(part: TextLine) -> list[TextLine]:
    """A run of text cut into its words: at spaces, or — where two texts touch with no
    space (two cells' labels, one running over into the other's column) — where the
    stream jumps from one text to the other."""
    ws = segment_lines(part, part.g.space_ratio * part.size)
    if len(ws) > 1:
        return ws
    g, idx = part.g, part.idx
    base = (~g.mark[idx]).nonzero()[0]  # unit positions of the letters
    if len(base) < 2:
        return ws
    o = g.order[idx[base]]
    jumps = (np.abs(np.diff(o)) > 3).nonzero()[0] + 1
    if len(jumps) == 0:
        return ws
    return part.parts([0] + base[jumps].tolist() + [len(idx)])


def words_of(line: TextLine, seg) -> list[tuple[float, float]]:
    """The words of one run of text of a line (two cells' labels closer than a gutter
    make one run: "รับผิดชอบ เวลา")."""
    part = next((p for p in segment_lines(line, gutter_of(line))
                 if abs(p.x0 - seg[0]) < 0.5 and abs(p.x1 - seg[1]) < 0.5), None)
    if part is None:
        return [seg]
    return [(w.x0, w.x1) for w in words(part)]


def column_of(seg, bounds) -> int:
    """The column of the run's middle: the first whose right border lies beyond it (the
    last column when none does)."""
    c = (seg[0] + seg[1]) / 2
    for i in range(1, len(bounds) - 1):  # (a plain loop: called for every run, often)
        if c < bounds[i]:
            return i - 1
    return len(bounds) - 2
