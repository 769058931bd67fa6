"""Unruled tables whose rows break over pages, as Chromium, WeasyPrint and LibreOffice
print them (issue 10's held-out case): the rest of a row at the top of the next page —
under the header printed again, or with no header and text in a few columns only —
joins its row; a cell moved whole to the next page (widows) still belongs to it; a row
that leaves its indicator cell empty is a row of its own, under the same indicator.

tests/pdfs/breaks/ holds reports written for the project in new wording
(tests/fixtures/corpus_breaks.py), each with its gold `<report>.json`. About 3 s.
"""
import shutil
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from extractor.batch.ingest import ingest

from . import corpus_scoring

BREAKS = Path(__file__).resolve().parent / "pdfs" / "breaks"
PDFS = sorted(BREAKS.glob("*.pdf"))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for p in PDFS:
        shutil.copy(p, folder)
    out = tmp_path_factory.mktemp("ds")
    summary = ingest([folder], out)
    assert summary.failed == 0
    return corpus_scoring.load(str(out), "measures"), corpus_scoring.load(str(out), "reports")


def _score(dataset, keep):
    measures, reports = dataset
    return corpus_scoring.score(str(BREAKS), measures, reports, keep)


def test_every_producer_breaks_rows_over_pages():
    names = [p.name for p in PDFS]
    for engine in ("chromium", "weasyprint", "docx", "odt"):
        assert any(f"__{engine}-" in n for n in names), engine


def test_rows_broken_over_pages_are_read_whole(dataset):
    s = _score(dataset, lambda src: True)
    print(f"\n[breaks] {s}")
    assert s.measure_f1 >= 0.95 and s.doc_acc >= 0.95, (str(s), s.wrong[:10])


@pytest.mark.parametrize("engine", ["chromium", "weasyprint", "docx"])
def test_the_rest_of_a_row_joins_it(dataset, engine):
    """c12: the steps of measures 2 and 4 run on to the next page (under the header
    printed again, or with the period cell moved whole); each field of every row is
    the gold's."""
    s = _score(dataset, lambda src: src.startswith("c12_") and f"__{engine}-" in src)
    print(f"\n[breaks c12 {engine}] {s}")
    assert s.measure_f1 == 1.0 and s.field_acc >= 0.95, (str(s), s.wrong[:10])
    measures, _ = dataset
    row2 = next(m for m in measures if m["source_file"].startswith("c12_")
                and f"__{engine}-" in m["source_file"] and "สินบน" in (m["measure"] or ""))
    assert row2["method"].replace(" ", "").endswith("ตรงถึงปลัดองค์การบริหารส่วนตำบล")


def test_an_empty_indicator_cell_under_a_row_is_a_row_of_its_own(dataset):
    """c11: indicator 2 has two rows, the second with its indicator cell left empty; rows
    padded apart, steps running over pages."""
    measures, _ = dataset
    rows = [m for m in measures if m["source_file"].startswith("c11_")]
    assert [m["indicator_no"] for m in rows] == [1, 2, 2, 3]
    second = rows[2]
    assert fuzz.ratio(second["responsible"] or "", "หน่วยตรวจสอบภายใน") >= 90
    assert "สุ่มตรวจเอกสาร" in (second["method"] or "") and "สุ่มตรวจเอกสาร" not in (rows[1]["method"] or "")


@pytest.mark.parametrize("engine", ["chromium", "weasyprint"])
def test_a_year_cut_by_a_narrow_column_is_read_whole(dataset, engine):
    """c13: "ปีงบประมาณ ๒๕๖๘" in a column a year is wider than — "๒๕" / "๖๘" on two lines,
    the last at the page's foot, where a page number would be."""
    measures, _ = dataset
    rows = [m for m in measures if m["source_file"].startswith("c13_") and f"__{engine}-" in m["source_file"]]
    assert len(rows) == 2
    for m in rows:
        assert m["period_text"].replace(" ", "") == "ปีงบประมาณ2568", m["period_text"]
        assert str(m["period_start"])[:10] == "2024-10-01" and str(m["period_end"])[:10] == "2025-09-30"


def test_a_hyphen_ending_a_line_in_a_narrow_column_stays():
    """pdfium reports a drawn "-" that ends a line ("E-" / "Service", Chromium's narrow
    columns) as U+FFFE: kept as the hyphen it is when its glyph has a box."""
    import numpy as np

    from extractor.reading.readers.glyphs import _drawn_hyphens
    boxes = np.array([[0, 0, 5, 10], [5, 0, 8, 10], [0, 12, 5, 22], [0, 0, 0, 0]], float)
    assert _drawn_hyphens("E\ufffeS\ufffe", boxes) == "E-S\ufffe"  # (no box: skipped later)
