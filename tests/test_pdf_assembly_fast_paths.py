"""The page assembly's fast paths give what the plain computations they replaced give:
a table's glyphs sorted by cell then centre against `np.lexsort`, a run's column starts
and `aligned`'s count in loops against `any` over generators (a start added while the
line's segments are taken counts for the later ones, as `list.extend` over a generator
reading the list had it), a cleaned text memoised against `clean_text` itself.
(Speed itself is `benchmarks/bench_pdf.py`'s.)"""
from __future__ import annotations

import random

import numpy as np

from extractor.model import Cell
from extractor.reading.readers.gutters import ALIGN, aligned
from extractor.reading.readers.sorting import by_key_then
from extractor.reading.readers.unruled import _Run, _take
from normalizers.text import clean_text


def test_key_then_centre_sort_is_lexsort():
    rng = np.random.default_rng(11)
    for n in (0, 1, 2, 7, 400):
        for top in (3, 40, 1 << 15, 1 << 20):  # (keys past 15 bits: lexsort itself)
            key = rng.integers(0, top, n)
            x = rng.integers(0, 12, n) * 2.5  # many ties within a key: their order kept
            assert by_key_then(key, x).tolist() == np.lexsort((x, key)).tolist()


def _plain_aligned(segs, starts):
    return sum(any(abs(s0 - x) <= ALIGN for x in starts) for s0, _ in segs)


def test_aligned_in_loops_is_the_generator_count():
    rnd = random.Random(5)
    for _ in range(300):
        segs = [(rnd.uniform(0, 60), 0.0) for _ in range(rnd.randint(0, 6))]
        starts = [rnd.uniform(0, 60) for _ in range(rnd.randint(0, 6))]
        assert aligned(segs, starts) == _plain_aligned(segs, starts)


def test_take_in_loops_is_extend_over_the_generator():
    rnd = random.Random(9)
    for _ in range(300):
        starts = [rnd.uniform(0, 40) for _ in range(rnd.randint(0, 4))]
        line = sorted((x, x + 1.0) for x in (rnd.uniform(0, 40) for _ in range(rnd.randint(1, 6))))
        run = _Run([0], [], 0.0, 1.0, list(starts))
        _take(run, 1, {1: line}, [(1.0, 2.0)])
        plain = list(starts)
        plain.extend(s[0] for s in line if not any(abs(s[0] - x) <= ALIGN for x in plain))
        assert run.starts == plain and run.block == [0, 1] and run.free == [(1.0, 2.0)]
    # two segments within ALIGN of each other, neither near a start: the second is not
    # added (the first, just added, holds it)
    run = _Run([0], [], 0.0, 1.0, [0.0])
    _take(run, 1, {1: [(10.0, 11.0), (11.0, 12.0)]}, [])
    assert run.starts == [0.0, 10.0]


def test_cell_text_memoised_is_clean_text():
    raws = ["<p>-๐ ๒ ๔ ก า ร ดําเนินการ</p>\n<p>ตามนโยบาย</p>", "  \n ", "ผลการ  ดำเนินการ"]
    for raw in raws + raws:
        cell = Cell(raw, 1)
        assert cell.text == clean_text(raw)
        cell.raw = raw + " ก"  # (a reader rewrites raw: text follows)
        assert cell.text == clean_text(raw + " ก")
