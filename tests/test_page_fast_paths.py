"""The page assembly's fast paths give what the plain computations they replaced give:
cell boxes rounded as an array against `round`, letters of a ruled lattice placed by
binary search against the all-boxes test, a page's run lines made from the page pass's
boxes against each line's own cut, a line's first cell against its first run, the
header rows the page-break carry asks for against `read_layout`'s, line joins by the
last letter against the end-anchored patterns.
(Speed itself is `benchmarks/bench_pdf.py`'s.)"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from extractor.model import Cell
from extractor.reading.layout import header_span, read_layout
from extractor.reading.readers.gutters import gutter_of, page_segments
from extractor.reading.readers.grid_cells import cell_of_lattice, cell_of_points, round_tenths
from extractor.reading.readers.positioned import first_segment, group_lines, segment_lines

from .pdf_pages import page_glyphs as _page_glyphs

CORPUS = Path(__file__).parent / "pdfs" / "corpus"


def test_tenths_as_an_array_are_round():
    rng = np.random.default_rng(11)
    vals = np.concatenate([
        rng.random(20000) * 900, rng.random(5000) * 2 - 1,  # (negatives rounded to -0.0)
        np.arange(-400, 4000) / 20.0, np.arange(0, 4000) / 40.0,  # half-way: x.x5, quarters
        np.arange(0, 4000) * 0.15, [0.0, -0.0, 0.05, 0.15, 0.25, -0.05, 2.675, 1.005,
                                    -0.049999999999999996, 123456.25]])
    vals = np.concatenate([vals, np.nextafter(vals, np.inf), np.nextafter(vals, -np.inf)])
    got = round_tenths(vals)
    assert [repr(v) for v in got] == [repr(round(float(v), 1)) for v in vals]


def _lattice(rng, n_rows: int, n_cols: int, whole: bool):
    xs = np.sort(rng.random(n_cols + 1) * 500)
    ys = np.sort(rng.random(n_rows + 1) * 700)
    if whole:  # (edges on whole points: letters right on a border)
        xs, ys = np.round(xs), np.round(ys)
    boxes = np.array([(xs[c], ys[r], xs[c + 1], ys[r + 1])
                      for r in range(n_rows) for c in range(n_cols)], float)
    return xs, ys, boxes


def test_lattice_cells_by_binary_search_are_the_all_boxes_test():
    rng = np.random.default_rng(5)
    for trial in range(400):
        n_rows, n_cols = int(rng.integers(1, 10)), int(rng.integers(1, 7))
        xs, ys, boxes = _lattice(rng, n_rows, n_cols, trial % 2 == 0)
        near = np.concatenate([xs, xs + 1.0, xs - 1.0, xs + 1.0000001])
        cx = np.concatenate([rng.random(200) * 540 - 20, near])
        cy = np.concatenate([rng.random(200) * 740 - 20, rng.choice(ys, len(near)) + rng.choice(
            [-1.0, 0.0, 1.0, 1.5], len(near))])
        got = cell_of_lattice(cx, cy, boxes, n_rows, n_cols, 1.0)
        assert got is not None
        assert got.tolist() == cell_of_points(cx, cy, boxes, 1.0).tolist()
    # not a lattice: a merged cell (a box left out), a row's own edges, columns out of order
    xs, ys, boxes = _lattice(rng, 3, 3, True)
    assert cell_of_lattice(np.zeros(1), np.zeros(1), boxes[:-1], 3, 3, 1.0) is None
    odd = boxes.copy()
    odd[4, 0] += 2.0
    assert cell_of_lattice(np.zeros(1), np.zeros(1), odd, 3, 3, 1.0) is None
    assert cell_of_lattice(np.zeros(1), np.zeros(1), boxes[::-1].copy(), 3, 3, 1.0) is None


@pytest.mark.parametrize("name", ["c02_banphraek__chromium-laksaman-ruled.pdf",
                                  "c04_thangiw__docx-loma-unruled.pdf"])
def test_run_lines_from_the_page_pass_are_each_lines_cut(name):
    g = _page_glyphs(CORPUS / name)
    fast, plain = group_lines(g), group_lines(g)
    page_segments(fast)
    assert sum(l.cut_boxes is not None for l in fast) >= 3  # (a page with columns)
    for f, p in zip(fast, plain):
        gut = gutter_of(p)
        x0, x1, text = first_segment(f, gut)
        want = segment_lines(p, gut)
        assert (x0, x1, text) == (want[0].x0, want[0].x1, want[0].text)
        got = segment_lines(f, gut)
        assert [(s.x0, s.top, s.x1, s.bottom, s.text, s.idx.tolist(), s.gaps.tolist())
                for s in got] == [(s.x0, s.top, s.x1, s.bottom, s.text, s.idx.tolist(),
                                   s.gaps.tolist()) for s in want]


def test_the_header_span_is_the_layouts_header():
    c = lambda *t: [Cell(x, 1) for x in t]  # noqa: E731
    tables = [
        [c("ลำดับ", "มาตรการ", "ระยะเวลา", "ผู้รับผิดชอบ"), c("1", "ประกาศ", "ต.ค. 66", "สำนักปลัด")],
        [c("ข้อ", "รายการ", "ร้อยละ"), c("O1", "โครงสร้าง", "50"), c("O2", "ข้อมูลผู้บริหาร", "100%")],
        [c("ผลการดำเนินงาน", "", ""), c("มาตรการ", "สถานะ", ""), c("", "ยังไม่", "แล้ว")],
        [c("๑", "ประกาศเจตนารมณ์", "ดำเนินการแล้ว")],
    ]
    found = 0
    for rows in tables:
        layout, n = read_layout(rows)
        span = header_span(rows)
        assert (span is None, span[1] if span else 0) == (layout is None, n)
        found += span is not None
    assert found == 2


def _plain_join(texts: list[str]) -> str:
    """`join_lines` as it was: the end-anchored patterns on the end of the text."""
    from extractor.reading.readers import positioned as pos
    texts = [t for t in texts if t]
    if len(texts) == 1:
        return texts[0]
    out = ""
    for t in texts:
        end = out[-13:]
        if out and not (pos._NO_BREAK_AFTER.search(end) or pos._NO_BREAK_BEFORE.match(t)):
            tail, head = pos._THAI_TAIL.search(end), pos._THAI_HEAD.match(t)
            if not (tail and head and pos._inside_word(tail.group(), head.group())):
                out += " "
        out += t
    return out


def test_line_joins_by_last_letter_are_the_patterns():
    import random
    from extractor.reading.readers.positioned import join_lines
    rng = random.Random(1)
    alphabet = list("กขคงจำเแโใไะาิีุู่้็์ๅ๐๑ ab1\n.()") + [
        "ระยะเวลา", "ดำเนินการ", "จังหวัด", "สันป่าตอง", "ผล", "การ", "ระยะเวลาด", "ำเนิน"]
    for _ in range(4000):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
                 for _ in range(rng.randint(0, 4))]
        assert join_lines(texts) == _plain_join(texts), texts


def test_column_of_is_the_first_border_beyond():
    import random
    from extractor.reading.readers.gutters import column_of
    rng = random.Random(2)
    for _ in range(20000):
        bounds = [rng.choice([rng.random() * 100, 10.0, 20.0]) for _ in range(rng.randint(0, 6))]
        if rng.random() < 0.5:
            bounds.sort()
        seg = (rng.random() * 100, rng.random() * 100)
        c = (seg[0] + seg[1]) / 2
        want = next((i for i in range(len(bounds) - 1) if c < bounds[i + 1]), len(bounds) - 2)
        assert column_of(seg, bounds) == want


def test_key_range_by_one_reduction_is_min_and_max():
    from extractor.reading.readers.sorting import _fits
    rng = np.random.default_rng(4)
    for _ in range(3000):
        bits = int(rng.integers(1, 30))
        k = rng.integers(-(1 << 31), 1 << 31, int(rng.integers(0, 6))) >> int(rng.integers(0, 32))
        assert _fits(k, bits) == (len(k) == 0 or bool(k.min() >= 0 and k.max() < (1 << bits)))
