"""Provinces, districts and subdistricts (geothai: 77 provinces, 928 districts, 7,436
subdistricts) as reports print them: OCR slips allowed, "เมือง" alone read in context.

geothai has no list of local administrative organisations (that is `lao_register`); here
an agency's core name is only matched against place names, for agencies the register
does not hold.

The areas are read from `data/gazetteer.csv`, geothai's data as `gazetteer_index` writes
it (a test checks it against the installed geothai): importing geothai costs more than most
reports need from it. geothai itself is imported only for its rules on a province name
that is not spelt as registered (English names, short forms such as กทม).
"""
from __future__ import annotations

import functools
from typing import NamedTuple

from rapidfuzz.fuzz import ratio

from normalizers._data import data_file
from normalizers._regex import lazy_compile

MUEANG = "เมือง"  # a capital district is named เมือง + its province; reports often print เมือง alone
_DISTRICT_SLIP = 85  # ratio at which a printed district is taken for a real one (OCR slip)


class Province(NamedTuple):
    code: str  # DOPA, 2 digits
    name_th: str
    name_en: str


class District(NamedTuple):
    code: str  # DOPA, 4 digits
    name_th: str
    name_en: str
    province_code: str


def compact(s: str) -> str:
    """The name without its spaces (str.split's whitespace is the same set as regex `\\s`).

    >>> compact(" บ้าน  ใหม่ ")
    'บ้านใหม่'
    """
    return "".join(s.split())


_MARKS = lazy_compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # vowels and tone marks above/below


def skeleton(name: str) -> str:
    """A name's letters on the line, its marks above and below dropped (ำ counts as า):
    what is left of it when OCR loses its tone marks and upper vowels, or splits ำ.

    >>> skeleton("ห้วยโป่ง") == skeleton("หวยโปง"), skeleton("ห้วยโป่ง") == skeleton("หวยโปน")
    (True, False)
    >>> skeleton("น้ำอ้อม") == skeleton("น้้าอ้อม")
    True
    """
    return _MARKS.sub("", compact(name).replace("\u0e33", "\u0e32"))


class _Gazetteer(NamedTuple):
    subs: dict[str, list[str]]  # compact name → subdistrict codes (district: first 4 digits)
    dists: dict[str, list[District]]  # compact name → districts
    provinces: list[Province]  # geothai's order
    province_by_code: dict[str, Province]
    district_by_code: dict[str, District]
    districts_of: dict[str, list[District]]  # province code → its districts, geothai's order


@functools.cache
def _gazetteer() -> _Gazetteer:
    text = data_file("gazetteer.csv").read_bytes().decode("utf-8")
    if '"' in text:  # the fast split below needs plain fields (gazetteer_index writes none)
        raise ValueError("gazetteer.csv has quoted fields; split it with the csv module")
    g = _Gazetteer({}, {}, [], {}, {}, {})
    for line in text.splitlines()[2:]:  # the provenance line, the header
        level, code, name_th, name_en = line.split(",")
        if level == "S":
            g.subs.setdefault(compact(name_th), []).append(code)
        elif level == "D":
            d = District(code, name_th, name_en, code[:2])
            g.district_by_code[code] = d
            g.districts_of.setdefault(d.province_code, []).append(d)
            g.dists.setdefault(compact(name_th), []).append(d)
        else:
            p = Province(code, name_th, name_en)
            g.provinces.append(p)
            g.province_by_code[code] = p
    return g


def is_place_name(name: str) -> bool:
    """Whether some subdistrict or district bears this name."""
    g = _gazetteer()
    return name in g.subs or name in g.dists


def is_district_name(name: str) -> bool:
    """Whether some district bears this name (or it is "เมือง", some capital's)."""
    name = compact(name)
    return name == MUEANG or name in _gazetteer().dists


@functools.lru_cache(maxsize=1024)
def find_province(name: str | None) -> Province | None:
    """The province a printed name means (geothai's rules, then OCR slips), or None.

    >>> find_province("นครศรีธรรมราช").code, find_province("นครศรีธรรมรา").code
    ('80', '80')
    >>> find_province("กทม").name_th
    'กรุงเทพมหานคร'
    >>> find_province("ไม่มีจริง") is None
    True
    """
    if not name:
        return None
    g = _gazetteer()
    name = compact(name)
    # A province spelt as registered is the one geothai's rules give first (a test checks
    # every province); anything else asks geothai (English names, short forms).
    exact = exact_province(name)
    if exact is not None:
        return exact
    import geothai

    for p in geothai.provinces():
        if geothai.is_province(p, name) and p.code in g.province_by_code:
            return g.province_by_code[p.code]
    best = max(g.provinces, key=lambda p: ratio(name, p.name_th, processor=None))
    return best if ratio(name, best.name_th, processor=None) >= 80 else None


