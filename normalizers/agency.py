"""Agency names as reports print them → the agency, with its official DLA code.

Reports name their agency many times (title, body, ส่วนราชการ line, signature block,
table cells), often garbled: a truncated title, a name glued to the next word, letter-
spacing, a district from another province. `parse_agency_mentions` reads each mention;
`resolve_agency` lets the mentions vote, finds the winner in the DLA register of all
7,849 LAOs by type, name and printed place (`lao_register`, `agency_place`), and falls
back to the gazetteer (`gazetteer`, geothai) for agencies the register does not hold.
Mentions that are not the winner are sorted into OCR variants of it (aliases), other
registered agencies (copied text, or a contested report) and unmatched garble.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz.fuzz import ratio

from normalizers import gazetteer as gz
from normalizers import lao_register
from normalizers._data import read_csv
from normalizers.agency_mentions import AgencyMention, leading_province, parse_address, parse_agency_mentions
from normalizers.agency_place import near_registered_name, place_agency

__all__ = ["AgencyMention", "AgencyResolution", "agency_id", "leading_province", "parse_address",
           "parse_agency_mentions", "resolve_agency"]

_GLUE_WEIGHT = 0.9  # a name glued to the next word ("ดงกลางประกาศให้") counts a little less
_CONTEST_SHARE = 0.5  # another agency named at least half as much as the winner contests it
PROVINCE_ORG = "องค์การบริหารส่วนจังหวัด"


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
    dla_code: str | None = None  # 7-digit code in the DLA register, when the agency is there
    aliases: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # other registered agencies named in the report
    # (kind, message): what resolution noticed, kinds as in extractor/data/note_kinds.csv
    notes: tuple[tuple[str, str], ...] = field(default=())

    @property
    def agency_id(self) -> str | None:
        return agency_id(self)


@dataclass(frozen=True)
class _Support:
    """How much the report backs each name: the winner and its variants, and the rest."""
    winner: float
    aliases: tuple[str, ...]  # the winner as printed (type + name), variants included
    others: dict[str, float]  # registered LAOs other than the winner: printed name → weight
    unmatched: tuple[str, ...]  # agency-like names that are neither


def _vote(mentions: list[AgencyMention], province_code: str | None) -> tuple[str, str, str | None] | None:
    """(type, core, slip) the mentions agree on. A core that is a registered LAO or a
    gazetteer place (in the printed province, when there is one) counts double: a
    misprinted name rarely is a real one. In a known province, a name that is neither but
    is an OCR slip of one registered name there votes for that name; `slip` is the printed
    name when no mention printed the winner exactly. Types tie-break towards one the
    register holds under that name."""
    names = {m.name for m in mentions}
    scores: dict[str, float] = defaultdict(float)
    types: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    first: dict[str, int] = {}
    printed: dict[str, str] = {}  # core → a printed name that voted for it
    for i, m in enumerate(mentions):
        name = m.name
        if province_code is not None and not _known(name, province_code):
            name = near_registered_name(None, name, province_code) or name
        cores = {name: 1.0}
        if name == m.name and not _known(name, province_code):  # perhaps glued to the next word
            prefix = next((m.name[:k] for k in range(len(m.name) - 1, 1, -1) if m.name[:k] in names
                           or (k >= 4 and (gz.is_place_name(m.name[:k]) or lao_register.is_registered(m.name[:k])))),
                          None)
            if prefix:  # only the longest: "สำโรง" must not collect the votes of "สำโรงทาบ…"
                cores[prefix] = _GLUE_WEIGHT
        for core, w in cores.items():
            scores[core] += w * m.weight
            types[core][m.type] += m.weight
            first.setdefault(core, i)
            if core == name and name != m.name:
                printed.setdefault(core, m.name)
            else:
                printed[core] = core
    if not scores:
        return None
    for core in scores:
        if _known(core, province_code):
            scores[core] *= 2
    core = max(scores, key=lambda c: (scores[c], len(c), -first[c]))
    registered = {e.type for e in lao_register.entries(core)
                  if province_code is None or e.province_code == province_code}
    kind = max(types[core], key=lambda t: (types[core][t], t in registered))
    return kind, core, (printed[core] if printed[core] != core else None)


@functools.lru_cache(maxsize=4096)
def _known(core: str, province_code: str | None) -> bool:
    """A registered LAO or a place of that name (in the province, when given)."""
    if any(province_code is None or e.province_code == province_code for e in lao_register.entries(core)):
        return True
    return any(province_code is None or p[2] == province_code for p in gz.places(core))


def _is_variant(name: str, core: str) -> bool:
    """Whether a printed name is the winner as OCR and layout leave it: truncated at either
    end ("ดงกลาง" → "กลาง"), glued to the next word, or an OCR slip of it.

    >>> [_is_variant(n, "ดงกลาง") for n in ("กลาง", "ดงกลางประกาศให้", "ดงกลำง", "ดอนตรอ")]
    [True, True, True, False]
    """
    a, b = lao_register.name_key(name), lao_register.name_key(core)
    return a.startswith(b) or b.startswith(a) or b.endswith(a) or ratio(a, b, processor=None) >= 80


def _registered_name(name: str) -> str | None:
    """The registered LAO name this printed name is, or starts with (glued to the next
    word); prefixes shorter than four letters are too likely to be chance."""
    key = lao_register.name_key(name)
    for k in range(len(key), 1, -1):
        if (k == len(key) or k >= 4) and lao_register.is_registered(key[:k]):
            return key[:k]
    return None


def _support(mentions: list[AgencyMention], kind: str, core: str, entry) -> _Support:
    winner = 0.0
    aliases: set[str] = set()
    others: dict[str, float] = defaultdict(float)
    unmatched: set[str] = set()
    for m in mentions:
        if _is_variant(m.name, core):
            same_body = m.type == kind or entry is None or not any(
                e.type == m.type and (e.province_code == entry.province_code if kind == PROVINCE_ORG
                                      else e.district_code == entry.district_code)
                for e in lao_register.entries(core))  # the other LAO of the same name there
            if same_body:
                winner += m.weight
                aliases.add(m.type + m.name)
                continue
            others[m.type + core] += m.weight
        elif (registered := _registered_name(m.name)) is not None:
            others[m.type + registered] += m.weight
        else:
            unmatched.add(m.type + m.name)
    return _Support(winner, tuple(sorted(aliases)), dict(others), tuple(sorted(unmatched)))


def _support_notes(support: _Support) -> list[tuple[str, str]]:
    notes = []
    if support.others:
        strong = sorted(n for n, w in support.others.items() if w >= _CONTEST_SHARE * support.winner)
        if strong:
            notes.append(("agency_contested", "the report names another registered agency almost as "
                          "often as its own: " + ", ".join(strong)))
        weak = sorted(set(support.others) - set(strong))
        if weak:
            notes.append(("other_agency_named", "another registered agency is named in the report "
                          "(copied text?): " + ", ".join(weak)))
    if support.unmatched:
        notes.append(("agency_mention_unmatched", "agency-like names that are neither this agency nor "
                      "a registered one (OCR garble?): " + ", ".join(support.unmatched)))
    return notes


def resolve_agency(mentions: list[AgencyMention], printed_district: str | None = None,
                   printed_province: str | None = None) -> AgencyResolution:
    """The reporting agency: the name the mentions agree on, found in the DLA register
    (by type, name and printed place), else placed in the gazetteer.

    `printed_district`/`printed_province` are the address the report prints for itself
    (its title); when absent, the first mention of the winning name carrying one is used.
    """
    if not mentions:
        return AgencyResolution(None, None, None, notes=(("agency_missing", "no agency named in the report"),))
    province = gz.find_province(printed_province or next((m.province for m in mentions if m.province), None))
    voted = _vote(mentions, province.code if province else None)
    assert voted is not None
    kind, core, slip = voted
    slip_note = [("agency_name_corrected", f"name {slip!r} is not registered in {province.name_th}; read as "
                  f"{core!r} (the only close registered name there)")] if slip and province else []
    mine = [m for m in mentions if _is_variant(m.name, core)]
    if kind == PROVINCE_ORG:
        return _resolve_province_org(core, mentions)
    if printed_province is None and printed_district is None:
        carrier = next((m for m in mine if m.province or m.district), None)
        if carrier:
            printed_district, printed_province = carrier.district, carrier.province
    pl = place_agency(kind, core, printed_district, printed_province)
    support = _support(mentions, kind, pl.core, pl.entry)
    district_name = pl.district.name_th if pl.district else None
    printed = printed_district if printed_district and (
        district_name is None or gz.compact(printed_district) != gz.compact(district_name)) else None
    return AgencyResolution(
        name=kind + pl.core, type=kind, core=pl.core, district=district_name,
        province=pl.province.name_th if pl.province else None, printed_district=printed,
        subdistrict_code=pl.subdistrict_code, district_code=pl.district.code if pl.district else None,
        province_code=pl.province.code if pl.province else None,
        dla_code=pl.entry.dla_code if pl.entry else None,
        aliases=support.aliases, others=tuple(sorted(support.others)),
        notes=tuple(slip_note + pl.notes + _support_notes(support)))


def _resolve_province_org(core: str, mentions: list[AgencyMention]) -> AgencyResolution:
    """An อบจ. is named after its province: the province is the place, and its district is
    the one its office stands in, as the register lists it (the capital district)."""
    province = gz.find_province(core)
    entry = lao_register.province_organisation(province.code) if province else None
    # the district the register names (its office), which for one อบจ. is not the one
    # the digits of its code name
    district = (gz.find_district(entry.district, province) or gz.district(entry.district_code)) \
        if entry else None
    notes: list[tuple[str, str]] = []
    if province is None:
        notes.append(("agency_unplaced", f"{core!r} is not a province in the gazetteer"))
    if entry is None:
        notes.append(("agency_not_in_register", f"{PROVINCE_ORG}{core} is not in the DLA register"))
    name = province.name_th if province else core
    support = _support(mentions, PROVINCE_ORG, name, entry)
    return AgencyResolution(
        name=PROVINCE_ORG + name, type=PROVINCE_ORG, core=name,
        district=district.name_th if district else None,
        district_code=district.code if district else None,
        province=province.name_th if province else None,
        province_code=province.code if province else None,
        dla_code=entry.dla_code if entry else None,
        aliases=support.aliases, others=tuple(sorted(support.others)),
        notes=tuple(notes + _support_notes(support)))


def agency_id(res: AgencyResolution) -> str | None:
    """A stable key: the DLA code when the agency is in the register; else the type plus
    the gazetteer code when it is placed, else a hash of type, name and province — the same
    agency gets the same id in every file.

    >>> agency_id(AgencyResolution("เทศบาลตำบลดอนตรอ", "เทศบาลตำบล", "ดอนตรอ", dla_code="5802303"))
    '5802303'
    >>> agency_id(AgencyResolution("เทศบาลตำบลดอนตรอ", "เทศบาลตำบล", "ดอนตรอ", subdistrict_code="802302"))
    'TT-802302'
    """
    if res.type is None or res.core is None:
        return None
    if res.dla_code:
        return res.dla_code
    code = next(r["code"] for r in read_csv("agency_types.csv") if r["type"] == res.type)
    if code == "PAO" and res.province_code:
        return f"PAO-{res.province_code}"
    if res.subdistrict_code:
        return f"{code}-{res.subdistrict_code}"
    key = f"{res.type}|{res.core}|{res.province_code or res.province or ''}"
    return f"{code}-x{hashlib.sha1(key.encode()).hexdigest()[:8]}"
