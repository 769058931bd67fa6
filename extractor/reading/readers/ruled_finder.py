"""pdfplumber's table finder on explicit edges, without an object per edge and step.

`pdf_rules.ruled_grids` wants what pdfplumber's `TableFinder` makes of a page's rules
(explicit edges): edges snapped to their cluster's mean and joined, short ones dropped,
their intersections, the cells between them, the tables those cells form and each
table's rows. pdfplumber builds a new dict for every edge at every step (snap, join) and
tests every vertical rule against every horizontal one in Python: most of the ruled-grid
time on a page of per-cell borders. Here the same steps run on tuples of the edges'
coordinates, in the same order and with the same arithmetic (so the same floats), the
intersections are tested as arrays, and the tables are the cells joined by a shared
corner — which is what pdfplumber's grouping finds. `tests/test_pdf_rules.py` compares
the rows with pdfplumber's on real pages and random rules.
"""
from __future__ import annotations

import itertools

import numpy as np

EDGE_MIN_LENGTH = 3  # pdfplumber's `edge_min_length` (TableSettings' default)


def table_rows(v_edges: list[dict], h_edges: list[dict], tolerance: float
               ) -> list[list[list[tuple | None]]] | None:
    """Each table's rows of cells (a cell's box, None where a merged cell covers), as
    `[list(r.cells) for r in t.rows]` for each of pdfplumber's tables; None for edges
    this does not read as pdfplumber does (not explicit edge dicts: the caller asks
    pdfplumber)."""
    if tolerance <= 0 or not all("_edge" in e["object_type"] for e in itertools.chain(
            v_edges, h_edges)):
        return None
    v = [(e["x0"], e["x1"], e["top"], e["bottom"], e["height"]) for e in v_edges
         if e["orientation"] == "v"]
    h = [(e["x0"], e["x1"], e["top"], e["bottom"], e["width"]) for e in h_edges
         if e["orientation"] == "h"]
    v = _join(_snap(v, 0, tolerance), True, tolerance)
    h = _join(_snap(h, 2, tolerance), False, tolerance)
    if v is None or h is None:
        return None
    v = [e for e in v if e[4] >= EDGE_MIN_LENGTH]
    h = [e for e in h if e[4] >= EDGE_MIN_LENGTH]
    from .pdf_rules import cells_of_corners  # (pdf_rules imports this module)
    cells = cells_of_corners(*_intersections(v, h, tolerance))
    return [_rows(t) for t in _tables(cells)]


def _snap(edges: list[tuple], at: int, tolerance: float) -> list[tuple]:
    """pdfplumber's `snap_objects`: edges whose position (`at`: x0 of a vertical, top of
    a horizontal) chains within `tolerance` of the next move to their cluster's mean, in
    cluster order, each cluster's edges in their order."""
    values = sorted(set(e[at] for e in edges))
    cluster: dict = {}
    k, last = -1, None
    for x in values:  # (pdfplumber's cluster_list: x within tolerance of the last one)
        if last is None or not x <= last + tolerance:
            k += 1
        cluster[x] = k
        last = x
    order = sorted(range(len(edges)), key=lambda i: cluster[edges[i][at]])
    out = []
    for _, members in itertools.groupby(order, key=lambda i: cluster[edges[i][at]]):
        members = [edges[i] for i in members]
        avg = sum(e[at] for e in members) / len(members)
        for e in members:
            d = avg - e[at]
            if at == 0:  # a vertical moves across: x0, x1
                out.append((e[0] + d, e[1] + d, e[2], e[3], e[4]))
            else:  # a horizontal moves down: top, bottom
                out.append((e[0], e[1], e[2] + d, e[3] + d, e[4]))
    return out


def _join(edges: list[tuple], vertical: bool, tolerance: float) -> list[tuple] | None:
    """pdfplumber's `merge_edges` after snapping: edges on one line (same x0 / top),
    sorted along it, joined where one starts within `tolerance` of the last one's end;
    a joined edge keeps the first one's start and takes the further end (its length as
    pdfplumber's `resize_object` computes it). None where pdfplumber would fail."""
    at, lo, hi = (0, 2, 3) if vertical else (2, 0, 1)
    out = []
    for _, group in itertools.groupby(sorted(edges, key=lambda e: e[at]), key=lambda e: e[at]):
        group = sorted(group, key=lambda e: e[lo])
        joined = [group[0]]
        for e in group[1:]:
            last = joined[-1]
            if e[lo] <= last[hi] + tolerance:
                if e[hi] > last[hi]:
                    if e[hi] < last[lo]:
                        return None  # (pdfplumber's assertion)
                    if vertical:  # bottom moves: height grows by the difference
                        joined[-1] = (last[0], last[1], last[2], e[3], last[4] + (e[3] - last[3]))
                    else:  # x1 moves: width from x0
                        joined[-1] = (last[0], e[1], last[2], last[3], e[1] - last[0])
            else:
                joined.append(e)
        out.extend(joined)
    return out


def _intersections(v: list[tuple], h: list[tuple], tolerance: float
                   ) -> tuple[dict, dict]:
    """pdfplumber's `edges_to_intersections`, as each corner's vertical and horizontal
    edge boxes (x0, top, x1, bottom): a vertical and a horizontal within `tolerance` of
    crossing meet at (the vertical's x0, the horizontal's top)."""
    vert: dict = {}
    horiz: dict = {}
    if not v or not h:
        return vert, horiz
    va = np.array([e[:4] for e in v], float)
    ha = np.array([e[:4] for e in h], float)
    vx, vt, vb = va[:, 0:1], va[:, 2:3], va[:, 3:4]
    hx0, hx1, ht = ha[:, 0], ha[:, 1], ha[:, 2]
    meet = (vt <= ht + tolerance) & (vb >= ht - tolerance) & (vx >= hx0 - tolerance) \
        & (vx <= hx1 + tolerance)
    for i, j in zip(*(a.tolist() for a in np.nonzero(meet))):
        ev, eh = v[i], h[j]
        p = (ev[0], eh[2])
        vert.setdefault(p, set()).add((ev[0], ev[2], ev[1], ev[3]))
        horiz.setdefault(p, set()).add((eh[0], eh[2], eh[1], eh[3]))
    return vert, horiz


def _tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's `cells_to_tables`: cells sharing a corner, transitively, are one
    table; tables of one cell dropped; tables in order of their top-left cell."""
    corners = [((x0, top), (x0, bottom), (x1, top), (x1, bottom))
               for x0, top, x1, bottom in cells]
    at: dict = {}
    for i, four in enumerate(corners):
        for c in four:
            at.setdefault(c, []).append(i)
    seen = [False] * len(cells)
    groups: dict[int, list] = {}
    for i in range(len(cells)):  # (each table found from a cell of it, corner by corner)
        if seen[i]:
            continue
        seen[i] = True
        todo, group = [i], groups.setdefault(i, [])
        while todo:
            k = todo.pop()
            group.append(cells[k])
            for c in corners[k]:
                for j in at[c]:
                    if not seen[j]:
                        seen[j] = True
                        todo.append(j)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[tuple]) -> list[list[tuple | None]]:
    """pdfplumber's `Table.rows`: cells by top, then x0; each row across the table's
    distinct x0s (None where no cell starts)."""
    xs = sorted(set(c[0] for c in cells))
    rows = []
    for _, row in itertools.groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        at = {c[0]: c for c in row}
        rows.append([at.get(x) for x in xs])
    return rows
