"""Tick marks and checkboxes on scanned pages, read from the pixels.

Tesseract's Thai model has no ✓ or ☑: it reads a tick as ” / v ¥, a checkbox as nothing
or as a letter, so on a scan the status columns and the inline checkbox groups
("☑ ดำเนินการแล้วเสร็จ ☐ ยังไม่ได้ดำเนินการ") come out unmarked. Here the marks are found
in the image instead — connected blobs of ink, classified by shape — and handed back
as the characters the text and PDF readers would have given (✓, ✗, ☑, ☐), so the shared
status logic (`normalizers.status`) reads them unchanged:

- a **box**: a square outline about a letter high; with ink inside it is ☑, else ☐;
- a **tick** or **cross**: thin strokes about a letter high, on their own at the start
  of a table cell (nothing to their left in the cell, a space after them), ✓ or ✗.

Pure functions over numpy arrays (a page's ink mask, 1 = dark), pixels throughout.
Connected components are labelled run by run (no scipy, no OpenCV): a page takes a few
tens of milliseconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

PixBox = tuple[int, int, int, int]  # x0, top, x1, bottom (exclusive), pixels


@dataclass(frozen=True)
class Blob:
    """A connected component of ink: its bounding box and pixel count."""

    x0: int
    top: int
    x1: int
    bottom: int
    area: int

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True)
class Mark:
    """A mark found on the page: the character it stands for, its box, and the vertical
    rules either side of it (None outside a table), in pixels."""

    char: str
    box: PixBox
    column: tuple[int, int] | None = None


def components(mask: np.ndarray) -> list[Blob]:
    """Connected components (8-neighbour) of a boolean image, as boxes with pixel counts.

    >>> m = np.zeros((6, 8), bool)
    >>> m[1:3, 1:3] = True; m[3, 3] = True; m[1:5, 6] = True
    >>> sorted((b.x0, b.top, b.x1, b.bottom, b.area) for b in components(m))
    [(1, 1, 4, 4, 5), (6, 1, 7, 5, 4)]
    """
    h, w = mask.shape
    if h == 0 or w == 0:
        return []
    pad = np.zeros((h, w + 2), dtype=np.int8)
    pad[:, 1:-1] = mask
    d = np.diff(pad, axis=1)  # +1 where a run starts, -1 one past where it ends
    rs, cs = np.nonzero(d == 1)
    re_, ce = np.nonzero(d == -1)  # same order: row-major, runs alternate start/end
    n = rs.size
    if n == 0:
        return []
    # Runs of row y touch runs of row y+1 when their column ranges overlap, a pixel
    # of diagonal allowed: [cs-1, ce] against [cs', ce'-1] (ends exclusive).
    key_start = rs.astype(np.int64) * (w + 4) + cs
    key_end = rs.astype(np.int64) * (w + 4) + ce
    nxt = (rs.astype(np.int64) + 1) * (w + 4)
    lo = np.searchsorted(key_end, nxt + cs - 1, side="right")  # first run ending after cs-1
    hi = np.searchsorted(key_start, nxt + ce, side="right")    # runs starting at or before ce
    cnt = np.maximum(hi - lo, 0)
    a = np.repeat(np.arange(n), cnt)
    b = (np.repeat(lo - np.cumsum(cnt) + cnt, cnt) + np.arange(cnt.sum())) if cnt.sum() else a
    label = np.arange(n)
    if a.size:
        while True:  # min-label propagation with pointer jumping
            m = np.minimum(label[a], label[b])
            new = label.copy()
            np.minimum.at(new, a, m)
            np.minimum.at(new, b, m)
            new = new[new]
            if np.array_equal(new, label):
                break
            label = new
    roots, comp = np.unique(label, return_inverse=True)
    k = roots.size
    x0 = np.full(k, w, dtype=np.int64)
    x1 = np.zeros(k, dtype=np.int64)
    t = np.full(k, h, dtype=np.int64)
    bt = np.zeros(k, dtype=np.int64)
    area = np.zeros(k, dtype=np.int64)
    np.minimum.at(x0, comp, cs)
    np.maximum.at(x1, comp, ce)
    np.minimum.at(t, comp, rs)
    np.maximum.at(bt, comp, rs + 1)
    np.add.at(area, comp, ce - cs)
    return [Blob(int(x0[i]), int(t[i]), int(x1[i]), int(bt[i]), int(area[i])) for i in range(k)]


# ---- shapes ------------------------------------------------------------------------

def box_state(ink: np.ndarray, b: Blob) -> str | None:
    """"☑" or "☐" when blob `b` is a square outline (ink inside it or not), else None.

    >>> img = np.zeros((30, 30), bool)
    >>> img[5:25, 5:7] = img[5:25, 23:25] = img[5:7, 5:25] = img[23:25, 5:25] = True
    >>> box_state(img, components(img)[0])
    '☐'
    >>> img[15:20, 10:12] = img[13:16, 12:15] = img[10:13, 15:18] = True  # a tick inside
    >>> box_state(img, Blob(5, 5, 25, 25, 160))
    '☑'
    >>> box_state(img, Blob(10, 10, 18, 20, 25)) is None
    True
    """
    w, h = b.w, b.h
    if not (0.85 <= w / h <= 1.18) or min(w, h) < 8:
        return None
    sub = ink[b.top:b.bottom, b.x0:b.x1]
    t = max(2, round(0.15 * min(w, h)))  # the outline's band: stroke plus a little skew
    sides = (sub[:t].any(axis=0), sub[-t:].any(axis=0), sub[:, :t].any(axis=1),
             sub[:, -t:].any(axis=1))
    if min(s.mean() for s in sides) < 0.85:
        return None
    inner = sub[t + 1:h - t - 1, t + 1:w - t - 1]
    if inner.size == 0:
        return None
    # The frame itself must be thin: a filled square (■, a blot) is not a box.
    if b.area > 0.6 * w * h:
        return None
    return "☑" if inner.mean() >= 0.05 else "☐"


def stroke_mark(sub: np.ndarray) -> str | None:
    """"✓" for a tick, "✗" for a cross, None for anything else (a letter, a dash): the
    ink of one blob cut to its box.

    A tick is a long arm from top right down to a point low on the left (the short arm
    beside it): the ink's centre drifts left row by row, and the top left and bottom
    right are empty. A cross has ink at all four corners and only in the middle half
    across its middle. Letters have upright stems or loops, which neither allows.

    >>> tick = np.zeros((15, 14), bool)
    >>> for k in range(11): tick[k, 13 - k:14 - k + 2] = True
    >>> tick[8:15, 0:3] = True
    >>> stroke_mark(tick)
    '✓'
    >>> cross = np.zeros((15, 15), bool)
    >>> for k in range(15): cross[k, k] = cross[k, 14 - k] = True
    >>> stroke_mark(cross)
    '✗'
    >>> stem = np.zeros((18, 12), bool); stem[:, 0:2] = stem[:, 10:12] = stem[0:2, :] = True
    >>> stroke_mark(stem) is None
    True
    """
    h, w = sub.shape
    if h < 6 or w < 4 or not (0.45 <= w / h <= 1.7):
        return None
    fill = sub.mean()
    if not (0.08 <= fill <= 0.5):
        return None
    # Strokes are slanted: no upright stem runs most of the height, no bar most of the width.
    if _longest_run(sub, axis=0) > 0.6 * h or _longest_run(sub, axis=1) > 0.65 * w:
        return None
    ys, xs = np.nonzero(sub)
    fy, fx = ys / (h - 1), xs / (w - 1)
    if _is_tick(fy, fx):
        return "✓"
    if _is_cross(fy, fx):
        return "✗"
    return None


def _is_tick(fy: np.ndarray, fx: np.ndarray) -> bool:
    if fy.std() == 0 or fx.std() == 0:
        return False
    r = np.corrcoef(fy, fx)[0, 1]
    top_left = np.mean((fy < 0.3) & (fx < 0.4))
    bottom_right = np.mean((fy > 0.65) & (fx > 0.6))
    top_right = np.mean((fy < 0.25) & (fx > 0.6))
    return r <= -0.6 and top_left <= 0.02 and bottom_right <= 0.02 and top_right > 0.05


def _is_cross(fy: np.ndarray, fx: np.ndarray) -> bool:
    corners = [np.mean((a) & (b)) for a in (fy < 0.25, fy > 0.75) for b in (fx < 0.25, fx > 0.75)]
    middle = (fy > 0.4) & (fy < 0.6)
    outer_middle = np.mean(middle & ((fx < 0.2) | (fx > 0.8)))
    centre = np.mean(middle & (fx > 0.3) & (fx < 0.7))
    return min(corners) > 0.03 and outer_middle <= 0.01 and centre > 0.05


def _longest_run(sub: np.ndarray, axis: int) -> int:
    """The longest run of ink along `axis` (0: down a column, 1: along a row).

    >>> _longest_run(np.array([[1, 1, 0, 1], [1, 1, 1, 0]], bool), axis=1)
    3
    """
    m = sub if axis == 0 else sub.T
    pos = np.arange(1, m.shape[0] + 1)[:, None]
    last_gap = np.maximum.accumulate(np.where(m, 0, pos), axis=0)
    return int((pos - last_gap).max(initial=0))


# ---- marks on a page ------------------------------------------------------------------

def find_marks(ink: np.ndarray, vert: np.ndarray, scale: float) -> list[Mark]:
    """Checkboxes and tick marks on a page.

    `ink`: the page's dark pixels with the ruling lines taken out; `vert`: the vertical
    rules' pixels (the columns of its tables); `scale`: pixels per point. A box may sit
    anywhere (inline checkbox groups run on over cell and line breaks). A tick or cross
    only inside a table column, at the start of a line of it, with nothing to its left
    in the column and a space after it — the way a status column is ticked — so that a
    letter that happens to slant is not taken for one. (Columns, not cells: the last row
    of a page often has no rule under it, and no cell.)
    """
    lo, hi = 3.5 * scale, 20 * scale  # a mark is about a letter high: 3.5 to 20 points
    blobs = components(ink)
    if not blobs:
        return []
    bx = np.array([(b.x0, b.top, b.x1, b.bottom, b.area) for b in blobs], dtype=np.int64)
    w, h = bx[:, 2] - bx[:, 0], bx[:, 3] - bx[:, 1]
    sized = (h >= lo) & (h <= hi)
    out: list[Mark] = []
    inside_box = np.zeros(len(blobs), dtype=bool)
    for i in np.flatnonzero(sized & (w >= 0.85 * h) & (w <= 1.18 * h)):
        b = blobs[i]
        state = box_state(ink, b)
        if state is not None:
            out.append(Mark(state, (b.x0, b.top, b.x1, b.bottom), _column(vert, b)))
            inside_box |= ((bx[:, 0] >= b.x0) & (bx[:, 2] <= b.x1)
                           & (bx[:, 1] >= b.top) & (bx[:, 3] <= b.bottom))
    fill = bx[:, 4] / np.maximum(w * h, 1)
    cand = sized & ~inside_box & (w >= 0.45 * h) & (w <= 1.7 * h) & (fill >= 0.08) & (fill <= 0.5)
    for i in np.flatnonzero(cand):
        b = blobs[i]
        char = stroke_mark(ink[b.top:b.bottom, b.x0:b.x1])
        if char is None:
            continue
        column = _column(vert, b)
        if column is not None and _alone_at_start(i, bx, column):
            out.append(Mark(char, (b.x0, b.top, b.x1, b.bottom), column))
    return out


def _column(vert: np.ndarray, b: Blob) -> tuple[int, int] | None:
    """The vertical rules left and right of `b` at its height, or None (not in a table)."""
    row = vert[min(max((b.top + b.bottom) // 2, 0), vert.shape[0] - 1)]
    left = np.flatnonzero(row[:b.x0])
    right = np.flatnonzero(row[b.x1:])
    if left.size == 0 or right.size == 0:
        return None
    return int(left[-1]), int(b.x1 + right[0])


def _alone_at_start(i: int, bx: np.ndarray, column: tuple[int, int]) -> bool:
    """Blob `i` has nothing of any size to its left in its column on its line, nothing
    touching it on the right (a space at least), nothing sitting right on it from below
    (a tone mark on its letter) or above."""
    x0, top, x1, bottom, area = bx[i]
    bh = bottom - top
    gap = 0.3 * bh
    cx = (bx[:, 0] + bx[:, 2]) / 2
    near = ((cx > column[0]) & (cx < column[1]) & (bx[:, 4] >= max(6, 0.1 * area))
            & (bx[:, 3] > top - 1.5 * bh) & (bx[:, 1] < bottom + 1.5 * bh))
    near[i] = False
    o = bx[near]
    if o.size == 0:
        return True
    oh = o[:, 3] - o[:, 1]
    overlap = np.minimum(bottom, o[:, 3]) - np.maximum(top, o[:, 1])
    same_line = overlap > 0.3 * np.minimum(bh, oh)
    if np.any(same_line & (o[:, 0] < x1 + gap)):
        return False
    cols = (np.minimum(x1, o[:, 2]) - np.maximum(x0, o[:, 0])) > 0
    below = o[:, 1] - bottom
    above = top - o[:, 3]
    touching = ((below > -gap) & (below < 0.5 * bh)) | ((above > -gap) & (above < 0.5 * bh))
    return not np.any(~same_line & cols & touching)


# ---- the labels beside checkboxes -------------------------------------------------------

_BOXES = "☑☐"
_TONES = re.compile("[\u0e48-\u0e4c]")
_SPLIT_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def snap_box_labels(text: str) -> tuple[str, int]:
    """Put back the status phrase that OCR misspelt beside a checkbox read from the
    image, and say how many were put back.

    Tesseract drops Thai tone marks and confuses letters (แล้ว → แลว, ได้ → ใด), so a
    label printed as "ดำเนินการแล้วเสร็จ" no longer spells the phrase the status logic
    looks for. Only the words right after a ☑ or ☐ (up to the next box) are compared
    with the known phrases, letters only; one that nearly spells a phrase (rapidfuzz
    ratio at least 85) is replaced by it.

    >>> snap_box_labels("แสดง ณ จุดบริการ ☑ ดำเนินการแลวเสร็จ☐ ังไมใดดำเนินการ ☐ อยูระหวางดำเนินการ")
    ('แสดง ณ จุดบริการ ☑ ดำเนินการแล้วเสร็จ ☐ ยังไม่ได้ดำเนินการ ☐ อยู่ระหว่างดำเนินการ', 3)
    >>> snap_box_labels("☑ด\u0e4d\u0e32เป็นการแลวเสร็จ")
    ('☑ ดำเนินการแล้วเสร็จ', 1)
    >>> snap_box_labels("☑ ตรวจสอบแล้ว ☐ ยังไม่ได้ดำเนินการ")
    ('☑ ตรวจสอบแล้ว ☐ ยังไม่ได้ดำเนินการ', 0)
    """
    if not any(b in text for b in _BOXES):
        return text, 0
    from rapidfuzz import fuzz
    text = _SPLIT_AM.sub("\\1\u0e33", text)  # tesseract's ํ + า is ำ

    from normalizers._data import read_csv

    phrases = sorted({r["phrase"].replace(" ", "") for r in read_csv("status_phrases.csv")},
                     key=len, reverse=True)
    out: list[str] = []
    i, fixed = 0, 0
    while i < len(text):
        ch = text[i]
        out.append(ch)
        i += 1
        if ch not in _BOXES:
            continue
        end = i
        while end < len(text) and text[end] not in _BOXES:
            end += 1
        seg = text[i:end]
        pos = [k for k, c in enumerate(seg) if not c.isspace()]  # letters of the segment
        compact = _TONES.sub("", "".join(seg[k] for k in pos))  # tone marks are often lost
        pos = [k for k in pos if not _TONES.match(seg[k])]
        best = None  # (score, phrase, letters used)
        for phrase in phrases:
            if seg.replace(" ", "").startswith(phrase):
                best = None  # already spelt right: leave it
                break
            bare = _TONES.sub("", phrase)
            n = len(bare)
            for m in range(max(1, n - 3), min(len(compact), n + 3) + 1):
                score = fuzz.ratio(bare, compact[:m])
                if score >= 85 and (best is None or score > best[0]):
                    best = (score, phrase, m)
        if best is None:
            continue
        _, phrase, m = best
        tail = seg[pos[m - 1] + 1:]
        if not tail.strip():
            tail = " " if end < len(text) else ""
        elif not tail[0].isspace():
            tail = " " + tail
        out.append(" " + phrase + tail)
        fixed += 1
        i = end
    return "".join(out), fixed
