"""Table logic on small reports of our own: stitching, carry-down, headings, status."""
from datetime import date

from extractor.reading.pipeline import extract_document
from extractor.reading.readers.text import parse_text

HEAD = "มาตรการ/แนวทาง\tวิธีดำเนินการ\tผู้รับผิดชอบ\tระยะเวลา\tผลการดำเนินการ"


def extract(text):
    return extract_document(parse_text(text, "t.txt"))


def test_reordered_and_respaced_headers_map_to_the_same_fields():
    text = ("ระยะ เวลา ดำเนินการ\tหน่วยงาน ผู้รับผิดชอบ\tมาตรการ / แนวทาง\tขั้นตอน/ วิธีปฏิบัติ\n"
            "ต.ค.๖๕ - มี.ค.๖๖\tกองคลัง\t๑. จัดทำแผนจัดซื้อ\tประกาศบนเว็บไซต์\n")
    m, = extract(text).measures
    assert (m.measure, m.seq, m.responsible, m.method) == ("จัดทำแผนจัดซื้อ", "1", "กองคลัง", "ประกาศบนเว็บไซต์")
    assert (m.period_start, m.period_end) == (date(2022, 10, 1), date(2023, 3, 31))
    assert m.period_text == "ต.ค.65 - มี.ค.66"


def test_row_continued_on_next_page_is_merged_cell_by_cell():
    text = (f"ปีงบประมาณ ๒๕๖๖\n\n{HEAD}\n๑. อบรมพนักงาน\tจัดอบรม\tสำนักปลัด\tม.ค. - มี.ค. ๖๖\tอบรมแล้ว\n\n"
            f"- 2 -\n\n{HEAD}\n\tและทดสอบความรู้\t\t\tผู้เข้าอบรม ๕๐ คน\n")
    m, = extract(text).measures
    assert m.method == "จัดอบรม และทดสอบความรู้"
    assert m.result == "อบรมแล้ว ผู้เข้าอบรม ๕๐ คน"


def test_continuation_table_without_repeated_header_is_stitched():
    text = (f"{HEAD}\n๑. อบรมพนักงาน\tจัดอบรม\tสำนักปลัด\tม.ค. - มี.ค. ๖๖\tอบรมแล้ว\n\n"
            "\tส่วนที่ต่อ\t\t\t\n")
    m, = extract(text).measures
    assert m.method == "จัดอบรม ส่วนที่ต่อ"


def test_empty_key_with_its_own_period_is_a_new_measure_under_the_same_key():
    head = "ตัวชี้วัด\tผู้รับผิดชอบ\tขั้นตอนหรือวิธีปฏิบัติ\tระยะเวลาดำเนินการ\n"
    text = (head + "๒ การใช้งบประมาณ\tกองคลัง\tจัดทำแผน\tก.พ. - ก.ย.๖๖\n"
            "\tงานพัสดุ\tเผยแพร่แผน\tมี.ค. - ก.ย.๖๖\n")
    a, b = extract(text).measures
    assert a.measure == b.measure == "๒ การใช้งบประมาณ"
    assert a.indicator_no == b.indicator_no == 2
    assert b.responsible == "งานพัสดุ" and b.period_start == date(2023, 3, 1)
    assert any(n.kind == "key_carried_down" for n in b.notes)


def test_stray_lines_outside_the_table_rejoin_the_cell_they_continue():
    text = (f"{HEAD}\n-ปรับปรุงเว็บไซต์\t-จัดทำข้อมูลให้เป็นไปตามเกณฑ์การประเมินและเผยแพร่\t"
            "งานประชาสัมพันธ์\tม.ค. - มี.ค. ๖๖\tเผยแพร่แล้ว\n\n"
            "บนเว็บไซต์หน่วยงาน  \nตามเกณฑ์การประเมิน  \n\n"
            "## มาตรการ (OIT) ต่อ\n\n"
            f"{HEAD}\n-ประกาศนโยบาย\tประชุมชี้แจง\tสำนักปลัด\tม.ค. - มี.ค. ๖๖\tประกาศแล้ว\n")
    a, b = extract(text).measures
    assert a.method.endswith("บนเว็บไซต์หน่วยงาน ตามเกณฑ์การประเมิน")
    assert a.result == "เผยแพร่แล้ว"
    assert b.section == "OIT" and a.section is None


def test_prose_between_tables_is_not_taken_for_stray_cell_text():
    long_line = "ตามที่หน่วยงานได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานแล้ว จึงขอรายงานผลดังต่อไปนี้"
    text = (f"{HEAD}\n๑. ก\tข\tค\tม.ค. ๖๖\tง\n\n{long_line}\n\n{HEAD}\n\tต่อ\t\t\t\n")
    m, = extract(text).measures
    assert "ตามที่" not in (m.method or "") and m.method == "ข"


