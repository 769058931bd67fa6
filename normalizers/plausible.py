"""Values checked, not trusted: years and dates a report can really hold.

OCR turns ๖ into ๒, ๐ or ๒๐ ("๒๕๖๖" → "๒๕๒๒๐"), and a slip in a year moves a period by
centuries. Before a value reaches the dataset it is checked against what its field
allows: a fiscal year is a Buddhist-era year 2540–2600; a period or a date lies within the
report's fiscal year ± 2 (or, when the report prints none, in a plausible fiscal year).
Where exactly one reading of a garbled year is plausible it is repaired (with an info
note); otherwise the value becomes null and the caller keeps the raw text in a
`value_implausible` note. The OCR decoding itself lives in `normalizers.pdftext`.
"""

from __future__ import annotations

import datetime

from normalizers.pdftext import plausible_years, repair_ocr_years
from normalizers.periods import fiscal_year_of

MIN_FISCAL_YEAR = 2540
MAX_FISCAL_YEAR = 2600
DATE_SLACK_YEARS = 2  # a report may cite last year's plan or next year's round


def plausible_fiscal_year(year_be: int) -> bool:
    """A Buddhist-era year some ITA report could be for.

    >>> plausible_fiscal_year(2566), plausible_fiscal_year(2701), plausible_fiscal_year(2522)
    (True, False, False)
    """
    return MIN_FISCAL_YEAR <= year_be <= MAX_FISCAL_YEAR


def implausible_date(d: datetime.date, fiscal_year_be: int | None) -> str | None:
    """Why ``d`` cannot be a date of a report for ``fiscal_year_be``, or None when it can.

    >>> implausible_date(datetime.date(2023, 3, 1), 2566) is None
    True
    >>> implausible_date(datetime.date(1982, 3, 1), 2566)
    'fiscal year 2525 is more than 2 years from the report’s 2566'
    >>> implausible_date(datetime.date(2157, 10, 1), None)
    'fiscal year 2701 is outside 2540–2600'
    """
    fy = fiscal_year_of(d)
    if fiscal_year_be is not None:
        if abs(fy - fiscal_year_be) > DATE_SLACK_YEARS:
            return f"fiscal year {fy} is more than {DATE_SLACK_YEARS} years from the report’s {fiscal_year_be}"
        return None
    if not plausible_fiscal_year(fy):
        return f"fiscal year {fy} is outside {MIN_FISCAL_YEAR}–{MAX_FISCAL_YEAR}"
    return None


def repair_years(text: str, fiscal_year_be: int | None) -> tuple[str, list[str]]:
    """Years in ``text`` misread by OCR, put back where exactly one reading lies next to
    the report's fiscal year; the text unchanged (and no notes) otherwise.

    >>> repair_years("ม.ค. - มี.ค. ๒๕๒๕", 2565)
    ('ม.ค. - มี.ค. ๒๕๖๕', ['OCR year ๒๕๒๕ read as ๒๕๖๕'])
    >>> repair_years("ตุลาคม ๒๕๒๒๐", None)
    ('ตุลาคม ๒๕๒๒๐', [])
    """
    if fiscal_year_be is None:
        return text, []
    return repair_ocr_years(text, {fiscal_year_be})


def repair_fiscal_year(token: str) -> int | None:
    """The one plausible fiscal year an OCR-garbled year token can be, else None.

    >>> repair_fiscal_year("๒๕๒๒๐"), repair_fiscal_year("2566"), repair_fiscal_year("๒๗๐๐")
    (2566, 2566, None)
    """
    years = {y for y in plausible_years(token, decode=True) if plausible_fiscal_year(y)}
    return years.pop() if len(years) == 1 else None
