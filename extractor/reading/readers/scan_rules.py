"""Ruling lines and table grids in a scanned page's pixels.

A scan has no ruling lines in any text layer, so the grid comes from the picture: long
runs of dark pixels across and down (the morphology img2table does with OpenCV, here with
numpy cumulative sums) are the rules, and pdfplumber's table finder turns them into cells
as it does for born-digital pages (`pdf_rules.ruled_grids`). The page must be straight
first (`deskew.py`): at a degree of skew a rule is a staircase of short runs.

A table cut by the page break has column rules that run on below its last rule across:
that open end is closed (as for born-digital pages) and reported, so the reader can rejoin
the cut row with its continuation on the next page.
"""
from __future__ import annotations

import numpy as np

from .pdf_rules import ruled_grids
from .positioned import Grid

RULE_MIN_PT = 40.0  # text never makes dark runs this long; rules do
JOIN_TOLERANCE_PT = 4.0  # rule ends found in pixels miss each other by this much
OPEN_END_MIN_PT = 8.0  # a column rule running on this far past the last rule across: cut
FAINT_CONTRAST = 30  # grey levels a hairline is darker than the paper beside it (noise: ~8)


def ink_threshold(pixels: np.ndarray) -> int:
    """The grey level under which a pixel is ink: Otsu's split, but never within 40 grey
    levels of the paper, so that a nearly blank page (one mode: paper and its noise) does
    not split its paper in two."""
    paper = int(np.median(pixels[::4, ::4]))
    return max(1, min(otsu(pixels), paper - 40))


def otsu(pixels: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu's method)."""
    hist = np.bincount(pixels.ravel(), minlength=256).astype(float)
    total = hist.sum()
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * np.arange(256))
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (m0[-1] * w0 / total - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between[:-1], nan=-1.0)
    best = np.flatnonzero(between >= between.max() - 1e-9)
    return int(best.mean()) + 1  # the middle of a flat optimum (a clean two-tone image)


