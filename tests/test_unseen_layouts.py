"""Layouts beyond the seeds (issue 9), each on a small report written for the test:
labelled blocks with no table, tables that hold no measures, group and section rows,
columns and values the seeds never had, stray lines and running footers."""
from datetime import date

from extractor.reading.pipeline import extract_document
from extractor.reading.readers.text import parse_text


def extract(text, name="t.txt"):
    return extract_document(parse_text(text, name))


def kinds(notes):
    return {n.kind for n in notes}


# ---- reports with no table ------------------------------------------------------------

BLOCKS = """รายงานการขับเคลื่อนมาตรการด้านความโปร่งใส ประจำปีงบประมาณ ๒๕๖๗
เทศบาลตำบลตัวอย่าง

แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)

กิจกรรมที่ ๑ : เปิดช่องทางนัดหมายล่วงหน้าสำหรับงานทะเบียนราษฎร
วิธีปฏิบัติ : ประกาศเบอร์โทรศัพท์สำหรับนัดหมายบนป้ายหน้าสำนักงาน
และทางเพจของหน่วยงาน
หน่วยงานผู้รับผิดชอบ : สำนักปลัด
ช่วงเวลา : พฤศจิกายน ๒๕๖๖ - มกราคม ๒๕๖๗
ผลการปฏิบัติ : มีผู้ใช้บริการนัดหมาย ๔๕ ราย

- ๒ -

หัวกระดาษ ITA ตัวอย่าง

สถานะ :
☐ ดำเนินการแล้ว
☑ อยู่ระหว่างดำเนินการ

กิจกรรมที่ ๒ : ทำแบบสอบถามความพึงพอใจหลังรับบริการ
วิธีปฏิบัติ : แจกแบบสอบถามกระดาษที่จุดบริการ
หน่วยงานผู้รับผิดชอบ : กองคลัง
ช่วงเวลา : ไตรมาส ๓
สถานะ : ดำเนินการแล้วเสร็จ

- ๓ -

หัวกระดาษ ITA ตัวอย่าง

ลงชื่อ ผู้รายงาน
"""


def test_labelled_blocks_are_measures_with_the_table_vocabulary():
    report = extract(BLOCKS)
    a, b = report.measures
    assert (a.seq, a.measure, a.section, a.table_kind) == (
        "1", "เปิดช่องทางนัดหมายล่วงหน้าสำหรับงานทะเบียนราษฎร", "EIT", "blocks")
    # a value wrapped onto the next line continues; the page's running header does not
    assert a.method == "ประกาศเบอร์โทรศัพท์สำหรับนัดหมายบนป้ายหน้าสำนักงาน และทางเพจของหน่วยงาน"
    assert a.result == "มีผู้ใช้บริการนัดหมาย ๔๕ ราย"
    assert (a.responsible, a.period_start, a.period_end) == ("สำนักปลัด", date(2023, 11, 1), date(2024, 1, 31))
    assert a.status == "in_progress"  # checkboxes on the lines under "สถานะ :"
    assert (b.seq, b.status, b.responsible) == ("2", "completed", "กองคลัง")
    assert (b.period_start, b.period_end) == (date(2024, 4, 1), date(2024, 6, 30))
    assert report.layout == "blocks"


def test_dash_labels_and_an_unnumbered_heading_right_above_the_first_label():
    text = ("ปีงบประมาณ 2565\n\n"
            "ลดการใช้กระดาษในการประชุมของผู้บริหาร\n"
            "แนวทางปฏิบัติ - ส่งวาระการประชุมทางอีเมล\n"
            "ผู้ดำเนินการ - งานธุรการ\n"
            "ระยะเวลา - ม.ค. – มี.ค. 65\n")
    m, = extract(text).measures
    assert (m.seq, m.measure, m.method, m.responsible) == (
        None, "ลดการใช้กระดาษในการประชุมของผู้บริหาร", "ส่งวาระการประชุมทางอีเมล", "งานธุรการ")
    assert m.period_end == date(2022, 3, 31)


