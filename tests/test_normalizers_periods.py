from datetime import date

import pytest

from normalizers.periods import (
    Period,
    fiscal_year_bounds,
    fiscal_year_of,
    parse_period,
    parse_thai_date,
    parse_year,
)


def test_fiscal_year_bounds_and_of():
    assert fiscal_year_bounds(2566) == (date(2022, 10, 1), date(2023, 9, 30))
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))
    assert fiscal_year_of(date(2022, 10, 1)) == 2566
    assert fiscal_year_of(date(2022, 9, 30)) == 2565
    assert fiscal_year_of(date(2023, 9, 30)) == 2566


@pytest.mark.parametrize(
    ("token", "year"),
    [("๒๕๖๖", 2023), ("2565", 2022), ("๖๖", 2023), ("66", 2023), ("40", 1997), ("2023", 2023),
     (" ๒๕๖๖ ", 2023)],
)
def test_parse_year(token, year):
    assert parse_year(token) == year


@pytest.mark.parametrize("token", ["", "๖", "16", "39", "2300", "2800", "12345", "ปี", "66a", "๒๕.๖"])
def test_parse_year_rejects(token):
    assert parse_year(token) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๓ เมษายน ๒๕๖๖", date(2023, 4, 3)),
        ("3 เม.ย. 66", date(2023, 4, 3)),
        ("16 มีนาคม2566", date(2023, 3, 16)),
        ("๑๖เดือนมีนาคม ๒๕๖๖", date(2023, 3, 16)),
        ("วันที่ ๒๙ กันยายน ๒๕๖๕", date(2022, 9, 29)),
        ("ลงวันที่ ๑ ต.ค. ๖๕", date(2022, 10, 1)),
    ],
)
def test_parse_thai_date(text, expected):
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text", ["มีนาคม ๒๕๖๖", "๓ เมษายน", "๓๑ มิถุนายน ๒๕๖๖", "ที่ นศ ๕๓๓๐๑/๑๖๕", "", "รอบ ๖ เดือน"]
)
def test_parse_thai_date_none(text):
    assert parse_thai_date(text) is None