def runs(mask: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Pixels lying on a run of at least `k` set pixels along `axis` (a morphological
    opening with a 1×k line, via cumulative sums)."""
    m = mask if axis == 1 else mask.T
    c = np.zeros((m.shape[0], m.shape[1] + 1), dtype=np.int32)
    np.cumsum(m, axis=1, out=c[:, 1:])
    full = (c[:, k:] - c[:, :-k]) == k  # window starting at j is all set
    d = np.zeros((m.shape[0], full.shape[1] + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=d[:, 1:])
    # pixel j is covered when some full window starts in [j-k+1, j]
    n = m.shape[1]
    j = np.arange(n)
    hi = np.minimum(j, full.shape[1] - 1) + 1
    lo = np.clip(j - k + 1, 0, full.shape[1])
    covered = (d[:, hi] - d[:, lo]) > 0
    return covered if axis == 1 else covered.T


def faint_lines(pixels: np.ndarray, contrast: int = FAINT_CONTRAST) -> tuple[np.ndarray, np.ndarray]:
    """Pixels on a thin line lighter than the ink threshold: a hairline border blurred
    by the scanner comes out light grey (185 on paper of 235, where text is 40), which
    the threshold drops. Such a pixel is darker by `contrast` than the pixels two and
    three away on both sides across the line — a ridge, which a shaded header cell's
    flat grey or its edge (a step, dark on one side) is not. Returns (across-thin: a
    horizontal line's pixels, down-thin: a vertical line's)."""
    p = pixels.astype(np.int16)
    h = np.zeros(p.shape, bool)
    v = np.zeros(p.shape, bool)
    up = np.maximum(p[1:-5, :], p[0:-6, :])  # rows y-2, y-3 for y = 3 … n-4
    down = np.maximum(p[5:-1, :], p[6:, :])  # rows y+2, y+3
    h[3:-3, :] = p[3:-3, :] + contrast <= np.minimum(up, down)
    left = np.maximum(p[:, 1:-5], p[:, 0:-6])
    right = np.maximum(p[:, 5:-1], p[:, 6:])
    v[:, 3:-3] = p[:, 3:-3] + contrast <= np.minimum(left, right)
    return h, v


def rule_masks(dark: np.ndarray, scale: float, pixels: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: dark runs longer than `RULE_MIN_PT` (with `pixels`,
    faint hairlines too: `faint_lines`). Looked for at half the resolution (a cell dark
    when any of its four pixels is: a rule stays a rule, a pixel's gap in it from noise
    or a JPEG block edge is bridged, and it is four times less work); the masks returned
    at full size, on the ink (or the hairline) only."""
    if pixels is not None:
        faint_h, faint_v = faint_lines(pixels)
        on_h, on_v = dark | faint_h, dark | faint_v
    else:
        on_h = on_v = dark
    k = max(int(RULE_MIN_PT * scale / 2), 10)

    def half(mask: np.ndarray) -> np.ndarray:
        small = mask[: mask.shape[0] // 2 * 2, : mask.shape[1] // 2 * 2]
        return small.reshape(small.shape[0] // 2, 2, small.shape[1] // 2, 2).any(axis=(1, 3))

    horiz = runs(half(on_h), k, axis=1)
    vert = runs(half(on_v), k, axis=0)

    def full(mask: np.ndarray, on: np.ndarray) -> np.ndarray:  # back to the page's size
        big = np.zeros_like(dark)
        up = mask.repeat(2, axis=0).repeat(2, axis=1)
        big[:up.shape[0], :up.shape[1]] = up
        return big & on
    return full(horiz, on_h), full(vert, on_v)


def grow(mask: np.ndarray, r: int) -> np.ndarray:
    out = mask.copy()
    for d in range(1, r + 1):
        out[d:, :] |= mask[:-d, :]
        out[:-d, :] |= mask[d:, :]
        out[:, d:] |= mask[:, :-d]
        out[:, :-d] |= mask[:, d:]
    return out


def segments(mask: np.ndarray, axis: int) -> list[tuple[float, float, float]]:
    """Rules as (position across, start, end) in pixels: bands of neighbouring rows
    (or columns) with rule pixels, split where the rule has a gap."""
    prof = mask.any(axis=axis)  # which rows (axis=1) / columns (axis=0) hold a rule
    out = []
    idx = np.flatnonzero(prof)
    if idx.size == 0:
        return out
    bands = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    for band in bands:
        sub = mask[band[0]:band[-1] + 1, :] if axis == 1 else mask[:, band[0]:band[-1] + 1]
        along = sub.any(axis=0 if axis == 1 else 1)
        on = np.flatnonzero(along)
        pieces = np.split(on, np.flatnonzero(np.diff(on) > 3) + 1)
        for p in pieces:
            if p.size:
                out.append(((band[0] + band[-1]) / 2, float(p[0]), float(p[-1])))
    return out


def edge(pos: float, start: float, end: float, orientation: str, scale: float) -> dict:
    """A rule in pixels as a pdfplumber edge in points."""
    pos, start, end = pos / scale, start / scale, end / scale
    if orientation == "h":
        return {"object_type": "h_edge", "orientation": "h", "x0": start, "x1": end,
                "top": pos, "bottom": pos, "width": end - start, "height": 0.0}
    return {"object_type": "v_edge", "orientation": "v", "x0": pos, "x1": pos,
            "top": start, "bottom": end, "width": 0.0, "height": end - start}


def page_edges(horiz: np.ndarray, vert: np.ndarray, scale: float) -> list[dict]:
    edges = [edge(*s, "h", scale) for s in segments(horiz, axis=1)]
    return edges + [edge(*s, "v", scale) for s in segments(vert, axis=0)]


def open_bottoms(edges: list[dict]) -> list[float]:
    """Where a table's column rules run on past its lowest rule across and stop with
    nothing under them: the row there was cut by the page break. Only the bottom: a top
    without a rule is a header repeated without its border, not a cut. The y (points) at
    which the column rules stop, one per table."""
    horiz = [e for e in edges if e["orientation"] == "h"]
    vert = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2 * OPEN_END_MIN_PT]
    ends: list[float] = []
    for v in vert:
        y = v["bottom"]
        crossing = [h for h in horiz if h["x0"] - JOIN_TOLERANCE_PT <= v["x0"] <= h["x1"] + JOIN_TOLERANCE_PT
                    and v["top"] - JOIN_TOLERANCE_PT <= h["top"] <= y + JOIN_TOLERANCE_PT]
        if len(crossing) < 2:
            continue  # not a table's column rule
        lowest = max(h["top"] for h in crossing)
        if y - lowest >= OPEN_END_MIN_PT:
            ends.append(y)
    # The column rules of one cut table stop at about the same height: one end for them.
    merged: list[float] = []
    for y in sorted(ends):
        if merged and y - merged[-1] <= JOIN_TOLERANCE_PT * 2:
            merged[-1] = max(merged[-1], y)
        else:
            merged.append(y)
    return [round(y, 1) for y in merged]


def find_grids(dark: np.ndarray, scale: float, pixels: np.ndarray | None = None
               ) -> tuple[list[Grid], list[float], np.ndarray, np.ndarray]:
    """The ruled tables of a straight page (`dark`: its ink; `pixels`: its grey levels,
    for hairlines lighter than ink), the y of each cut bottom, and the horizontal and
    vertical rule masks (to be painted out before OCR)."""
    horiz, vert = rule_masks(dark, scale, pixels)
    edges = page_edges(horiz, vert, scale)
    cuts = open_bottoms(edges)
    if cuts:  # close each cut bottom across the columns that stop there
        for y in cuts:
            cols = [e for e in edges if e["orientation"] == "v"
                    and abs(e["bottom"] - y) <= JOIN_TOLERANCE_PT * 2]
            x0, x1 = min(e["x0"] for e in cols), max(e["x1"] for e in cols)
            edges.append({"object_type": "h_edge", "orientation": "h", "x0": x0, "x1": x1,
                          "top": y, "bottom": y, "width": x1 - x0, "height": 0.0})
    # Rules found in pixels end a little short or long of each other (thickness, blur):
    # a slightly looser tolerance than for drawn rules (not much: two tables 5 pt apart
    # must stay two); the open ends are closed above, not by the finder.
    grids, _ = ruled_grids(edges, dark.shape[1] / scale, dark.shape[0] / scale,
                           tolerance=JOIN_TOLERANCE_PT, close_open_ends=False)
    return grids, cuts, horiz, vert
