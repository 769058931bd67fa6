"""Where an unruled table's rows begin (see `unruled.py`): row numbers ("๓", "๒.๑"),
numbered items, jumps in the line pitch where most cells begin, lines with text in every
column when nothing else tells.
"""
from __future__ import annotations

import re

from .gutters import column_of, gutter_of
from .positioned import ITEM_START, TextLine, first_segment

# a row number alone — not one led by a zero ("๐๕" is an OIT code "O5" read as digits)
_NUMBER_ONLY = re.compile(r"^\s*(?![0๐][0-9๐-๙])(?:\(?[0-9๐-๙]{1,3}\s*[.)]?|[0-9๐-๙]{1,2}(?:\.[0-9๐-๙]){1,3}\.?)\s*$")
# an item a cell starts with: "๑.", "2)", "1.2 …", "ตัวชี้วัดที่"


_ITEM = re.compile(r"^\s*[0-9๐-๙]{1,2}(?:\.[0-9๐-๙])+\s")


def _first_run(line: TextLine) -> tuple[float, float, str]:
    """The left, right and text of the line's first run of text (up to a gap a gutter
    wide): the first of the runs the table's cells are filled from."""
    return first_segment(line, gutter_of(line))


def row_starts(lines, segs, members, spanning, bounds, base, n_head) -> list[int]:
    """Positions in `members` where rows begin. The header (its first `n_head` lines,
    when known) is one row; a spanning line is a row of its own; below, rows start
    - at the lines of a column that holds only row numbers ("๓", "๒.๑"), when there is one;
    - else where the first column starts a numbered item ("๑.", "ตัวชี้วัดที่ 2") —
      except, in a table whose rows are padded (its first row, or most numbered lines,
      come after a jump in the line pitch), a numbered line at the ordinary pitch: a
      sub-item of its cell;
    - else where the pitch jumps (cell padding)."""
    pitch = {k: lines[members[k]].foot - lines[members[k - 1]].foot for k in range(1, len(members))}
    sizes = sorted(lines[k].size for k in members)
    em = sizes[len(sizes) // 2]  # (the median: OCR gives each line its own height)
    body_pitch = [p for k, p in pitch.items() if k > n_head]
    usual = sorted(body_pitch or pitch.values())[len(body_pitch or pitch) // 4] if pitch else 0.0
    if base and len(body_pitch) < 6:
        usual = min(usual, base)  # (a table of a few lines: the page's own pitch is surer)
    _even_out(pitch, usual, em)
    # A row starts after a jump in the pitch (the cells' padding). A small jump may be a
    # paragraph's spacing inside a cell: it starts a row only where most cells begin.
    n_cols = len(bounds) - 1
    jumps = {k for k, p in pitch.items() if usual and (
        p > usual + 0.6 * em or (p > usual + 0.2 * em
                                 and 2 * len({column_of(q, bounds) for q in segs[members[k]]}) > n_cols))}
    head_end = n_head if n_head else next((k for k in range(len(members)) if k in jumps), len(members))
    numbered: set[int] = set()
    firsts: dict[int, str] = {}  # line → its text in the first column
    for k in range(max(1, n_head), len(members)):
        if members[k] in spanning:
            continue  # a group row: its own row whatever it starts with
        x0, x1, first = _first_run(lines[members[k]])
        if (x0 + x1) / 2 < bounds[1]:
            firsts[k] = first
            if ITEM_START.match(first) or _ITEM.match(first):
                numbered.add(k)
            elif _NUMBER_ONLY.match(first) and not (k - 1 in firsts and k - 1 >= n_head
                                                         and k not in jumps):
                numbered.add(k)  # (a number under the first column's text, set close:
                # the end of that text wrapped — "คะแนน" / "100" —, not a row number)
    span_rows = {k for k in range(len(members)) if members[k] in spanning}
    span_rows |= {k + 1 for k in span_rows if k + 1 < len(members)}
    below = [k for k in firsts if numbered and k >= min(numbered)]  # under the header
    seq_col = bool(numbered) and all(k in numbered and _NUMBER_ONLY.match(firsts[k]) for k in below)
    if numbered and not seq_col:
        loose = {k for k in numbered if pitch[k] > usual + 0.2 * em}
        if min(numbered) in jumps or len(loose) >= 0.6 * len(numbered):
            numbered = loose | {min(numbered)}  # padded rows: tight numbered lines are sub-items
            # … and a row that leaves its number cell empty (the key carried down, a
            # rowspan) begins after the same padding, in most of the columns
            pad = min(pitch[k] for k in numbered if k in pitch) - 0.2 * em if numbered - {0} else 0.0
            numbered |= {k for k in jumps if k > min(numbered) and k not in firsts and k not in span_rows
                         and pitch[k] > usual + 0.6 * em and pitch[k] >= pad
                         and 2 * len({column_of(q, bounds) for q in segs[members[k]]}) > n_cols}
    rows = numbered or {k for k in jumps if k >= head_end}
    if not rows and n_head and len(members) - n_head > 1:
        # no numbers, no padding between rows (a word processor's table): a line with
        # text in every column is a row of its own (one line each: a score summary)
        full = [k for k in range(n_head, len(members))
                if len({column_of(q, bounds) for q in segs[members[k]]}) == n_cols]
        if len(full) * 2 > len(members) - n_head:
            rows = set(full)
    starts = {0} | rows | span_rows
    if n_head and not (numbered and n_head < min(numbered) and min(numbered) in jumps
                       and n_head not in jumps):
        starts.add(n_head)  # (in a padded table, lines at the header's pitch are its own)
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


def _even_out(pitch: dict[int, float], usual: float, em: float) -> None:
    """Steps around a line whose foot sits off its baseline (a few letters, each with a
    part below the line or none) made even: one step short and the next long by as much
    are no jump in the pitch, only that line's foot."""
    if not usual:
        return
    for k in sorted(pitch):
        short = usual - pitch.get(k - 1, usual)
        if short > 0.15 * em and pitch[k] > usual + 0.15 * em:
            d = min(short, pitch[k] - usual)
            pitch[k] -= d
            pitch[k - 1] += d
