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
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .glyphs import LayerStats

# Thai marks that sit on a letter: above/below vowels, tone marks, signs (not sara am).
THAI_MARKS = frozenset("\u0e31" + "".join(chr(c) for c in range(0x0E34, 0x0E3B))
                       + "".join(chr(c) for c in range(0x0E47, 0x0E4F)))
# what a cluster-by-cluster ToUnicode gets wrong: glyphs drawn inside a cluster
IN_CLUSTERS = THAI_MARKS | {"\u0e32", "\u0e33"}


def split_runs(tp, chars: list[str], keep: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    """Runs of ≥ 2 kept characters sharing one glyph: pdfium splits a glyph whose
    ToUnicode entry holds several characters (a whole Thai cluster) into equal, abutting
    boxes of the same height, all at the glyph's origin (equal widths alone are common:
    digits). Only runs holding a character drawn inside clusters matter here."""
    import pypdfium2.raw as raw

    idx = np.flatnonzero(keep)
    if len(idx) < 2:
        return []
    l, t, r, bt = b[idx, 0], b[idx, 1], b[idx, 2], b[idx, 3]
    w = r - l
    same = ((np.abs(l[1:] - r[:-1]) < 0.02) & (np.abs(w[1:] - w[:-1]) < 0.02)
            & (np.abs(t[1:] - t[:-1]) < 0.02) & (np.abs(bt[1:] - bt[:-1]) < 0.02))
    if not same.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
    x, y = ctypes.c_double(), ctypes.c_double()
    runs = []
    for a, e in zip(edges[::2], edges[1::2]):
        if not any(chars[i] in IN_CLUSTERS for i in idx[a:e + 1].tolist()):
            continue
        origins = []
        for i in idx[a:e + 1]:
            raw.FPDFText_GetCharOrigin(tp, int(i), ctypes.byref(x), ctypes.byref(y))
            origins.append((round(x.value, 2), round(y.value, 2)))
        # split the candidate where the origin changes: glyphs of their own
        k = 0
        while k < len(origins):
            j = k + 1
            while j < len(origins) and origins[j] == origins[k]:
                j += 1
            if j - k >= 2:
                runs.append(idx[a + k:a + j])
            k = j
    return runs


def drop_cluster_copies(chars: list[str], keep: np.ndarray, b: np.ndarray,
                         runs: list[np.ndarray], stats: LayerStats) -> list[np.ndarray]:
    """Chromium maps every glyph of a multi-glyph cluster to the cluster's text: a mark
    glyph then repeats its cluster, split over its own box, over the cluster it copies.
    A split run whose text repeats one of the few runs before it and overlaps it is
    such a copy: dropped. Returns the runs left."""
    texts = ["".join(chars[i] for i in run) for run in runs]
    left = []
    for j, run in enumerate(runs):
        copy = False
        if any(chars[i] in IN_CLUSTERS for i in run):
            l, r = b[run[0], 0], b[run[-1], 2]
            cy, h = (b[run[0], 1] + b[run[0], 3]) / 2, abs(b[run[0], 1] - b[run[0], 3])
            for p in range(max(0, j - 4), j):
                if texts[p] != texts[j] or not keep[runs[p][0]]:
                    continue
                q = runs[p]
                pl, pr = b[q[0], 0], b[q[-1], 2]
                pcy, ph = (b[q[0], 1] + b[q[0], 3]) / 2, abs(b[q[0], 1] - b[q[0], 3])
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
    (0.6 em a letter), so that no space is read between clusters that touch."""
    import pypdfium2.raw as raw

    x, y = ctypes.c_double(), ctypes.c_double()
    for run in runs:
        letters = run[~marks[run]]
        if len(letters) == 0 or not raw.FPDFText_GetCharOrigin(tp, int(run[0]), ctypes.byref(x),
                                                                 ctypes.byref(y)):
            continue
        em = sizes[letters[0]]
        left = x.value
        right = max(float(b[run[-1], 2]), left + 0.6 * em * len(letters))
        b[letters, 0], b[letters, 2] = left, right
