"""Agency mentions as reports print them: a type phrase (full, abbreviated, a signature
title), the name after it, and the district and province printed right after that.

Text is taken as OCR and PDFs leave it: markup, letter-spacing, split sara am, names broken
into syllables ("หัว สำ โรง", joined back when the join is a known name), a capital district
split from its province ("อำเภอเมือง นครศรีธรรมราช") or wrapped onto the next line.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normalizers import gazetteer as gz
from normalizers import lao_register
from normalizers._data import read_csv
from normalizers._regex import lazy_compile
from normalizers.text import fix_sara_am, join_letter_spacing, strip_markup

_THAI_RUN = r"[\u0e00-\u0e2e\u0e30-\u0e4e]+"  # Thai letters, no digits or ฯ
# A name ends where the address starts, printed with or without a space ("…หนองคายอำเภอ…").
_NAME_RUN = r"(?:(?!อำเภอ|จังหวัด)[\u0e00-\u0e2e\u0e30-\u0e4e])+"
_NAME = _NAME_RUN + r"(?:-" + _NAME_RUN + ")?"  # registered names may join two with a hyphen


@dataclass(frozen=True)
class AgencyMention:
    type: str  # one of the five agency types
    name: str  # the core name as printed (after the type words)
    district: str | None = None  # printed right after the name
    province: str | None = None
    line: int | None = None
    weight: float = 1.0  # title mentions count more than body ones


def _spaced(phrase: str) -> str:
    """A regex for `phrase` that tolerates OCR letter-spacing between its letters."""
    return r"\s*".join(re.escape(ch) for ch in phrase if not ch.isspace())


@functools.cache
def _type_patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    rows = sorted(read_csv("agency_types.csv"), key=lambda r: -len(r["phrase"]))
    return tuple((re.compile(_spaced(r["phrase"]) + r"\s*(" + _NAME + ")"), r["type"], r["code"])
                 for r in rows)


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(r["word"] for r in read_csv("agency_stopwords.csv"))


_DISTRICT_WORD = r"(?:" + _spaced("อำเภอ") + r"|อ\.)\s*(" + _NAME + ")"  # สุไหงโก-ลก
_PROVINCE_WORD = r"(?:" + _spaced("จังหวัด") + r"|จ\.)\s*(" + _THAI_RUN + ")"
_DISTRICT_RE = lazy_compile(r"\s*" + _DISTRICT_WORD)
_PROVINCE_RE = lazy_compile(r"\s*" + _PROVINCE_WORD)
_ANY_DISTRICT_RE = lazy_compile(_DISTRICT_WORD)
_ANY_PROVINCE_RE = lazy_compile(_PROVINCE_WORD)
_WORD_RE = lazy_compile(r"\s*(" + _THAI_RUN + ")")
_NEXT_SYLLABLE = lazy_compile(r"[ \t]+(" + _THAI_RUN + ")")
# Every type phrase holds one of these (letter-spaced or not): text without any names no agency,
# and most lines and cells are skipped before any cleaning.
_TYPE_HINT = lazy_compile(r"เ\s*ท\s*ศ|อ\s*ง\s*ค|อ\s*บ\s*[ตจ]|ท\s*[นมต]\s*\.")


def _prepare(text: str) -> str:
    return join_letter_spacing(fix_sara_am(strip_markup(text)))


def _rejoined(text: str, name: str, end: int, known) -> tuple[str, int]:
    """A name OCR broke into syllables ("หัว สำ โรง") joined back: the longest join of the
    next few space-separated runs that is a `known` name, else the name as read.

    >>> _rejoined("หัว สำ โรง อำเภอ", "หัว", 3, lambda n: n == "หัวสำโรง")
    ('หัวสำโรง', 10)
    """
    best, joined, pos = (name, end), name, end
    for _ in range(3):
        nxt = _NEXT_SYLLABLE.match(text, pos)
        if not nxt:
            break
        joined, pos = joined + nxt.group(1), nxt.end()
        if known(joined):
            best = (joined, pos)
    return best


def _known_agency_name(name: str) -> bool:
    return lao_register.is_registered(name) or gz.is_place_name(name)


def _district_name(text: str, d: re.Match[str]) -> tuple[str, int, str | None]:
    """(district, where it ends, province it names) for a matched อำเภอ…: "อำเภอเมือง
    นครศรีธรรมราช" (a capital district split at the space) is one district, naming its
    province; a district broken into syllables is joined back."""
    name, end = _rejoined(text, d.group(1), d.end(), gz.is_district_name)
    if name == gz.MUEANG:
        nxt = _WORD_RE.match(text, end)
        if nxt and gz.exact_province(nxt.group(1)):
            return name + nxt.group(1), nxt.end(), nxt.group(1)
    if end > d.end() and name.startswith(gz.MUEANG) and gz.exact_province(name[len(gz.MUEANG):]):
        return name, end, name[len(gz.MUEANG):]  # "เมือง ลพบุรี" joined back
    return name, end, None


def leading_province(text: str) -> str | None:
    """The province a line starts with when it is one, bare (the rest of a capital
    district's name wrapped onto the next line: "อำเภอเมือง" / "นครศรีธรรมราช จังหวัด…").

    >>> leading_province("นครศรีธรรมราช จังหวัดนครศรีธรรมราช"), leading_province("ประจำปี ๒๕๖๖")
    ('นครศรีธรรมราช', None)
    """
    w = _WORD_RE.match(_prepare(text))
    return w.group(1) if w and gz.exact_province(w.group(1)) else None


def parse_address(text: str) -> tuple[str | None, str | None]:
    """(district, province) printed anywhere in a line, without the words อำเภอ/จังหวัด.

    >>> parse_address("อำเภอเฉลิมพระเกียรติ จังหวัดนครศรีธรรมราช")
    ('เฉลิมพระเกียรติ', 'นครศรีธรรมราช')
    >>> parse_address("อ.เมือง จ.ลพบุรี")
    ('เมือง', 'ลพบุรี')
    >>> parse_address("อำเภอเมือง ลพบุรี")
    ('เมืองลพบุรี', 'ลพบุรี')
    >>> parse_address("องค์การบริหารส่วนตำบลหนองค่ายอำเภอประทายจังหวัดนครราชสีมา")
    ('ประทาย', 'นครราชสีมา')
    """
    text = _prepare(text)
    district = province = None
    d = _ANY_DISTRICT_RE.search(text)
    if d:
        district, _, province = _district_name(text, d)
    p = _ANY_PROVINCE_RE.search(text)
    return district, (_province_name(text, p) if p else province)


def _province_name(text: str, p: re.Match[str]) -> str:
    return _rejoined(text, p.group(1), p.end(), gz.exact_province)[0]


def parse_agency_mentions(text: str, line: int | None = None, weight: float = 1.0) -> list[AgencyMention]:
    """Every agency named in `text`, with the district/province printed right after it.

    >>> [(m.type, m.name, m.district, m.province) for m in parse_agency_mentions(
    ...     "ของเทศบาลตำบลท่าแพ อำเภอเมืองนครศรีธรรมราช จังหวัดนครศรีธรรมราช")]
    [('เทศบาลตำบล', 'ท่าแพ', 'เมืองนครศรีธรรมราช', 'นครศรีธรรมราช')]
    >>> [(m.type, m.name) for m in parse_agency_mentions("อบต.ดงกลาง และ องค์ การ บริหาร ส่วน ตำบล ดงกลาง")]
    [('องค์การบริหารส่วนตำบล', 'ดงกลาง'), ('องค์การบริหารส่วนตำบล', 'ดงกลาง')]
    >>> [(m.type, m.name) for m in parse_agency_mentions("นายกเทศมนตรีตำบลท่าแพ")]
    [('เทศบาลตำบล', 'ท่าแพ')]
    >>> parse_agency_mentions("องค์กรบริหารส่วนตำบลดังกล่าว")
    []
    >>> [(m.name, m.district) for m in parse_agency_mentions("องค์ การ บริหาร ส่วน ตำบล หัว สำ โรง อำ เภอ แปลง ยาว")]
    [('หัวสำโรง', 'แปลงยาว')]
    """
    if not _TYPE_HINT.search(text):
        return []
    text = _prepare(text)
    found: list[tuple[int, AgencyMention]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind, _ in _type_patterns():
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue  # inside a longer phrase already read ("นายกเทศมนตรีตำบล")
            name, end = _rejoined(text, m.group(1), m.end(), _known_agency_name)
            if len(name) < 2 or any(name == w or (len(w) >= 4 and name.startswith(w))
                                    for w in _stopwords()):
                continue
            district = named = None
            d = _DISTRICT_RE.match(text, end)
            if d:
                district, end, named = _district_name(text, d)
            p = _PROVINCE_RE.match(text, end)
            taken.append((m.start(), m.end()))
            found.append((m.start(), AgencyMention(kind, name, district, _province_name(text, p) if p else named,
                                                   line, weight)))
    return [mention for _, mention in sorted(found, key=lambda x: x[0])]
