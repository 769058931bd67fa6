"""The ruled-table finder's own cell search (`pdf_rules.intersections_to_cells`) finds
the cells pdfplumber's does, in the same order, on real pages of per-cell and per-table
borders (Chromium, WeasyPrint, LibreOffice) and on edges with near misses. About 1 s."""
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfplumber.table import TableFinder, intersections_to_cells as plumber_cells

from extractor.reading.readers.pdf import _to_display
from extractor.reading.readers.pdf_rules import _Bounds, intersections_to_cells, page_edges

CORPUS = Path(__file__).resolve().parent / "pdfs" / "corpus"
RULED = sorted(p for p in CORPUS.glob("*-ruled.pdf") if "__damaged-" not in p.name)


def _ruled_pages(files):
    """(file, the page's edges as the reader finds them, its displayed size) of every page."""
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                try:
                    yield f, page_edges(page, _to_display(page)), page.get_size()
                finally:
                    page.close()
        finally:
            pdf.close()


def _intersections(edges, width, height, tol=3.0):
    v = [e for e in edges if e["orientation"] == "v"]
    h = [e for e in edges if e["orientation"] == "h"]
    finder = TableFinder(_Bounds(width, height), {
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v, "explicit_horizontal_lines": h,
        "snap_tolerance": tol, "join_tolerance": tol, "intersection_tolerance": tol})
    return finder.intersections


@pytest.mark.parametrize("engine", ["chromium", "weasyprint", "docx", "odt"])
def test_cells_as_pdfplumber_finds_them(engine):
    files = [p for p in RULED if f"__{engine}-" in p.name][:2]
    assert files
    compared = 0
    for _, edges, (width, height) in _ruled_pages(files):
        if len([e for e in edges if e["orientation"] == "v"]) < 2:
            continue
        points = _intersections(edges, width, height)
        ours = intersections_to_cells(points)
        assert ours == plumber_cells(points)
        compared += len(ours)
    assert compared > 10  # real tables were compared


def test_cells_with_broken_and_extra_rules():
    """A grid with a rule missing between two cells (a merged cell), a rule that stops
    short, and a stray tick: the same cells either way."""
    e = lambda x0, top, x1, bottom, o: {"x0": x0, "top": top, "x1": x1, "bottom": bottom,
                                        "orientation": o, "object_type": o + "_edge", "width": x1 - x0,
                                        "height": bottom - top}
    edges = [e(0, 0, 90, 0, "h"), e(0, 20, 60, 20, "h"), e(0, 40, 90, 40, "h"),
             e(30, 30, 90, 30, "h"), e(0, 0, 0, 40, "v"), e(30, 0, 30, 40, "v"),
             e(60, 0, 60, 40, "v"), e(90, 0, 90, 40, "v"), e(45, 38, 45, 42, "v")]
    points = _intersections(edges, 100, 100)
    assert intersections_to_cells(points) == plumber_cells(points)
    assert len(plumber_cells(points)) >= 4


def _plumber_rows(edges, tol=3.0):
    """pdfplumber's own finder (its cells search included): each table's rows."""
    v = [e for e in edges if e["orientation"] == "v"]
    h = [e for e in edges if e["orientation"] == "h"]
    if len(v) < 2 or len(h) < 2:
        return None, v, h
    finder = TableFinder(_Bounds(1000, 1000), {
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v, "explicit_horizontal_lines": h,
        "snap_tolerance": tol, "join_tolerance": tol, "intersection_tolerance": tol})
    return [[list(r.cells) for r in t.rows] for t in finder.tables], v, h


def test_tables_as_pdfplumbers_finder_makes_them():
    """`ruled_finder.table_rows` (snap, join, intersections, cells, tables, rows on plain
    tuples) gives pdfplumber's finder's rows on every ruled corpus page, and on random
    rules that near-miss, overlap, repeat and chain within the tolerance."""
    import random

    from extractor.reading.readers.ruled_finder import table_rows

    compared = 0
    for f, edges, _ in _ruled_pages(RULED):
        want, v, h = _plumber_rows(edges)
        if len(v) >= 2 and len(h) >= 2:
            assert table_rows(v, h, 3.0) == want, f.name
            compared += sum(len(t) for t in want)
    assert compared > 100
    rng = random.Random(4)
    for _ in range(150):
        edges = []
        for _ in range(rng.randint(2, 40)):
            o = rng.choice("hv")
            at = rng.choice([10, 40, 41.5, 70, 72.9, 100]) + rng.choice([0, 0, 0.3, 1.7, 2.9])
            a = rng.choice([0, 10, 38, 40, 70, 71]) + rng.random() * 3
            b = a + rng.choice([1, 2.5, 30, 60, 90]) + rng.random()
            x0, top, x1, bottom = (a, at, b, at) if o == "h" else (at, a, at, b)
            edges.append({"object_type": o + "_edge", "orientation": o, "x0": x0, "x1": x1,
                          "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top})
        for tol in (3.0, 4.5):
            want, v, h = _plumber_rows(edges, tol)
            if len(v) >= 2 and len(h) >= 2:
                assert table_rows(v, h, tol) == want, edges
