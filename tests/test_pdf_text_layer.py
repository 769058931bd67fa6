"""Thai text layers as other producers write them: glyphs, marks, spaces, the verdict."""
from pathlib import Path

import numpy as np
import pytest

from extractor.reading.readers.fontmap import EmbeddedFont
from extractor.reading.readers.glyphs import Glyphs, LayerStats
from extractor.reading.readers.pdf import read_pdf
from extractor.reading.readers.positioned import group_lines
from extractor.reading.readers.text_layer import judge_text_layer

CORPUS = Path(__file__).resolve().parent / "pdfs" / "corpus"
FONTS = Path("/usr/share/fonts/truetype")


def _glyphs(units, size=14.0):
    """(text, x0, x1) units on one baseline, in stream order; marks get an ink box."""
    text = [u[0] for u in units]
    x0 = np.array([u[1] for u in units], float)
    x1 = np.array([u[2] for u in units], float)
    top = np.array([92.0 if u[0] in "\u0e34\u0e49" else 100.0 for u in units])
    bottom = np.array([96.0 if u[0] in "\u0e34\u0e49" else 120.0 for u in units])
    return Glyphs(text, x0, top, x1, bottom, np.full(len(units), size), np.arange(len(units)))


def test_a_mark_written_after_the_next_letter_goes_back_on_its_letter():
    # LibreOffice writes "สิ้น" as ส ิ น <space> ้ : the tone mark last, over the ส
    g = _glyphs([("ส", 0, 8), ("\u0e34", 2, 7), ("น", 8, 16), ("\u0e49", 4, 7.5)])
    assert [l.text for l in group_lines(g)] == ["สิ้น"]


def test_spaces_come_from_gaps_measured_in_em():
    near = _glyphs([("ก", 0, 8), ("ข", 8.5, 16)])  # 0.04 em: kerning, no space
    far = _glyphs([("ก", 0, 8), ("ข", 12, 20)])  # 0.29 em: a space
    assert group_lines(near)[0].text == "กข" and group_lines(far)[0].text == "ก ข"


def test_lines_keyed_by_cell_stay_apart_and_marks_follow_their_letter():
    # two cells side by side on one line; the mark of the last letter of the left cell
    # lies over the border, its centre in the right cell
    g = _glyphs([("ท", 0, 8), ("ี", 4, 12), ("ก", 14, 22)])
    key = np.array([0, 1, 1])  # the mark's centre (8) is taken for cell 1 …
    lines = group_lines(g, np.arange(3), key=key)
    assert sorted(l.text for l in lines) == ["ก", "ที"]  # … yet it stays on its ท


def test_an_embedded_font_names_a_glyph_its_tounicode_left_out():
    path = FONTS / "tlwg" / "Laksaman.ttf"
    if not path.is_file():
        pytest.skip("fonts-tlwg-laksaman not installed")
    font = EmbeddedFont(path.read_bytes())
    from fontTools.ttLib import TTFont
    tt = TTFont(str(path))
    gid = tt.getGlyphID(tt.getBestCmap()[0x0E4D])  # nikhahit, as WeasyPrint leaves it
    assert font.resolve(gid) == "\u0e4d"
    assert font.resolve(60000) is None


def test_a_positional_variant_is_named_through_gsub():
    path = FONTS / "noto" / "NotoSansThai-Regular.ttf"
    if not path.is_file():
        pytest.skip("fonts-noto-core not installed")
    from fontTools.ttLib import TTFont
    tt = TTFont(str(path))
    variant = tt.getGlyphID("uni0E4D.narrow")  # no cmap entry: a substitution makes it
    assert variant not in {tt.getGlyphID(n) for n in tt.getBestCmap().values()}
    assert EmbeddedFont(path.read_bytes()).resolve(variant) == "\u0e4d"


def test_a_glyphless_ocr_layer_is_judged_good():
    """tesseract's GlyphLessFont: every glyph flagged by pdfium, every code point right."""
    stats = LayerStats(chars=40, flagged=40, trusted=40, invisible=True)
    verdict = judge_text_layer("องค์การบริหารส่วนตำบลบ้านเป็ด อำเภอเมืองขอนแก่น", stats)
    assert verdict.ok and "OCR text layer" in verdict.reason


@pytest.mark.parametrize("text, why", [
    ("เทศบาลต\ufffdาบล อ\ufffdาเภอ ด\ufffdาเนินการ ประจ\ufffdาปี", "no Unicode mapping"),
    ("เทศบาลต าบล อ าเภอ ด าเนินการ ประจ าปี ก าหนด จ านวน " * 3, "consonant + space + า"),
    ("รายงานผลการดาเนินงานประจาปีงบประมาณ เทศบาลตาบลหนองหาร อาเภอเมือง จัดทาคู่มือ "
     "กาหนดผู้รับผิดชอบ สานักปลัด " * 6, "no sara am"),
    ("ÃÒÂ§Ò¹¼Å¡ÒÃ´Óà¹Ô¹¡ÒÃ »ÃÐ¨Ó»Õ§º»ÃÐÁÒ³", "Latin-1"),
])
def test_a_broken_layer_is_judged_broken_with_its_reason(text, why):
    verdict = judge_text_layer(text)
    assert not verdict.ok and why in verdict.reason


def test_good_thai_is_not_judged_broken_for_its_abbreviations_or_marks():
    text = ("ต.ค. ๒๕๖๖ – มี.ค. ๒๕๖๗ สำนักปลัด งานการเจ้าหน้าที่ ☑ ดำเนินการแล้ว ☐ อยู่ระหว่าง"
            " ผู้บริหารลงนามในประกาศเจตจำนงสุจริต (No Gift Policy) 95.75 คะแนน")
    assert judge_text_layer(text * 5).ok


def test_a_centred_heading_and_a_paragraph_run_on_over_their_breaks():
    """c07: a bold centred heading wraps inside the agency's name; the body paragraph
    naming the agency's district and province is cut by the page break."""
    doc = read_pdf(CORPUS / "c07_khaophra__chromium-laksaman-ruled.pdf", ocr=False)
    texts = [l.text.replace(" ", "") for l in doc.lines()]
    assert any(t.startswith("รายงานผลการขับเคลื่อน") and t.endswith("ของเทศบาลตำบลเขาพระ")
               for t in texts), texts
    body = next(l for l in doc.lines() if l.text.startswith("ในการนี้"))
    assert body.page == 1
    assert "อำเภอพิปูนจังหวัดนครศรีธรรมราชได้ดำเนินการ" in body.text.replace(" ", "")
    assert body.text.replace(" ", "").endswith("ดังนี้")
