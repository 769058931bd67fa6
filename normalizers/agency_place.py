"""Where an agency is: its entry in the DLA register, found by (type, name, printed place),
else a gazetteer place named like it.

The printed address only narrows the candidates; it never moves an agency across provinces.
A district printed wrongly *inside* the printed province is corrected (the register knows
where the agency is; `district_corrected`, info). When the printed province (or the province
of a printed district) holds no such agency, the agency is not placed elsewhere: the
printed province is kept, what cannot be settled stays null, and a `district_other_province`
review note says where the register would have put it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from normalizers import gazetteer as gz
from normalizers import lao_register
from normalizers.lao_register import LaoEntry


Notes = list[tuple[str, str]]


@dataclass
class Placement:
    core: str  # the name as registered (or as printed, when not registered)
    entry: LaoEntry | None = None
    district: object | None = None  # gazetteer.District
    province: object | None = None  # gazetteer.Province
    subdistrict_code: str | None = None
    notes: Notes = field(default_factory=list)


def _where(entries) -> str:
    return ", ".join(sorted({f"{gz.district_name(e.district_code)}/{gz.province(e.province_code).name_th}"
                             for e in entries}))


@functools.lru_cache(maxsize=4096)
def near_registered_name(kind: str | None, core: str, province_code: str) -> str | None:
    """The one name registered in the province (for this type, when given) that `core`
    is an OCR slip of: a letter wrong, missing or extra (two in names of 12 letters or more).

    >>> near_registered_name(None, "สำโรงทกบ", "32"), near_registered_name(None, "สำโรงทาบ", "32")
    ('สำโรงทาบ', 'สำโรงทาบ')
    >>> near_registered_name(None, "หวยโปง", "67")  # two marks lost
    'ห้วยโป่ง'
    
    """
    key = lao_register.name_key(core)
    if len(key) < 4:
        return None
    # Marks lost to OCR ("หวยโปง"): the one name there with the same letters on the line.
    skel = gz.skeleton(key)
    same = {e.name for e in lao_register.in_province(province_code)
            if (kind is None or e.type == kind) and gz.skeleton(e.key) == skel}
    if len(same) == 1:
        return same.pop()
    edits = max(1, len(key) // 6)  # one letter in a short name, two in a long one
    near = {e.name for e in lao_register.in_province(province_code)
            if (kind is None or e.type == kind) and Levenshtein.distance(key, e.key, score_cutoff=edits) <= edits}
    return near.pop() if len(near) == 1 else None


def place_agency(kind: str, core: str, printed_district: str | None,
                 printed_province: str | None) -> Placement:
    """Find the agency `kind` + `core` given the address the report prints for it."""
    province = gz.find_province(printed_province)
    pl = Placement(core, province=province)
    if printed_province and province is None:
        pl.notes.append(("province_unknown", f"printed province {printed_province!r} is not in the gazetteer"))
    district = gz.find_district(printed_district, province) if printed_district else None
    if printed_district and province is None and district is None:
        district = gz.find_district(printed_district)  # a district name unique in the country
    inferred = province is None and district is not None  # the province of a printed district
    if inferred:
        province = pl.province = gz.province(district.province_code)
    pl.district = district
    same = [e for e in lao_register.entries(core) if e.type == kind]
    cands = [e for e in same if province is None or e.province_code == province.code]
    if not cands and province is not None:
        near = near_registered_name(kind, core, province.code)
        if near is not None:
            pl.notes.append(("agency_name_corrected", f"name {core!r} is not registered in "
                             f"{province.name_th}; read as {near!r} (the only close name there)"))
            cands = [e for e in lao_register.entries(near) if e.type == kind and e.province_code == province.code]
    fits = [e for e in cands if not printed_district or gz.district_fits(printed_district, e.district_code)]
    if len(fits) == 1:
        return _placed(pl, fits[0])
    if len(fits) > 1 or (len(cands) > 1 and not fits):
        pl.notes.append(("agency_ambiguous", f"{kind}{core} is registered in several places the "
                         f"report does not tell apart: {_where(fits or cands)}"))
        return pl
    if len(cands) == 1:  # one candidate, and the printed district is not its district
        entry = cands[0]
        if province is not None or not gz.district_exists(printed_district):
            pl.notes.append(("district_corrected", f"printed district {printed_district!r} is not where "
                             f"{kind}{entry.name} lies; corrected from the DLA register"))
            return _placed(pl, entry)
        pl.notes.append(("district_other_province", f"printed district {printed_district!r} does not hold "
                         f"{kind}{core}, registered in {_where([entry])}; not placed there"))
        pl.district = None
        return pl
    if same and province is not None:  # registered, but elsewhere than printed
        if inferred:
            pl.notes.append(("district_other_province", f"printed district {printed_district!r} "
                             f"({province.name_th}) does not hold {kind}{core}, registered in {_where(same)}; "
                             "not placed"))
            pl.district = pl.province = None
            return pl
        pl.notes.append(("district_other_province", f"{kind}{core} is registered in {_where(same)}, not in "
                         f"{province.name_th} as printed; the printed province is kept, nothing corrected "
                         "across provinces"))
        return _from_gazetteer(pl, kind, core, printed_district, registered_elsewhere=True)
    return _from_gazetteer(pl, kind, core, printed_district)


def _placed(pl: Placement, entry: LaoEntry) -> Placement:
    pl.entry, pl.core = entry, entry.name
    pl.district, pl.province = gz.district(entry.district_code), gz.province(entry.province_code)
    pl.subdistrict_code = gz.subdistrict_in(lao_register.name_key(entry.name), entry.district_code)
    return pl


def _not_registered(kind: str, core: str, province) -> tuple[str, str]:
    """The `agency_not_in_register` note, naming LAOs of another type under that name."""
    others = [e for e in lao_register.entries(core)
              if e.type != kind and (province is None or e.province_code == province.code)]
    hint = (f"; the register has {', '.join(sorted({e.type + e.name for e in others}))} in "
            f"{_where(others)} (a change of type?)") if others else ""
    return ("agency_not_in_register", f"{kind}{core} is not in the DLA register"
            + (" of " + province.name_th if province else "") + hint)


def _from_gazetteer(pl: Placement, kind: str, core: str, printed_district: str | None,
                    registered_elsewhere: bool = False) -> Placement:
    """No registered entry: place the name as a subdistrict/district, inside the printed
    province when there is one (the fallback id then uses its code). An agency registered
    in another province is only placed when the printed province has a place of its name,
    and needs no second note saying it is not placed."""
    province, district = pl.province, pl.district
    if not registered_elsewhere or any(e.type != kind for e in lao_register.entries(core)
                                       if province is None or e.province_code == province.code):
        pl.notes.append(_not_registered(kind, core, province))
    found = gz.places(core)
    if province is not None:
        found = [p for p in found if p[2] == province.code]
        if not found and not registered_elsewhere:
            fixed = gz.near_place_name(core, province.code)
            if fixed:
                pl.notes.append(("agency_name_corrected", f"name {core!r} not in the gazetteer; read as "
                                 f"{fixed!r} (the only close name in {province.name_th})"))
                pl.core, found = fixed, [p for p in gz.places(fixed) if p[2] == province.code]
    fitting = [p for p in found if printed_district and gz.district_fits(printed_district, p[1])]
    if district is not None and any(p[1] == district.code for p in found):
        pl.subdistrict_code = next(p[0] for p in found if p[1] == district.code)
    elif len({p[1] for p in found}) == 1 and (province is not None or not printed_district or fitting
                                               or not gz.district_exists(printed_district)):
        sub_code, dcode, pcode = found[0]
        if printed_district and not fitting:
            pl.notes.append(("district_corrected", f"printed district {printed_district!r} is not where "
                             f"{pl.core} lies; corrected from the gazetteer"))
        pl.subdistrict_code, pl.district = sub_code, gz.district(dcode)
        pl.province = province or gz.province(pcode)
    elif found and len({p[1] for p in fitting}) == 1:
        pl.subdistrict_code, dcode, pcode = fitting[0]
        pl.district, pl.province = gz.district(dcode), gz.province(pcode)
    elif found and printed_district and province is None and not fitting:
        pl.notes.append(("district_other_province", f"printed district {printed_district!r} holds no place "
                         f"named {pl.core}; not placed elsewhere"))
    elif found:
        where = sorted({f"{gz.district_name(d)}/{gz.province(p).name_th}" for _, d, p in found})
        pl.notes.append(("agency_ambiguous", f"{pl.core} is ambiguous in the gazetteer: " + ", ".join(where)))
    elif not registered_elsewhere:
        pl.notes.append(("agency_unplaced", f"{pl.core} is not a subdistrict or district in the gazetteer"
                         + (f" of {province.name_th}" if province else "")))
    return pl
