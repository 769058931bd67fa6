"""Thai dates, fiscal years and activity periods ("ต.ค.๖๕ - มี.ค.๖๖").

Years in the reports are Buddhist era (BE = CE + 543), often two-digit ("๖๖").
The Thai government fiscal year BE N runs 1 Oct (N-1) – 30 Sep N.
Month names and abbreviations come from ``data/thai_months.csv``.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from normalizers._data import read_csv
from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic

_BE_OFFSET = 543
_THAI_CHAR = "\u0e01-\u0e4e"


@dataclass(frozen=True)
class Period:
    """A date span; ``whole_fiscal_year`` is True when the text named a fiscal
    year (ปีงบประมาณ…, ตลอดปี) rather than months or days."""

    start: datetime.date | None
    end: datetime.date | None
    whole_fiscal_year: bool = False


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a BE fiscal year.

    >>> fiscal_year_bounds(2566)
    (datetime.date(2022, 10, 1), datetime.date(2023, 9, 30))
    """
    ce = fiscal_year_be - _BE_OFFSET
    return datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)


def fiscal_year_of(d: datetime.date) -> int:
    """The BE fiscal year containing ``d``.

    >>> fiscal_year_of(datetime.date(2022, 10, 1)), fiscal_year_of(datetime.date(2023, 9, 30))
    (2566, 2566)
    >>> fiscal_year_of(datetime.date(2022, 9, 30))
    2565
    """
    return d.year + _BE_OFFSET + (1 if d.month >= 10 else 0)


def parse_year(token: str) -> int | None:
    """A year token (Thai or arabic digits) → Gregorian year, or None.

    4-digit 2400–2700 is BE; 2-digit 40–99 is short BE (25xx); 4-digit
    1950–2100 is already CE.

    >>> parse_year("๒๕๖๖"), parse_year("66"), parse_year("๖๖"), parse_year("2023")
    (2023, 2023, 2023, 2023)
    >>> parse_year("16") is None, parse_year("2300") is None, parse_year("ปี") is None
    (True, True, True)
    """
    s = thai_to_arabic(token.strip())
    if not s.isascii() or not s.isdigit():
        return None
    n = int(s)
    if len(s) == 4:
        if 2400 <= n <= 2700:
            return n - _BE_OFFSET
        if 1950 <= n <= 2100:
            return n
        return None
    if len(s) == 2 and 40 <= n <= 99:
        return 2500 + n - _BE_OFFSET
    return None


# --- month vocabulary and the date-atom regex -------------------------------


def _compact(name: str) -> str:
    return name.replace(".", "").replace(" ", "")


def _month_pattern(name: str, kind: str) -> str:
    if kind == "abbr":
        # "มี.ค." may be printed "มีค", "มี.ค", "มี. ค." or "ก.พ..." - dots optional.
        segs = [re.escape(s) for s in name.split(".") if s]
        core = r"[.\s]*".join(segs)
        return f"(?:(?<=เดือน)|(?<![{_THAI_CHAR}])){core}(?:\\.+|(?![{_THAI_CHAR}]))"
    if kind == "short":  # "ตุลา 65": must not be the head of a longer word
        return f"(?:(?<=เดือน)|(?<![{_THAI_CHAR}])){re.escape(name)}(?![{_THAI_CHAR}])"
    return re.escape(name)


@functools.cache
def _month_table() -> tuple[dict[str, int], str]:
    rows = read_csv("thai_months.csv")
    lookup = {_compact(r["name"]): int(r["month"]) for r in rows}
    # Longest first, so "มีนาคม" wins over "มีนา" at the same position.
    ordered = sorted(rows, key=lambda r: len(_compact(r["name"])), reverse=True)
    alt = "|".join(_month_pattern(r["name"], r["kind"]) for r in ordered)
    return lookup, alt


@functools.cache
def _atom_re() -> re.Pattern[str]:
    _, months = _month_table()
    # A day needs no digit/dot/slash before it, and "รอบ ๖ เดือน…" / "ทุก ๓ …"
    # are durations, not days. "๑๖เดือนมีนาคม" is a day.
    day = r"(?<![0-9./])(?<!รอบ)(?<!รอบ )(?<!ทุก)(?<!ทุก )(?P<day>[0-9]{1,2})"
    named = (
        f"(?:(?:วันที่\\s*)?{day}(?:\\s?เดือน|\\s*))?"
        f"(?P<mon>{months})"
        r"(?:\s*(?:พ\s*\.?\s*ศ\.?|ปี)?\s*(?P<year>[0-9]{4}|[0-9]{2})(?![0-9]))?"
    )
    numeric = (
        r"(?<![0-9./])(?P<nd>[0-9]{1,2})(?P<sep>[/.\-])(?P<nm>[0-9]{1,2})(?P=sep)"
        r"(?P<ny>[0-9]{4}|[0-9]{2})(?![0-9./])"
    )
    return re.compile(f"{numeric}|{named}")


