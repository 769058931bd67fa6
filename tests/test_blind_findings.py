"""Mechanisms added after the blind half of the text corpus was first scored: each on a
small report written for the test, in wording of its own."""
from extractor.reading.pipeline import extract_document
from extractor.reading.readers.text import parse_text
from normalizers.agency import resolve_agency
from normalizers.agency_mentions import parse_agency_mentions


def extract(text, name="t.md"):
    return extract_document(parse_text(text, name))


def test_a_score_printed_with_an_indicator_heading_is_each_rows_score():
    text = ("ปีงบประมาณ ๒๕๖๖\n\n### ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ (คะแนน ๗๗.๒๕)\n\n"
            "| ที่ | มาตรการ | ผู้รับผิดชอบ |\n|---|---|---|\n"
            "| ๑ | ทำทะเบียนยืมคืนพัสดุ | กองคลัง |\n| ๒ | ติดป้ายห้ามนำรถไปใช้ส่วนตัว | กองช่าง |\n")
    a, b = extract(text).measures
    assert (a.indicator_no, a.score) == (4, 77.25) and b.score == 77.25


def test_a_row_that_states_its_own_score_keeps_it_under_a_heading_with_another():
    text = ("ปีงบประมาณ ๒๕๖๖\n\n### ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ (คะแนน ๗๗.๒๕)\n\n"
            "| ที่ | มาตรการ | คะแนน | ผู้รับผิดชอบ |\n|---|---|---|---|\n"
            "| ๑ | ทำทะเบียนยืมคืนพัสดุ | ๘๐.๑๐ | กองคลัง |\n")
    m, = extract(text).measures
    assert m.score == 80.1


def test_an_oit_data_item_column_is_context_and_the_improvement_is_the_measure():
    text = ("<table><tr><th>ข้อ</th><th>รายการข้อมูล</th><th>แนวทางการปรับปรุง</th><th>ผู้รับผิดชอบ</th></tr>"
            "<tr><td>O๑๑</td><td>แผนดำเนินงานประจำปี</td><td>ลงแผนบนเว็บไซต์ภายในเดือนพฤศจิกายน</td>"
            "<td>กองยุทธศาสตร์</td></tr></table>\n")
    m, = extract(text, "t.html").measures
    assert m.measure == "ลงแผนบนเว็บไซต์ภายในเดือนพฤศจิกายน" and m.method is None
    assert m.extra == {"รายการข้อมูล": "แผนดำเนินงานประจำปี"} and m.oit_items == ["O11"]


def test_a_data_item_list_with_nothing_done_beside_it_is_itself_the_measure():
    text = ("| ข้อ | รายการข้อมูลที่เผยแพร่ | ผู้รับผิดชอบ | สถานะ |\n|---|---|---|---|\n"
            "| O๑ | โครงสร้างหน่วยงาน | สำนักปลัด | ดำเนินการแล้ว |\n")
    m, = extract(text).measures
    assert m.measure == "โครงสร้างหน่วยงาน" and m.status == "completed"


def test_lines_right_under_a_table_end_its_last_rows_last_text_cell():
    text = ("มาตรการ\tผู้รับผิดชอบ\tผลการดำเนินการ\tสถานะ\n"
            "ประกาศแผนจัดซื้อ\tกองคลัง\tประกาศแผนบนเว็บไซต์\tดำเนินการแล้ว\n"
            "เมื่อวันที่ ๓ พฤศจิกายน ๒๕๖๖\n\nลงชื่อ ผู้รายงาน\n")
    m, = extract(text, "t.txt").measures
    assert m.result == "ประกาศแผนบนเว็บไซต์ เมื่อวันที่ ๓ พฤศจิกายน ๒๕๖๖"
    assert any(n.kind == "stray_text_attached" for n in m.notes)


def test_a_paragraph_of_its_own_under_a_table_is_left_alone():
    for after in ("หมายเหตุ : ข้อมูลจากกองคลัง", "ลงชื่อ ผู้รายงาน", "ข้อเท็จจริง",
                  "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"):
        text = ("มาตรการ\tผู้รับผิดชอบ\tผลการดำเนินการ\n"
                f"ประกาศแผนจัดซื้อ\tกองคลัง\tประกาศแผนบนเว็บไซต์\n{after}\n")
        m, = extract(text, "t.txt").measures
        assert m.result == "ประกาศแผนบนเว็บไซต์", after


def test_a_longer_paragraph_printed_against_a_table_is_not_cell_text():
    text = ("มาตรการ\tผู้รับผิดชอบ\tผลการดำเนินการ\n"
            "ประกาศแผนจัดซื้อ\tกองคลัง\tประกาศแผนบนเว็บไซต์\n"
            "ทั้งนี้ได้รายงานให้ผู้บริหารทราบแล้ว\nและจะติดตามผลในไตรมาสถัดไป\nอีกครั้งหนึ่ง\n")
    m, = extract(text, "t.txt").measures
    assert m.result == "ประกาศแผนบนเว็บไซต์"


