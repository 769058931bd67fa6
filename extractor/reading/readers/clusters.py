"""Thai clusters as producers split them over glyphs, and what pdfium makes of it.

A shaping engine draws a Thai cluster (a letter with its vowel and tone marks, sara am)
as several glyphs; the PDF's ToUnicode map says which text each glyph stands for.
Chromium gives the whole cluster's text to each glyph of the cluster: pdfium then splits
one glyph's box among the cluster's characters (equal, abutting boxes at one origin),
and a mark glyph repeats the cluster it sits on. Here: finding those split runs, dropping
the repeated ones, and giving a cluster its advance (its glyph box is ink, not advance).
"""
from __future__ import annotations

import ctypes
import itertools
from typing import TYPE_CHECKING

import numpy as np

from .codepoints import CodeSet

if TYPE_CHECKING:
    from .glyphs import LayerStats

# Thai marks that sit on a letter: above/below vowels, tone marks, signs (not sara am).
THAI_MARKS = frozenset("\u0e31" + "".join(chr(c) for c in range(0x0E34, 0x0E3B))
                       + "".join(chr(c) for c in range(0x0E47, 0x0E4F)))
# what a cluster-by-cluster ToUnicode gets wrong: glyphs drawn inside a cluster
IN_CLUSTERS = THAI_MARKS | {"\u0e32", "\u0e33"}


def in_clusters(chars: list[str], codes: np.ndarray, changed: bool) -> np.ndarray:
    """Which characters are drawn inside clusters (`IN_CLUSTERS`): from the page's code
    points, or — after glyphs were resolved (a character may have become several) —
    from the characters."""
    if changed:
        return _IN_CLUSTER_CODES.of_chars(chars)
    return _IN_CLUSTER_CODES.mask(codes)


_IN_CLUSTER_CODES = CodeSet(IN_CLUSTERS)


def split_runs(tp, chars: list[str], keep: np.ndarray, b: np.ndarray,
               inside: np.ndarray) -> list[np.ndarray]:
    """Runs of ≥ 2 kept characters sharing one glyph: pdfium splits a glyph whose
    ToUnicode entry holds several characters (a whole Thai cluster) into equal, abutting
    boxes of the same height, all at the glyph's origin (equal widths alone are common:
    digits). Only runs holding a character drawn inside clusters (`inside`) matter here."""
    idx = np.flatnonzero(keep)
    if len(idx) < 2:
        return []
    l, t, r, bt = np.take(b, idx, axis=0).T  # (one gather of rows: 4 of columns cost 8×)
    w = r - l
    same = ((np.abs(l[1:] - r[:-1]) < 0.02) & (np.abs(w[1:] - w[:-1]) < 0.02)
            & (np.abs(t[1:] - t[:-1]) < 0.02) & (np.abs(bt[1:] - bt[:-1]) < 0.02))
    if not same.any():
        return []
    # where a stretch of `same` starts and ends (as the diff of it padded with False; no
    # list-and-array concatenation, which converts and promotes)
    padded = np.zeros(len(same) + 2, bool)
    padded[1:-1] = same
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    # candidate spans idx[a..e], those holding a character drawn inside clusters
    a_s, e_s = edges[::2], edges[1::2]
    count = np.concatenate(([0], np.cumsum(inside[idx])))
    held = (count[e_s + 1] - count[a_s]) > 0
    a_h, e_h = a_s[held], e_s[held]
    if not len(a_h):
        return []
    # the candidates' characters in one array: place in `idx`, and where each span starts
    lengths = e_h - a_h + 1
    starts = np.cumsum(lengths) - lengths
    pos = np.repeat(a_h - starts, lengths) + np.arange(int(lengths.sum()))
    origin, ok = _raw_origins(tp, idx[pos].tolist())
    if not ok.all():  # (a character without an origin: read one at a time, as before)
        return _split_by_origin(tp, idx, a_h.tolist(), e_h.tolist())
    # split each candidate where the origin (to 0.01 pt) changes: glyphs of their own
    new = np.zeros(len(pos), bool)
    new[starts] = True
    new[1:] |= ~_same_origin(origin)
    cut = np.flatnonzero(new).tolist() + [len(pos)]
    at = pos.tolist()
    return [idx[at[k]:at[k] + j - k] for k, j in zip(cut, cut[1:]) if j - k >= 2]


def _same_origin(origin: np.ndarray) -> np.ndarray:
    """Whether each origin (x, y) and the next are the same to 0.01 pt — as Python's
    `round(v, 2)` makes them: equal origins are, origins more than 0.011 apart in x or
    y are not (a rounding moves a value by half of 0.01 at most), the rest are rounded."""
    d = np.abs(origin[1:] - origin[:-1])
    same = (d == 0).all(axis=1)
    for k in np.flatnonzero(~same & (d <= 0.011).all(axis=1)).tolist():
        (x0, y0), (x1, y1) = origin[k].tolist(), origin[k + 1].tolist()
        same[k] = round(x0, 2) == round(x1, 2) and round(y0, 2) == round(y1, 2)
    return same