def test_a_block_with_a_single_label_is_not_a_measure_and_its_lines_stay():
    text = "มาตรการที่ ๑ บางสิ่ง\nหมายเหตุ : ไม่มี\n\nผู้รับผิดชอบ : นายสมชาย\n"
    report = extract(text)
    assert report.measures == [] and report.status == "empty"


# ---- tables that are not measure tables ------------------------------------------------

def test_a_result_announcement_has_no_measures():
    text = ("ประกาศผลการประเมิน ITA ปีงบประมาณ ๒๕๖๖\n\n"
            "| เครื่องมือ | ตัวชี้วัด | ผลคะแนน | ระดับ |\n|---|---|---|---|\n"
            "| IIT | ตัวชี้วัดที่ ๓ การใช้อำนาจ | ๙๗.๐๐ | ผ่านดีเยี่ยม |\n"
            "| | รวม | ๙๕.๑๐ | |\n")
    report = extract(text)
    assert report.measures == [] and report.status == "empty"
    assert "table_not_measures" in kinds(report.notes)


def test_a_score_table_after_the_measures_is_left_out_even_without_a_header():
    text = ("มาตรการ\tผู้รับผิดชอบ\tระยะเวลา\n๑. ติดตั้งกล่องรับความคิดเห็น\tสำนักปลัด\tต.ค. ๖๕\n\n"
            "คะแนนรายตัวชี้วัดปีที่ผ่านมา\n\n"
            "ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่\t๘๘.๐๐\tA\nตัวชี้วัดที่ ๒ การใช้งบประมาณ\t๗๙.๕๐\tB\n")
    report = extract(text)
    assert [m.measure for m in report.measures] == ["ติดตั้งกล่องรับความคิดเห็น"]


def test_an_indicator_table_with_only_scores_and_issues_is_an_analysis_not_measures():
    text = ("ตัวชี้วัด\tคะแนน\tประเด็นที่ต้องปรับปรุง\n"
            "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล\t๗๐.๐๐\tข้อมูลไม่ครบ\n")
    assert extract(text).measures == []


# ---- rows inside a table that are not measures -----------------------------------------

def test_group_rows_give_their_activities_a_measure_group():
    text = ("ลำดับ\tมาตรการ/กิจกรรม\tผู้รับผิดชอบ\tระยะเวลา\n"
            "2\tส่งเสริมการใช้รถยนต์ราชการอย่างประหยัด\t\t\n"
            "2.1\tบันทึกเลขไมล์ทุกครั้งที่ใช้รถ\tกองช่าง\tม.ค. ๖๗\n"
            "2.2\tสรุปค่าน้ำมันรายเดือน\tกองคลัง\tก.พ. ๖๗\n"
            "3\tประชุมชี้แจงแนวทางการเบิกจ่าย\tกองคลัง\tมี.ค. ๖๗\n")
    a, b, c = extract(text).measures
    assert [(m.seq, m.measure_group) for m in (a, b, c)] == [
        ("2.1", "ส่งเสริมการใช้รถยนต์ราชการอย่างประหยัด"),
        ("2.2", "ส่งเสริมการใช้รถยนต์ราชการอย่างประหยัด"), ("3", None)]
    assert c.measure == "ประชุมชี้แจงแนวทางการเบิกจ่าย"


def test_a_colspan_group_row_without_numbers_groups_the_rows_below():
    html = ("<table><tr><th>แนวทาง</th><th>หน่วยงาน</th><th>สถานะ</th></tr>"
            "<tr><td colspan=\"3\">ด้านการลดขั้นตอนการให้บริการ</td></tr>"
            "<tr><td>รับคำร้องทางออนไลน์</td><td>สำนักปลัด</td><td>เสร็จแล้ว</td></tr>"
            "<tr><td colspan=\"3\">แบบวัด OIT</td></tr>"
            "<tr><td>ปรับปรุงเว็บไซต์</td><td>กองคลัง</td><td>กำลังดำเนินการ</td></tr></table>")
    a, b = extract(html, "t.html").measures
    assert (a.measure_group, a.status, a.section) == ("ด้านการลดขั้นตอนการให้บริการ", "completed", None)
    assert (b.measure_group, b.status, b.section) == (None, "in_progress", "OIT")


# ---- columns ---------------------------------------------------------------------------

