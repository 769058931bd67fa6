"""Which cell of a table grid each point lies in (a letter's centre, a run of text's
middle), and cell boxes rounded as printed: the array work of filling a table's cells
(`page.py`), for all of a table's points at once.
"""
from __future__ import annotations

import numpy as np


def cell_of_points(cx: np.ndarray, cy: np.ndarray, boxes: np.ndarray, tol: float) -> np.ndarray:
    """For each point, the first box holding it (index into `boxes`), or -1."""
    if len(boxes) == 0 or len(cx) == 0:
        return np.full(len(cx), -1)
    hit = ((cx[:, None] >= boxes[:, 0] - tol) & (cx[:, None] <= boxes[:, 2] + tol)
           & (cy[:, None] >= boxes[:, 1] - tol) & (cy[:, None] <= boxes[:, 3] + tol))
    return np.where(hit.any(axis=1), hit.argmax(axis=1), -1)


def cell_of_lattice(cx: np.ndarray, cy: np.ndarray, boxes: np.ndarray, n_rows: int,
                     n_cols: int, tol: float) -> np.ndarray | None:
    """`cell_of_points` for a grid that is a plain lattice (every row the same column
    edges, every column the same row edges, both in order; `boxes` row by row), or None
    for any other grid. The first box holding a point is then the one in the first row
    and the first column holding it, each found by a binary search: the first interval
    whose far edge reaches the point holds it if any does (edges in order)."""
    if len(boxes) != n_rows * n_cols or len(boxes) == 0:
        return None
    b = boxes.reshape(n_rows, n_cols, 4)
    x0, x1, y0, y1 = b[0, :, 0], b[0, :, 2], b[:, 0, 1], b[:, 0, 3]
    if not ((b[:, :, 0] == x0).all() and (b[:, :, 2] == x1).all()
            and (b[:, :, 1] == y0[:, None]).all() and (b[:, :, 3] == y1[:, None]).all()
            and (np.diff(x0) >= 0).all() and (np.diff(x1) >= 0).all()
            and (np.diff(y0) >= 0).all() and (np.diff(y1) >= 0).all()):
        return None
    out = []
    for v, lo, hi in ((cy, y0, y1), (cx, x0, x1)):
        hi_t = hi + tol
        i = np.minimum(np.searchsorted(hi_t, v, side="left"), len(hi) - 1)
        out.append(np.where((v >= lo[i] - tol) & (v <= hi_t[i]), i, -1))
    r, c = out
    return np.where((r >= 0) & (c >= 0), r * n_cols + c, -1)


def round_tenths(a: np.ndarray) -> list[float]:
    """`round(x, 1)` of each value, as Python rounds it (the correctly rounded decimal),
    for an array at once: `rint(10 x) / 10`, but where `10 x` came out exactly half-way
    (coordinates in quarter points), which way its rounding error went — `10 x` is
    `8 x + 2 x`, both exact, so the error of their sum is exact too (Fast2Sum) — decides,
    as it does for `round`. (A value off a tie cannot round across it: the tie is a
    double nearer than it.) The division by ten is the correctly rounded one `round` makes."""
    a = np.asarray(a, float)
    t = a * 10.0
    r = np.rint(t)
    fl = np.floor(t)
    tie = np.flatnonzero(t == fl + 0.5)  # (exact: no subtraction rounding)
    if len(tie):
        x = a[tie]
        err = x * 2.0 - (t[tie] - x * 8.0)  # (the exact error of t = 8x + 2x)
        r[tie] = np.where(err > 0, fl[tie] + 1.0, np.where(err < 0, fl[tie], r[tie]))
    # (a negative value rounded to zero is -0.0, as `round` has it)
    return (np.copysign(r, a) / 10.0).tolist()