_FY_HEAD = (
    r"(?:ตลอด\s*(?:ทั้ง\s*)?ปี(?!\s*(?:การศึกษา|ปฏิทิน))(?:\s*งบ\s*(?:ประมาณ)?)?"
    r"|ปี\s*งบ\s*(?:ประมาณ)?)\s*ฯ?"
)
_FY_BARE_RE = lazy_compile(_FY_HEAD)
_FY_YEAR_RE = lazy_compile(
    _FY_HEAD + r"\s*\(?\s*(?:พ\s*\.?\s*ศ\.?)?\s*(?P<fy>[0-9]{4}|[0-9]{2})(?![0-9])"
    r"(?P<span>\s*\)?\s*[-–—]\s*[0-9])?"
)


# Fiscal quarters: "ไตรมาส 1", "ไตรมาสที่ ๒-๓", "ไตรมาส 1 - ไตรมาส 2", "ไตรมาส 3/2567".
_QUARTER_RE = lazy_compile(
    r"ไตรมาส\s*(?:ที่\s*)?(?P<q1>[1-4])(?![0-9])"
    r"(?:\s*(?:[-–—,]|ถึง|และ)\s*(?:ไตรมาส\s*(?:ที่\s*)?)?(?P<q2>[1-4])(?![0-9]))?"
    r"(?:\s*(?:/|ปี(?:งบประมาณ)?)\s*(?:พ\s*\.?\s*ศ\.?)?\s*(?P<fy>[0-9]{4}))?"
)


