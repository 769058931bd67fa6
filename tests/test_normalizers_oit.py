import pytest

from normalizers.oit import parse_oit_codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("O10", ["O10"]),
        ("o10", ["O10"]),
        ("O 10", ["O10"]),
        ("ตาม O๔๒ ไปสู่การปฏิบัติ", ["O42"]),
        ("-๐๑๐ นโยบายคุ้มครองข้อมูลส่วนบุคคล", ["O10"]),
        ("-๐ ๓ ๑ ประกาศเจตนารมณ์", ["O31"]),
        ("-๐๔๓การดำเนินการตามมาตรการ", ["O43"]),
        ("O1 โครงสร้าง O9 Social Network", ["O1", "O9"]),
        ("O10/O18", ["O10", "O18"]),
        ("ตาม O42.", ["O42"]),
    ],
)
def test_codes(text, codes):
    assert parse_oit_codes(text) == codes


def test_order_of_first_appearance_unique():
    text = "-๐๑๘ E-Service -๐๑๐ นโยบาย -O18 ซ้ำ -๐๒๔ การดำเนินการ -o10"
    assert parse_oit_codes(text) == ["O18", "O10", "O24"]


@pytest.mark.parametrize(
    "text",
    [
        "แบบวัด OIT",
        "โทร ๐๗๕-๗๖๕๒๖๗",
        "ปีงบประมาณ ๒๕๖๖",
        "วันที่ ๐๑/๑๐/๒๕๖๕",
        "เวลา ๑๐.๓๐ น.",
        "คำสั่งที่ ๒๙/๒๕๖๖",
        "O0",
        "O99",
        "๐๐๐",
        "๑๐๑๐",
        "NO10 TO 10",
        "O10.5",
        "",
    ],
)
def test_no_codes(text):
    assert parse_oit_codes(text) == []


def test_max_code():
    assert parse_oit_codes("O45 O50 O51") == ["O45", "O50"]
    assert parse_oit_codes("O45 O50 O51", max_code=43) == []
