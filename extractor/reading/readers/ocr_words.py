"""Tesseract's words made into pieces a page can be assembled from.

Tesseract's TSV gives words with boxes, but on a degraded Thai scan its "words" are
mostly single letters, its boxes rough (they run into the white around a word, or sit
over no ink at all), and a row of upper marks it could not attach comes out as a line of
its own. Here: the ghost lines left out, boxes pulled in to their ink, and letters joined
into words where the blank between them in the ink is narrower than a space — so that
spacing, unruled columns and cell text come out as from a PDF's characters.
"""
from __future__ import annotations

import re

import numpy as np

from .positioned import Grid, Piece


def tesseract_words(tsv: str) -> list[tuple]:
    """Words as (text, x0, top, x1, bottom, confidence) in pixels, from tesseract's TSV.

    Ghost lines are left out: on a degraded scan tesseract often takes a row of upper
    marks (tone marks, vowels above) for a line of its own, and reads it as a short
    line of low-confidence fragments ("งจขม๑๓๑.«=๕."), which would cross a table's column
    gutters and add junk to cells. A line well under the page's usual height and read
    with low confidence is such a ghost."""
    lines: dict[tuple, tuple[int, int]] = {}
    spans: dict[tuple, tuple[int, int]] = {}
    raw: list[tuple] = []
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12:
            continue
        x, y, w, h = int(f[6]), int(f[7]), int(f[8]), int(f[9])
        key = (f[1], f[2], f[3], f[4])  # page, block, paragraph, line
        if f[0] == "4":
            lines[key] = (y, y + h)
            spans[key] = (x, x + w)
        elif f[0] == "5" and f[11].strip():
            raw.append((key, f[11].strip(), x, y, x + w, y + h, float(f[10])))
    by_line: dict[tuple, list[float]] = {}
    for key, *_, conf in raw:
        by_line.setdefault(key, []).append(conf)
    heights = sorted(lines[k][1] - lines[k][0] for k in by_line if k in lines)
    usual = heights[len(heights) // 2] if heights else 0
    ghosts = {k for k, confs in by_line.items() if k in lines
              and lines[k][1] - lines[k][0] < 0.8 * usual
              and (sum(confs) / len(confs) < 60 or _on_letters(k, lines, spans))}
    ghosts |= _read_twice(raw, lines, spans, ghosts)
    bands = _line_bands(raw, lines, usual, ghosts)
    words = []
    for k, (key, text, x0, y0, x1, y1, conf) in enumerate(raw):
        if key in ghosts:
            continue
        # A word's own box jumps with its marks (ที่ is taller than นา); the box of
        # its tesseract line keeps the words of one line on one line.
        top, bottom = bands.get(k) or lines.get(key, (y0, y1))
        words.append((text, x0, top, x1, bottom, conf))
    return words


def _on_letters(key: tuple, lines: dict, spans: dict) -> bool:
    """Whether a short line lies on the top of a taller one: over half its height inside
    the upper half of the other's band and over half its width inside the other's span —
    the upper marks of that line's letters, whatever the confidence tesseract read them
    with. (A short line lower in a taller one's band is a line of its own that tesseract
    set beside a line it merged.)"""
    (t, b), (x0, x1) = lines[key], spans[key]
    for k, (t2, b2) in lines.items():
        if k == key or b2 - t2 <= b - t or b > (t2 + b2) / 2:
            continue
        a, c = spans[k]
        if min(b, b2) - max(t, t2) > 0.5 * (b - t) and min(x1, c) - max(x0, a) > 0.5 * (x1 - x0):
            return True
    return False


def _read_twice(raw: list[tuple], lines: dict, spans: dict, ghosts: set) -> set[tuple]:
    """Lines tesseract read twice: on bold or tightly set text it sometimes returns one
    visual line as two overlapping lines of the same letters ("ตัวชี้วัดที่" on both). A
    line mostly inside another's band and span, most of whose words the other has too at
    the same places, is the copy, and goes (the one with fewer words)."""
    text: dict[tuple, list[tuple[int, str]]] = {}
    for key, t, x0, *_ in raw:
        if key not in ghosts:
            text.setdefault(key, []).append((x0, t))
    keys = [k for k in text if k in lines]
    out: set[tuple] = set()
    for a in keys:
        (t, b), (x0, x1) = lines[a], spans[a]
        for c in keys:
            if c == a or c in out or len(text[c]) < len(text[a]):
                continue
            (t2, b2), (a0, a1) = lines[c], spans[c]
            if min(b, b2) - max(t, t2) < 0.6 * min(b - t, b2 - t2) \
                    or min(x1, a1) - max(x0, a0) < 0.8 * (x1 - x0):
                continue
            # the same letters at the same places (within half a line's height)
            near = 0.5 * (b - t)
            same = sum(any(w == v and abs(x - y) <= near for y, v in text[c]) for x, w in text[a])
            if len(text[a]) >= 3 and same >= 0.6 * len(text[a]):
                out.add(a)
                break
    return out


MERGED_LINE = 1.35  # a tesseract line this many times the usual height holds two lines


def _line_bands(raw: list[tuple], lines: dict, usual: float, ghosts: set) -> dict[int, tuple[int, int]]:
    """The band each word of a merged line stands on. Where the columns of a table have
    lines at different heights (three checkbox labels beside a cell of two lines),
    tesseract's one block of lines (psm 6) joins lines of different columns into one,
    its box as tall as both: every word given that box lands between two rows. Such a
    line is cut where its words leave a gap a line high (a column's gutter; word spaces
    are a third of that), and each part gets the band of its own words' boxes."""
    out: dict[int, tuple[int, int]] = {}
    if not usual:
        return out
    members: dict[tuple, list[int]] = {}
    for k, (key, *_rest) in enumerate(raw):
        if key not in ghosts and key in lines and lines[key][1] - lines[key][0] > MERGED_LINE * usual:
            members.setdefault(key, []).append(k)
    for key, ks in members.items():
        ks.sort(key=lambda k: raw[k][2])
        parts: list[list[int]] = [[ks[0]]]
        for k in ks[1:]:
            if raw[k][2] - max(raw[j][4] for j in parts[-1]) >= usual:
                parts.append([k])
            else:
                parts[-1].append(k)
        if len(parts) < 2:
            continue
        top, bottom = lines[key]
        for part in parts:
            a = max(top, min(raw[j][3] for j in part))
            b = min(bottom, max(raw[j][5] for j in part))
            if b - a >= 0.5 * usual:
                out.update((j, (a, b)) for j in part)
    return out


def ink_span(ink: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> tuple[int, int] | None:
    """A word box's left and right ends pulled in to its ink (None: no ink in it):
    tesseract's boxes run into the white space around a word, which makes the gutters
    between the columns of an unruled table look narrower than they are."""
    cols = np.flatnonzero(ink[max(top, 0):bottom, max(x0, 0):x1].any(axis=0))
    if cols.size == 0:
        return None
    return x0 + int(cols[0]), x0 + int(cols[-1]) + 1


# A vowel or mark that follows its consonant: no word starts with one.
_FOLLOWS = re.compile("[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")
_ENDS_CONSONANT = re.compile("[เแโใไ]?[ก-ฮ]$")


def follows_letter(tail: str, head: str) -> bool:
    """Whether `head` starts with a vowel or mark that must sit on the letter `tail` ends
    with: the two are one word, whatever boxes tesseract gave them.

    >>> follows_letter("5จ", "ัดทำ"), follows_letter("ส", "ำนัก"), follows_letter("คน", "ที่")
    (True, True, False)
    """
    return bool(_FOLLOWS.match(head) and _ENDS_CONSONANT.search(tail))


WORD_GAP = 0.18  # of the line's height: a narrower blank between letters is no space (the
# blanks inside words measure up to 0.12, spaces from 0.2)


def join_letters(pieces: list[Piece], grids: list[Grid], ink: np.ndarray | None = None,
                 scale: float = 1.0) -> list[Piece]:
    """Tesseract's Thai "words" are mostly single letters and its boxes rough: the gaps
    between boxes inside a word reach a quarter of the line's height, where `line_text`
    would put a space ("ประจำปีงบประ มาณ"). Neighbours in the stream on the same line
    are joined into one piece when the widest blank between them — measured in the ink
    (`ink`, pixels at `scale`) when given, else between their boxes — is narrower than
    `WORD_GAP`; never across a cell's edge.

    >>> ps = [Piece("ป", 0, 0, 5, 12, 0), Piece("ระ", 6, 0, 14, 12, 1), Piece("ม", 15.5, 0, 22, 12, 2),
    ...       Piece("คน", 30, 0, 40, 12, 3)]
    >>> [p.text for p in join_letters(ps, [])]
    ['ประม', 'คน']

    A letter tesseract put left of a cell's edge, away from its vowel, goes back to it:

    >>> from extractor.reading.readers.positioned import Grid
    >>> g = Grid(rows=[[(0, 0, 20, 20), (20, 0, 80, 20)]])
    >>> ps = [Piece("1", 4, 4, 9, 16, 0), Piece("จ", 15, 4, 20.5, 16, 1), Piece("ัดทำ", 21, 4, 40, 16, 2)]
    >>> [p.text for p in join_letters(ps, [g])]
    ['1', 'จัดทำ']
    """
    edges = [(g.bbox[1], g.bbox[3], sorted({round(b[0], 1) for r in g.rows for b in r if b}
                                             | {round(b[2], 1) for r in g.rows for b in r if b}))
             for g in grids]
    out: list[Piece] = []
    for p in pieces:
        q = out[-1] if out else None
        h = p.bottom - p.top
        if (q is not None and follows_letter(q.text, p.text) and abs(q.cy - p.cy) < 0.3 * h
                and -0.1 * h <= p.x0 - q.x1 < 0.5 * h and _across(q, p, edges)):
            # A vowel or mark that cannot start a word ("ัดทำ") with the letter it sits on
            # left in the cell before ("1จ"): a rule cannot run between them, the letter goes
            # with its vowel (and the letter's own leading vowel with it).
            m = _ENDS_CONSONANT.search(q.text)
            head, rest = q.text[m.start():], q.text[:m.start()].rstrip()
            p = Piece(head + p.text, p.x0, min(q.top, p.top), p.x1, max(q.bottom, p.bottom), p.order)
            if rest:
                out[-1] = Piece(rest, q.x0, q.top, q.x1 - (q.x1 - q.x0) * len(head) / len(q.text),
                                q.bottom, q.order)
            else:
                out.pop()
            q = out[-1] if out else None
        if (q is not None and abs(q.cy - p.cy) < 0.3 * h and -0.1 * h <= p.x0 - q.x1 < 1.5 * h
                and _blank(q, p, ink, scale) < WORD_GAP * h
                and not _across(q, p, edges)):
            out[-1] = Piece(q.text + p.text, q.x0, min(q.top, p.top), max(q.x1, p.x1),
                            max(q.bottom, p.bottom), q.order)
        else:
            out.append(Piece(p.text, p.x0, p.top, p.x1, p.bottom, p.order))
    return out


def _across(q: Piece, p: Piece, edges) -> bool:
    """Whether a cell's edge runs between the middles of two pieces on a line."""
    return any(top <= p.cy <= bottom and any(q.cx < x < p.cx for x in xs) for top, bottom, xs in edges)


def _blank(q: Piece, p: Piece, ink: np.ndarray | None, scale: float) -> float:
    """The widest run of blank columns (points) between the middles of two pieces on a
    line, in the ink of their line band; the gap between their boxes without ink."""
    if ink is None:
        return max(p.x0 - q.x1, 0.0)
    top, bottom = int(min(q.top, p.top) * scale), int(np.ceil(max(q.bottom, p.bottom) * scale))
    a, b = int(q.cx * scale), int(np.ceil(p.cx * scale))
    if b <= a:
        return 0.0
    filled = ink[max(top, 0):bottom, a:b].any(axis=0)
    if filled.all():
        return 0.0
    edges = np.flatnonzero(np.diff(np.concatenate([[1], filled.astype(np.int8), [1]])))
    return float((edges[1::2] - edges[::2]).max()) / scale


def on_edge(p: Piece, grids: list[Grid]) -> bool:
    """Whether a piece lies on a column edge of a grid (within 3 points)."""
    return any(g.bbox[1] <= p.cy <= g.bbox[3] and any(
        abs(p.cx - x) <= 3 for r in g.rows for b in r if b for x in (b[0], b[2])) for g in grids)
