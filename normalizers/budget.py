"""Budget cells ("๕๐,๐๐๐", "120,000.00 บาท", "-", "ไม่ใช้งบประมาณ") → baht.

A cell that says no budget is used is 0 baht; a dash or a blank says nothing and is
None, as is anything that is not one amount (two figures, a range, a fund's name):
the caller keeps the text, so nothing is lost when no number is read.
"""

from __future__ import annotations

from typing import NamedTuple

from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic

_NO_BUDGET_RE = lazy_compile(r"ไม่\s*(?:ใช้|ได้ใช้|มี|ต้องใช้)\s*(?:งบ\s*ประมาณ|งบ|ค่าใช้จ่าย)|ไม่มีค่าใช้จ่าย")
_AMOUNT_RE = lazy_compile(r"(?<![0-9.,])(?P<n>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<d>\.[0-9]{1,2})?(?![0-9,])")
_SCALE = {"ล้าน": 1_000_000, "แสน": 100_000, "หมื่น": 10_000, "พัน": 1_000}
_SCALE_RE = lazy_compile(r"^\s*(ล้าน|แสน|หมื่น|พัน)")
_DASHES = frozenset({"", "-", "–", "—", "๐", "0-", "ไม่ระบุ"})


class Budget(NamedTuple):
    baht: float | None
    understood: bool  # False: the cell says something that is not one amount


def parse_budget(text: str) -> Budget:
    """The amount a budget cell states.

    >>> parse_budget("๕๐,๐๐๐"), parse_budget("120,000.00 บาท"), parse_budget("2.5 ล้านบาท")
    (Budget(baht=50000.0, understood=True), Budget(baht=120000.0, understood=True), Budget(baht=2500000.0, understood=True))
    >>> parse_budget("ไม่ใช้งบประมาณ"), parse_budget("-")
    (Budget(baht=0.0, understood=True), Budget(baht=None, understood=True))
    >>> parse_budget("งบประมาณของกองคลัง"), parse_budget("10,000 - 20,000")
    (Budget(baht=None, understood=False), Budget(baht=None, understood=False))
    """
    s = thai_to_arabic(text).strip()
    if s in _DASHES:
        return Budget(None, True)
    if _NO_BUDGET_RE.search(s):
        return Budget(0.0, True)
    amounts = list(_AMOUNT_RE.finditer(s))
    if len(amounts) != 1:
        return Budget(None, False)
    m = amounts[0]
    value = float(m.group("n").replace(",", "") + (m.group("d") or ""))
    scale = _SCALE_RE.match(s[m.end():])
    if scale:
        value *= _SCALE[scale.group(1)]
    return Budget(value, True)
