"""Scanned pages (issue 4): image-only PDFs go through tesseract's Thai model.

The OCR tests need `tesseract` with the `tha` model (Debian tesseract-ocr, tesseract-ocr-tha;
`make test` installs them) and skip with that reason otherwise. They read one committed
one-page scan, and one seed-layout report scanned at test time (three pages).
"""
import shutil

import duckdb
import numpy as np
import pytest

from extractor.batch.ingest import ingest
from extractor.reading.pipeline import extract_report
from extractor.reading.readers import ocr
from extractor.reading.readers.pdf import read_pdf

from .conftest import GOLD, SEEDS, needs_shared, score_dataset
from .test_pdf_reader import PDFS

needs_tesseract = pytest.mark.skipif(
    "tha" not in ocr.tesseract_langs(),
    reason="tesseract with the Thai model is not installed (apt-get install tesseract-ocr "
           "tesseract-ocr-tha; `make test` does it)")
SCAN = PDFS / "sample_markdown_indicators__scan.pdf"
STATUS_SCAN = PDFS / "sample_tsv_plan_status__scan.pdf"


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
    from extractor.reading.readers.scan_rules import find_grids, ink_threshold

    scale = 200 / 72
    grids, cuts, _, _ = find_grids(img < ink_threshold(img), scale)
    assert len(grids) == 1 and not cuts
    assert [len(r) for r in grids[0].rows] == [4, 4, 4]


def test_time_limit_leaves_the_page_unread_with_a_warning(monkeypatch):
    import extractor.reading.readers.pdf as reader
    monkeypatch.setattr(reader, "OCR_TIMEOUT_S", 0.0)
    report = extract_report(SCAN)
    assert report.status == "empty" and not report.ocr_used
    assert any(n.kind == "page_not_read" and "time limit" in n.message for n in report.notes)


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
    assert not doc.blocks and any("looks broken" in n.message for n in doc.notes)
    assert [p.method for p in doc.page_sources] == ["none"]


@needs_tesseract
def test_a_scanned_page_is_read_end_to_end():
    report = extract_report(SCAN)
    assert report.status == "ok" and report.ocr_used and report.format == "pdf"
    assert any(n.kind == "page_ocr" for n in report.notes)
    assert {p.method for p in report.page_sources} == {"ocr"}
    assert report.fiscal_year_be == 2567
    assert len(report.measures) >= 2
    first = report.measures[0]
    assert first.indicator_no == 1 and first.section == "IIT" and first.page == 1
    assert "คู่มือ" in (first.method or "")
    # ☑/☐ groups in the result cells: read from the pixels, not from tesseract
    assert {"completed", "in_progress"} <= {m.status for m in report.measures}


def _tick(img: np.ndarray, x: int, y: int) -> None:
    """A 14 × 15 pixel tick (✓ as DejaVu draws it at 10 pt, 200 dpi) at x, y."""
    for k in range(11):
        img[y + k, x + 13 - k:x + 16 - k] = True
    img[y + 8:y + 15, x:x + 3] = True


def test_ticks_and_boxes_are_found_in_pixels():
    """A tick alone at the start of a table column is ✓; a square outline is ☑ with ink
    inside and ☐ without; a letter-like blob, a dash, and a tick-shaped blob inside a
    word or outside any table are not marks."""
    from extractor.reading.readers.marks import find_marks

    scale = 200 / 72
    ink = np.zeros((400, 700), dtype=bool)
    vert = np.zeros_like(ink)
    vert[:, [100, 300, 500]] = True  # three columns' rules (taken out of `ink` already)
    _tick(ink, 120, 50)                      # a ticked status cell
    ink[100:102, 120:128] = True             # "-": an empty status cell
    ink[150:168, 120:122] = ink[150:168, 130:132] = ink[150:152, 120:132] = True  # a letter
    for x0, top, filled in ((320, 50, True), (420, 50, False)):  # ☑ and ☐
        ink[top:top + 21, x0:x0 + 2] = ink[top:top + 21, x0 + 19:x0 + 21] = True
        ink[top:top + 2, x0:x0 + 21] = ink[top + 19:top + 21, x0:x0 + 21] = True
        if filled:
            _tick(ink[top + 3:top + 18, x0 + 3:x0 + 18], 0, 0)
    ink[200:218, 320:322] = ink[200:218, 332:334] = True  # a word, then a tick-like letter
    _tick(ink, 336, 202)
    _tick(ink, 600, 50)  # right of the last rule: not in a table
    marks = sorted((m.box[0], m.box[1], m.char) for m in find_marks(ink, vert, scale))
    assert marks == [(120, 50, "✓"), (320, 50, "☑"), (420, 50, "☐")]


@needs_tesseract
def test_status_ticks_are_read_from_a_scan():
    """The plan-and-status sample scanned: tesseract has no ✓, the reader finds the
    ticks in the status columns in the image and the statuses come out as from text."""
    report = extract_report(STATUS_SCAN)
    assert report.status == "ok" and report.ocr_used
    # Which plan rows the statuses merge into depends on OCR of the section tags in
    # their headers; the ticks themselves are what this test reads.
    assert sorted(m.status for m in report.measures if m.status) == [
        "completed", "completed", "in_progress", "not_started"]


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
    (ocr_used, notes), = duckdb.sql(
        f"select ocr_used, notes from read_parquet('{tmp_path}/ds/reports/**/*.parquet', "
        "hive_partitioning=true)").fetchall()
    assert ocr_used and any(n["kind"] == "page_ocr" for n in notes)
    score = score_dataset(gold, tmp_path / "ds")
    print(f"\n[scan {seed.stem}] {score}")
    assert score["measure_f1"] >= 0.5, score