def test_a_page_number_in_html_markup_is_a_page_break():
    doc = parse_text("<p>บรรทัดแรก</p>\n<p>- ๒ -</p>\n<p>บรรทัดถัดไป</p>\n", "t.html", "html")
    assert [(l.text, l.page) for l in doc.lines()] == [("บรรทัดแรก", 1), ("บรรทัดถัดไป", 2)]


def test_a_pages_first_line_naming_an_agency_is_a_running_header_not_cell_text():
    text = ("| มาตรการ | วิธีการ |\n|---|---|\n| จัดอบรมคุณธรรม | เชิญวิทยากรมาบรรยาย |\n\n"
            "หน้า ๒\n\nรายงานผลตามมาตรการฯ เทศบาลเมืองบ้านสวน\n\n"
            "| มาตรการ | วิธีการ |\n|---|---|\n| ตั้งกล่องรับความเห็น | ติดตั้งหน้าสำนักงาน |\n")
    a, b = extract(text).measures
    assert a.method == "เชิญวิทยากรมาบรรยาย"


def test_an_oit_report_round_in_a_measure_is_not_the_reports_round():
    text = ("รายงานผลการดำเนินการตามมาตรการ ประจำปีงบประมาณ ๒๕๖๖\n\n"
            "มาตรการ\tผลการดำเนินการ\n"
            "เผยแพร่รายงานการกำกับติดตาม\tเผยแพร่แล้ว\n\n"
            "เผยแพร่รายงานการกำกับติดตามการดำเนินงานรอบ ๖ เดือนบนเว็บไซต์แล้ว ทั้งสองฉบับ ครบถ้วนตามกำหนด\n")
    assert extract(text, "t.txt").report_period is None
    assert extract("รายงานผลการดำเนินการ รอบ ๑๒ เดือน ปีงบประมาณ ๒๕๖๖\n", "t.txt").report_period == "12m"


def test_a_provincial_organisation_is_placed_in_its_capital_district():
    res = resolve_agency(parse_agency_mentions("องค์การบริหารส่วนจังหวัดพิจิตร"))
    assert (res.district, res.province, res.dla_code) == ("เมืองพิจิตร", "พิจิตร", "2660101")


def test_a_cells_tail_before_a_long_footer_and_a_page_break_rejoins_its_cell():
    footer = "องค์การบริหารส่วนตำบลบ้านใหม่ หมู่ที่ ๓ ตำบลบ้านใหม่ อำเภอเมือง จังหวัดตัวอย่าง ๑๒๓๔๕"
    text = ("ที่\tมาตรการ\tผลการดำเนินการ\n"
            "๑\tประกาศแผนจัดซื้อ\tประกาศแผนบนเว็บไซต์\n"
            f"เมื่อวันที่ ๓ พฤศจิกายน ๒๕๖๖\n\n{footer}\n\nหน้า ๒\n\n"
            "ที่\tมาตรการ\tผลการดำเนินการ\n"
            "๒\tรายงานผลจัดซื้อรายเดือน\tรายงานครบทุกเดือน\n")
    a, b = extract(text, "t.txt").measures
    assert a.result == "ประกาศแผนบนเว็บไซต์ เมื่อวันที่ ๓ พฤศจิกายน ๒๕๖๖"
    assert b.result == "รายงานครบทุกเดือน"


# ---- found by the second blind half ---------------------------------------------------

def test_the_overall_score_is_quoted_not_a_tools_and_its_year_may_stand_on_an_earlier_line():
    from extractor.reading.document_fields import find_prior_score
    doc = parse_text("ผลการประเมิน ITA ประจำปีงบประมาณ ๒๕๖๖\n"
                     "หน่วยงานได้คะแนนภาพรวม ๘๘.๔๐ คะแนน อยู่ในระดับ ผ่าน โดยแบบวัด IIT ได้ ๙๒.๑๐ คะแนน\n", "t.txt")
    assert find_prior_score(doc).score == 88.4
    doc = parse_text("ประกาศผลการประเมิน ITA ประจำปี ๒๕๖๕\n\nบัดนี้ ได้ประกาศผลการประเมินแล้ว "
                     "ได้คะแนนภาพรวม ๙๑.๐๐ คะแนน อยู่ในระดับ A\n", "t.txt")
    ps = find_prior_score(doc)
    assert (ps.score, ps.year_be, ps.level) == (91.0, 2565, "A")


