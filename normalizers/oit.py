"""OIT item codes (O1–O43 …) as OCR prints them → "O" + arabic digits.

OCR reads the Latin letter O of "O10" as a zero, giving "๐๑๐" or "010",
sometimes letter-spaced ("๐ ๓ ๑"). A Thai zero therefore counts as the letter
only when exactly two digits follow it, and never inside a longer number,
a date or a phone number. A range of codes ("O๑๙ – O๒๒", "O19 ถึง O22") cites
every item in it.
"""

from __future__ import annotations

from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic

_D = "0-9\u0e50-\u0e59"
# Not part of a longer number, date, time or phone number on either side.
_BEFORE = f"(?<![{_D}])(?<![{_D}][/.:,\\-])"
_AFTER = f"(?![{_D}])(?![/.:,\\-]\\s?[{_D}])"

_CODE_RE = lazy_compile(
    # Latin O/o not inside a word ("OIT", "NO10"), then one or two digits.
    f"(?<![A-Za-z])[Oo]\\s?(?P<o>[{_D}]{{1,2}}){_AFTER}"
    # A zero (Thai or arabic: "O10" read as "๐๑๐" or "010") + exactly two digits,
    # written solid or fully letter-spaced.
    f"|{_BEFORE}[0\u0e50](?:(?P<z>[{_D}]{{2}})|\\s(?P<z1>[{_D}])\\s(?P<z2>[{_D}])){_AFTER}"
)
_RANGE_GAP_RE = lazy_compile(r"^\s*(?:[-–—~]|ถึง)\s*$")
_MAX_RANGE = 20  # a longer "range" is more likely two unrelated codes
# What may sit between codes in a cell that only lists codes: separators and joiners.
_LIST_FILLER_RE = lazy_compile(r"[\s,;/&.\-–—~()]+|ถึง|และ|ข้อ")


def parse_oit_codes(text: str, max_code: int = 50, latin_only: bool = False) -> list[str]:
    """OIT codes cited in ``text``, as "O<n>", in order of first appearance. With
    `latin_only`, only codes printed with the letter O count (in running prose a zero
    followed by two digits is more often a number than a misread "O").

    >>> parse_oit_codes("-๐๑๐ นโยบายคุ้มครอง -O๔๒ มาตรการ o10 ซ้ำ, O 18")
    ['O10', 'O42', 'O18']
    >>> parse_oit_codes("-๐ ๓ ๑ ประกาศ -๐๔๓การดำเนินการ -018 E-Service")
    ['O31', 'O43', 'O18']
    >>> parse_oit_codes("โทร ๐๗๕-๗๖๕๒๖๗ ปี ๒๕๖๖ แบบ OIT วันที่ ๐๑/๑๐/๒๕๖๕ O0 O99")
    []
    >>> parse_oit_codes("O๑๙ – O๒๒"), parse_oit_codes("ข้อ O37 ถึง O39 และ O41")
    (['O19', 'O20', 'O21', 'O22'], ['O37', 'O38', 'O39', 'O41'])
    >>> parse_oit_codes("ห้อง ๐๑๒ ข้อมูลรายข้อ (O1-O3, O11)", latin_only=True)
    ['O1', 'O2', 'O3', 'O11']
    """
    found = ((m, m.group("o") or m.group("z") or (m.group("z1") + m.group("z2")))
             for m in _CODE_RE.finditer(text) if not (latin_only and not m.group("o")))
    return _codes_with_ranges(text, found, max_code)


def _codes_with_ranges(text: str, found, max_code: int) -> list[str]:
    """Codes ("O<n>") for each (match, digits) found, in order, once each; a range between two
    codes ("O19 – O22", "ถึง") cites every item in it."""
    seen: dict[str, None] = {}
    prev: tuple[int, int] | None = None  # (code, end offset) of the last code read
    for m, digits in found:
        n = int(thai_to_arabic(digits))
        if not 1 <= n <= max_code:
            prev = None
            continue
        if prev and prev[0] < n <= prev[0] + _MAX_RANGE and _RANGE_GAP_RE.match(text[prev[1]:m.start()]):
            for k in range(prev[0] + 1, n):
                seen.setdefault(f"O{k}", None)
        seen.setdefault(f"O{n}", None)
        prev = (n, m.end())
    return list(seen)


def is_oit_cell(text: str) -> bool:
    """Whether a cell holds nothing but OIT codes (a column of items, not of numbers).

    >>> is_oit_cell("O๑๙ – O๒๒"), is_oit_cell("O33, O34"), is_oit_cell("ข้อ ๐๑๐")
    (True, True, True)
    >>> is_oit_cell("๑"), is_oit_cell("O10 เผยแพร่แผน"), is_oit_cell("")
    (False, False, False)
    """
    if not text or len(text) > 60 or not parse_oit_codes(text):
        return False
    return not _LIST_FILLER_RE.sub("", _CODE_RE.sub("", text))


# In a column of item codes OCR reads every O as a zero: "01-04", "011-012", "๐๕".
_ZERO_LED_RE = lazy_compile(f"(?<![{_D}])[0\u0e50](?P<n>[{_D}]{{1,2}})(?![{_D}])")
_ZERO_LED_START_RE = lazy_compile(f"^\\s*[0\u0e50][{_D}]")
_DATE_SHAPE_RE = lazy_compile(f"[{_D}]{{1,2}}[-/.][{_D}]{{1,2}}[-/.][{_D}]{{2,4}}")
_ZERO_LED_SIGN_RE = lazy_compile(f"[0\u0e50][{_D}]{{2}}(?![{_D}])|[0\u0e50][{_D}]{{1,2}}\\s*(?:[-–—~]|ถึง)\\s*[0\u0e50][{_D}]")


def parse_zero_led_codes(text: str, max_code: int = 50) -> list[str]:
    """Codes of a cell known to hold item codes, every O read as a zero (one or two digits
    after it), ranges expanded.

    >>> parse_zero_led_codes("01-04"), parse_zero_led_codes("035.036"), parse_zero_led_codes("๐๙")
    (['O1', 'O2', 'O3', 'O4'], ['O35', 'O36'], ['O9'])
    >>> parse_zero_led_codes("072-034")  # O72 does not exist: only O34 is sure
    ['O34']
    """
    return _codes_with_ranges(text, ((m, m.group("n")) for m in _ZERO_LED_RE.finditer(text)), max_code)


def is_zero_led_code_column(values: list[str]) -> bool:
    """Whether a column's cells are item codes whose O OCR read as a zero: most start with
    a zero and a digit, and some show what no row number is — a zero and two digits, or a
    range ("011-012", "01-04"). Zero-padded row numbers ("01", "02") are neither.

    >>> is_zero_led_code_column(["01-04", "05 Ov, 0ซ", "011-012", "013", "03ซ"])
    True
    >>> is_zero_led_code_column(["01", "02", "03", "04"]), is_zero_led_code_column(["๑", "๒"])
    (False, False)
    >>> is_zero_led_code_column(["01-10-2565", "05-01-2566 - 01-04-2566"])  # dates
    False
    """
    if not values:
        return False
    led = [v for v in values if _ZERO_LED_START_RE.match(v) and not _DATE_SHAPE_RE.search(v)]
    return len(led) >= 0.6 * len(values) and sum(bool(_ZERO_LED_SIGN_RE.search(v)) for v in led) >= 2