def test_issue_score_oit_budget_and_percentage_columns():
    text = ("ข้อ\tประเด็นที่ต้องพัฒนา\tมาตรการแก้ไข\tขั้นตอน/วิธีการ\tคะแนนปี 2566\tงบประมาณ (บาท)\t"
            "ร้อยละความสำเร็จ\tลิงก์ที่เกี่ยวข้อง\n"
            "O๓๖ - O๓๘\tไม่มีรายงานการประเมินความเสี่ยง\tจัดทำรายงานความเสี่ยงประจำปี\tประชุมคณะทำงาน\t"
            "๖๕.๕๐\t๓,๕๐๐\t๘๐\thttps://example.go.th/risk\n")
    m, = extract(text).measures
    assert (m.measure, m.issue, m.method) == ("จัดทำรายงานความเสี่ยงประจำปี",
                                             "ไม่มีรายงานการประเมินความเสี่ยง", "ประชุมคณะทำงาน")
    assert (m.oit_items, m.seq, m.score, m.budget_baht, m.status) == (
        ["O36", "O37", "O38"], None, 65.5, 3500.0, "in_progress")
    assert m.extra == {"คะแนนปี 2566": "๖๕.๕๐", "งบประมาณ (บาท)": "๓,๕๐๐",
                       "ลิงก์ที่เกี่ยวข้อง": "https://example.go.th/risk"}


def test_empty_indicator_score_and_issue_cells_belong_to_the_row_above():
    text = ("| ตัวชี้วัด | คะแนน | ประเด็นปัญหา | มาตรการ | ผู้รับผิดชอบ |\n|---|---|---|---|---|\n"
            "| ๓ การใช้อำนาจ | ๗๔.๒๐ | การมอบหมายงานไม่ชัดเจน | ออกคำสั่งแบ่งงาน | สำนักปลัด |\n"
            "| | | | ประเมินผลรายบุคคลสองครั้งต่อปี | กองการเจ้าหน้าที่ |\n"
            "| ๗ ประสิทธิภาพการสื่อสาร | | | เพิ่มช่องทางไลน์ | สำนักปลัด |\n")
    a, b, c = extract(text, "t.md").measures
    assert (b.indicator_no, b.score, b.issue) == (3, 74.2, "การมอบหมายงานไม่ชัดเจน")
    assert (c.indicator_no, c.score, c.issue) == (7, None, None)


def test_a_score_inside_the_indicator_cell_is_the_rows_score():
    html = ("<table><tr><th>ตัวชี้วัด</th><th>แนวทางการพัฒนา</th><th>ระยะเวลา</th></tr>"
            "<tr><td rowspan=\"2\">ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน (๘๑.๗๕ คะแนน)</td>"
            "<td>ทบทวนขั้นตอนงานทุกไตรมาส</td><td>ไตรมาส ๑-๔</td></tr>"
            "<tr><td>ให้ประชาชนเสนอแนะผ่านคิวอาร์โค้ด</td><td>ไตรมาส ๒</td></tr></table>")
    a, b = extract("ปีงบประมาณ ๒๕๖๘\n" + html, "t.html").measures
    assert (a.indicator_no, a.indicator_name, a.score) == (8, "การปรับปรุงการทำงาน", 81.75)
    assert (b.indicator_no, b.score) == (8, 81.75)
    assert (a.period_start, a.period_end) == (date(2024, 10, 1), date(2025, 9, 30))
    assert (b.period_start, b.period_end) == (date(2025, 1, 1), date(2025, 3, 31))


# ---- document fields -------------------------------------------------------------------

def test_the_report_date_beats_the_data_date_and_a_memo_date_line_counts():
    text = ("ข้อมูล ณ วันที่ ๑ มีนาคม ๒๕๖๖\nปีงบประมาณ ๒๕๖๖\n\n"
            "มาตรการ\tผู้รับผิดชอบ\n๑. ก\tข\n\nรายงาน ณ วันที่ ๕ มีนาคม ๒๕๖๖\n")
    assert extract(text).report_date == date(2023, 3, 5)
    memo = "บันทึกข้อความ\nที่ ชม ๗๘๙๐๑/๑๒ วันที่ ๙ มกราคม ๒๕๖๗\nเรื่อง รายงานผล\n"
    assert extract(memo).report_date == date(2024, 1, 9)