def exact_province(name: str | None) -> Province | None:
    """The province named exactly (no OCR slip allowed): for a bare word that might be one.

    >>> exact_province("นครศรีธรรมราช").code, exact_province("ประจำปี")
    ('80', None)
    """
    if not name:
        return None
    name = compact(name)
    return next((p for p in _gazetteer().provinces if p.name_th == name), None)


def find_district(name: str | None, province: Province | None = None) -> District | None:
    """The district a printed name means, inside `province` when given; None
    when no district, or more than one, fits.

    "เมือง" alone is the province's capital district (อำเภอเมือง + province name); with no
    province it means no district in particular.

    >>> p = find_province("ลพบุรี")
    >>> find_district("เมือง", p).name_th
    'เมืองลพบุรี'
    >>> find_district("นิคมน้ำอูน", find_province("มุกดาหาร")) is None
    True
    >>> find_district("เมือง") is None
    True
    >>> find_district("หนองไผ", find_province("เพชรบูรณ")).name_th
    'หนองไผ่'
    """
    if not name:
        return None
    g = _gazetteer()
    name = compact(name)
    if province is not None and name in (MUEANG, "อำเภอ" + MUEANG):
        name = MUEANG + compact(province.name_th)
    cands = g.dists.get(name, [])
    if province is not None:
        cands = [d for d in cands if d.province_code == province.code]
        if not cands and len(name) >= 3:  # its marks lost to OCR: the same letters on the line
            skel = skeleton(name)
            cands = [d for d in g.districts_of.get(province.code, []) if skeleton(d.name_th) == skel]
    return cands[0] if len(cands) == 1 else None


def district_exists(name: str) -> bool:
    """Whether a printed district names some real district (or is "เมือง", some capital).

    >>> district_exists("เมือง"), district_exists("ถลาง"), district_exists("ประจำปี")
    (True, True, False)
    """
    name = compact(name)
    dists = _gazetteer().dists
    return name == MUEANG or name in dists or any(
        ratio(name, d, processor=None) >= _DISTRICT_SLIP for d in dists)


def district_fits(printed: str, district_code: str) -> bool:
    """Whether a printed district can be the district `district_code`: the same name, an
    OCR slip of it, or "เมือง" alone for a capital district.

    >>> district_fits("เมือง", "1601"), district_fits("เมืองลพบุร", "1601"), district_fits("บ้านหมี่", "1601")
    (True, True, False)
    """
    printed = compact(printed)
    real = compact(district(district_code).name_th)
    if printed in (MUEANG, "อำเภอ" + MUEANG):
        return real.startswith(MUEANG)
    return printed == real or ratio(printed, real, processor=None) >= _DISTRICT_SLIP


def places(core: str) -> list[tuple[str | None, str, str]]:
    """(subdistrict code, district code, province code) of every place named `core`."""
    g = _gazetteer()
    out = [(s, s[:4], s[:2]) for s in g.subs.get(core, [])]
    out += [(None, d.code, d.province_code) for d in g.dists.get(core, [])
            if not any(o[1] == d.code for o in out)]
    return out


def near_place_name(core: str, province_code: str) -> str | None:
    """The one subdistrict/district name of the province within an OCR slip of `core`."""
    g = _gazetteer()
    near = {name for name, found in g.subs.items() if any(s[:2] == province_code for s in found)
            and ratio(core, name, processor=None) >= 88}
    near |= {name for name, found in g.dists.items() if any(d.province_code == province_code for d in found)
             and ratio(core, name, processor=None) >= 88}
    return near.pop() if len(near) == 1 else None


def subdistrict_in(core: str, district_code: str) -> str | None:
    """The code of the subdistrict named `core` in a district, if there is one."""
    return next((s for s, d, _ in places(core) if s and d == district_code), None)


def district_name(code: str) -> str:
    return district(code).name_th


def province(code: str) -> Province | None:
    return _gazetteer().province_by_code.get(code)


def district(code: str) -> District | None:
    return _gazetteer().district_by_code.get(code)
