import pytest

from normalizers.indicators import (
    IndicatorRef,
    find_indicator_mention,
    parse_indicator_label,
    parse_score,
)


@pytest.mark.parametrize(
    ("text", "score"),
    [("คะแนน 97.44", 97.44), ("คะแนน ๙๗.๔๔", 97.44), ("คะแนน 100", 100.0), ("ได้คะแนน 0", 0.0),
     ("มีคะแนนเท่ากับ ๗๐.๓๓ คะแนน", 70.33)],
)
def test_parse_score(text, score):
    assert parse_score(text) == score


@pytest.mark.parametrize("text", ["97.44", "๙๗.๔๔ คะแนน", "คะแนน 100.5", "คะแนน 250", "คะแนนเต็ม", ""])
def test_parse_score_none(text):
    assert parse_score(text) is None


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ คะแนน 97.44", IndicatorRef(1, "การปฏิบัติหน้าที่", 97.44)),
        ("ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต คะแนน ๑๐๐", IndicatorRef(10, "การป้องกันการทุจริต", 100.0)),
        ("ตัวชี้วัดที่ 9 ข้อมูลพื้นฐาน", IndicatorRef(9, "ข้อมูลพื้นฐาน", None)),
        ("ตัวชี้วัดที่ 8 ปรับปรุงการทำงาน คะแนน 91.55", IndicatorRef(8, "ปรับปรุงการทำงาน", 91.55)),
        ("ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของทางราชการ", IndicatorRef(4, "การใช้ทรัพย์สินของทางราชการ", None)),
        ("ตัวชี้วัดที่ 3 การใช้อำนาจ", IndicatorRef(3, "การใช้อำนาจ", None)),
        ("ตัวชี้วัดที่ 2", IndicatorRef(2, None, None)),
        ("๑ การปฏิบัติหน้าที่", IndicatorRef(1, "การปฏิบัติหน้าที่", None)),
        ("๒ การใช้ งบประมาณ", IndicatorRef(2, "การใช้ งบประมาณ", None)),
        ("๓ การใช้อำนาจในหน่วยงาน", IndicatorRef(3, "การใช้อำนาจในหน่วยงาน", None)),
        ("4. การใช้ทรัพย์สินของราชการ", IndicatorRef(4, "การใช้ทรัพย์สินของราชการ", None)),
        ("๑ การปฏิบัตหน้าที่", IndicatorRef(1, "การปฏิบัตหน้าที่", None)),  # OCR dropped a vowel
        ("การใช้งบประมาณ", IndicatorRef(2, "การใช้งบประมาณ", None)),
        ("การใช้ งบประมาณ", IndicatorRef(2, "การใช้ งบประมาณ", None)),
        ("ประสิทธิภาพการสื่อสาร คะแนน 92.29", IndicatorRef(7, "ประสิทธิภาพการสื่อสาร", 92.29)),
    ],
)
def test_parse_indicator_label(text, ref):
    assert parse_indicator_label(text) == ref


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ตัวชี้วัดของการประเมิน ITA",
        "ตัวชี้วัดที่ 11 อื่นๆ",
        "ตัวชี้วัดที่ 0 การปฏิบัติหน้าที่",
        "๑๒ การใช้งบประมาณ",
        "๑ ผอ.ทุกกอง",
        "๒ การปฏิบัติหน้าที่",  # number and name disagree
        "๒. การเผยแพร่ประชาสัมพันธ์แผนการใช้จ่ายงบประมาณประจำปี",
        "ข้อมูลพื้นฐาน",  # a sub-indicator name alone is not a label
        "สำนักปลัดเทศบาล",
    ],
)
def test_parse_indicator_label_none(text):
    assert parse_indicator_label(text) is None


def test_find_indicator_mention_in_running_text():
    text = "-ดำเนินการในหัวข้อ ตัวชี้วัดที่ ๑๐ การ ป้องกันการทุจริต ประเด็นที่ต้องพัฒนา จำนวน ๗ ข้อ"
    assert find_indicator_mention(text) == IndicatorRef(10, "การ ป้องกันการทุจริต", None)


def test_find_indicator_mention_letter_spaced_and_scored():
    text = "สรุป ตัว ชี้ วัด ที่ ๕ ก า ร แก้ไขปัญหาการทุจริต คะแนน ๙๔.๐๕ และอื่น ๆ"
    assert find_indicator_mention(text) == IndicatorRef(5, "การแก้ไขปัญหาการทุจริต", 94.05)


def test_find_indicator_mention_without_known_name():
    assert find_indicator_mention("ตามตัวชี้วัดที่ 3 ของแผนงาน") == IndicatorRef(3, None, None)


def test_find_indicator_mention_skips_out_of_range_numbers():
    text = "ตัวชี้วัดที่ 12 ของแผน และตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร"
    assert find_indicator_mention(text) == IndicatorRef(7, "ประสิทธิภาพการสื่อสาร", None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "สร้างความรู้ความเข้าใจเกี่ยวกับตัวชี้วัดตามแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)",
        "การใช้งบประมาณประจำปี",
        "ตัวชี้วัดที่ 11 ของแผน",
    ],
)
def test_find_indicator_mention_none(text):
    assert find_indicator_mention(text) is None
