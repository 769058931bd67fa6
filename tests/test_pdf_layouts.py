"""Born-digital PDFs, second round: what a blind corpus made by other people showed, on
reports written for this project in new wording (tests/fixtures/corpus_reports.py,
c08–c10, rendered by tests/fixtures/make_corpus.py; damage by make_damaged.py).

- unruled tables whose columns come from their body (header cells centred, staggered,
  wider than their column; a group row between header and body; a key column of O-codes
  and no row numbers; numbered group rows over activities 1.1, 1.2; a score summary just
  above another table; a font whose word space is as wide as a gutter);
- words wider than their cells, ruled or not (an HTML engine lets them run over);
- fonts without ToUnicode named by the installed font they were cut from — and, when no
  font here is theirs, the page goes to OCR with the font named;
- an OCR engine's invisible layer read as its words.
About 5 s (the ITA_FONT_DIRS test reads every font folder once).
"""
import re

import pytest

from extractor.model import Cell, Document, Line, Table
from extractor.reading.readers.pdf import read_pdf

from .test_pdf_corpus import CORPUS


def _tables(name: str) -> list[Table]:
    doc = read_pdf(CORPUS / f"{name}.pdf", ocr=False)
    return [b for b in doc.blocks if isinstance(b, Table)]


def _firsts(table: Table) -> list[str]:
    return [r[0].text for r in table.rows]


@pytest.mark.parametrize("name", ["c08_wangphrao__chromium-waree-unruled",
                                  "c08_wangphrao__weasyprint-umpush-unruled",
                                  "c08_wangphrao__odt-sawasdee-unruled"])
def test_an_indicator_row_between_header_and_body_and_a_key_column_without_numbers(name):
    """The header sits above an indicator row spanning the table; rows have no numbers,
    only O-codes, and are told apart by their padding — also in a font whose word space
    is as wide as a gutter ("O๑ – O๓" is one cell, "☐ label" too)."""
    (table,) = _tables(name)
    firsts = [t.replace(" ", "") for t in _firsts(table) if t]
    assert firsts == ["ข้อ", "ตัวชี้วัดที่๙การเปิดเผยข้อมูล", "O๑–O๓", "O๔,O๕", "O๑๐–O๑๒",
                      "ตัวชี้วัดที่๑๐การป้องกันการทุจริต", "O๓๓,O๓๔", "O๓๖"]
    assert table.n_cols == 6 and table.rows[0][1].text == "แนวทางการพัฒนา"
    assert all(c.spanned for c in table.rows[1][1:])  # the indicator row: one cell


@pytest.mark.parametrize("name", ["c09_huaiyaijio__weasyprint-sawasdee-unruled",
                                  "c09_huaiyaijio__odt-waree-unruled"])
def test_numbered_group_rows_over_activities_and_a_score_summary_above(name):
    scores, measures, *more = _tables(name)
    assert _firsts(scores)[-4:] == ["IIT", "EIT", "OIT", "รวม"]  # its own rows, its own table
    assert _firsts(measures)[0] == "ที่"
    firsts = [t for m in [measures, *more] for t in _firsts(m)]  # (the page breaks)
    assert [t for t in firsts if re.fullmatch(r"\d\.\d", t)] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    header = " ".join(c.text for c in measures.rows[0])
    assert "ผู้รับผิดชอบ" in header.replace(" ", "") and "ระยะเวลา" in header.replace(" ", "")


def test_a_word_wider_than_its_ruled_cell_stays_in_its_cell():
    """WeasyPrint lets "ประชาสัมพันธ์" and "งบประมาณ" run over the cell's right border,
    onto the text of the cell beside: letters written one after the other, touching,
    belong to the cell their run starts in."""
    from extractor.reading.pipeline import extract_report
    from extractor.dataset.rows import to_gold

    got = to_gold(extract_report(CORPUS / "c10_wangkrachae__weasyprint-umpush-ruled.pdf"))
    by_seq = {m["seq"]: m for m in got["measures"]}
    assert by_seq["3"]["responsible"].replace(" ", "") == "งานประชาสัมพันธ์"
    assert by_seq["3"]["period_text"].replace(" ", "") == "ตลอดปีงบประมาณ"
    assert by_seq["1"]["period_text"].replace(" ", "") == "ตลอดปีงบประมาณ"


def test_labels_of_two_narrow_columns_run_together_are_told_apart():
    """"รับผิดชอบ" runs over its narrow column into "เวลา" of the next (no space
    between): the header still names both columns, and the body keeps its rows."""
    (table,) = [t for t in _tables("c10_wangkrachae__weasyprint-waree-unruled") if t.n_cols == 7]
    header = [c.text.replace(" ", "") for c in table.rows[0]]
    assert header[3] == "ผู้รับผิดชอบ" and header[4] == "ระยะเวลา"
    assert [t for t in _firsts(table) if t in "๑๒๓๔"] == ["๑", "๒", "๓", "๔"]


def test_near_shaped_marks_keep_the_text_layers_own():
    """ี and ื differ by a stroke's height: the layer's ี stands when its glyph is about
    as close to the ink as ื's (Waree), so "ที่" and "วันที่" are not "ทื่"."""
    doc = read_pdf(CORPUS / "c10_wangkrachae__weasyprint-waree-unruled.pdf", ocr=False)
    text = " ".join(b.text for b in doc.lines())
    assert "วันที่ ๓๐ เมษายน ๒๕๖๗" in text and "ทื่" not in text


