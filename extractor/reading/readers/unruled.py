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
any ruled table. Here: the runs and the finished tables; the primitives (runs of text,
gutters, word-space tests) are `gutters.py`, the header above `unruled_header.py`, the
rows `unruled_rows.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .gutters import (ALIGN, GUTTER_EM, aligned, cut, fits, gutter_of, keeps,  # noqa: F401
                      line_segments, not_word_spaces, page_segments, words, words_of)
from .positioned import BBox, Grid, TextLine, base_pitch, segment_lines, segments
from .unruled_header import header_above, with_label_gaps, without_row_rest
from .unruled_rows import row_starts

# (GUTTER_EM, gutter_of and words are also this module's to the page assembly)


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
    page_segments(lines)
    segs = [line_segments(l) for l in lines]
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
            if aligned(segs[i], [s[0] for s in segs[k]]) >= 2:
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
        parts = cut(run.free, segs[j])
        kept = [[p for p in ps if p[1] - p[0] >= min_w] for ps in parts]
        crossed = [k for k, ps in enumerate(kept) if not ps]
        if not crossed and _indicator_heading(line, segs[j], run, gut) \
                and _spans(lines, segs, run, j, min_w, gut, stop):
            run.spanning.add(j)  # (its words' gap fell on a gutter: it crosses none)
            run.block.append(j)
            j += 1
            continue
        if not crossed:
            split = any(len(ps) > 1 for ps in kept)
            # Text inside a gutter (a column empty until now: ticks, remarks) belongs to
            # the table only if the line's other cells start where the table's do.
            if split and aligned(segs[j], run.starts) < max(1, min(2, len(segs[j]) - 1)):
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
        ws = [w for q in segs[j] for w in (words_of(line, q) if any(
            q[0] < a + min_w and q[1] > b - min_w for a, b in (run.free[k] for k in crossed))
            else [q])]
        wparts = cut(run.free, ws)
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
                and not not_word_spaces([run.free[k] for k in crossed], lines, segs, run.block)):
            _take(run, j, segs, [p for k, ps in enumerate(kept) if k not in crossed for p in ps])
            j += 1
            continue
        break
    return run


def _word_gaps(line_segs, run: _Run, crossed: list[int], kept) -> bool:
    """Whether the gutters a row line crosses were word spaces of the lines before (a
    font whose space is as wide as a gutter: "O๑ – O๓"): the line's cells start where
    the table's do (two at least), and two gutters or more stay. (Or the gutters were a
    space wide on every line so far: `not_word_spaces`.)"""
    return (len(line_segs) >= 2 and aligned(line_segs, run.starts) >= 2
            and len(kept) - len(crossed) >= 2)


def _header_line(line: TextLine, gap: float) -> bool:
    """Whether a line's runs of text are column headers (the header vocabulary)."""
    from extractor.model import Cell
    from ..layout import is_header_row
    return is_header_row([Cell(s.text, 0) for s in segment_lines(line, gap)])


def _take(run: _Run, j: int, segs, free) -> None:
    run.free = free
    run.x0, run.x1 = min(run.x0, segs[j][0][0]), max(run.x1, segs[j][-1][1])
    starts = run.starts  # (a start added counts for the line's later segments)
    for s in segs[j]:
        x0 = s[0]
        for x in starts:
            if abs(x0 - x) <= ALIGN:
                break
        else:
            starts.append(x0)
    run.block.append(j)


def _indicator_heading(line: TextLine, line_segs, run: _Run, gut: float) -> bool:
    """Whether a line is an indicator heading ("ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต") from the
    table's first column that leaves most of its columns empty — told by the heading word's
    consonant skeleton (OCR drops the marks: "ตัวชีวัดที"), whether or not its words happen
    to leave the gutters free."""
    from ..headers import skeleton
    return (len(line_segs) <= 2 and line.x0 <= run.x0 + gut and len(run.free) >= 2
            and skeleton(line.text[:14]).startswith(_INDICATOR_SKELETON))


_INDICATOR_SKELETON = "ตวชวด"


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
    kept = [[p for p in ps if p[1] - p[0] >= min_w] for ps in cut(run.free, segs[nxt])]
    # (a heading followed by a header line begins another table)
    return all(kept) and aligned(segs[nxt], run.starts) >= 1 \
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
        gaps = [g for g in keeps([(x0, x1)], [s for k in body for s in segs[k]], 0.8 * gut)
                if x0 < g[0] and g[1] < x1]
        # A group header ("สถานะ" over three status columns) spans gutters the rows below
        # it keep: look for them without the first line.
        if len(body) > 2:
            finer = [g for g in keeps([(x0, x1)], [s for k in body[1:] for s in segs[k]], 0.8 * gut)
                     if x0 < g[0] and g[1] < x1]
            if len(finer) > len(gaps):
                gaps = finer
        return not_word_spaces(gaps, lines, segs, body), x0, x1

    # prose under the table: trailing lines of one run of text across a column border
    while len(block) > 2 and len(segs[block[-1]]) == 1:
        free, x0, x1 = columns(block[:-1])
        if fits(segs[block[-1]], [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1], gut):
            break
        block.pop()
    free, x0, x1 = columns(block)
    if len(free) + 1 < min_cols:
        return None
    bounds = [x0 - 1] + [(a + b) / 2 for a, b in free] + [x1 + 1]
    head, group = header_above(lines, segs, block, bounds, x0, x1, gut, claimed)
    if group is None:
        head = without_row_rest(lines, head, bounds, gut)
    bounds = with_label_gaps(bounds, free, [k for k in head if k != group], segs,
                              [k for k in block if k not in spanning], gut)
    members = head + block
    spanning = (spanning & set(block)) | ({group} if group is not None else set())
    starts = row_starts(lines, segs, members, spanning, bounds, base,
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


def _similar(a: str, b: str) -> bool:
    from rapidfuzz.fuzz import ratio
    return len(a) >= 6 and ratio(a, b) >= 80
