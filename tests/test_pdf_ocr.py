"""Scanned pages (issue 4): image-only PDFs go through tesseract's Thai model.

The OCR tests need `tesseract` with the `tha` model (Debian tesseract-ocr, tesseract-ocr-tha;
`make test` installs them) and skip with that reason otherwise. They read one committed
one-page scan, and one seed-layout report scanned at test time (three pages).
"""
import shutil

import duckdb
import numpy as np
import pytest

from extractor.ingest import ingest
from extractor.pipeline import extract_report
from extractor.readers import ocr
from extractor.readers.pdf import read_pdf

from .conftest import GOLD, SEEDS, needs_shared, score_dataset
from .test_pdf_reader import PDFS

needs_tesseract = pytest.mark.skipif(
    "tha" not in ocr.tesseract_langs(),
    reason="tesseract with the Thai model is not installed (apt-get install tesseract-ocr "
           "tesseract-ocr-tha; `make test` does it)")
SCAN = PDFS / "sample_markdown_indicators__scan.pdf"


def test_the_scan_fixture_has_no_text_layer():
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(SCAN))
    assert len(pdf) == 1 and pdf[0].get_textpage().count_chars() == 0


def test_grid_of_a_ruled_table_is_found_in_pixels():
    """Three rows by four columns of 2-pixel rules, slightly skewed, plus text-like
    specks that must not count as rules."""
    img = np.full((700, 1000), 255, dtype=np.uint8)
    for y in (100, 250, 400, 600):
        for x in range(100, 901):
            img[y + x // 400: y + x // 400 + 2, x] = 0  # 2 px drift over the width
    for x in (100, 300, 500, 700, 900):
        img[100:603, x:x + 2] = 0
    img[300:310, 150:190] = 0  # a blot of "text"
    scale = 200 / 72
    dark = img < ocr._otsu(img)
    h, v = ocr._rules(dark, scale)
    edges = [ocr._edge(*s, "h", scale) for s in ocr._segments(h, axis=1)]
    edges += [ocr._edge(*s, "v", scale) for s in ocr._segments(v, axis=0)]
    grids, _ = ocr.ruled_grids(edges, 1000 / scale, 700 / scale, tolerance=4.0,
                               close_open_ends=False)
    assert len(grids) == 1
    assert [len(r) for r in grids[0].rows] == [4, 4, 4]


def test_time_limit_leaves_the_page_unread_with_a_warning(monkeypatch):
    import extractor.readers.pdf as reader
    monkeypatch.setattr(reader, "OCR_TIMEOUT_S", 0.0)
    report = extract_report(SCAN)
    assert report.status == "empty" and not report.ocr_used
    assert any("time limit" in w for w in report.warnings)


def test_broken_text_layer_is_flagged(tmp_path):
    """Thai typed in a legacy 8-bit font reads as Latin-1: the page goes to OCR."""
    from reportlab.pdfgen import canvas
    from tests.fixtures.make_pdfs import font_files

    if font_files() is None:
        pytest.skip("fonts-dejavu-core not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("DejaVu-Test", str(font_files()["symbol"])))
    f = tmp_path / "legacy.pdf"
    c = canvas.Canvas(str(f))
    c.setFont("DejaVu-Test", 14)
    for k in range(8):
        c.drawString(72, 750 - 20 * k, "ÃÒÂ§Ò¹¼Å¡ÒÃ´Óà¹Ô¹¡ÒÃ »ÃÐ¨Ó»Õ§º»ÃÐÁÒ³")
    c.save()
    doc = read_pdf(f, ocr=False)
    assert not doc.blocks and any("looks broken" in w for w in doc.warnings)


@needs_tesseract
def test_a_scanned_page_is_read_end_to_end():
    report = extract_report(SCAN)
    assert report.status == "ok" and report.ocr_used and report.format == "pdf"
    assert any("read by OCR" in w for w in report.warnings)
    assert report.fiscal_year_be == 2567
    assert len(report.measures) >= 2
    first = report.measures[0]
    assert first.indicator_no == 1 and first.section == "IIT" and first.page == 1
    assert "คู่มือ" in (first.method or "")


@needs_shared
@needs_tesseract
def test_scanned_seed_report_through_ocr(tmp_path):
    """A seed-layout report rendered, then scanned (image only, 200 dpi, a slight skew):
    measures come back through OCR with measure_f1 >= 0.5, ocr_used on the report."""
    from tests.fixtures.make_pdfs import font_files, image_only, render_report

    if font_files() is None:
        pytest.skip("Thai fonts not installed (fonts-tlwg-laksaman-ttf, fonts-dejavu-core)")
    seed = SEEDS / "000_93688901ef3ad390.txt"
    born = render_report(seed.read_text("utf-8"), tmp_path / "born.pdf", font_size=10)
    folder = tmp_path / "in"
    folder.mkdir()
    image_only(born, folder / f"{seed.stem}__scan.pdf", dpi=200)
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(GOLD / f"{seed.stem}.json", gold)
    ingest([folder], tmp_path / "ds")
    (ocr_used, warnings), = duckdb.sql(
        f"select ocr_used, warnings from read_parquet('{tmp_path}/ds/reports/**/*.parquet', "
        "hive_partitioning=true)").fetchall()
    assert ocr_used and any("OCR" in w for w in warnings)
    score = score_dataset(gold, tmp_path / "ds")
    print(f"\n[scan {seed.stem}] {score}")
    assert score["measure_f1"] >= 0.5, score
