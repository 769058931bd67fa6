"""Thai ↔ arabic digit conversion.

``str.translate`` with a prebuilt table is several times faster than
pythainlp's digit helpers and these run on every cell.
"""

from __future__ import annotations

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"

_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)


def thai_to_arabic(text: str) -> str:
    """Replace Thai digits ๐–๙ by 0–9; every other character is left alone.

    >>> thai_to_arabic("ปีงบประมาณ ๒๕๖๖")
    'ปีงบประมาณ 2566'
    >>> thai_to_arabic("O๔๒ and 12")
    'O42 and 12'
    >>> thai_to_arabic("")
    ''
    """
    return text.translate(_TO_ARABIC)


def arabic_to_thai(text: str) -> str:
    """Replace 0–9 by Thai digits ๐–๙; every other character is left alone.

    >>> arabic_to_thai("พ.ศ. 2566")
    'พ.ศ. ๒๕๖๖'
    >>> arabic_to_thai(thai_to_arabic("๑๐.๕")) == "๑๐.๕"
    True
    """
    return text.translate(_TO_THAI)