# ---- stray lines -----------------------------------------------------------------------

def test_stray_lines_go_to_the_tallest_cell_and_footers_go_nowhere():
    head = "มาตรการ\tวิธีการ\tผลการดำเนินงาน"
    text = (f"{head}\n๑. จัดระบบการเบิกจ่ายพัสดุ\tตั้งคณะกรรมการ\t"
            "ตรวจนับพัสดุคงเหลือแล้วสองครั้ง พบรายการไม่ตรงบัญชีสามรายการ และได้แจ้งให้ปรับปรุงบัญชี\n\n"
            "การเบิกจ่ายพัสดุภายในเดือนถัดไป\n\nเทศบาลตัวอย่าง ITA\n\n- 1 -\n\n"
            f"{head}\n๒. อบรมเจ้าหน้าที่พัสดุ\tส่งอบรม\tอบรมแล้ว\n\nเทศบาลตัวอย่าง ITA\n\n- 2 -\n")
    a, b = extract(text).measures
    assert a.result.endswith("และได้แจ้งให้ปรับปรุงบัญชี การเบิกจ่ายพัสดุภายในเดือนถัดไป")
    assert a.measure == "จัดระบบการเบิกจ่ายพัสดุ"
    assert "ITA" not in (a.result + a.method + b.result)


# ---- values checked, not trusted -------------------------------------------------------

def test_an_implausible_year_becomes_null_with_a_note_and_no_fiscal_year_from_it():
    text = "มาตรการ\tระยะเวลา\n๑. ก\tตุลาคม ๒๗๐๐\n"
    report = extract(text)
    m, = report.measures
    assert (m.period_start, m.period_end, m.period_text) == (None, None, "ตุลาคม 2700")
    assert any(n.kind == "value_implausible" and "2700" in n.message for n in m.notes)
    assert report.fiscal_year_be is None


def test_a_garbled_year_is_repaired_when_one_reading_fits_the_report_year():
    text = "ปีงบประมาณ ๒๕๖๖\n\nมาตรการ\tระยะเวลา\n๑. ก\tมกราคม - เมษายน ๒๕๒๒๐\n"
    m, = extract(text).measures
    assert (m.period_start, m.period_end) == (date(2023, 1, 1), date(2023, 4, 30))
    assert m.period_text == "มกราคม - เมษายน 25220"
    assert "ocr_year_repaired" in kinds(m.notes)


def test_a_garbled_fiscal_year_in_the_title_is_repaired_or_refused():
    report = extract("รายงานผล ปีงบประมาณ ๒๕๒๒๐\n\nมาตรการ\tระยะเวลา\n๑. ก\tม.ค. ๖๖\n")
    assert report.fiscal_year_be == 2566 and "ocr_year_repaired" in kinds(report.notes)
    report = extract("รายงานผล ปีงบประมาณ ๒๗๐๑\n\nมาตรการ\tระยะเวลา\n๑. ก\tม.ค. ๖๖\n")
    assert report.fiscal_year_be == 2566  # from the periods, not the impossible title year
    assert "value_implausible" in kinds(report.notes)


def test_a_two_column_form_per_measure_is_read_as_labelled_blocks():
    text = ("ปีงบประมาณ ๒๕๖๕\n\n"
            "| กิจกรรมที่ ๓ | จัดทำป้ายแสดงค่าธรรมเนียมการบริการ |\n|---|---|\n"
            "| ขั้นตอนการปฏิบัติ | สำรวจอัตราค่าธรรมเนียม<br>พิมพ์ป้ายติดที่จุดบริการ |\n"
            "| ผู้รับผิดชอบหลัก | กองคลัง |\n| ห้วงเวลาดำเนินการ | มี.ค. ๒๕๖๕ |\n"
            "| ความก้าวหน้า | ☑ ดำเนินการแล้ว |\n")
    m, = extract(text, "t.md").measures
    assert (m.seq, m.measure, m.responsible, m.status) == (
        "3", "จัดทำป้ายแสดงค่าธรรมเนียมการบริการ", "กองคลัง", "completed")
    assert m.method == "สำรวจอัตราค่าธรรมเนียม พิมพ์ป้ายติดที่จุดบริการ"
    assert m.period_end == date(2022, 3, 31)


