import time

import pytest

from normalizers.text import clean_text, fix_sara_am, join_letter_spacing, strip_markup

SARA_AM = "\u0e33"


@pytest.mark.parametrize(
    "html",
    [
        '<input type="checkbox" checked>',
        '<input checked type="checkbox">',
        '<input checked="checked" type="checkbox" />',
        '<input checked="" type="checkbox"/>',
        "<INPUT TYPE='checkbox' CHECKED/>",
    ],
)
def test_checked_checkbox_any_attribute_order(html):
    assert strip_markup(f"{html} ดำเนินการแล้ว") == "☑ ดำเนินการแล้ว"


def test_unchecked_checkbox_and_lookalike_attributes():
    assert strip_markup('<input type="checkbox"/>ยังไม่ได้ดำเนินการ') == "☐ ยังไม่ได้ดำเนินการ"
    assert strip_markup('<input type="checkbox" data-checked="1">') == "☐"
    assert strip_markup('<input type="text" value="x">ชื่อ') == "ชื่อ"


def test_block_tags_become_single_spaces_inline_tags_vanish():
    html = '<ul style="list-style-type: none"><li>- ประชุม</li><li>- รวบรวม</li></ul><p>ก</p><p>ข</p>'
    assert strip_markup(html) == "- ประชุม - รวบรวม ก ข"
    assert strip_markup("งาน<b>พัสดุ</b><span>กองคลัง</span>") == "งานพัสดุกองคลัง"
    assert strip_markup("สำนักปลัด<br/>งานธุรการ<div>กองคลัง</div>") == "สำนักปลัด งานธุรการ กองคลัง"


def test_entities_bold_and_literal_brackets():
    assert strip_markup("ก&nbsp;&nbsp;ข &amp; ค") == "ก ข & ค"
    assert strip_markup("**ผลการดำเนินการ** ตามมาตรการ") == "ผลการดำเนินการ ตามมาตรการ"
    assert strip_markup("หน่วยงาน*การแสดง QR") == "หน่วยงาน*การแสดง QR"
    assert strip_markup("&lt;p&gt;") == "<p>"


def test_fix_sara_am():
    assert fix_sara_am("ด\u0e4d\u0e32เนินการ") == f"ด{SARA_AM}เนินการ"
    assert fix_sara_am("ส ร \u0e4d \u0e32 ง") == f"ส ร {SARA_AM} ง"
    assert fix_sara_am("น\u0e4d\u0e49\u0e32") == f"น\u0e49{SARA_AM}"
    assert fix_sara_am("\u0e4dก") == "\u0e4dก"  # nikhahit without sara aa stays


@pytest.mark.parametrize(
    ("spaced", "joined"),
    [
        ("ก า ร ดำเนินการ", "การดำเนินการ"),
        ("ประ ก า ศ", "ประกาศ"),
        ("ส ร ำ ง", "สรำง"),
        ("-๐ ๓ ๑ ประ ม ว ล", "-๐๓๑ ประมวล"),
        ("-๐ ๒ ๔ ก า ร ดำเนินการ", "-๐๒๔ การดำเนินการ"),
        ("ก า ร เ ปิ ด โอกาส", "การเปิดโอกาส"),
        ("ตำบล ดง กล ำ ง", "ตำบล ดง กลำง"),
        ("ปี ๒ ๕ ๖ ๖", "ปี ๒๕๖๖"),
    ],
)
def test_join_letter_spacing(spaced, joined):
    assert join_letter_spacing(spaced) == joined


@pytest.mark.parametrize(
    "text",
    [
        "แสดง ณ จุดให้บริการ",
        "E- Service บริการ ออนไลน์",
        "No Gift Policy",
        "ผู้ ที่ มี ส่วนได้เสีย",
        "ต่าง ๆ ของหน่วยงาน",
        "รอบ ๖ เดือน",
        "",
    ],
)
def test_join_letter_spacing_leaves_normal_text(text):
    assert join_letter_spacing(text) == text


def test_clean_text_pipeline():
    cell = '<p>-๐ ๓ ๒ ส ร \u0e4d า ง วัฒนธรรม No Gift Policy</p>\n<p>๒.  ประชุม&nbsp;ชี้แจง</p>'
    assert clean_text(cell) == f"-๐๓๒ สร{SARA_AM}งวัฒนธรรม No Gift Policy ๒. ประชุม ชี้แจง"


def test_clean_text_keeps_thai_digits_and_content():
    # repeated marks are OCR as printed; pythainlp.normalize would delete one
    assert clean_text("แก้\u0e49อย่าง ๒๕๖๖") == "แก้\u0e49อย่าง ๒๕๖๖"
    assert clean_text("ดำเนินการ\u200bแล้ว") == "ดำเนินการแล้ว"


def test_clean_text_never_decomposes_sara_am():
    assert "\u0e4d" not in clean_text("ดำเนินการ")
    assert clean_text("ดำเนินการ") == "ดำเนินการ"


@pytest.mark.parametrize("blank", ["", "   ", "\n\t", "<p></p>", "<br/>&nbsp;"])
def test_clean_text_blank(blank):
    assert clean_text(blank) == ""


def test_clean_text_is_fast():
    cell = (
        "<p>๑. จัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน โดยระบุขั้นตอนและระยะเวลาที่ใช้</p> "
        "<p>-๐ ๓ ๑ ประ ก า ศ เจตนารมณ์นโยบาย No Gift Policy จ า ก การปฏิบัติหน้าที่</p> "
    ) * 3
    clean_text(cell)
    n = 200
    t0 = time.perf_counter()
    for _ in range(n):
        clean_text(cell)
    per_call = (time.perf_counter() - t0) / n
    assert per_call < 0.002  # generous bound for slow CI; typical is ~0.1 ms
