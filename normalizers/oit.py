"""OIT item codes (O1–O43 …) as OCR prints them → "O" + arabic digits.

OCR reads the Latin letter O of "O10" as a zero, giving "๐๑๐" or "010",
sometimes letter-spaced ("๐ ๓ ๑"). A Thai zero therefore counts as the letter
only when exactly two digits follow it, and never inside a longer number,
a date or a phone number.
"""

from __future__ import annotations

import re

from normalizers.digits import thai_to_arabic

_D = "0-9\u0e50-\u0e59"
# Not part of a longer number, date, time or phone number on either side.
_BEFORE = f"(?<![{_D}])(?<![{_D}][/.:,\\-])"
_AFTER = f"(?![{_D}])(?![/.:,\\-]\\s?[{_D}])"

_CODE_RE = re.compile(
    # Latin O/o not inside a word ("OIT", "NO10"), then one or two digits.
    f"(?<![A-Za-z])[Oo]\\s?(?P<o>[{_D}]{{1,2}}){_AFTER}"
    # A zero (Thai or arabic: "O10" read as "๐๑๐" or "010") + exactly two digits,
    # written solid or fully letter-spaced.
    f"|{_BEFORE}[0\u0e50](?:(?P<z>[{_D}]{{2}})|\\s(?P<z1>[{_D}])\\s(?P<z2>[{_D}])){_AFTER}"
)


def parse_oit_codes(text: str, max_code: int = 50) -> list[str]:
    """OIT codes cited in ``text``, as "O<n>", in order of first appearance.

    >>> parse_oit_codes("-๐๑๐ นโยบายคุ้มครอง -O๔๒ มาตรการ o10 ซ้ำ, O 18")
    ['O10', 'O42', 'O18']
    >>> parse_oit_codes("-๐ ๓ ๑ ประกาศ -๐๔๓การดำเนินการ -018 E-Service")
    ['O31', 'O43', 'O18']
    >>> parse_oit_codes("โทร ๐๗๕-๗๖๕๒๖๗ ปี ๒๕๖๖ แบบ OIT วันที่ ๐๑/๑๐/๒๕๖๕ O0 O99")
    []
    """
    seen: dict[str, None] = {}
    for m in _CODE_RE.finditer(text):
        digits = m.group("o") or m.group("z") or (m.group("z1") + m.group("z2"))
        n = int(thai_to_arabic(digits))
        if 1 <= n <= max_code:
            seen.setdefault(f"O{n}", None)
    return list(seen)