def test_labels_split_by_line_breaks_inside_one_html_paragraph():
    text = ("ปีงบประมาณ ๒๕๖๔\n<p><b>มาตรการ ๒</b> ตรวจสอบการลงเวลาปฏิบัติราชการ</p>\n"
            "<p>วิธีดำเนินการ : สุ่มตรวจสมุดลงเวลา<br>หน่วยงาน : สำนักปลัด<br>ระยะเวลา : ธ.ค. ๖๓</p>\n")
    m, = extract(text, "t.html").measures
    assert (m.seq, m.measure, m.method, m.responsible) == (
        "2", "ตรวจสอบการลงเวลาปฏิบัติราชการ", "สุ่มตรวจสมุดลงเวลา", "สำนักปลัด")


def test_a_numbered_measure_over_unnumbered_activities_is_their_group():
    text = ("ลำดับ\tมาตรการ\tผู้รับผิดชอบ\tระยะเวลา\n"
            "๔\tมาตรการลดความเสี่ยงในงานจัดเก็บรายได้\t\t\n"
            "\t- ออกใบเสร็จจากระบบทุกครั้ง\tกองคลัง\tต.ค. ๖๖\n"
            "\t- สุ่มตรวจใบเสร็จรายสัปดาห์\tกองคลัง\tพ.ย. ๖๖\n")
    a, b = extract(text).measures
    assert [(m.measure, m.measure_group) for m in (a, b)] == [
        ("- ออกใบเสร็จจากระบบทุกครั้ง", "มาตรการลดความเสี่ยงในงานจัดเก็บรายได้"),
        ("- สุ่มตรวจใบเสร็จรายสัปดาห์", "มาตรการลดความเสี่ยงในงานจัดเก็บรายได้")]


def test_a_table_with_no_measure_column_takes_its_method_column_for_the_measure():
    text = ("ลำดับ\tแนวทางการดำเนินการ\tผู้รับผิดชอบ\tระยะเวลา\n"
            "1\tจัดทำคู่มือการร้องเรียน\tงานนิติการ\tม.ค. ๖๗\n")
    m, = extract(text).measures
    assert (m.seq, m.measure, m.method, m.responsible) == ("1", "จัดทำคู่มือการร้องเรียน", None, "งานนิติการ")


def test_a_second_measure_column_holds_what_is_done():
    text = ("มาตรการ\tกิจกรรม/โครงการ\tผู้รับผิดชอบ\n"
            "๑. ป้องกันผลประโยชน์ทับซ้อน\tอบรมให้ความรู้พนักงานใหม่\tสำนักปลัด\n")
    m, = extract(text).measures
    assert (m.measure, m.method) == ("ป้องกันผลประโยชน์ทับซ้อน", "อบรมให้ความรู้พนักงานใหม่")


def test_a_headerless_numbered_score_table_after_measures_is_left_out_but_a_continued_table_is_not():
    head = "ลำดับ\tมาตรการ\tร้อยละความสำเร็จ\n"
    text = (f"{head}๑\tติดตั้งป้ายช่องทางร้องเรียน\t100\n\n- 2 -\n\n"
            "๒\tประชุมชี้แจงระเบียบพัสดุ\t50\n\n"
            "1\tการปฏิบัติหน้าที่\t92.10\n2\tการใช้งบประมาณ\t88.00\n")
    report = extract(text)
    assert [(m.seq, m.status) for m in report.measures] == [("1", "completed"), ("2", "in_progress")]


def test_paragraph_markup_on_one_line_still_gives_one_label_a_line():
    html = ("<h3>มาตรการที่ ๔ : ทบทวนค่าธรรมเนียม</h3><p>ขั้นตอน/วิธีปฏิบัติ: เทียบอัตรากับข้อบัญญัติ</p>"
            "<p>ผู้รับผิดชอบ: กองคลัง</p><p>สถานะ: <input type=\"checkbox\" checked> ดำเนินการแล้ว</p>\n")
    m, = extract(html, "t.html").measures
    assert (m.seq, m.measure, m.responsible, m.status) == ("4", "ทบทวนค่าธรรมเนียม", "กองคลัง", "completed")


