import pytest

from normalizers.status import STATUSES, InlineStatus, is_marked, split_inline_status, status_from_label


def test_statuses_constant():
    assert STATUSES == ("completed", "in_progress", "not_started")


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("ดำเนินการแล้ว", "completed"),
        ("ดำเนินการ แล้ว", "completed"),
        ("ดำเนินการแล้วเสร็จ", "completed"),
        ("ดำเนินการเสร็จ เรียบร้อยแล้ว", "completed"),
        ("ดำเนินการเสร็จ", "completed"),
        ("เสร็จสิ้น", "completed"),
        ("แล้วเสร็จ", "completed"),
        ("ด ำ เ นิ น ก า ร แ ล้ ว", "completed"),
        ("อยู่ระหว่างดำเนินการ", "in_progress"),
        ("อยู่ระหว่าง ดำเนินการ", "in_progress"),
        ("กำลังดำเนินการ", "in_progress"),
        ("อยู่ระหว่าง", "in_progress"),
        ("ยังไม่ดำเนินการ", "not_started"),
        ("ยังไม่ ดำเนินการ", "not_started"),
        ("ยังไม่ได้ดำเนินการ", "not_started"),
        ("ไม่ได้ดำเนินการ", "not_started"),
        ("(๖) ดำเนินการแล้ว", "completed"),
        ("ดำเนินการแล้ว (ตรวจสอบได้จากเว็บไซต์ของหน่วยงาน)", "completed"),
    ],
)
def test_status_from_label(label, status):
    assert status_from_label(label) == status


@pytest.mark.parametrize(
    "label",
    [
        "",
        "สถานะดำเนินงาน",
        "ดำเนินการ",
        "ยังไม่แล้วเสร็จ",
        "ผู้รับผิดชอบ",
        "จัดประชุมชี้แจงบุคลากรทุกส่วนราชการและรายงานผู้บริหารทราบซึ่งดำเนินการแล้ว",
    ],
)
def test_status_from_label_none(label):
    assert status_from_label(label) is None


@pytest.mark.parametrize(
    "cell",
    ["✓", "✔", "☑", "☒", "✗", "✘", "/", "x", "X", "✓ (ตรวจสอบได้จากเว็บไซต์ของหน่วยงาน)", " ✓ ", "[x]"],
)
def test_is_marked_true(cell):
    assert is_marked(cell)


@pytest.mark.parametrize(
    "cell", ["", "  ", "-", "–", "☐", "□", "ก่อน/ขณะ/หลัง", "xyz", "ดำเนินการแล้ว", "ไม่มี"]
)
def test_is_marked_false(cell):
    assert not is_marked(cell)


def test_split_inline_status_one_checked():
    text = (
        "-มีผังขั้นตอนการให้บริการ แสดง ณ จุดให้บริการ ☑ ดำเนินการแล้วเสร็จ "
        "☐ ยังไม่ได้ดำเนินการ ☐ อยู่ระหว่างดำเนินการ"
    )
    assert split_inline_status(text) == InlineStatus(
        "completed", "-มีผังขั้นตอนการให้บริการ แสดง ณ จุดให้บริการ", False
    )


def test_split_inline_status_checked_last():
    text = "ลดขั้นตอน ☐ ดำเนินการแล้วเสร็จ ☐ ยังไม่ได้ดำเนินการ ☑ อยู่ระหว่างดำเนินการ"
    assert split_inline_status(text) == InlineStatus("in_progress", "ลดขั้นตอน", False)


def test_split_inline_status_none_checked():
    text = "ประชาสัมพันธ์ ☐ ดำเนินการแล้ว ☐ ยังไม่ดำเนินการ"
    assert split_inline_status(text) == InlineStatus(None, "ประชาสัมพันธ์", False)


def test_split_inline_status_conflict_is_ambiguous():
    text = "งาน ☑ ดำเนินการแล้ว ☑ อยู่ระหว่างดำเนินการ"
    assert split_inline_status(text) == InlineStatus(None, "งาน", True)


def test_split_inline_status_same_status_twice_is_not_ambiguous():
    assert split_inline_status("☑ ดำเนินการแล้ว ☑ แล้วเสร็จ").status == "completed"


@pytest.mark.parametrize(
    ("text", "status", "rest"),
    [
        ("[x] ดำเนินการแล้ว [ ] ยังไม่ดำเนินการ", "completed", ""),
        ("[ ] ดำเนินการแล้ว [X] ยังไม่ดำเนินการ หมายเหตุ", "not_started", "หมายเหตุ"),
        ("■ อยู่ระหว่าง ดำเนินการ □ ดำเนินการแล้ว", "in_progress", ""),
        ("ผล ( / ) ดำเนินการแล้ว ( ) ยังไม่ดำเนินการ", "completed", "ผล"),
        ("ผล ☑ ด ำ เ นิ น ก า ร แ ล้ ว", "completed", "ผล"),
    ],
)
def test_split_inline_status_other_marks(text, status, rest):
    result = split_inline_status(text)
    assert (result.status, result.text, result.ambiguous) == (status, rest, False)


@pytest.mark.parametrize(
    "text", ["ไม่มีช่องทำเครื่องหมาย", "☑ ตรวจสอบเอกสารแล้ว", "ก่อน/ขณะ/หลัง (ถ้ามี)", ""]
)
def test_split_inline_status_unchanged(text):
    assert split_inline_status(text) == InlineStatus(None, text, False)


def test_status_cell_reads_the_leading_phrase_and_partly_done():
    from normalizers.status import is_marked, status_cell
    assert status_cell("อยู่ระหว่างดำเนินการ (รอผลอนุมัติ)") == "in_progress"
    assert status_cell("ดำเนินการแล้ว บางส่วน") == "in_progress"
    assert status_cell("ยังไม่ได้ดำเนินการ เนื่องจากรองบประมาณ") == "not_started"
    assert is_marked("ü") and is_marked("●") and not is_marked("*")