def test_a_font_without_tounicode_is_named_by_the_installed_font_it_was_cut_from():
    """LibreOffice's subsets keep no Unicode cmap, no glyph names, no GSUB: with the
    ToUnicode gone, the outlines (Laksaman's, installed here) name the glyphs — the codes
    pdfium reads as WinAnsi Latin ("#" for a space) included."""
    doc = read_pdf(CORPUS / "c06_banped__damaged-no-tounicode.pdf", ocr=False)
    assert [p.method for p in doc.page_sources] == ["text"]
    assert "installed font" in doc.page_sources[0].reason
    text = " ".join(b.text for b in doc.lines())
    assert "องค์การบริหารส่วนตำบลบ้านเป็ด อำเภอเมืองขอนแก่น" in text
    assert not re.search("[#$%&\ufffd]", text)


def test_a_font_installed_nowhere_goes_to_ocr_naming_the_font():
    doc = read_pdf(CORPUS / "c04_thangiw__damaged-unknown-font.pdf", ocr=False)
    assert doc.page_sources and all(p.method == "none" for p in doc.page_sources)
    assert all("ItaPrivateThai" in p.reason and "ITA_FONT_DIRS" in p.reason
               for p in doc.page_sources)


def test_ita_font_dirs_lends_the_reader_an_agencys_font(tmp_path, monkeypatch):
    """An analyst who has the agency's font puts it in a folder named by ITA_FONT_DIRS:
    the same page is then read from its text layer."""
    pytest.importorskip("fontTools")
    from extractor.reading.readers import fontmatch
    from tests.fixtures.make_damaged import private_font

    private_font(tmp_path)
    monkeypatch.setenv("ITA_FONT_DIRS", str(tmp_path))
    for cached in (fontmatch._files, fontmatch._by_file_stem, fontmatch._by_font_name,
                   fontmatch._outlines):
        cached.cache_clear()
    try:
        doc = read_pdf(CORPUS / "c04_thangiw__damaged-unknown-font.pdf", ocr=False)
    finally:
        for cached in (fontmatch._files, fontmatch._by_file_stem, fontmatch._by_font_name,
                       fontmatch._outlines):
            cached.cache_clear()
    assert all(p.method == "text" for p in doc.page_sources), doc.page_sources
    text = " ".join(b.text for b in doc.lines())
    assert "องค์การบริหารส่วนตำบลท่างิ้ว" in text


def test_an_ocr_layer_is_read_as_its_words():
    """tesseract writes Thai as one text object per letter or two: letters of a word
    join without a space, words apart by a space's width keep one."""
    doc = read_pdf(CORPUS / "c06_banped__damaged-ocrmypdf.pdf", ocr=False)
    text = " ".join(b.text for b in doc.lines())
    assert "องค์การบริหารส่วนตำบลบ้านเป็ด อำเภอเมืองขอนแก่น" in text
    assert "สรุปผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรม" in text


def test_page_numbers_only_at_the_top_or_foot_of_a_page():
    """A lone number inside a table (the rest of a period: "๒๕๖๘") is a cell's line,
    not a page number; "- 2 -" at the top of the page is one."""
    from extractor.reading.readers.page import page_blocks
    from extractor.reading.readers.positioned import LineCounter, Piece
    from extractor.reading.readers.text import is_page_break

    pieces = [Piece("-", 200, 10, 205, 22, 0), Piece("2", 208, 10, 214, 22, 1),
              Piece("-", 217, 10, 222, 22, 2),
              Piece("ประกาศ", 40, 40, 90, 52, 3), Piece("ตลอดปีงบประมาณ", 40, 56, 150, 68, 4),
              Piece("๒๕๖๘", 40, 72, 80, 84, 5), Piece("ลงชื่อ", 40, 120, 90, 132, 6),
              Piece("ผู้รายงาน", 40, 136, 110, 148, 7)]
    blocks = page_blocks(pieces, [], 2, LineCounter(), drop_line=is_page_break, find_tables=False)
    text = " ".join(b.text for b in blocks)
    assert "๒๕๖๘" in text and not text.startswith("-")


def test_a_group_heading_at_the_top_of_the_next_page_is_not_the_rest_of_a_row():
    from extractor.reading.readers.pdf import _rejoin_split_row

    def row(*texts, spanned=False):
        return [Cell(t, 1, spanned=spanned and k > 0) for k, t in enumerate(texts)]

    header = row("มาตรการ", "วิธีดำเนินการ", "ผู้รับผิดชอบ")
    prev = Table([header, row("๑. จัดให้มีช่องทางถาม-ตอบ", "เปิดกระดาน", "สำนักปลัด")], 1, 1, "pdf")
    group = row("มาตรการยกระดับ OIT", "มาตรการยกระดับ OIT", "มาตรการยกระดับ OIT", spanned=True)
    nxt = Table([row("มาตรการ", "วิธีดำเนินการ", "ผู้รับผิดชอบ"), group,
                 row("๑. เผยแพร่แผน", "จัดทำแผน", "กองยุทธศาสตร์")], 2, 2, "pdf")
    _rejoin_split_row(prev, [nxt], cut=False)
    assert prev.rows[-1][0].raw == "๑. จัดให้มีช่องทางถาม-ตอบ"
    assert len(nxt.rows) == 3


def test_a_score_quoted_as_a_count_is_the_prior_score():
    from extractor.reading.document_fields import find_prior_score

    doc = Document("x.pdf", "pdf", [Line("ตามที่เทศบาลได้รับผลการประเมิน ITA ปี ๒๕๖๕ จำนวน ๘๔.๓๖ "
                                        "คะแนน ระดับ B", 1, 1)])
    score = find_prior_score(doc)
    assert (score.score, score.year_be, score.level) == (84.36, 2565, "B")
