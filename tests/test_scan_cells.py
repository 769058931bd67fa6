"""Header and period cells of a scanned table read again one crop at a time (issue 11):
a header the page's reading garbled gets its words back, a period cell its dates; a
cell read right stays as it was. A page drawn here with Pillow, degraded like a scan;
one tesseract run (about two seconds)."""
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractor.model import Cell, Table
from extractor.reading.readers.ocr_cells import header_score, period_score, reread_cells
from extractor.reading.readers.scan_rules import ink_threshold
from normalizers.periods import parse_period
from normalizers.text import clean_text

SCALE = 200 / 72
FONT = Path("/usr/share/fonts/truetype/tlwg/Norasi.ttf")
pytestmark = pytest.mark.skipif(not FONT.is_file() or shutil.which("tesseract") is None,
                                reason="needs fonts-thai-tlwg and tesseract")

# column x edges and row y edges, in pixels at 200 dpi
XS = [100, 560, 1000, 1450]
YS = [200, 330, 470, 610]
PRINTED = [["วิธีการดำเนินการ", "ระยะเวลาดำเนินการ", "ผลการดำเนินงาน"],
           ["ประชุมชี้แจงบุคลากร", "ต.ค. ๒๕๖๗ - มี.ค. ๒๕๖๘", "จัดประชุมแล้ว"],
           ["เผยแพร่ประกาศทางเว็บไซต์", "พ.ย. ๒๕๖๗", "เผยแพร่แล้ว"]]
# what the page's reading gave: words cut at the cell edges, a header read as Latin,
# "มี" of "มี.ค." lost; the last period read right
AS_READ = [["ิธีการำเนินการ", "ระยะเวลาำเนินการ", "ผลการ CUMS"],
           ["ประชุมชี้แจงบุคลากร", "ต.ค.๒๕๖๗-ี.ค.๒๕๖๘", "จัดประชุมแล้ว"],
           ["เผยแพร่ประกาศทางเว็บไซต์", "พ.ย. ๒๕๖๗", "เผยแพร่แล้ว"]]


def _page() -> np.ndarray:
    img = Image.new("L", (1600, 800), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 34)
    for y in YS:
        d.line([(XS[0], y), (XS[-1], y)], fill=0, width=2)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill=0, width=2)
    for r, row in enumerate(PRINTED):
        for c, text in enumerate(row):
            d.text((XS[c] + 18, YS[r] + 35), text, font=font, fill=0)
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    a = np.asarray(img, np.float32) / 255
    rng = np.random.default_rng(3)
    pixels = np.clip(40 + a * (222 - 40) + rng.normal(0, 6, a.shape), 0, 255).astype(np.uint8)
    ink = pixels < ink_threshold(pixels)
    for y in YS:  # the rules painted out, as the scan path does
        ink[y - 3:y + 4, :] = False
    for x in XS:
        ink[:, x - 3:x + 4] = False
    return ink


def _table() -> Table:
    rows = []
    for r, row in enumerate(AS_READ):
        rows.append([Cell(text, r + 1, bbox=(XS[c] / SCALE, YS[r] / SCALE, XS[c + 1] / SCALE, YS[r + 1] / SCALE))
                     for c, text in enumerate(row)])
    return Table(rows, 1)


def test_garbled_headers_and_periods_are_read_again_and_good_cells_stay():
    table = _table()
    heads, periods = reread_cells([table], _page(), SCALE, time.monotonic() + 60)
    h = table.rows[0]
    assert heads >= 2 and periods == 1
    for cell, printed in zip(h, PRINTED[0]):
        assert header_score(cell.raw) == header_score(printed), cell.raw
    first = parse_period(clean_text(table.rows[1][1].raw))
    assert first is not None and (first.start.isoformat(), first.end.isoformat()) == ("2024-10-01", "2025-03-31")
    assert table.rows[2][1].raw == "พ.ย. ๒๕๖๗"  # read right by the page: kept
    assert table.rows[1][0].raw == "ประชุมชี้แจงบุคลากร"  # body cells outside the period column: untouched


def test_scores_rank_readings_by_what_the_cell_must_hold():
    assert header_score("ผลการ CUMS") < header_score("ผลการดำเนินงาน")
    assert period_score("มี.ค.๒๕๒๕๒๕๒๕") < period_score("มี. ค.๒๕๖๘")
    assert period_score("ต.ค. ๒๕ออ -มี.ค. ๒๕๖๗") < period_score("ต.ค. ๒๕๖๖ -มี.ค. ๒๕๖๗")
