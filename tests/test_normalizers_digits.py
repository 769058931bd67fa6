from normalizers.digits import arabic_to_thai, thai_to_arabic


def test_thai_to_arabic_converts_only_digits():
    assert thai_to_arabic("ปีงบประมาณ พ.ศ.๒๕๖๖ รอบ ๖ เดือน") == "ปีงบประมาณ พ.ศ.2566 รอบ 6 เดือน"
    assert thai_to_arabic("๐๑๒๓๔๕๖๗๘๙") == "0123456789"


def test_thai_to_arabic_leaves_other_text_alone():
    text = "ดำเนินการแล้ว O42 E-Service 97.44 ☑"
    assert thai_to_arabic(text) == text
    assert thai_to_arabic("") == ""


def test_arabic_to_thai_round_trip():
    assert arabic_to_thai("คะแนน 97.44") == "คะแนน ๙๗.๔๔"
    mixed = "ต.ค.๖๕ - มี.ค.๖๖"
    assert arabic_to_thai(thai_to_arabic(mixed)) == mixed


def test_sara_am_survives():
    # translate must not touch combining Thai characters
    assert thai_to_arabic("ดำเนินการ ๑") == "ดำเนินการ 1"