def test_section_headings_and_header_cells_set_the_section():
    text = ("## ๑. มาตรการเพื่อขับเคลื่อน (EIT)\n\n"
            f"{HEAD}\n๑. ก\tข\tค\tม.ค. ๖๖\tง\n\n(ต่อ)\n\n{HEAD}\n๒. จ\tฉ\tช\tม.ค. ๖๖\tซ\n\n"
            "มาตรการ/แนวทาง ยกระดับ OIT\tวิธีดำเนินการ\tผู้รับผิดชอบ\n๑. ฌ\tญ\tฎ\n")
    assert [m.section for m in extract(text).measures] == ["EIT", "EIT", "OIT"]


def test_indicator_heading_is_carried_to_rows_that_name_none():
    text = ("สรุปการประเมิน OIT\n\nตัวชี้วัดที่ 9 การเปิดเผยข้อมูล\n\n"
            f"{HEAD}\n๑. ปรับปรุงเว็บไซต์\tข\tค\tม.ค. ๖๖\tง\n")
    m, = extract(text).measures
    assert (m.section, m.indicator_no, m.indicator_name) == ("OIT", 9, "การเปิดเผยข้อมูล")


def test_two_row_status_header_and_check_marks():
    text = ("มาตรการ/แนวทาง\tขั้นตอนหรือวิธีการปฏิบัติ\tสถานะดำเนินงาน\t\t\n"
            "\t\tยังไม่ ดำเนินการ\tอยู่ระหว่าง ดำเนินการ\tดำเนินการแล้ว\n"
            "๑. ก\tข\t-\t✓\t-\n๒. ค\tง\t-\t-\t✓ (ตรวจได้จากเว็บไซต์)\n๓. จ\tฉ\t\t\t\n")
    a, b, c = extract(text).measures
    assert (a.status, b.status, c.status) == ("in_progress", "completed", None)
    assert b.status_text == "(ตรวจได้จากเว็บไซต์)" and b.result is None


def test_inline_checkboxes_give_status_and_leave_the_result_text():
    text = ("| ตัวชี้วัด | แนวทางในการยกระดับ | ความก้าวหน้าผลการดำเนินการ |\n|---|---|---|\n"
            "| ตัวชี้วัดที่ 2 การใช้งบประมาณ คะแนน 91.50 | ชี้แจงงบประมาณ | <p>ชี้แจงแล้ว</p> "
            "<p><input type=\"checkbox\"> ดำเนินการแล้วเสร็จ</p> "
            "<p><input checked=\"\" type=\"checkbox\"/> อยู่ระหว่างดำเนินการ</p> |\n")
    m, = extract(text).measures
    assert (m.status, m.result, m.score, m.indicator_no) == ("in_progress", "ชี้แจงแล้ว", 91.5, 2)
    assert m.measure == "ตัวชี้วัดที่ 2 การใช้งบประมาณ คะแนน 91.50"


def test_plan_table_then_status_table_give_one_measure_each():
    text = ("มาตรการ/แนวทาง ยกระดับ IIT\tวิธีดำเนินการ\tผู้รับผิดชอบ\tระยะเวลา ดำเนินการ\n"
            "๑. ประกาศนโยบาย No Gift Policy\tประชุมชี้แจง\tสำนักปลัด\tต.ค.๖๕ - มี.ค.๖๖\n"
            "๒. เผยแพร่แผนงบประมาณ\tเวียนหนังสือ\tกองคลัง\tต.ค.๖๕ - มี.ค.๖๖\n\n"
            "ผลการดำเนินการตามมาตรการ\n\n"
            "มาตรการ/แนวทาง ยกระดับ IIT\tขั้นตอนหรือวิธีการปฏิบัติ\tยังไม่ดำเนินการ\tอยู่ระหว่างดำเนินการ\tดำเนินการแล้ว\n"
            "๑. ประกาศนโยบาย No Gift  Policy\tประชุมชี้แจง\t-\t-\t✓\n"
            "๒. เผยแพร่แผน งบประมาณ\tเวียนหนังสือ\t-\t✓\t-\n")
    report = extract(text)
    assert [(m.seq, m.status, m.responsible, m.table_kind) for m in report.measures] == [
        ("1", "completed", "สำนักปลัด", "measures"), ("2", "in_progress", "กองคลัง", "measures")]
    assert report.layout == "measures"


def test_rows_repeating_a_measure_within_one_table_stay_separate():
    text = (f"{HEAD}\n๑. ก\tข\tค\tม.ค. ๖๖\tง\n๑. ก\tข\tค\tก.พ. ๖๖\tง\n")
    assert len(extract(text).measures) == 2


def test_table_without_a_known_header_is_skipped_with_a_warning():
    report = extract("ลงชื่อ\tตำแหน่ง\nนายก\tปลัด\n")
    assert report.measures == [] and report.status == "empty"
    assert any(n.kind == "table_no_header" and "นายก" in n.message for n in report.notes)


