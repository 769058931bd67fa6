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
