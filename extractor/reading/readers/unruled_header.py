"""The header above an unruled table's body, fitted into the body's columns (see
`unruled.py`): labels in one column each or over a group of them, staggered and wrapped
labels, a group row between header and body; borders where the labels leave a gap the
body leaves free; the rest of a row under a header printed again told from a header row.
"""
from __future__ import annotations

from .gutters import ALIGN, column_of, fits, keeps, spaced_prose, words_of, gutter_of
from .positioned import segment_lines, segments

def header_above(lines, segs, body: list[int], bounds, x0, x1, gut, claimed):
    """The header lines just above a table's body (line indices, top down), and the group
    row among them if one stands between header and body.

    A header line fits the columns: each label inside one (or, on a line of several
    labels, one label over a group of columns). Going up from the body, lines that fit
    are taken once a full header line is reached — labels in half the columns or more:
    below it a tall header cell may leave wide gaps (status labels wrapped in narrow
    columns, cells centred in their height), above it only lines set close, and not a
    lone text in the first column (the end of the paragraph above the table). A group
    row (one or two runs of text from the first column, or centred) may stand between
    header and body."""
    n_cols = len(bounds) - 1
    # each column's body text, left to right: a label may be wider than its column's
    # share of the gutters (narrow tick columns) as long as it covers no other column's text
    extent: dict[int, list[float]] = {}
    for k in body:
        for q in segs[k]:
            e = extent.setdefault(column_of(q, bounds), [q[0], q[1]])
            e[0], e[1] = min(e[0], q[0]), max(e[1], q[1])

    def fit(q) -> bool:
        if fits([q], bounds, gut):
            return True
        c = column_of(q, bounds)
        return not any(q[0] <= e[0] and e[1] <= q[1] or e[0] < q[0] < e[1] or e[0] < q[1] < e[1]
                       for d, e in extent.items() if d != c)

    pitches = sorted(lines[b].foot - lines[a].foot for a, b in zip(body, body[1:]) if b == a + 1)
    pitch = pitches[len(pitches) // 4] if pitches else 0.0  # the body's line pitch
    head: list[int] = []
    tentative: list[int] = []
    pending = group = None
    full = False
    first = body[0]
    below = first
    k = first - 1
    sizes = sorted(lines[b].size for b in body)
    body_em = sizes[len(sizes) // 2]
    while k >= 0 and k not in claimed and first - k <= 12:
        up = lines[k]
        em = lines[below].size
        if not up.g.ocr and up.size > 1.2 * body_em:
            break  # set in another size: a heading above the table (its labels are the body's)
        gap, step = lines[below].top - up.bottom, lines[below].foot - up.foot
        if gap > (1.2 if full else 3.0) * em and not (pitch and step <= (1.3 if full else 2.0) * pitch):
            break
        if len(segments(up, 2 * gut)) < 3 and (up.x0 < x0 - 3 * em or up.x1 > x1 + 3 * em):
            break  # (a line of labels may reach past a body that fills only some columns)
        # its labels: runs of text, or their words where one of several runs crosses a
        # border (a lone run across borders is a title or a group row, not labels)
        s = [w for q in segs[k] for w in ([q] if len(segs[k]) < 2 or fit(q) else words_of(up, q))]
        inside = [fit(q) for q in s]
        one_text = len(segments(up, 2 * gut)) <= 2  # (a number and a heading)
        if pending is None and not tentative and one_text and abs(up.x0 - x0) <= ALIGN \
                and up.x1 > bounds[1] + gut:
            # from the first column's edge across its border: a group row, not a label
            pending = k
        elif spaced_prose(up, segs[k]):
            break  # words a wide space apart, not labels: the paragraph above
        elif all(inside) or (len(s) >= 3 and sum(inside) >= len(s) - 1):
            cols = {column_of(q, bounds) for q in s}
            if full and len(s) == 1 and cols == {0} and gap > 0.3 * em:
                break  # (the end of the paragraph above; a staggered label overlaps)
            if full:
                head.insert(0, k)
            else:
                tentative.append(k)
                if len(s) >= 2 and len(cols) >= max(2, n_cols // 2):
                    full = True
                    if pending is not None:
                        group = pending
                    head = sorted(tentative + ([pending] if pending is not None else []))
        elif pending is None and not tentative and one_text and (
                up.x0 <= x0 + gut or abs((up.x0 + up.x1) / 2 - (x0 + x1) / 2) < 2 * em):
            pending = k
        else:
            break
        below = k
        k -= 1
    return head, group


def with_label_gaps(bounds, gutters, head, segs, body, gut: float) -> list[float]:
    """Column borders also where the header's labels leave a gap that the body's text
    leaves free too: columns the body does not fill on this page (a row's rest under
    the header printed again) or never (a tick column no row ticks). A gutter the labels
    divide loses the border at its middle."""
    if not head:
        return bounds
    inner = list(bounds[1:-1])
    added: list[float] = []
    text = sorted(q for k in body for q in segs[k])
    for k in head:
        for s, t in zip(segs[k], segs[k][1:]):
            a, b = s[1], t[0]
            if b - a < gut or any(a - gut <= x <= b + gut for x in inner + added):
                continue
            free = keeps([(a, b)], text, 1.0)
            if free:
                lo, hi = max(free, key=lambda p: p[1] - p[0])
                added.append((lo + hi) / 2)
    if not added:
        return bounds
    kept = [x for x, (ga, gb) in zip(inner, gutters) if not any(ga <= y <= gb for y in added)]
    right = max([bounds[-1]] + [segs[k][-1][1] + 1 for k in head])
    return [bounds[0]] + sorted(kept + added) + [right]


def without_row_rest(lines, head: list[int], bounds, gut: float) -> list[int]:
    """The header lines without their last lines when those come after a jump in the
    pitch and name no column (the header vocabulary, their texts joined column by
    column): the rest of a row the page break cut, under the header printed again —
    not a second header row ("ยังไม่ได้ / ดำเนินการ" under a status group is one)."""
    if len(head) < 2:
        return head
    steps = [lines[b].foot - lines[a].foot for a, b in zip(head, head[1:])]
    least = min(steps)
    cut = max((p + 1 for p, st in enumerate(steps) if st > least + 0.25 * lines[head[0]].size),
              default=None)
    if cut is None:
        return head
    from ..headers import match_header
    texts: dict[int, list[str]] = {}
    for k in head[cut:]:
        for part in segment_lines(lines[k], gutter_of(lines[k])):
            texts.setdefault(column_of((part.x0, part.x1), bounds), []).append(part.text)
    if any(match_header("".join(t)).field is not None for t in texts.values()):
        return head
    return head[:cut]