def test_a_status_table_without_section_rows_completes_the_plan_under_sections():
    text = ("ปีงบประมาณ ๒๕๖๗\n\nที่\tมาตรการ\tผู้รับผิดชอบ\tระยะเวลา\n"
            "ด้านที่ ๑ (IIT)\t\t\t\n๑\tประกาศนโยบายซื่อสัตย์สุจริต\tสำนักปลัด\tต.ค. ๖๖\n"
            "ด้านที่ ๓ (OIT)\t\t\t\n๒\tปรับปรุงเว็บไซต์ให้ครบถ้วน\tกองคลัง\tพ.ย. ๖๖\n\n"
            "ผลการดำเนินการตามมาตรการ\n\nที่\tมาตรการ\tดำเนินการแล้ว\tยังไม่ได้ดำเนินการ\n"
            "๑\tประกาศนโยบายซื่อสัตย์สุจริตของผู้บริหาร\t✓\t\n๒\tปรับปรุงเว็บไซต์\t\t✓\n")
    a, b = extract(text, "t.txt").measures
    assert (a.section, a.status, b.section, b.status) == ("IIT", "completed", "OIT", "not_started")


def test_a_table_of_further_columns_keyed_by_number_completes_the_rows_listed_before():
    text = ("ปีงบประมาณ ๒๕๖๘\n\nลำดับ\tมาตรการ\tผู้รับผิดชอบ\n๑\tจัดอบรมจริยธรรม\tสำนักปลัด\n"
            "๒\tเผยแพร่แผนจัดซื้อ\tกองคลัง\n\nตารางที่ ๑ (ต่อ)\n\n"
            "ลำดับ\tการกำกับติดตาม\tผลการดำเนินงาน\tสถานะ\n"
            "๑\tรายงานนายก\tอบรมแล้ว ๘๐ คน\tดำเนินการแล้ว\n๒\tตรวจทุกเดือน\tเผยแพร่แล้ว\tอยู่ระหว่างดำเนินการ\n"
            "๙\tไม่มีในแผน\tไม่มี\tยังไม่ดำเนินการ\n")
    report = extract(text, "t.txt")
    a, b = report.measures
    assert (a.monitoring, a.result, a.status) == ("รายงานนายก", "อบรมแล้ว ๘๐ คน", "completed")
    assert b.status == "in_progress" and b.responsible == "กองคลัง"
    orphan, = [n for n in report.notes if n.kind == "row_not_measure"]
    assert "ไม่มีในแผน" in orphan.message  # kept, not silently dropped


def test_codes_written_with_the_letter_o_anywhere_in_the_row_are_cited():
    text = ("มาตรการ\tวิธีการ\tหมายเหตุ\n"
            "ปรับปรุงเว็บไซต์\tมอบหมายผู้ดูแลข้อมูลรายข้อ (O1-O3, O11) ห้อง ๐๑๒\t-\n")
    m, = extract(text, "t.txt").measures
    assert m.oit_items == ["O1", "O2", "O3", "O11"]


def test_a_tool_column_names_each_rows_section():
    text = ("<table><tr><th>แบบวัด</th><th>มาตรการ</th><th>ผู้รับผิดชอบ</th></tr>"
            "<tr><td rowspan='2'>EIT</td><td>ลดขั้นตอนงานทะเบียน</td><td>สำนักปลัด</td></tr>"
            "<tr><td>ตั้งจุดบริการด่วน</td><td>สำนักปลัด</td></tr>"
            "<tr><td>แบบวัดการเปิดเผยข้อมูลสาธารณะ</td><td>ปรับปรุงเว็บไซต์</td><td>กองคลัง</td></tr></table>\n")
    assert [m.section for m in extract(text, "t.html").measures] == ["EIT", "EIT", "OIT"]


def test_an_action_column_is_the_method_not_a_second_result():
    text = ("| ที่ | มาตรการ | การดำเนินการ | ผลการดำเนินการ |\n|---|---|---|---|\n"
            "| ๑ | จัดทำคู่มือ | รวบรวมขั้นตอนทุกงาน | ประกาศใช้แล้ว |\n")
    m, = extract(text).measures
    assert (m.method, m.result) == ("รวบรวมขั้นตอนทุกงาน", "ประกาศใช้แล้ว")


def test_done_words_beside_a_share_below_100_mean_in_progress():
    text = "| มาตรการ | สถานะ |\n|---|---|\n| จัดทำคู่มือ | ดำเนินการแล้ว ร้อยละ 60 |\n| อบรม | ดำเนินการแล้ว 100% |\n"
    assert [m.status for m in extract(text).measures] == ["in_progress", "completed"]


def test_a_row_numbered_twice_by_a_table_printed_in_two_parts_keeps_one_number():
    text = "| ที่ | มาตรการ | ที่ | ผลการดำเนินงาน |\n|---|---|---|---|\n| 7 | อบรมจริยธรรม | 7 | อบรมแล้ว |\n"
    assert extract(text).measures[0].seq == "7"