def _split_by_origin(tp, idx: np.ndarray, a_s: list[int], e_s: list[int]) -> list[np.ndarray]:
    """`split_runs`' split of the candidates idx[a..e], origins read one by one."""
    spans = [(a, idx[a:e + 1].tolist()) for a, e in zip(a_s, e_s)]
    origins = _origins(tp, [i for _, span in spans for i in span])
    runs = []
    at = 0
    for a, span in spans:
        own = origins[at:at + len(span)]
        at += len(span)
        k = 0
        while k < len(own):
            j = k + 1
            while j < len(own) and own[j] == own[k]:
                j += 1
            if j - k >= 2:
                runs.append(idx[a + k:a + j])
            k = j
    return runs


def _origins(tp, chars: list[int]) -> list[tuple[float, float]]:
    """Each character's pen origin, rounded to 0.01 pt: one direct call per character,
    written straight into an array (no ctypes objects per call)."""
    import pypdfium2.raw as raw

    out, ok = _raw_origins(tp, chars)
    if ok.all():
        return [(round(x, 2), round(y, 2)) for x, y in out.tolist()]
    # (a character pdfium gives no origin keeps the last one read, as one call at a time)
    x, y = ctypes.c_double(), ctypes.c_double()
    found = []
    for i in chars:
        raw.FPDFText_GetCharOrigin(tp, i, ctypes.byref(x), ctypes.byref(y))
        found.append((round(x.value, 2), round(y.value, 2)))
    return found


def drop_cluster_copies(chars: list[str], keep: np.ndarray, b: np.ndarray,
                         runs: list[np.ndarray], stats: LayerStats,
                         inside: np.ndarray) -> list[np.ndarray]:
    """Chromium maps every glyph of a multi-glyph cluster to the cluster's text: a mark
    glyph then repeats its cluster, split over its own box, over the cluster it copies.
    A split run whose text repeats one of the few runs before it and overlaps it is
    such a copy: dropped. Returns the runs left."""
    if not runs:
        return []
    texts = ["".join([chars[i] for i in run]) for run in (r.tolist() for r in runs)]
    lengths = np.array([len(run) for run in runs])
    inside_any = (np.add.reduceat(inside[np.concatenate(runs)], np.cumsum(lengths) - lengths)
                  > 0).tolist()
    # each run's left, right, middle and height, as Python floats (read once, not per pair)
    first = np.array([run[0] for run in runs])
    last = np.array([run[-1] for run in runs])
    geo = list(zip(b[first, 0].tolist(), b[last, 2].tolist(),
                   ((b[first, 1] + b[first, 3]) / 2).tolist(),
                   np.abs(b[first, 1] - b[first, 3]).tolist()))
    left = []
    for j, run in enumerate(runs):
        copy = False
        if inside_any[j]:
            l, r, cy, h = geo[j]
            for p in range(max(0, j - 4), j):
                if texts[p] != texts[j] or not keep[runs[p][0]]:
                    continue
                pl, pr, pcy, ph = geo[p]
                # a mark's ink over (part of) the cluster it copies, on the same line
                if min(r, pr) - max(l, pl) >= 0.25 * (r - l) and abs(cy - pcy) <= 2 * max(h, ph):
                    copy = True
                    break
        if copy:
            keep[run] = False
            stats.duplicates += len(run)
        else:
            left.append(run)
    return left


def cluster_extents(tp, runs: list[np.ndarray], b: np.ndarray, sizes: np.ndarray,
                     marks: np.ndarray) -> None:
    """A split run's box is one glyph's ink (a mark's, a letter's), not the cluster's
    advance: its letters are set from the glyph's origin over an estimated advance
    (0.6 em a letter), so that no space is read between clusters that touch. (All runs
    at once: their origins in one direct pass, the letters' boxes as arrays.)"""
    if not runs:
        return
    origin, ok = _raw_origins(tp, [int(run[0]) for run in runs])
    lengths = np.array([len(run) for run in runs])
    members = np.concatenate(runs)
    run_of = np.repeat(np.arange(len(runs)), lengths)
    letter = ~marks[members]
    n_letters = np.bincount(run_of[letter], minlength=len(runs))
    # each run's first letter (its em size), where it has one
    at = np.flatnonzero(letter)
    with_letters, first = np.unique(run_of[at], return_index=True)
    first_letter = np.zeros(len(runs), int)
    first_letter[with_letters] = members[at[first]]
    use = ok & (n_letters > 0)
    em = sizes[first_letter]
    left = origin[:, 0]
    last_right = b[members[np.cumsum(lengths) - 1], 2]
    wide = left + 0.6 * em * n_letters
    right = np.where(wide > last_right, wide, last_right)  # (max(last_right, wide))
    sel = letter & use[run_of]
    b[members[sel], 0] = left[run_of[sel]]
    b[members[sel], 2] = right[run_of[sel]]


def _raw_origins(tp, chars: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Each character's pen origin (x, y) as pdfium gives it, and whether it gave one:
    one direct call per character, written straight into an array."""
    from .pdfium_calls import function, handle, pointers

    n = len(chars)
    out = np.zeros((n, 2))
    get = function("FPDFText_GetCharOrigin", ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                   ctypes.c_void_p, ctypes.c_void_p)
    base = out.ctypes.data
    ok = list(map(get, itertools.repeat(handle(ctypes.cast(tp.raw, ctypes.c_void_p).value), n),
                  chars, pointers(base, 16, n), pointers(base + 8, 16, n)))
    return out, np.array(ok, bool).reshape(-1)
