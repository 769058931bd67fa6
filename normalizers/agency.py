"""Agency names as reports print them → the agency, placed in the Thai gazetteer.

Reports name their agency many times (title, body, ส่วนราชการ line, signature block,
table cells), often garbled: a truncated title, a name glued to the next word, letter-
spacing, a district from another province. `parse_agency_mentions` reads each mention;
`resolve_agency` lets the mentions vote and checks the winner against geothai (77
provinces, 928 districts, 7,436 subdistricts). geothai has no list of municipalities or
LAOs, so an agency's core name is matched against subdistrict and district names.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

import geothai
from rapidfuzz.fuzz import ratio

from normalizers._data import read_csv
from normalizers.text import fix_sara_am, join_letter_spacing, strip_markup

_THAI_RUN = r"[\u0e00-\u0e2e\u0e30-\u0e4e]+"  # Thai letters, no digits or ฯ
_WS = re.compile(r"\s+")
_GLUE_WEIGHT = 0.9  # a name glued to the next word ("ดงกลางประกาศให้") counts a little less


@dataclass(frozen=True)
class AgencyMention:
    type: str  # one of the five agency types
    name: str  # the core name as printed (after the type words)
    district: str | None = None  # printed right after the name
    province: str | None = None
    line: int | None = None
    weight: float = 1.0  # title mentions count more than body ones


@dataclass(frozen=True)
class AgencyResolution:
    name: str | None
    type: str | None
    core: str | None
    district: str | None = None
    province: str | None = None
    printed_district: str | None = None
    subdistrict_code: str | None = None
    district_code: str | None = None
    province_code: str | None = None
    aliases: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # other agencies named in the report
    # (kind, message): what resolution noticed, kinds as in extractor/data/note_kinds.csv
    notes: tuple[tuple[str, str], ...] = field(default=())

    @property
    def agency_id(self) -> str | None:
        return agency_id(self)


def _spaced(phrase: str) -> str:
    """A regex for `phrase` that tolerates OCR letter-spacing between its letters."""
    return r"\s*".join(re.escape(ch) for ch in phrase if not ch.isspace())


@functools.cache
def _type_patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    rows = sorted(read_csv("agency_types.csv"), key=lambda r: -len(r["phrase"]))
    return tuple((re.compile(_spaced(r["phrase"]) + r"\s*(" + _THAI_RUN + ")"), r["type"], r["code"])
                 for r in rows)


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(r["word"] for r in read_csv("agency_stopwords.csv"))


_DISTRICT_RE = re.compile(r"^\s*(?:อำเภอ|อ\.)\s*(" + _THAI_RUN + ")")
_PROVINCE_RE = re.compile(r"^\s*(?:จังหวัด|จ\.)\s*(" + _THAI_RUN + ")")
_ANY_DISTRICT_RE = re.compile(r"(?:อำเภอ|อ\.)\s*(" + _THAI_RUN + ")")
_ANY_PROVINCE_RE = re.compile(r"(?:จังหวัด|จ\.)\s*(" + _THAI_RUN + ")")


def _prepare(text: str) -> str:
    return join_letter_spacing(fix_sara_am(strip_markup(text)))


def parse_address(text: str) -> tuple[str | None, str | None]:
    """(district, province) printed anywhere in a line, without the words อำเภอ/จังหวัด.

    >>> parse_address("อำเภอเฉลิมพระเกียรติ จังหวัดนครศรีธรรมราช")
    ('เฉลิมพระเกียรติ', 'นครศรีธรรมราช')
    >>> parse_address("อ.เมือง จ.ลพบุรี")
    ('เมือง', 'ลพบุรี')
    """
    text = _prepare(text)
    d = _ANY_DISTRICT_RE.search(text)
    p = _ANY_PROVINCE_RE.search(text)
    return (d.group(1) if d else None), (p.group(1) if p else None)


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
    """
    text = _prepare(text)
    found: list[tuple[int, AgencyMention]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind, _ in _type_patterns():
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue  # inside a longer phrase already read ("นายกเทศมนตรีตำบล")
            name = m.group(1)
            if len(name) < 2 or any(name == w or (len(w) >= 4 and name.startswith(w))
                                    for w in _stopwords()):
                continue
            rest = text[m.end():]
            d = _DISTRICT_RE.match(rest)
            p = _PROVINCE_RE.match(rest[d.end():] if d else rest)
            taken.append((m.start(), m.end()))
            found.append((m.start(), AgencyMention(kind, name, d.group(1) if d else None,
                                                   p.group(1) if p else None, line, weight)))
    return [mention for _, mention in sorted(found, key=lambda x: x[0])]


def _compact(s: str) -> str:
    return _WS.sub("", s)


@functools.cache
def _gazetteer() -> tuple[dict[str, list], dict[str, list], list]:
    """(subdistricts by name, districts by name, provinces)."""
    subs: dict[str, list] = defaultdict(list)
    dists: dict[str, list] = defaultdict(list)
    provinces = geothai.provinces()
    for p in provinces:
        for d in geothai.districts(p.code):
            dists[_compact(d.name_th)].append(d)
            for s in geothai.subdistricts(d.code):
                subs[_compact(s.name_th)].append(s)
    return dict(subs), dict(dists), provinces


def find_province(name: str | None):
    """The geothai province a printed name means (OCR slips allowed), or None.

    >>> find_province("นครศรีธรรมราช").code, find_province("นครศรีธรรมรา").code
    ('80', '80')
    >>> find_province("ไม่มีจริง") is None
    True
    """
    if not name:
        return None
    _, _, provinces = _gazetteer()
    name = _compact(name)
    for p in provinces:
        if geothai.is_province(p, name):
            return p
    best = max(provinces, key=lambda p: ratio(name, p.name_th, processor=None))
    return best if ratio(name, best.name_th, processor=None) >= 80 else None


def find_district(name: str | None, province=None):
    """The geothai district a printed name means, inside `province` when given.

    "เมือง" alone is the province's capital district (อำเภอเมือง + province name).

    >>> p = find_province("ลพบุรี")
    >>> find_district("เมือง", p).name_th
    'เมืองลพบุรี'
    >>> find_district("นิคมน้ำอูน", find_province("มุกดาหาร")) is None
    True
    """
    if not name:
        return None
    _, dists, _ = _gazetteer()
    name = _compact(name)
    if province is not None and name in ("เมือง", "อำเภอเมือง"):
        name = "เมือง" + _compact(province.name_th)
    cands = dists.get(name, [])
    if province is not None:
        cands = [d for d in cands if d.province_code == province.code]
    return cands[0] if len(cands) == 1 else None


def _places(core: str) -> list[tuple[str | None, str, str]]:
    """(subdistrict code, district code, province code) of every place named `core`."""
    subs, dists, _ = _gazetteer()
    out = [(s.code, s.district_code, s.province_code) for s in subs.get(core, [])]
    out += [(None, d.code, d.province_code) for d in dists.get(core, [])
            if not any(o[1] == d.code for o in out)]
    return out


def _near_name(core: str, province_code: str) -> str | None:
    """The one subdistrict/district name of the province within an OCR slip of `core`."""
    subs, dists, _ = _gazetteer()
    near = {name for table in (subs, dists) for name, places in table.items()
            if any(p.province_code == province_code for p in places)
            and ratio(core, name, processor=None) >= 88}
    return near.pop() if len(near) == 1 else None


def _vote(mentions: list[AgencyMention], province_code: str | None) -> tuple[str, str] | None:
    """(type, core) the mentions agree on. A core found in the gazetteer (in the printed
    province, when there is one) counts double: a misprinted name rarely is a real place."""
    subs, dists, _ = _gazetteer()
    names = {m.name for m in mentions}
    scores: dict[str, float] = defaultdict(float)
    types: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        cores = {m.name: 1.0}
        for k in range(2, len(m.name)):
            prefix = m.name[:k]
            if prefix in names or prefix in subs or prefix in dists:
                cores.setdefault(prefix, _GLUE_WEIGHT)
        for core, w in cores.items():
            scores[core] += w * m.weight
            types[core][m.type] += m.weight
            first.setdefault(core, i)
    if not scores:
        return None
    for core in scores:
        places = _places(core)
        if province_code is not None:
            places = [p for p in places if p[2] == province_code]
        if places:
            scores[core] *= 2
    core = max(scores, key=lambda c: (scores[c], len(c), -first[c]))
    kind = max(types[core], key=types[core].get)
    return kind, core


def resolve_agency(mentions: list[AgencyMention], printed_district: str | None = None,
                   printed_province: str | None = None) -> AgencyResolution:
    """The reporting agency: the name the mentions agree on, placed in the gazetteer.

    `printed_district`/`printed_province` are the address the report prints for itself
    (its title); when absent, the first mention of the winning name carrying one is used.
    """
    if not mentions:
        return AgencyResolution(None, None, None, notes=(("agency_missing", "no agency named in the report"),))
    province = find_province(printed_province)
    voted = _vote(mentions, province.code if province else None)
    assert voted is not None
    kind, core = voted
    mine = [m for m in mentions if m.name.startswith(core)]
    if kind == "องค์การบริหารส่วนจังหวัด":
        return _resolve_province_org(core, mine, mentions)
    if printed_province is None and printed_district is None:
        carrier = next((m for m in mine if m.province or m.district), None)
        if carrier:
            printed_district, printed_province = carrier.district, carrier.province
            province = find_province(printed_province)
    notes: list[tuple[str, str]] = []
    if printed_province and province is None:
        notes.append(("province_unknown", f"printed province {printed_province!r} is not in the gazetteer"))
    district = find_district(printed_district, province) if printed_district else None
    if printed_district and province is None and district is None:
        district = find_district(printed_district)
    if province is None and district is not None:
        province = geothai.province(district.province_code)
    places = _places(core)
    if province is not None:
        places = [p for p in places if p[2] == province.code]
        if not places:
            fixed = _near_name(core, province.code)
            if fixed:
                notes.append(("agency_name_corrected", f"name {core!r} not in the gazetteer; read as "
                              f"{fixed!r} (the only close name in {province.name_th})"))
                core, places = fixed, [p for p in _places(fixed) if p[2] == province.code]
    sub_code = None
    if district is not None and any(p[1] == district.code for p in places):
        sub_code = next(p[0] for p in places if p[1] == district.code)
    elif len({p[1] for p in places}) == 1:
        sub_code, dcode, pcode = places[0]
        if district is None and printed_district:
            notes.append(("district_corrected", f"printed district {printed_district!r} is not where "
                          f"{core} lies; corrected from the gazetteer"))
        district = geothai.district(dcode)
        province = province or geothai.province(pcode)
    elif places:
        where = sorted({f"{geothai.district(d).name_th}/{geothai.province(p).name_th}"
                        for _, d, p in places})
        notes.append(("agency_ambiguous", f"{core} is ambiguous in the gazetteer: " + ", ".join(where)))
    else:
        notes.append(("agency_unplaced", f"{core} is not a subdistrict or district in the gazetteer"
                      + (f" of {province.name_th}" if province else "")))
    district_name = district.name_th if district else None
    printed = printed_district if printed_district and district_name and \
        _compact(printed_district) != _compact(district_name) else None
    aliases = tuple(sorted({m.type + m.name for m in mine}))
    others = tuple(sorted({m.type + m.name for m in mentions
                           if not m.name.startswith(core) and not core.startswith(m.name)
                           and ratio(m.name, core, processor=None) < 80}))
    return AgencyResolution(
        name=kind + core, type=kind, core=core, district=district_name,
        province=province.name_th if province else None, printed_district=printed,
        subdistrict_code=sub_code, district_code=district.code if district else None,
        province_code=province.code if province else None, aliases=aliases, others=others,
        notes=tuple(notes))


def _resolve_province_org(core: str, mine: list[AgencyMention],
                           mentions: list[AgencyMention]) -> AgencyResolution:
    """An อบจ. is named after its province: the province is the place, no district."""
    province = find_province(core)
    notes = () if province else (("agency_unplaced", f"{core!r} is not a province in the gazetteer"),)
    name = province.name_th if province else core
    return AgencyResolution(
        name="องค์การบริหารส่วนจังหวัด" + name, type="องค์การบริหารส่วนจังหวัด", core=name,
        province=province.name_th if province else None,
        province_code=province.code if province else None,
        aliases=tuple(sorted({m.type + m.name for m in mine})),
        others=tuple(sorted({m.type + m.name for m in mentions if not m.name.startswith(core)})),
        notes=notes)


def agency_id(res: AgencyResolution) -> str | None:
    """A stable key: the type plus the gazetteer code when the agency is placed, else a
    hash of type, name and province — the same agency gets the same id in every file.

    >>> agency_id(AgencyResolution("เทศบาลตำบลดอนตรอ", "เทศบาลตำบล", "ดอนตรอ", subdistrict_code="802302"))
    'TT-802302'
    """
    if res.type is None or res.core is None:
        return None
    code = next(r["code"] for r in read_csv("agency_types.csv") if r["type"] == res.type)
    if code == "PAO" and res.province_code:
        return f"PAO-{res.province_code}"
    if res.subdistrict_code:
        return f"{code}-{res.subdistrict_code}"
    key = f"{res.type}|{res.core}|{res.province_code or res.province or ''}"
    return f"{code}-x{hashlib.sha1(key.encode()).hexdigest()[:8]}"