def test_a_caption_row_above_the_header_is_skipped_and_may_name_the_section():
    html = ("<table><tr><td colspan=\"3\">ผลการดำเนินการตามมาตรการ (EIT)</td></tr>"
            "<tr><th>มาตรการ/แนวทาง</th><th>ผู้รับผิดชอบ</th><th>ระยะเวลา</th></tr>"
            "<tr><td>๑. ปรับปรุงเว็บไซต์</td><td>สำนักปลัด</td><td>ม.ค. - มี.ค. ๖๗</td></tr></table>")
    m, = extract(html).measures
    assert (m.seq, m.measure, m.responsible, m.section) == ("1", "ปรับปรุงเว็บไซต์", "สำนักปลัด", "EIT")


def test_rows_above_a_header_that_are_not_captions_do_not_hide_the_table_layout():
    text = (f"{HEAD}\n๑. ก\tข\tค\tม.ค. ๖๖\tง\n\n"
            f"\tต่อจากหน้าก่อน\t\t\t\n{HEAD}\n๒. จ\tฉ\tช\tม.ค. ๖๖\tซ\n")
    a, b = extract(text).measures
    assert a.method == "ข ต่อจากหน้าก่อน" and b.seq == "2"


def test_a_header_repeated_inside_a_table_can_start_the_next_section():
    text = ("มาตรการ/แนวทาง ยกระดับ IIT\tวิธีดำเนินการ\tผู้รับผิดชอบ\n๑. ก\tข\tค\n"
            "มาตรการ/แนวทาง ยกระดับ OIT\tวิธีดำเนินการ\tผู้รับผิดชอบ\n๑. ง\tจ\tฉ\n")
    assert [m.section for m in extract(text).measures] == ["IIT", "OIT"]


def test_a_section_row_inside_a_table_outranks_the_header_section():
    html = ("<table><tr><th>มาตรการ/แนวทาง ยกระดับ IIT</th><th>ผู้รับผิดชอบ</th></tr>"
            "<tr><td>๑. ก</td><td>ข</td></tr>"
            "<tr><td colspan=\"2\">ด้าน OIT</td></tr>"
            "<tr><td>๑. ค</td><td>ง</td></tr></table>")
    assert [m.section for m in extract(html).measures] == ["IIT", "OIT"]


def test_an_indicator_label_alone_on_its_row_groups_the_measures_below():
    text = (f"{HEAD}\nตัวชี้วัดที่ ๒ การใช้งบประมาณ\t\t\t\t\n๑. เผยแพร่แผน\tข\tค\tม.ค. ๖๖\tง\n"
            "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร\t\t\t\t\n๒. เพิ่มช่องทาง\tข\tค\tม.ค. ๖๖\tง\n")
    a, b = extract(text).measures
    assert (a.indicator_no, b.indicator_no, b.indicator_name) == (2, 7, "ประสิทธิภาพการสื่อสาร")


def test_a_header_broken_over_two_lines_is_joined_column_by_column():
    text = ("มาตรการ/\tขั้นตอน/\tหน่วยงาน\tระยะเวลา\tสรุปผล\n"
            "แนวทาง\tวิธีปฏิบัติ\tผู้รับผิดชอบ\tดำเนินการ\tดำเนินการ\n"
            "๑. จัดอบรม\tเชิญวิทยากร\tสำนักปลัด\tม.ค. - มี.ค. ๖๖\tอบรมแล้ว\n")
    m, = extract(text).measures
    assert (m.measure, m.method, m.responsible, m.period_text, m.result) == (
        "จัดอบรม", "เชิญวิทยากร", "สำนักปลัด", "ม.ค. - มี.ค. 66", "อบรมแล้ว")


def test_known_extra_columns_do_not_hide_a_table_and_their_text_is_kept():
    text = ("ที่\tมาตรการ/แนวทาง\tเป้าหมาย\tงบประมาณ\tผู้รับผิดชอบ\tระยะเวลา\tหมายเหตุ\n"
            "1\tจัดอบรม\tพนักงาน ๓๐ คน\t๕,๐๐๐\tสำนักปลัด\tม.ค. ๖๖\t-\n")
    m, = extract(text).measures
    assert (m.seq, m.measure, m.responsible) == ("1", "จัดอบรม", "สำนักปลัด")
    assert m.extra == {"เป้าหมาย": "พนักงาน ๓๐ คน", "งบประมาณ": "๕,๐๐๐", "หมายเหตุ": "-"}
    assert m.budget_baht == 5000.0
    assert any(n.kind == "extra_columns" for n in m.notes)


def test_a_table_with_headers_but_no_measure_column_is_reported():
    report = extract("ผู้รับผิดชอบ\tระยะเวลา\nสำนักปลัด\tม.ค. ๖๖\n")
    assert report.measures == []
    assert any(n.kind == "table_not_measures" for n in report.notes)


def test_an_open_ended_period_keeps_its_start_and_says_the_end_is_unknown():
    m, = extract(f"{HEAD}\n๑. ก\tข\tค\tต.ค. ๖๕ - ปัจจุบัน\tง\n").measures
    assert (m.period_start, m.period_end) == (date(2022, 10, 1), None)
    assert any(n.kind == "period_end_unparsed" for n in m.notes)
