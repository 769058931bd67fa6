"""Values the seeds never had: fiscal quarters, percentages as status, O-code ranges,
budgets, and plausibility checks on years and dates."""
from datetime import date

import pytest

from normalizers.budget import parse_budget
from normalizers.oit import is_oit_cell, parse_oit_codes
from normalizers.periods import parse_period
from normalizers.plausible import implausible_date, plausible_fiscal_year, repair_fiscal_year, repair_years
from normalizers.status import percent_done, status_cell


@pytest.mark.parametrize(("text", "fy", "start", "end"), [
    ("ไตรมาส 1", 2564, date(2020, 10, 1), date(2020, 12, 31)),
    ("ไตรมาสที่ ๔", 2564, date(2021, 7, 1), date(2021, 9, 30)),
    ("ไตรมาส 1-2", 2567, date(2023, 10, 1), date(2024, 3, 31)),
    ("ไตรมาส ๒ – ไตรมาส ๓", 2568, date(2025, 1, 1), date(2025, 6, 30)),
    ("ไตรมาส 2 ปีงบประมาณ 2566", None, date(2023, 1, 1), date(2023, 3, 31)),
])
def test_fiscal_quarters(text, fy, start, end):
    p = parse_period(text, fy)
    assert (p.start, p.end) == (start, end)


def test_months_printed_beside_a_quarter_win_and_a_backward_range_is_refused():
    assert parse_period("ไตรมาส 1 (ต.ค. - พ.ย. 65)", 2566).end == date(2022, 11, 30)
    assert parse_period("ไตรมาส 3-1", 2566) is None


@pytest.mark.parametrize(("text", "status"), [
    ("ร้อยละ 100", "completed"), ("๑๐๐ %", "completed"), ("ร้อยละ ๐", "not_started"),
    ("0%", "not_started"), ("ร้อยละ 75.5", "in_progress"), ("45 เปอร์เซ็นต์", "in_progress"),
])
def test_a_percentage_states_the_status(text, status):
    assert status_cell(text) == status


def test_a_bare_number_is_a_percentage_only_under_a_percentage_header():
    assert percent_done("60") is None and percent_done("60", bare=True) == 60.0


@pytest.mark.parametrize(("text", "codes"), [
    ("O๑๙ – O๒๒", ["O19", "O20", "O21", "O22"]),
    ("O5-O7, O10", ["O5", "O6", "O7", "O10"]),
    ("ข้อ O33 ถึง O35", ["O33", "O34", "O35"]),
    ("O10 - O2", ["O10", "O2"]),  # backwards: two codes, not a range
    ("O1 - O40", ["O1", "O40"]),  # too long to be one range
])
def test_code_ranges_cite_every_item(text, codes):
    assert parse_oit_codes(text) == codes


def test_a_cell_of_codes_is_told_from_a_cell_of_text():
    assert is_oit_cell("O๓๓, O๓๔") and not is_oit_cell("O๓๓ ประกาศนโยบาย") and not is_oit_cell("๓")


@pytest.mark.parametrize(("text", "baht"), [
    ("๑๒,๕๐๐", 12500.0), ("30,000.50 บาท", 30000.5), ("1.2 ล้านบาท", 1200000.0),
    ("ไม่ใช้งบประมาณ", 0.0), ("ไม่มีค่าใช้จ่าย", 0.0), ("-", None), ("", None),
])
def test_budget_cells(text, baht):
    assert parse_budget(text).baht == baht


def test_a_budget_cell_that_is_not_one_amount_is_not_guessed():
    assert parse_budget("ใช้งบประมาณกองช่าง").baht is None
    assert parse_budget("5,000 - 8,000").understood is False


def test_years_and_dates_are_checked_against_the_report_year():
    assert plausible_fiscal_year(2540) and plausible_fiscal_year(2600) and not plausible_fiscal_year(2701)
    assert implausible_date(date(2023, 5, 1), 2566) is None
    assert implausible_date(date(2019, 5, 1), 2566) is not None
    assert implausible_date(date(2157, 10, 1), None) is not None


def test_garbled_years_are_repaired_only_when_one_reading_fits():
    assert repair_years("ต.ค. ๒๕ - ธ.ค. ๒๕", 2566)[0] == "ต.ค. ๖๕ - ธ.ค. ๖๕"
    assert repair_years("ปี ๒๕๒๒", 2540) == ("ปี ๒๕๒๒", [])  # no reading near 2540
    assert repair_fiscal_year("๒๕๐๕") == 2565 and repair_fiscal_year("๒๕๒๒") is None
