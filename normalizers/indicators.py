"""ITA indicator labels (ตัวชี้วัดที่ N <name> คะแนน S) and quoted scores.

Known names come from ``data/ita_indicators.csv`` (all years, indicator and
sub-indicator names; provenance in ``data/SOURCES.md``) plus printed variants
in ``data/indicator_aliases.csv``. Names are compared with spaces removed and
with rapidfuzz on raw strings: rapidfuzz's default processor would strip Thai
vowels and tone marks as "punctuation".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.fuzz import ratio

from normalizers._data import read_csv
from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic
from normalizers.text import fix_sara_am, join_letter_spacing, strip_markup

_LABEL_MIN = 85  # whole label vs a known name: allows ~1 OCR slip per 12 letters
_PREFIX_MIN = 90  # a known name at the start of longer text needs to be closer
_NAME_MIN = 90  # a bare name with no number in front of it

_WS_RE = lazy_compile(r"\s+")
_DIG = "0-9\u0e50-\u0e59"


@dataclass(frozen=True)
class IndicatorRef:
    """An ITA indicator named in a report: number, name as printed, score."""

    no: int
    name: str | None
    score: float | None


class _Name(NamedTuple):
    no: int
    compact: str
    is_sub: bool  # a sub-indicator (9.1 ข้อมูลพื้นฐาน): only trusted after its number


def _compact(text: str) -> str:
    return _WS_RE.sub("", text)


@functools.cache
def _names() -> tuple[_Name, ...]:
    found: dict[tuple[int, str], bool] = {}
    for r in read_csv("ita_indicators.csv"):
        no = int(r["indicator_no"])
        found.setdefault((no, _compact(r["indicator_name_th"])), False)
        if r["sub_indicator_name_th"]:
            found.setdefault((no, _compact(r["sub_indicator_name_th"])), True)
    for r in read_csv("indicator_aliases.csv"):
        found.setdefault((int(r["indicator_no"]), _compact(r["alias"])), False)
    return tuple(_Name(no, name, sub) for (no, name), sub in found.items())


# --- scores -----------------------------------------------------------------

_SCORE_RE = lazy_compile(
    r"คะ\s*แนน\s*(?:รวม|เฉลี่ย|ที่ได้)?\s*(?:เท่ากับ|ได้)?\s*[:=]?\s*"
    r"(?P<v>[0-9]{1,3}(?:\.[0-9]+)?)(?![0-9])"
)


_SCORE_TRAILING_RE = lazy_compile(r"(?<![0-9.])(?P<v>[0-9]{1,3}(?:\.[0-9]+)?)\s*คะ\s*แนน")
_BARE_SCORE_RE = lazy_compile(r"^\s*\(?\s*(?P<v>[0-9]{1,3}(?:\.[0-9]+)?)\s*\)?\s*(?:คะ\s*แนน)?\s*$")


def parse_score(text: str, trailing: bool = False) -> float | None:
    """A 0–100 score written after the word คะแนน, else None. With ``trailing`` (the
    text is an indicator label, not running text) "(๘๙.๒๕ คะแนน)" counts too.

    >>> parse_score("คะแนน 97.44"), parse_score("คะแนน ๙๗.๔๔"), parse_score("มีคะแนนเท่ากับ ๗๐.๓๓ คะแนน")
    (97.44, 97.44, 70.33)
    >>> parse_score("97.44") is None, parse_score("คะแนน 250") is None
    (True, True)
    >>> parse_score("การปฏิบัติหน้าที่ (๘๙.๒๕ คะแนน)", trailing=True), parse_score("เพิ่มขึ้น 5 คะแนน") is None
    (89.25, True)
    """
    arabic = thai_to_arabic(text)
    value = _score_value(_SCORE_RE.search(arabic))
    if value is None and trailing:
        value = _score_value(_SCORE_TRAILING_RE.search(arabic))
    return value


def parse_score_cell(text: str) -> float | None:
    """A score column's cell: a number 0–100, perhaps with คะแนน before or after it.

    >>> parse_score_cell("๗๘.๕๐"), parse_score_cell("(91.00 คะแนน)"), parse_score_cell("คะแนน 80")
    (78.5, 91.0, 80.0)
    >>> parse_score_cell("-") is None, parse_score_cell("120") is None
    (True, True)
    """
    arabic = thai_to_arabic(text)
    return _score_value(_BARE_SCORE_RE.match(arabic) or _SCORE_RE.search(arabic)
                        or _SCORE_TRAILING_RE.search(arabic))


def _score_value(m: re.Match[str] | None) -> float | None:
    if m is None:
        return None
    value = float(m.group("v"))
    return value if 0 <= value <= 100 else None


# --- name matching ----------------------------------------------------------


def _name_at(text: str, start: int, no: int) -> int | None:
    """End offset in ``text`` of a known name of indicator ``no`` at ``start``
    (spaces and letter-spacing allowed inside), or None."""
    candidates = [n.compact for n in _names() if n.no == no]
    longest = max(len(c) for c in candidates) + 1
    compact: list[str] = []
    ends: list[int] = []  # ends[k]: offset just after the k-th kept character
    for i in range(start, len(text)):
        ch = text[i]
        if ch.isspace():
            continue
        compact.append(ch)
        ends.append(i + 1)
        if len(compact) >= longest:
            break
    head = "".join(compact)
    best: tuple[float, int, int] | None = None  # (score, name length, span)
    for name in candidates:
        for span in (len(name), len(name) - 1, len(name) + 1):
            if not 0 < span <= len(head):
                continue
            score = 100.0 if head[:span] == name else ratio(head[:span], name, processor=None)
            if score >= _PREFIX_MIN and (best is None or (score, len(name)) > best[:2]):
                best = (score, len(name), span)
    return ends[best[2] - 1] if best else None


def _printed(text: str) -> str | None:
    s = join_letter_spacing(_WS_RE.sub(" ", text)).strip(" -–:.,(")
    return s or None


def _best_label(body: str, *, no: int | None, min_score: int) -> _Name | None:
    compact = _compact(body)
    best: tuple[float, _Name] | None = None
    for name in _names():
        if (no is None and name.is_sub) or (no is not None and name.no != no):
            continue
        score = ratio(compact, name.compact, processor=None)
        if score >= min_score and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None


# --- public API ---------------------------------------------------------------

_MENTION_RE = lazy_compile(
    r"\s*".join("ตัวชี้วัด")
    + r"\s*(?:ย่อย\s*)?ที่\s*"
    + f"(?P<n>[{_DIG}]{{1,2}})(?![{_DIG}])(?:\\.[{_DIG}]{{1,2}}(?![{_DIG}]))?"
    + r"\s*[.:)]?\s*"
)
_BARE_NUM_RE = lazy_compile(f"(?P<n>[{_DIG}]{{1,2}})(?![{_DIG}])\\s*[.)]?\\s*(?=\\S)")
_SCORE_AFTER_RE = lazy_compile(r"\s*\(?\s*" + _SCORE_RE.pattern)


def _indicator_no(digits: str) -> int | None:
    n = int(thai_to_arabic(digits))
    return n if 1 <= n <= 10 else None


def _without_score(text: str) -> tuple[str, float | None]:
    # thai_to_arabic maps one character to one, so offsets carry over.
    arabic = thai_to_arabic(text)
    m = _SCORE_RE.search(arabic)
    score = _score_value(m)
    if m is None or score is None:
        m = _SCORE_TRAILING_RE.search(arabic)  # "(๘๙.๒๕ คะแนน)" after the name
        score = _score_value(m)
        if m is None or score is None:
            return text, None
    return text[: m.start()].rstrip(" (").rstrip(), score


def parse_indicator_label(text: str) -> IndicatorRef | None:
    """Read a cell or heading that *is* an indicator label, else None.

    Accepts "ตัวชี้วัดที่ N <name> [คะแนน S]", "N <known name>" (N 1–10, the
    name fuzzily one of indicator N's) and a known indicator name alone.
    The name is returned as printed, layout spaces collapsed.

    >>> parse_indicator_label("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ คะแนน 97.44")
    IndicatorRef(no=1, name='การปฏิบัติหน้าที่', score=97.44)
    >>> parse_indicator_label("๒ การใช้ งบประมาณ")
    IndicatorRef(no=2, name='การใช้ งบประมาณ', score=None)
    >>> parse_indicator_label("การใช้งบประมาณ")
    IndicatorRef(no=2, name='การใช้งบประมาณ', score=None)
    >>> parse_indicator_label("๒ การเผยแพร่ประชาสัมพันธ์") is None, parse_indicator_label("๑๒ การใช้งบประมาณ") is None
    (True, True)
    """
    s = _WS_RE.sub(" ", fix_sara_am(strip_markup(text) if "<" in text else text)).strip()
    if not s:
        return None
    body, score = _without_score(s)
    m = _MENTION_RE.match(body)
    if m:
        no = _indicator_no(m.group("n"))
        if no is None:
            return None
        end = _name_at(body, m.end(), no)
        name = _printed(body[m.end() : end] if end else body[m.end() :])
        return IndicatorRef(no, name, score)
    m = _BARE_NUM_RE.match(body)
    if m:
        no = _indicator_no(m.group("n"))
        rest = body[m.end() :]
        if no is None or _best_label(rest, no=no, min_score=_LABEL_MIN) is None:
            return None
        return IndicatorRef(no, _printed(rest), score)
    named = _best_label(body, no=None, min_score=_NAME_MIN)
    if named is None:
        return None
    return IndicatorRef(named.no, _printed(body), score)


def find_indicator_mention(text: str) -> IndicatorRef | None:
    """The first explicit "ตัวชี้วัดที่ N …" (N 1–10) inside running text.

    The name is the known name of indicator N that follows the number (spaces
    and letter-spacing allowed), as printed; None when no known name follows.

    >>> find_indicator_mention("-ดำเนินการในหัวข้อ ตัวชี้วัดที่ ๑๐ การ ป้องกันการทุจริต ประเด็นที่ต้องพัฒนา")
    IndicatorRef(no=10, name='การ ป้องกันการทุจริต', score=None)
    >>> find_indicator_mention("ตามตัวชี้วัดที่ 3 ของแผน")
    IndicatorRef(no=3, name=None, score=None)
    >>> find_indicator_mention("เกี่ยวกับตัวชี้วัดตามแบบวัดการรับรู้ (IIT)") is None
    True
    """
    s = fix_sara_am(text)
    for m in _MENTION_RE.finditer(s):
        no = _indicator_no(m.group("n"))
        if no is None:
            continue
        end = _name_at(s, m.end(), no)
        if end is None:
            return IndicatorRef(no, None, None)
        score = _score_value(_SCORE_AFTER_RE.match(thai_to_arabic(s), end))
        return IndicatorRef(no, _printed(s[m.end() : end]), score)
    return None