def test_abbreviated_status_sub_headers_under_a_status_group():
    text = ("แนวทาง\tหน่วยงาน\tผลการดำเนินงาน\t\t\n\t\tยังไม่\tอยู่ระหว่าง\tแล้ว\n"
            "๑. ทำป้ายขั้นตอนบริการ\tสำนักปลัด\t\t/\t\n๒. เปิดรับฟังความเห็น\tกองช่าง\t\t\t✓\n")
    a, b = extract(text).measures
    assert (a.status, b.status) == ("in_progress", "completed")


def test_an_issue_column_that_names_an_indicator_gives_the_indicator():
    text = ("ประเด็นที่ต้องพัฒนา\tมาตรการ\tผู้รับผิดชอบ\n"
            "การใช้งบประมาณ\tประกาศแผนการใช้จ่ายเงิน\tกองคลัง\n"
            "เจ้าหน้าที่ไม่ทราบช่องทางร้องเรียน\tทำป้ายช่องทางร้องเรียน\tสำนักปลัด\n")
    a, b = extract(text).measures
    assert (a.indicator_no, a.issue) == (2, "การใช้งบประมาณ")
    assert (b.indicator_no, b.issue) == (None, "เจ้าหน้าที่ไม่ทราบช่องทางร้องเรียน")


def test_a_footer_on_every_page_is_never_cell_text():
    head = "มาตรการ\tวิธีการ\tผลการดำเนินงาน"
    page = "\n\nรายงาน ITA ตัวอย่าง ปี ๒๕๖๖\n\n- {} -\n\n"
    text = (f"{head}\n๑. ก\tข\tผลยาวกว่าช่องอื่นของแถวนี้มาก" + page.format(1)
            + f"{head}\n๒. ค\tง\tจ" + page.format(2) + f"{head}\n๓. ฉ\tช\tซ" + page.format(3))
    report = extract(text)
    assert [m.result for m in report.measures] == ["ผลยาวกว่าช่องอื่นของแถวนี้มาก", "จ", "ซ"]


def test_a_section_row_printed_in_every_cell_of_a_markdown_table():
    text = ("| มาตรการ | ผู้รับผิดชอบ | ระยะเวลา |\n|---|---|---|\n"
            "| ด้าน EIT | ด้าน EIT | ด้าน EIT |\n| ๑. ลดเอกสาร | สำนักปลัด | ม.ค. ๖๖ |\n")
    m, = extract(text, "t.md").measures
    assert (m.seq, m.measure, m.section) == ("1", "ลดเอกสาร", "EIT")


def test_a_wrapped_numbered_heading_and_labels_that_lost_their_separator():
    text = ("ปีงบประมาณ ๒๕๖๖\n\n๓. การพัฒนาระบบรับเรื่องร้องเรียน\nผ่านแอปพลิเคชันไลน์ของหน่วยงาน\n"
            "วิธีการ : เปิดบัญชีไลน์ทางการ\nผู้รับผิดชอบ สำนักปลัด\n"
            "ระยะเวลาดำเนินการ มกราคม - มีนาคม ๒๕๖๖\nสถานะ ดำเนินการแล้ว\n")
    m, = extract(text).measures
    assert (m.seq, m.measure) == ("3", "การพัฒนาระบบรับเรื่องร้องเรียน ผ่านแอปพลิเคชันไลน์ของหน่วยงาน")
    assert (m.responsible, m.status) == ("สำนักปลัด", "completed")
    assert (m.period_start, m.period_end) == (date(2023, 1, 1), date(2023, 3, 31))


def test_a_status_cell_with_no_known_phrase_is_kept_and_noted():
    a, b = extract("มาตรการ\tสถานะ\n๑. ก\tรอประชุมคณะกรรมการ\n๒. ข\t-\n").measures
    assert (a.status, a.status_text) == (None, "รอประชุมคณะกรรมการ")
    assert "status_unread" in kinds(a.notes) and "status_unread" not in kinds(b.notes)
