"""Provinces, districts and subdistricts (geothai: 77 provinces, 928 districts, 7,436
subdistricts) as reports print them: OCR slips allowed, "เมือง" alone read in context.

geothai has no list of local administrative organisations (that is `lao_register`); here
an agency's core name is only matched against place names, for agencies the register
does not hold.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict

import geothai
from rapidfuzz.fuzz import ratio

_WS = re.compile(r"\s+")
MUEANG = "เมือง"  # a capital district is named เมือง + its province; reports often print เมือง alone
_DISTRICT_SLIP = 85  # ratio at which a printed district is taken for a real one (OCR slip)


def compact(s: str) -> str:
    return _WS.sub("", s)


_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # vowels and tone marks above/below


def skeleton(name: str) -> str:
    """A name's letters on the line, its marks above and below dropped (ำ counts as า):
    what is left of it when OCR loses its tone marks and upper vowels, or splits ำ.

    >>> skeleton("ห้วยโป่ง") == skeleton("หวยโปง"), skeleton("ห้วยโป่ง") == skeleton("หวยโปน")
    (True, False)
    >>> skeleton("น้ำอ้อม") == skeleton("น้้าอ้อม")
    True
    """
    return _MARKS.sub("", compact(name).replace("\u0e33", "\u0e32"))


@functools.cache
def _gazetteer() -> tuple[dict[str, list], dict[str, list], list]:
    """(subdistricts by name, districts by name, provinces)."""
    subs: dict[str, list] = defaultdict(list)
    dists: dict[str, list] = defaultdict(list)
    provinces = geothai.provinces()
    for p in provinces:
        for d in geothai.districts(p.code):
            dists[compact(d.name_th)].append(d)
            for s in geothai.subdistricts(d.code):
                subs[compact(s.name_th)].append(s)
    return dict(subs), dict(dists), provinces


def is_place_name(name: str) -> bool:
    """Whether some subdistrict or district bears this name."""
    subs, dists, _ = _gazetteer()
    return name in subs or name in dists


def is_district_name(name: str) -> bool:
    """Whether some district bears this name (or it is "เมือง", some capital's)."""
    name = compact(name)
    return name == MUEANG or name in _gazetteer()[1]


@functools.lru_cache(maxsize=1024)
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
    name = compact(name)
    for p in provinces:
        if geothai.is_province(p, name):
            return p
    best = max(provinces, key=lambda p: ratio(name, p.name_th, processor=None))
    return best if ratio(name, best.name_th, processor=None) >= 80 else None


def exact_province(name: str | None):
    """The province named exactly (no OCR slip allowed): for a bare word that might be one.

    >>> exact_province("นครศรีธรรมราช").code, exact_province("ประจำปี")
    ('80', None)
    """
    if not name:
        return None
    name = compact(name)
    return next((p for p in _gazetteer()[2] if p.name_th == name), None)


def find_district(name: str | None, province=None):
    """The geothai district a printed name means, inside `province` when given; None
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
    _, dists, _ = _gazetteer()
    name = compact(name)
    if province is not None and name in (MUEANG, "อำเภอ" + MUEANG):
        name = MUEANG + compact(province.name_th)
    cands = dists.get(name, [])
    if province is not None:
        cands = [d for d in cands if d.province_code == province.code]
        if not cands and len(name) >= 3:  # its marks lost to OCR: the same letters on the line
            skel = skeleton(name)
            cands = [d for d in geothai.districts(province.code) if skeleton(d.name_th) == skel]
    return cands[0] if len(cands) == 1 else None


def district_exists(name: str) -> bool:
    """Whether a printed district names some real district (or is "เมือง", some capital).

    >>> district_exists("เมือง"), district_exists("ถลาง"), district_exists("ประจำปี")
    (True, True, False)
    """
    name = compact(name)
    _, dists, _ = _gazetteer()
    return name == MUEANG or name in dists or any(
        ratio(name, d, processor=None) >= _DISTRICT_SLIP for d in dists)


def district_fits(printed: str, district_code: str) -> bool:
    """Whether a printed district can be the district `district_code`: the same name, an
    OCR slip of it, or "เมือง" alone for a capital district.

    >>> district_fits("เมือง", "1601"), district_fits("เมืองลพบุร", "1601"), district_fits("บ้านหมี่", "1601")
    (True, True, False)
    """
    printed = compact(printed)
    real = compact(geothai.district(district_code).name_th)
    if printed in (MUEANG, "อำเภอ" + MUEANG):
        return real.startswith(MUEANG)
    return printed == real or ratio(printed, real, processor=None) >= _DISTRICT_SLIP


def places(core: str) -> list[tuple[str | None, str, str]]:
    """(subdistrict code, district code, province code) of every place named `core`."""
    subs, dists, _ = _gazetteer()
    out = [(s.code, s.district_code, s.province_code) for s in subs.get(core, [])]
    out += [(None, d.code, d.province_code) for d in dists.get(core, [])
            if not any(o[1] == d.code for o in out)]
    return out


def near_place_name(core: str, province_code: str) -> str | None:
    """The one subdistrict/district name of the province within an OCR slip of `core`."""
    subs, dists, _ = _gazetteer()
    near = {name for table in (subs, dists) for name, found in table.items()
            if any(p.province_code == province_code for p in found)
            and ratio(core, name, processor=None) >= 88}
    return near.pop() if len(near) == 1 else None


def subdistrict_in(core: str, district_code: str) -> str | None:
    """The code of the subdistrict named `core` in a district, if there is one."""
    return next((s for s, d, _ in places(core) if s and d == district_code), None)


def district_name(code: str) -> str:
    return geothai.district(code).name_th


def province(code: str):
    return geothai.province(code)


def district(code: str):
    return geothai.district(code)
