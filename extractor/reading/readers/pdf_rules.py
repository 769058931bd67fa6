"""Ruled tables on a PDF page: ruling lines from pdfium, cells from pdfplumber's finder.

pdfplumber's table finder (edge snapping and joining, intersections, cells, tables) is
what we want; its usual input, `page.edges`, is not: pdfminer interprets the whole page
to get it, characters included, and that was three quarters of our time per page. pdfium
has already parsed the page, so the ruling lines come from its path objects and go into
`TableFinder` as explicit edges. Same geometry, a fraction of the cost.
"""
from __future__ import annotations

import ctypes
import functools
import itertools
from typing import Callable

import numpy as np

from .positioned import Grid
from .ruled_finder import table_rows

ToDisplay = Callable[[float, float, float, float], tuple[float, float, float, float]]
_AXIS_TOL = 0.5  # points a rule may lean and still count as horizontal/vertical


def _mul(m, n):
    """Compose affine matrices (a, b, c, d, e, f): first m, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _mul_rows(m: np.ndarray, n) -> list[tuple]:
    """`_mul(row, n)` for each row of `m` (n, 6), with the same arithmetic."""
    a, b, c, d, e, f = m.T
    A, B, C, D, E, F = n
    return list(zip((a * A + b * C).tolist(), (a * B + b * D).tolist(), (c * A + d * C).tolist(),
                    (c * B + d * D).tolist(), (e * A + f * C + E).tolist(),
                    (e * B + f * D + F).tolist()))


def page_edges(page, to_display: ToDisplay) -> list[dict]:
    """Horizontal and vertical line pieces of every path on the page (forms included),
    as pdfplumber edge dicts in displayed coordinates."""
    import pypdfium2.raw as raw

    from .pdfium_calls import function as _fn, handle, pointers

    edges: list[dict] = []
    m = raw.FS_MATRIX()
    # pdfium called directly (`pdfium_calls`): a page of per-cell borders holds thousands
    # of segments, a page of WeasyPrint's a thousand text objects to pass over
    pm = handle(ctypes.addressof(m))
    vp, i32 = ctypes.c_void_p, ctypes.c_int
    obj_type = _fn("FPDFPageObj_GetType", i32, vp)
    obj_matrix = _fn("FPDFPageObj_GetMatrix", i32, vp, vp)
    n_segs = _fn("FPDFPath_CountSegments", i32, vp)
    get_seg = _fn("FPDFPath_GetPathSegment", vp, vp, i32)
    seg_point = _fn("FPDFPathSegment_GetPoint", i32, vp, vp, vp)
    seg_type = _fn("FPDFPathSegment_GetType", i32, vp)
    seg_close = _fn("FPDFPathSegment_GetClose", i32, vp)
    form_count = _fn("FPDFFormObj_CountObjects", i32, vp)
    form_object = _fn("FPDFFormObj_GetObject", vp, vp, ctypes.c_ulong)
    PATH, FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
    MOVETO, LINETO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO

    paths: list = []  # (handles)
    mats: list[tuple] = []

    def walk(objs: list, outer) -> None:  # the page's path objects, forms opened, in order
        kinds = list(map(obj_type, objs))
        if FORM not in kinds:  # (most pages) paths only: their matrices in one pass
            own = list(itertools.compress(objs, [k == PATH for k in kinds]))
            mat = np.zeros((len(own), 6), np.float32)  # FS_MATRIX: a b c d e f
            if all(map(obj_matrix, own, pointers(mat.ctypes.data, 24, len(own)))):
                paths.extend(own)
                mats.extend(_mul_rows(mat.astype(np.float64), outer))
                return
        for obj, kind in zip(objs, kinds):
            if kind != PATH and kind != FORM:
                continue
            obj_matrix(obj, pm)
            mat = _mul((m.a, m.b, m.c, m.d, m.e, m.f), outer)
            if kind == FORM:
                n = form_count(obj)
                walk(list(map(form_object, [obj] * n, range(n))), mat)
                continue
            paths.append(obj)
            mats.append(mat)

    page_object = _fn("FPDFPage_GetObject", vp, vp, i32)
    n = raw.FPDFPage_CountObjects(page)
    walk(list(map(page_object, itertools.repeat(handle(ctypes.cast(page.raw, vp).value), n),
                  range(n))),
         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    # every segment of every path asked in a few passes (pages of per-cell borders hold
    # thousands), its point written straight into an array and placed by its matrix
    counts = [max(c, 0) for c in map(n_segs, paths)]
    segs = list(map(get_seg, itertools.chain.from_iterable(map(itertools.repeat, paths, counts)),
                    itertools.chain.from_iterable(map(range, counts))))
    if not segs:
        return edges
    xy = np.zeros((len(segs), 2), np.float32)
    at = xy.ctypes.data
    got = list(map(seg_point, segs, pointers(at, 8, len(segs)), pointers(at + 4, 8, len(segs))))
    if not all(got):  # (a point pdfium cannot give: the last one read stands, as before)
        for k in np.flatnonzero(np.array(got) == 0).tolist():
            xy[k] = xy[k - 1] if k else 0.0
    kinds = list(map(seg_type, segs))
    closes = list(map(seg_close, segs))
    a, b, c, d, e, f = np.repeat(np.array(mats, float).reshape(-1, 6), counts, axis=0).T
    x, y = xy[:, 0].astype(np.float64), xy[:, 1].astype(np.float64)
    return _edges_of(a * x + c * y + e, b * x + d * y + f, np.array(kinds), np.array(closes),
                     np.array(counts), (MOVETO, LINETO), to_display)


def _edges_of(px: np.ndarray, py: np.ndarray, kinds: np.ndarray, closes: np.ndarray,
              counts: np.ndarray, codes: tuple[int, int], to_display: ToDisplay) -> list[dict]:
    """`_add` for every line piece of the page's paths, as arrays, in the order one walk
    over the segments adds them: a line-to from the point before it (in its path), then
    — a closing segment — back to the path's last move-to. `px`, `py`: each segment's
    point on the page; `counts`: segments per path."""
    moveto, lineto = codes
    if len(px) < 100:  # (a few rules: a walk costs less than the array set-up)
        return _edges_walked(px.tolist(), py.tolist(), kinds.tolist(), closes.tolist(),
                             counts.tolist(), codes, to_display)
    k = np.arange(len(px))
    path_start = np.repeat(np.cumsum(counts) - counts, counts)
    first = k == path_start  # a path's first segment: no point before it
    # each segment's path's last move-to at or before it (-1: none yet in its path)
    last_move = np.maximum.accumulate(np.where(kinds == moveto, k, -1))
    start = np.where(last_move >= path_start, last_move, -1)
    line = (kinds == lineto) & ~first
    close = (closes != 0) & (start >= 0)
    # two slots per segment, in walk order: its line-to piece, then its closing piece
    from_k = np.stack((k - 1, k), axis=1).reshape(-1)
    to_k = np.stack((k, start), axis=1).reshape(-1)
    take = np.stack((line, close), axis=1).reshape(-1)
    p, q = from_k[take], to_k[take]
    x0, y0, x1, y1 = px[p], py[p], px[q], py[q]
    straight = ~((np.abs(y1 - y0) > _AXIS_TOL) & (np.abs(x1 - x0) > _AXIS_TOL))
    x0, y0, x1, y1 = x0[straight], y0[straight], x1[straight], y1[straight]
    left, top, right, bottom = to_display(np.minimum(x0, x1), np.minimum(y0, y1),
                                          np.maximum(x0, x1), np.maximum(y0, y1))
    horizontal = (right - left) >= (bottom - top)
    mid_y, mid_x = (top + bottom) / 2, (left + right) / 2  # (a rule is its middle line)
    top, bottom = np.where(horizontal, mid_y, top), np.where(horizontal, mid_y, bottom)
    left, right = np.where(horizontal, left, mid_x), np.where(horizontal, right, mid_x)
    keep = ~(np.maximum(right - left, bottom - top) < 1)
    cols = [v[keep].tolist() for v in (left, right, top, bottom, right - left, bottom - top)]
    return [{"object_type": "h_edge" if h else "v_edge", "orientation": "h" if h else "v",
             "x0": l, "x1": r, "top": t, "bottom": bt, "width": w, "height": ht}
            for h, l, r, t, bt, w, ht in zip(horizontal[keep].tolist(), *cols)]


def _edges_walked(px: list, py: list, kinds: list, closes: list, counts: list,
                  codes: tuple[int, int], to_display: ToDisplay) -> list[dict]:
    """`_edges_of` by walking the segments, path by path."""
    moveto, lineto = codes
    edges: list[dict] = []
    k = 0
    for count in counts:
        prev = start = None
        for _ in range(count):
            p = (px[k], py[k])
            if kinds[k] == moveto:
                start = p
            elif kinds[k] == lineto and prev is not None:
                _add(edges, prev, p, to_display)
            prev = p
            if closes[k] and start is not None:
                _add(edges, p, start, to_display)
            k += 1
    return edges


def _add(edges: list[dict], p, q, to_display: ToDisplay) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) > _AXIS_TOL and abs(x1 - x0) > _AXIS_TOL:
        return  # a slanted stroke is no rule
    left, top, right, bottom = to_display(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    horizontal = (right - left) >= (bottom - top)
    if horizontal:
        top = bottom = (top + bottom) / 2
    else:
        left = right = (left + right) / 2
    if max(right - left, bottom - top) < 1:
        return
    edges.append({"object_type": "h_edge" if horizontal else "v_edge",
                  "orientation": "h" if horizontal else "v",
                  "x0": left, "x1": right, "top": top, "bottom": bottom,
                  "width": right - left, "height": bottom - top})


def open_ends(edges: list[dict]) -> list[float]:
    """Where column rules stop with no rule across: the cut edge of a row broken across
    pages (the generator drew no border there). Closing it keeps the row a row.

    Engines that draw borders per cell or per row end a column rule at every row line,
    also beside a rowspan cell (a status group's header), where no rule crosses: there
    a segment of the same column rule goes on from the end, and a rule crosses the
    other columns at that height. Such an end is no cut. (A row cut by the page break
    and continued on the next page may also start with column rules and no rule across
    at all: that is a cut.)

    >>> v = lambda x, t, b: {"orientation": "v", "x0": x, "x1": x, "top": t, "bottom": b}
    >>> h = lambda y, a, b: {"orientation": "h", "x0": a, "x1": b, "top": y, "bottom": y}
    >>> per_row = [h(10, 0, 100), v(0, 10, 30), v(0, 30, 60), v(100, 10, 30), v(100, 30, 60),
    ...            h(60, 0, 100), v(0, 60, 90), v(100, 60, 90)]
    >>> open_ends(per_row)  # rules go on at 30 (a rowspan), stop at 90 (the page cut)
    [30.0, 90.0]
    >>> open_ends(per_row + [h(30, 60, 100)])  # … a rule across the other columns at 30
    [90.0]
    """
    import numpy as np

    horiz = [e for e in edges if e["orientation"] == "h"]
    vert = [e for e in edges if e["orientation"] == "v"]
    if not vert:
        return []
    h = np.array([(e["top"], e["x0"], e["x1"]) for e in horiz], float).reshape(-1, 3)
    v = np.array([(e["x0"], e["top"], e["bottom"]) for e in vert], float)
    ends: set[float] = set()
    # both ends of every column rule, a block of them at a time against all the rules
    # (pages of per-cell borders hold a thousand)
    long = np.flatnonzero(v[:, 2] - v[:, 1] >= 5)
    rule = np.concatenate((long, long))
    end_y = np.concatenate((v[long, 1], v[long, 2]))
    for a in range(0, len(rule), 256):
        k, y = rule[a:a + 256], end_y[a:a + 256, None]
        x = v[k, 0][:, None]
        level = np.abs(h[:, 0] - y) <= 2
        crossed = (level & (h[:, 1] - 2 <= x) & (x <= h[:, 2] + 2)).any(axis=1)
        # a rule crosses here; or beside a rowspan: the rule goes on, others cross here
        # (asked only of the ends no rule crosses and some rule is level with: few)
        kept = ~crossed
        beside = np.flatnonzero(kept & level.any(axis=1))
        if len(beside):
            kk, yy, xx = k[beside], y[beside], x[beside]
            top, bottom = v[kk, 1][:, None], v[kk, 2][:, None]
            same = (np.abs(v[:, 0] - xx) <= 2) & (v[:, 1] - 2 <= yy) & (yy <= v[:, 2] + 2) \
                & ((v[:, 1] < top - 2) | (v[:, 2] > bottom + 2))
            same[np.arange(len(kk)), kk] = False
            kept[beside] = ~same.any(axis=1)
        ends.update(round(float(e), 1) for e in y[kept, 0].tolist())
    return sorted(ends)


class _Bounds:
    """All pdfplumber's TableFinder reads of a page when every edge is explicit."""

    def __init__(self, width: float, height: float) -> None:
        self.bbox = (0.0, 0.0, width, height)


@functools.cache
def _finder_class():
    """pdfplumber's `TableFinder` with its cells found from the intersections as it finds
    them (the smallest cell right and below each corner), but each corner's edges made
    into sets once, not on every test: most of the finder's time on a page of per-cell
    borders (Chromium, WeasyPrint)."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, \
        edges_to_intersections

    class Finder(TableFinder):
        def __init__(self, page, settings) -> None:  # as TableFinder.__init__ (0.11)
            self.page = page
            self.settings = TableSettings.resolve(settings)
            self.edges = self.get_edges()
            self.intersections = edges_to_intersections(
                self.edges, self.settings.intersection_x_tolerance,
                self.settings.intersection_y_tolerance)
            self.cells = intersections_to_cells(self.intersections)
            self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]

    return Finder


def intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """`pdfplumber.table.intersections_to_cells`, the same cells in the same order: for
    each corner (in sorted order) the first corner below it and the first to its right
    (in sorted order) that an edge joins to it and whose fourth corner is joined to both.

    >>> e = lambda x0, top, x1, bottom: {"x0": x0, "top": top, "x1": x1, "bottom": bottom}
    >>> v0, v1, h0, h1 = e(0, 0, 0, 10), e(5, 0, 5, 10), e(0, 0, 5, 0), e(0, 10, 5, 10)
    >>> pts = {(0, 0): {"v": [v0], "h": [h0]}, (5, 0): {"v": [v1], "h": [h0]},
    ...        (0, 10): {"v": [v0], "h": [h1]}, (5, 10): {"v": [v1], "h": [h1]}}
    >>> intersections_to_cells(pts)
    [(0, 0, 5, 10)]
    """
    def boxes(edges) -> frozenset:
        return frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)

    return cells_of_corners({p: boxes(d["v"]) for p, d in intersections.items()},
                            {p: boxes(d["h"]) for p, d in intersections.items()})


def cells_of_corners(vert: dict, horiz: dict) -> list[tuple[float, float, float, float]]:
    """`intersections_to_cells` of the corners as each one's vertical and horizontal edge
    boxes (x0, top, x1, bottom): `vert[p]`, `horiz[p]` (sets), the same keys."""
    intersections = vert

    def connects(p, q) -> bool:
        return (p[0] == q[0] and not vert[p].isdisjoint(vert[q])) or \
            (p[1] == q[1] and not horiz[p].isdisjoint(horiz[q]))

    points = sorted(intersections)
    # the corners after each one in sorted order on its vertical (below) and its
    # horizontal (right), in sorted order
    same_x: dict[float, list] = {}
    same_y: dict[float, list] = {}
    for pt in points:
        same_x.setdefault(pt[0], []).append(pt)
        same_y.setdefault(pt[1], []).append(pt)
    at_x = {pt: k for group in same_x.values() for k, pt in enumerate(group)}
    at_y = {pt: k for group in same_y.values() for k, pt in enumerate(group)}
    cells = []
    for pt in points[:-1]:
        below = same_x[pt[0]][at_x[pt] + 1:]
        right = same_y[pt[1]][at_y[pt] + 1:]
        # (`connects(pt, q)` written out for the corners below and right: most of the
        # tests, and a call each costs as much as the test)
        x, y = pt
        pv, ph = vert[pt], horiz[pt]
        cell = None
        for below_pt in below:
            if not ((x == below_pt[0] and not pv.isdisjoint(vert[below_pt]))
                    or (y == below_pt[1] and not ph.isdisjoint(horiz[below_pt]))):
                continue
            for right_pt in right:
                if not ((x == right_pt[0] and not pv.isdisjoint(vert[right_pt]))
                        or (y == right_pt[1] and not ph.isdisjoint(horiz[right_pt]))):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) \
                        and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def ruled_grids(edges: list[dict], width: float, height: float, tolerance: float = 3.0,
                close_open_ends: bool = True) -> tuple[list[Grid], list[float]]:
    """Ruled tables (cell boxes) from a page's edges, and the open ends found.
    `tolerance` (points) is how far rule ends may miss each other: 3 is pdfplumber's
    default for drawn rules; rules found in a scan's pixels need more."""
    ends = open_ends(edges) if close_open_ends else []
    v = [e for e in edges if e["orientation"] == "v"]
    h = [e for e in edges if e["orientation"] == "h"]
    if ends and v:  # close open ends across the columns that stop there
        x0, x1 = min(e["x0"] for e in v), max(e["x1"] for e in v)
        h += [{"object_type": "h_edge", "orientation": "h", "x0": x0, "x1": x1, "top": y,
               "bottom": y, "width": x1 - x0, "height": 0.0} for y in ends]
    if len(v) < 2 or len(h) < 2:
        return [], ends
    tables = table_rows(v, h, tolerance)  # (pdfplumber's finder's tables, as plain tuples)
    if tables is None:
        finder = _finder_class()(_Bounds(width, height), {
            "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
            "explicit_vertical_lines": v, "explicit_horizontal_lines": h,
            "snap_tolerance": tolerance, "join_tolerance": tolerance,
            "intersection_tolerance": tolerance})
        tables = [[list(r.cells) for r in t.rows] for t in finder.tables]
    grids = []
    for table in tables:
        for rows in split_by_columns(table):
            if max((sum(c is not None for c in r) for r in rows), default=0) >= 2:
                grids.append(Grid(rows))  # (a lone framed box is no table)
    return grids, ends


def _near(x: float, xs: set[float], tol: float = 2.0) -> bool:
    return x in xs or any(abs(x - y) <= tol for y in xs)  # (mostly: the same line)


def split_by_columns(rows: list[list]) -> list[list[list]]:
    """Tables drawn one under the other with no gap come out of the finder as one, their
    columns merged (the rest of a row broken by the page break, then the next table):
    a row whose column lines the rows above lack, while it lacks some of theirs within
    its own width, starts a table of its own. (A merged cell only lacks lines, and the
    sub-headers under a group cover part of the width: a two-level header stays.) Each
    part keeps the columns it uses.

    >>> a = [(0, 0, 50, 10), (50, 0, 100, 10)]
    >>> b = [(0, 10, 30, 20), None, (30, 10, 100, 20)]
    >>> [len(t) for t in split_by_columns([a + [None], b])]
    [1, 1]
    """
    parts: list[list[list]] = []
    seen: set[float] = set()
    for row in rows:
        xs = {round(v, 1) for c in row if c is not None for v in (c[0], c[2])}
        if not xs:
            continue
        lo, hi = min(xs), max(xs)  # a row under rowspan cells covers part of the width
        extra = any(not _near(x, seen) for x in xs)
        if parts and extra and any(lo + 2 < x < hi - 2 and not _near(x, xs) for x in seen):
            parts.append([row])
            seen = set(xs)
        else:
            if not parts:
                parts.append([])
            parts[-1].append(row)
            seen |= xs
    out = []
    for part in parts:
        used = [c for c in range(max(len(r) for r in part))
                if any(c < len(r) and r[c] is not None for r in part)]
        out.append([[r[c] if c < len(r) else None for c in used] for r in part])
    return out