def quarter_bounds(fiscal_year_be: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of fiscal quarters ``first``–``last`` of a BE fiscal year
    (quarter 1 is October–December).

    >>> quarter_bounds(2566, 1, 1)
    (datetime.date(2022, 10, 1), datetime.date(2022, 12, 31))
    >>> quarter_bounds(2566, 2, 4)
    (datetime.date(2023, 1, 1), datetime.date(2023, 9, 30))
    """
    start, _ = fiscal_year_bounds(fiscal_year_be)
    def month_start(q: int) -> tuple[int, int]:
        m = start.month + 3 * (q - 1)
        return start.year + (m - 1) // 12, (m - 1) % 12 + 1
    y1, m1 = month_start(first)
    y2, m2 = month_start(last)
    m2 += 2
    return datetime.date(y1, m1, 1), datetime.date(y2, m2, calendar.monthrange(y2, m2)[1])


def _quarters(text: str, fiscal_year_be: int | None) -> Period | None:
    m = _QUARTER_RE.search(text)
    if not m:
        return None
    fy = int(m.group("fy")) if m.group("fy") else fiscal_year_be
    if fy is None or not 2400 <= fy <= 2700:
        return None
    first = int(m.group("q1"))
    last = int(m.group("q2") or first)
    if last < first:
        return None
    return Period(*quarter_bounds(fy, first, last))


_DAY_SPAN_RE = lazy_compile(r"^\s*([0-9]{1,2})\s*[-–—]\s*(?=[0-9]{1,2}\s*[^0-9\s/])")
_RANGE_RE = lazy_compile(r"[-–—]|ถึง")


class _Atom(NamedTuple):
    day: int | None
    month: int
    year: int | None  # CE


def _atoms(text: str) -> list[_Atom]:
    lookup, _ = _month_table()
    out: list[_Atom] = []
    for m in _atom_re().finditer(text):
        if m.group("nd"):
            month = int(m.group("nm"))
            year = parse_year(m.group("ny"))
            if 1 <= month <= 12 and year is not None:
                out.append(_Atom(int(m.group("nd")), month, year))
            continue
        day = int(m.group("day")) if m.group("day") else None
        year = parse_year(m.group("year")) if m.group("year") else None
        out.append(_Atom(day, lookup[_compact(m.group("mon"))], year))
    return out


def _date(year: int, month: int, day: int | None, *, last: bool) -> datetime.date | None:
    if day is None:
        day = calendar.monthrange(year, month)[1] if last else 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_thai_date(text: str) -> datetime.date | None:
    """The first full day-month-year date in ``text`` (Thai or arabic digits).

    >>> parse_thai_date("วันที่ ๓ เมษายน ๒๕๖๖")
    datetime.date(2023, 4, 3)
    >>> parse_thai_date("3 เม.ย. 66"), parse_thai_date("๑๖เดือนมีนาคม ๒๕๖๖")
    (datetime.date(2023, 4, 3), datetime.date(2023, 3, 16))
    >>> parse_thai_date("มีนาคม ๒๕๖๖") is None, parse_thai_date("๓๑ มิถุนายน ๒๕๖๖") is None
    (True, True)
    """
    for atom in _atoms(thai_to_arabic(text)):
        if atom.day is not None and atom.year is not None:
            return _date(atom.year, atom.month, atom.day, last=False)
    return None


def _resolve_years(atoms: list[_Atom], fiscal_year_be: int | None) -> list[int] | None:
    years = [a.year for a in atoms]
    # A year printed on one end only: earlier months borrow it, stepping back a
    # year when the month order wraps ("พฤศจิกายน - มีนาคม 2566").
    for i in range(len(atoms) - 2, -1, -1):
        nxt = years[i + 1]
        if years[i] is None and nxt is not None:
            years[i] = nxt if atoms[i].month <= atoms[i + 1].month else nxt - 1
    for i in range(1, len(atoms)):
        prev = years[i - 1]
        if years[i] is None and prev is not None:
            years[i] = prev if atoms[i].month >= atoms[i - 1].month else prev + 1
    resolved: list[int] = []
    for atom, year in zip(atoms, years):
        if year is None:
            if fiscal_year_be is None:
                return None
            ce = fiscal_year_be - _BE_OFFSET
            year = ce - 1 if atom.month >= 10 else ce
        resolved.append(year)
    return resolved


def _fiscal_phrase(text: str) -> tuple[bool, int | None]:
    m = _FY_YEAR_RE.search(text)
    if m:
        if m.group("span"):  # "ปีงบประมาณ 2566-2567" spans years: no guess
            return False, None
        ce = parse_year(m.group("fy"))
        if ce is None:  # a year is printed but unreadable: not the caller's year
            return False, None
        return True, ce + _BE_OFFSET
    return bool(_FY_BARE_RE.search(text)), None


def parse_period(text: str, fiscal_year_be: int | None = None) -> Period | None:
    """The span a period cell describes, or None when it cannot be read.

    Months mean first day of the first month to last day of the last month; a
    named fiscal year means the whole year; months without any year are placed
    in ``fiscal_year_be`` (Oct–Dec in its first calendar year).

    >>> parse_period("ตุลาคม ๒๕๖๕ - เมษายน ๒๕๖๖")
    Period(start=datetime.date(2022, 10, 1), end=datetime.date(2023, 4, 30), whole_fiscal_year=False)
    >>> parse_period("ก.พ. - ก.ย.๖๖").start, parse_period("พฤศจิกายน - มีนาคม 2566").start
    (datetime.date(2023, 2, 1), datetime.date(2022, 11, 1))
    >>> parse_period("ตลอดปีงบประมาณ พ.ศ.๒๕๖๖")
    Period(start=datetime.date(2022, 10, 1), end=datetime.date(2023, 9, 30), whole_fiscal_year=True)
    >>> parse_period("ตุลาคม - ธันวาคม", 2566).end, parse_period("ตุลาคม - ธันวาคม") is None
    (datetime.date(2022, 12, 31), True)
    >>> parse_period("ตามความเหมาะสม") is None
    True
    >>> parse_period("1-31 ธ.ค. 65").start, parse_period("ต.ค. 65 - ปัจจุบัน").end is None
    (datetime.date(2022, 12, 1), True)

    Fiscal quarters, in the report's fiscal year unless one is printed:

    >>> parse_period("ไตรมาส ๒-๓", 2566)
    Period(start=datetime.date(2023, 1, 1), end=datetime.date(2023, 6, 30), whole_fiscal_year=False)
    >>> parse_period("ไตรมาสที่ 1/2567").end, parse_period("ไตรมาส 1") is None
    (datetime.date(2023, 12, 31), True)
    >>> parse_period("ไตรมาสที่ 3 และ 4", 2568).start
    datetime.date(2025, 4, 1)
    """
    s = thai_to_arabic(text)
    named_fy, fy_in_text = _fiscal_phrase(s)
    fy = fy_in_text if fy_in_text is not None else fiscal_year_be
    atoms = _atoms(s)
    if atoms:
        years = _resolve_years(atoms, fy)
        if years is None:
            return None
        first, last = atoms[0], atoms[-1]
        if len(atoms) == 1:
            span = _DAY_SPAN_RE.match(s)
            if span and first.day is not None:  # "1-31 ธ.ค. 65": both days in one month
                start = _date(years[0], first.month, int(span.group(1)), last=False)
                end = _date(years[0], first.month, first.day, last=True)
                return Period(start, end) if start and end and start <= end else None
            start = _date(years[0], first.month, first.day, last=False)
            end = _date(years[0], first.month, first.day, last=True)
            if _RANGE_RE.search(s):
                # "ต.ค. 65 - ปัจจุบัน", "ต.ค. 2565 - 2566": the end is not a date we can
                # read, so it stays unknown rather than guessed.
                return Period(start, None) if start else None
        else:
            start = _date(years[0], first.month, first.day, last=False)
            end = _date(years[-1], last.month, last.day, last=True)
            starts = [_date(y, a.month, a.day, last=False) for a, y in zip(atoms, years)]
            if None in starts or starts != sorted(starts):  # type: ignore[type-var]
                return None
        if start is None or end is None or start > end:
            return None
        return Period(start, end)
    quarters = _quarters(s, fy)
    if quarters is not None:
        return quarters
    if named_fy and fy is not None:
        return Period(*fiscal_year_bounds(fy), whole_fiscal_year=True)
    return None
