"""Document fields of scanned reports: what tesseract leaves of a title, a date line, a
quoted score — marks above the line dropped, words run together, a year garbled, a title
in a box — still gives the report's agency, year, date and score, or null with a note."""
from __future__ import annotations

import datetime

from extractor.model import Cell, Document, Line, Table
from extractor.reading.pipeline import extract_document


def _table(rows: list[list[str]], line: int) -> Table:
    return Table([[Cell(text, line + i) for text in row] for i, row in enumerate(rows)], line)


_MEASURES = [["ที่", "มาตรการ", "ระยะเวลาดำเนินการ", "ผลการดำเนินงาน"],
             ["๑", "จัดทำประกาศเจตนารมณ์ต่อต้านการทุจริต", "พ.ย. ๒๕๖๗", "ประกาศแล้ว"],
             ["๒", "ประชุมชี้แจงแนวทางปฏิบัติงานให้บุคลากร", "ม.ค. - มี.ค. ๒๕๖๘", "จัดประชุมแล้ว ๒ ครั้ง"]]


def _report(blocks):
    return extract_document(Document("scan.pdf", "pdf", blocks, ocr_used=True))


def test_marks_dropped_and_words_run_together():
    rep = _report([
        Line("รายงานผลการขับเคลื่อนมาตรการส่งเสริมคุณธรรม", 1),
        # OCR ran the title together and lost the tone marks of the name and the district
        Line("องค์การบริหารส่วนตำบลหวยโปงอำเภอหนองไผจังหวัดเพชรบูรณ์", 2),
        Line("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", 3),
        Line("ผลการประเมิน ITA ว พ.ศ. ๒๕๖๗ ได ๘๗.๕๐ คะแนน อยูในระดับ ผานดี", 4),
        _table(_MEASURES, 5),
        Line("ลงวนท ๑๕ เมษายน ๒๕๖๘", 9),
    ])
    assert rep.agency_name == "องค์การบริหารส่วนตำบลห้วยโป่ง"
    assert (rep.district, rep.province) == ("หนองไผ่", "เพชรบูรณ์")
    assert rep.fiscal_year_be == 2568
    assert rep.report_date == datetime.date(2025, 4, 15)
    ps = rep.prior_score
    assert (ps.score, ps.year_be, ps.level) == (87.5, 2567, "ผ่านดี")


def test_garbled_own_year_is_taken_from_the_periods_not_the_prior_one():
    rep = _report([
        Line("รายงานผลการดำเนินการตามมาตรการ ประจำปีงบประมาณ พ.ศ.๒๕๖", 1),
        Line("ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ได้ ๙๐.๑๒ คะแนน", 2),
        _table(_MEASURES, 3),
    ])
    assert rep.fiscal_year_be == 2568
    kinds = {n.kind: n.message for n in rep.notes}
    assert "๒๕๖" in kinds["value_implausible"]
    assert rep.prior_score.year_be == 2567


def test_title_in_a_box_and_a_memo_form_cut_through_words():
    rep = _report([
        # a boxed title, one row, its year in a cell of its own
        _table([["รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรม", "ประจำปีงบประมาณ", "พ.ศ.", "๒๕๖๘"]], 1),
        # a memo's form lines, found as a grid whose boxes cut through words
        _table([["ส่วนราชการ ก", "องคลัง", "เทศบาลตำบลบ้านเป็ดอ", "ำเภอเมืองขอนแก่นจ", "ังหวัดขอนแก่น"],
                ["ที่ ขก ๕๒๑๐๑/๗๗"] * 5], 2),
        Line("ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๗ ได้ ๘๐.๐๐ คะแนน", 4),
        _table(_MEASURES, 5),
    ])
    assert rep.fiscal_year_be == 2568
    assert rep.agency_name == "เทศบาลตำบลบ้านเป็ด"
    assert (rep.district, rep.province) == ("เมืองขอนแก่น", "ขอนแก่น")


def test_a_year_guessed_from_garbled_ocr_yields_to_the_periods_and_dates_are_repaired_within_it():
    rep = _report([
        Line("รายงานผลการดำเนินงานตามมาตรการ ประจำปีงบประมาณ พ.ศ. ๒๕๒๓", 1),  # ๒๕๖๘ garbled
        _table(_MEASURES, 2),
        Line("ข้อมูล ณ วันที่ ๕ มีนาคม ๒๕๖ซ", 6),  # the year's last digit read as a letter
    ])
    assert rep.fiscal_year_be == 2568
    assert rep.report_date == datetime.date(2025, 3, 5)
    assert {"value_implausible", "ocr_year_repaired", "fiscal_year_inferred"} <= {n.kind for n in rep.notes}


def test_a_comma_ocr_put_inside_a_number_is_no_part_of_it():
    rep = _report([
        Line("รายงานผลการดำเนินงานตามมาตรการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ (รอบ ๑,๒ เดือน)", 1),
        _table(_MEASURES, 2),
        Line("ประกาศ ณ วันที่ ๓๐ กันยายน พ.ศ.๒๕๖,๘", 6),
    ])
    assert rep.report_period == "12m"
    assert rep.report_date == datetime.date(2025, 9, 30)