def _p(start, end, whole=False):
    return Period(date(*start), date(*end), whole)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ตุลาคม ๒๕๖๕ - เมษายน ๒๕๖๖", _p((2022, 10, 1), (2023, 4, 30))),
        ("ต.ค.๖๕ - มี.ค.๖๖", _p((2022, 10, 1), (2023, 3, 31))),
        ("ต.ค.65 – มี.ค.66", _p((2022, 10, 1), (2023, 3, 31))),
        ("ต.ค.65 — มี.ค.66", _p((2022, 10, 1), (2023, 3, 31))),
        ("ต.ค. ๖๕ ถึง มี.ค. ๖๖", _p((2022, 10, 1), (2023, 3, 31))),
        ("ก.พ...- ก.ย.๖๖", _p((2023, 2, 1), (2023, 9, 30))),
        ("กพ - กย 66", _p((2023, 2, 1), (2023, 9, 30))),
        ("ก.พ. - ก.ย.๖๖", _p((2023, 2, 1), (2023, 9, 30))),
        ("มี.ค. - ก.ย.๖๖", _p((2023, 3, 1), (2023, 9, 30))),
        ("ม.ค. - มิ.ย. ๖๖", _p((2023, 1, 1), (2023, 6, 30))),
        ("เม.ย. - พ.ค. 66", _p((2023, 4, 1), (2023, 5, 31))),
        ("ก.ค. - ส.ค. 66", _p((2023, 7, 1), (2023, 8, 31))),
        ("พ.ย. - ธ.ค. 65", _p((2022, 11, 1), (2022, 12, 31))),
        ("ตุลาคม - ธันวาคม 2565", _p((2022, 10, 1), (2022, 12, 31))),
        ("พฤศจิกายน - มีนาคม 2566", _p((2022, 11, 1), (2023, 3, 31))),
        ("กุมภาพันธ์ 2566 - สิงหาคม", _p((2023, 2, 1), (2023, 8, 31))),
        ("๑ มกราคม – ๓๐ มิถุนายน ๒๕๖๖", _p((2023, 1, 1), (2023, 6, 30))),
        ("๑ มกราคม – มิถุนายน ๒๕๖๖", _p((2023, 1, 1), (2023, 6, 30))),
        ("๑ ตุลาคม ๒๕๖๕ – ๓๐ กันยายน ๒๕๖๖", _p((2022, 10, 1), (2023, 9, 30))),
        ("มกราคม ๒๕๖๖- มีนาคม ๒๕๖๖", _p((2023, 1, 1), (2023, 3, 31))),
        ("มีนาคม 2566", _p((2023, 3, 1), (2023, 3, 31))),
        ("กุมภาพันธ์ ๒๕๖๖", _p((2023, 2, 1), (2023, 2, 28))),
        ("๑๖ มีนาคม ๒๕๖๖", _p((2023, 3, 16), (2023, 3, 16))),
        ("1/10/2565 - 31/3/2566", _p((2022, 10, 1), (2023, 3, 31))),
        ("ระยะเวลา ๓ เดือน ตุลาคม - ธันวาคม ๒๕๖๕", _p((2022, 10, 1), (2022, 12, 31))),
        ("รอบ ๖ เดือน (๑ ตุลาคม ๒๕๖๕ - ๓๑ มีนาคม ๒๕๖๖)", _p((2022, 10, 1), (2023, 3, 31))),
        ("ปีงบประมาณ 2566", _p((2022, 10, 1), (2023, 9, 30), True)),
        ("ตลอดปีงบประมาณ พ.ศ.๒๕๖๖", _p((2022, 10, 1), (2023, 9, 30), True)),
        (
            "เป็นประจำทุกเดือน รอบไตรมาส รอบ๖เดือน ในปีงบประมาณ พ.ศ.๒๕๖๖",
            _p((2022, 10, 1), (2023, 9, 30), True),
        ),
        ("ปีงบประมาณ (พ.ศ. ๒๕๖๗)", _p((2023, 10, 1), (2024, 9, 30), True)),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected
    assert parse_period(text, 2570) == expected  # a printed year beats the argument


def test_whole_year_without_printed_year_uses_argument():
    assert parse_period("ตลอดปีงบประมาณ", 2566) == _p((2022, 10, 1), (2023, 9, 30), True)
    assert parse_period("ตลอดปี", 2567) == _p((2023, 10, 1), (2024, 9, 30), True)
    assert parse_period("ตลอดปีงบประมาณ") is None
    assert parse_period("ตลอดปี") is None


def test_months_without_any_year_use_fiscal_year():
    assert parse_period("ตุลาคม - ธันวาคม", 2566) == _p((2022, 10, 1), (2022, 12, 31))
    assert parse_period("มกราคม - มีนาคม", 2566) == _p((2023, 1, 1), (2023, 3, 31))
    assert parse_period("ต.ค. - มี.ค.", 2566) == _p((2022, 10, 1), (2023, 3, 31))
    assert parse_period("มิ.ย.", 2566) == _p((2023, 6, 1), (2023, 6, 30))
    assert parse_period("ตุลาคม - ธันวาคม") is None


def test_abbreviations_are_not_confused():
    assert parse_period("ม.ค. 66").start == date(2023, 1, 1)
    assert parse_period("มี.ค. 66").start == date(2023, 3, 1)
    assert parse_period("มิ.ย. 66").start == date(2023, 6, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ตามความเหมาะสม",
        "ทุกเดือน",
        "พ.ศ. ๒๕๖๖",
        "ปี 2566",
        "มีความต่อเนื่อง",
        "พยาบาล",
        "ปีงบประมาณ 2566-2567",
        "ตลอดปีการศึกษา 2566",
        "๓๑ มิถุนายน ๒๕๖๖",
        "มีนาคม ๒๕๖๖ - ตุลาคม ๒๕๖๕",
    ],
)
def test_parse_period_none(text):
    assert parse_period(text, None) is None