def test_stray_lines_go_to_the_cell_that_stops_mid_phrase():
    text = ("| มาตรการ | ผลลัพธ์ | ข้อเสนอแนะ |\n|---|---|---|\n"
            "| พัฒนาระบบยื่นคำร้องออนไลน์สำหรับงานขออนุญาตทุกประเภทของหน่วยงาน | ลดการเดินทาง | ควรประชาสัมพันธ์ให้ |\n\n"
            "ประชาชนรับทราบมากขึ้น\n\n---\n\n"
            "| มาตรการ | ผลลัพธ์ | ข้อเสนอแนะ |\n|---|---|---|\n| ตั้งกล่องรับความเห็น | มีผู้เสนอ ๑๒ เรื่อง | - |\n")
    m = extract(text).measures[0]
    assert m.recommendation == "ควรประชาสัมพันธ์ให้ ประชาชนรับทราบมากขึ้น"


def test_a_sign_off_date_and_a_memo_date_after_a_tab_are_report_dates():
    from datetime import date
    from extractor.reading.document_fields import find_report_date
    doc = parse_text("<p>ลงชื่อ ผู้รายงาน<br>(นางสาวตัวอย่าง ใจดี)<br>ปลัดเทศบาล<br>5 ตุลาคม 2566</p>\n",
                     "t.html", "html")
    assert find_report_date(doc) == date(2023, 10, 5)
    doc = parse_text("ที่ อด ๑๒๓/๔๕\tวันที่ ๑๘ ตุลาคม ๒๕๖๗\n\nข้อมูล ณ วันที่ ๓๐ กันยายน ๒๕๖๗\n", "t.txt")
    assert find_report_date(doc) == date(2024, 10, 18)


def test_a_percent_column_of_bare_numbers_is_the_status():
    text = ("| ที่ | มาตรการ | ผู้รับผิดชอบ | ร้อยละ |\n|---|---|---|---|\n"
            "| ๑ | ติดตั้งบัตรคิว | สำนักปลัด | ๑๐๐ |\n| ๒ | อบรมการบริการ | สำนักปลัด | ๐ |\n"
            "| ๓ | จัดทำคู่มือ | กองช่าง | ๔๐ |\n")
    assert [m.status for m in extract(text).measures] == ["completed", "not_started", "in_progress"]


def test_a_title_sliced_into_columns_above_a_header_and_a_header_wrap_below_it():
    """OCR and unruled PDFs put the title line above a table into its columns, and the
    last word of a wrapped header cell on a line of its own."""
    from extractor.model import Cell
    from extractor.reading.layout import read_layout

    def row(*texts):
        return [Cell(t, 1) for t in texts]
    rows = [row("", "องค์การบริหารส่วนตำบลตัวอย่าง", "จังหวัดตัวอย่าง", "", "", ""),
            row("ลำดับ", "มาตรการ", "วิธีการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนิน", "ผลการดำเนินงาน"),
            row("", "", "", "", "การ", ""),
            row("๑", "จัดอบรม", "เชิญวิทยากร", "สำนักปลัด", "ม.ค. ๖๗", "อบรมแล้ว")]
    layout, n = read_layout(rows)
    assert n == 3 and layout.fields == ("seq", "measure", "method", "responsible", "period_text", "result")


def test_item_codes_whose_o_ocr_read_as_a_zero_are_cited_not_row_numbers():
    """Found on the blind scans: a first column of OIT items OCR'd "01-04", "011-012", "๐๑๓"
    (every O read as a zero). The column holds codes, not row numbers."""
    text = ("ปีงบประมาณ ๒๕๖๗\n\n| ข้อ | มาตรการ | ผู้รับผิดชอบ |\n|---|---|---|\n"
            "| 01-04 | ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์ | สำนักปลัด |\n"
            "| 011-012 | เผยแพร่แผนการใช้จ่ายงบประมาณ | กองคลัง |\n"
            "| ๐๑๓ | รายงานผลการดำเนินงานประจำปี | กองยุทธศาสตร์ |\n")
    a, b, c = extract(text).measures
    assert a.oit_items == ["O1", "O2", "O3", "O4"] and b.oit_items == ["O11", "O12"]
    assert c.oit_items == ["O13"] and {a.seq, b.seq, c.seq} == {None}


def test_zero_padded_row_numbers_stay_row_numbers():
    text = ("ปีงบประมาณ ๒๕๖๗\n\n| ลำดับ | มาตรการ | ผู้รับผิดชอบ |\n|---|---|---|\n"
            "| 01 | ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์ | สำนักปลัด |\n"
            "| 02 | เผยแพร่แผนการใช้จ่ายงบประมาณ | กองคลัง |\n")
    a, b = extract(text).measures
    assert (a.seq, b.seq) == ("01", "02") and a.oit_items == b.oit_items == []  # as printed
