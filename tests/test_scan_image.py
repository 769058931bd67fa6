"""Scanned pages in the image (issue 11): deskew, the grid of a skewed page, table bottoms
cut by the page break, Thai digits read from their glyphs.

Synthetic pages drawn here with Pillow in the Thai fonts Debian ships (fonts-thai-tlwg),
turned and degraded like an office scan; no tesseract needed, a few seconds in all.
"""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractor.reading.readers import deskew, ocr
from extractor.reading.readers.positioned import Piece
from extractor.reading.readers.scan_rules import ink_threshold
from extractor.reading.readers.thai_digits import read_number, reread_digits

SCALE = 200 / 72  # 200 dpi
FONTS = Path("/usr/share/fonts/truetype/tlwg")
needs_fonts = pytest.mark.skipif(not (FONTS / "Garuda.ttf").is_file(),
                                 reason="Thai fonts not installed (apt-get install fonts-thai-tlwg)")


def _scanned(img: Image.Image, angle: float, seed: int = 0) -> np.ndarray:
    """As an office scanner returns a page: turned, blurred, grey paper, noise."""
    rng = np.random.default_rng(seed)
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.8))
    a = np.asarray(img, np.float32) / 255
    out = 40 + a * (222 - 40) + rng.normal(0, 7, a.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def _table_page(rows: int = 5, cols: int = 4, cut_bottom: bool = False) -> Image.Image:
    """An A4 page at 200 dpi with a ruled table of `rows` × `cols` cells with text in
    them; `cut_bottom`: the column rules run on below the last rule across, as where
    a row is cut by the page break."""
    img = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONTS / "Garuda.ttf"), 30) if (FONTS / "Garuda.ttf").is_file() else None
    x0, x1, top, h = 150, 1500, 300, 160
    xs = [x0 + (x1 - x0) * k // cols for k in range(cols + 1)]
    ys = [top + h * k for k in range(rows + 1)]
    for y in ys:
        d.line([(x0, y), (x1, y)], fill=0, width=2)  # 0.7 pt, as Word draws a grid
    bottom = ys[-1] + (120 if cut_bottom else 0)
    for x in xs:
        d.line([(x, top), (x, bottom)], fill=0, width=2)
    if font is not None:
        for r in range(rows):
            for c in range(cols):
                d.text((xs[c] + 15, ys[r] + 20), "ข้อความ ๒๕๖๗", font=font, fill=0)
        if cut_bottom:
            d.text((xs[1] + 15, ys[-1] + 20), "แถวที่ถูกตัด", font=font, fill=0)
    return img


@needs_fonts
@pytest.mark.parametrize("angle", [0.35, -0.6, 0.95])
def test_skew_is_measured_from_the_ink(angle):
    page = _scanned(_table_page(), angle, seed=int(abs(angle) * 100))
    assert deskew.estimate_skew(page < ink_threshold(page)) == pytest.approx(angle, abs=0.1)


@needs_fonts
def test_a_skewed_page_keeps_its_grid_once_straightened():
    """Turned by 0.9°, every rule of a 5 × 4 table is a staircase; straightened first,
    all 20 cells come back where the table was drawn (unstraightened, its corner would
    be 5 points off), in points of the straightened page."""
    page = _scanned(_table_page(), 0.9, seed=3)
    scan = ocr.prepare(page, SCALE)
    assert scan.skew == pytest.approx(0.9, abs=0.1)
    assert len(scan.grids) == 1 and [len(r) for r in scan.grids[0].rows] == [4] * 5
    left, top = scan.grids[0].rows[0][0][:2]
    assert left == pytest.approx(150 / SCALE, abs=3) and top == pytest.approx(300 / SCALE, abs=3)


@needs_fonts
def test_a_table_cut_by_the_page_break_is_closed_and_reported():
    """Column rules running past the last rule across: the cut row is a row (closed at
    the end of the rules) and the cut is reported for rejoining with the next page."""
    page = _scanned(_table_page(rows=3, cut_bottom=True), -0.5, seed=5)
    scan = ocr.prepare(page, SCALE)
    assert len(scan.grids) == 1 and len(scan.grids[0].rows) == 4
    (cut,) = scan.cuts
    assert cut == pytest.approx((300 + 3 * 160 + 120) / SCALE, abs=4)
    assert scan.grids[0].bbox[3] == pytest.approx(cut, abs=1)


def test_an_uncut_table_reports_no_cut():
    page = _scanned(_table_page(rows=3), 0.4, seed=6)
    assert ocr.prepare(page, SCALE).cuts == []


def _number_image(text: str, font: str, px: int = 30, spacing: int = 0, seed: int = 0) -> np.ndarray:
    """`text` drawn as a 200 dpi scan draws it (blur, noise); letters `spacing` px apart
    (negative: touching, as blur joins neighbours)."""
    f = ImageFont.truetype(str(FONTS / font), px)
    img = Image.new("L", (px * (len(text) + 2), px * 2), 255)
    d = ImageDraw.Draw(img)
    x = px // 2
    for ch in text:
        d.text((x, px // 3), ch, font=f, fill=0)
        x += int(d.textlength(ch, font=f)) + spacing
    page = _scanned(img, 0.0, seed)
    return page < ink_threshold(page)


@needs_fonts
@pytest.mark.parametrize("font", ["Garuda.ttf", "Loma.ttf", "Kinnari.ttf", "Umpush.ttf"])
def test_thai_digits_are_read_from_their_glyphs(font):
    """The digits tesseract's Thai model confuses (๖ ๗ ๘ ๙) read from the pixels, with a
    dot, in several typefaces."""
    assert read_number(_number_image("๒๕๖๘", font, spacing=2), thai_only=True) == "๒๕๖๘"
    assert read_number(_number_image("๗๘.๖๕", font, spacing=2, seed=2), thai_only=True) == "๗๘.๖๕"
    assert read_number(_number_image("๑๙", font, spacing=2, seed=4), thai_only=True) == "๑๙"


@needs_fonts
def test_digits_run_together_are_cut_apart():
    """Blur joins neighbouring digits into one blob; it is cut where its pieces read
    best as digits."""
    ink = _number_image("๒๕๖๖", "Garuda.ttf", spacing=-1, seed=7)
    from extractor.reading.readers.marks import components
    assert len([b for b in components(ink) if b.area > 20]) < 4  # they do touch
    assert read_number(ink, thai_only=True) == "๒๕๖๖"


@needs_fonts
def test_a_misread_number_is_replaced_and_a_letter_left_alone():
    """Tesseract's reading of ๒๕๖๘ as "๒๕๒๕" is replaced by the glyphs' reading; an อ
    that starts a word (องค์) stays a letter."""
    ink = _number_image("๒๕๖๘", "Garuda.ttf", seed=8)
    s = 1.0  # pixels per point: pieces in pixels here
    cols = np.flatnonzero(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    w = (cols[-1] - cols[0]) / 4
    pieces = [Piece(ch, cols[0] + k * w, rows[0], cols[0] + (k + 1) * w, rows[-1], k)
              for k, ch in enumerate("๒๕๒๕")]
    out, changed = reread_digits(pieces, ink, s)
    assert [p.text for p in out] == ["๒๕๖๘"] and changed == 1
    word = [Piece("อ", 0, 0, 10, 20, 0), Piece("ง", 10, 0, 20, 20, 1)]
    assert reread_digits(word, np.zeros((30, 30), bool), s)[0] == word
