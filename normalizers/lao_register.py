"""The Department of Local Administration's register of local administrative organisations.

`data/lao_register.csv` lists all 7,849 LAOs (อบจ., เทศบาลนคร/เมือง/ตำบล, อบต., เมืองพัทยา)
with their official 7-digit DLA code; provenance in `data/SOURCES.md`. The file is 1.2 MB,
so it is parsed on first use (never at import: `ita-extract extract` of one small file
must start fast) into small tuples, indexed by name; most reports resolve with one dict
look-up. A core name alone is not a key — 562 pairs of LAOs share one in one district,
466 of them a เทศบาลตำบล and an อบต. — so callers filter by type and place.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from collections import defaultdict
from importlib import resources
from typing import NamedTuple

_NOT_LETTER = re.compile(r"[^\u0e01-\u0e4e]")  # spaces, hyphens, dots, digits


class LaoEntry(NamedTuple):
    dla_code: str  # 7 digits: type digit, DOPA district code (4), running number (2)
    type: str  # Thai type name as in agency_types.csv, or เมืองพัทยา
    name: str  # core name as registered (no type words), e.g. "โคกตูม-โพนทอง"
    district_code: str  # DOPA district code
    province_code: str  # DOPA province code

    @property
    def key(self) -> str:
        return name_key(self.name)


def name_key(name: str) -> str:
    """A name as compared: Thai letters and marks only (no spaces, hyphens, dots).

    >>> name_key("โคกตูม-โพนทอง"), name_key("ดง กลาง")
    ('โคกตูมโพนทอง', 'ดงกลาง')
    """
    return _NOT_LETTER.sub("", name)


class _Register(NamedTuple):
    by_key: dict[str, tuple[LaoEntry, ...]]
    by_province: dict[str, tuple[LaoEntry, ...]]


@functools.cache
def _register() -> _Register:
    text = resources.files("normalizers").joinpath("data", "lao_register.csv").read_text(encoding="utf-8")
    rows = csv.reader(io.StringIO(text))
    header = next(rows)
    col = {name: i for i, name in enumerate(header)}
    by_key: dict[str, list[LaoEntry]] = defaultdict(list)
    by_province: dict[str, list[LaoEntry]] = defaultdict(list)
    for r in rows:
        e = LaoEntry(r[col["dla_code"]], r[col["type"]], r[col["name"]], r[col["district_code"]],
                     r[col["province_code"]])
        by_key[e.key].append(e)
        by_province[e.province_code].append(e)
    return _Register({k: tuple(v) for k, v in by_key.items()},
                     {k: tuple(v) for k, v in by_province.items()})


def is_loaded() -> bool:
    """Whether the register has been parsed in this process (it is parsed on first use)."""
    return _register.cache_info().currsize > 0


def entries(name: str) -> tuple[LaoEntry, ...]:
    """Every LAO registered under this core name, of any type, anywhere.

    >>> sorted((e.type, e.district_code) for e in entries("เชิงทะเล"))
    [('องค์การบริหารส่วนตำบล', '8303'), ('เทศบาลตำบล', '8303')]
    """
    return _register().by_key.get(name_key(name), ())


def is_registered(name: str) -> bool:
    """Whether some LAO of any type is registered under this core name.

    >>> is_registered("ดอนตรอ"), is_registered("นครอ")
    (True, False)
    """
    return name_key(name) in _register().by_key


def in_province(province_code: str) -> tuple[LaoEntry, ...]:
    """Every LAO registered in a province."""
    return _register().by_province.get(province_code, ())


def province_organisation(province_code: str) -> LaoEntry | None:
    """The province's อบจ. (องค์การบริหารส่วนจังหวัด).

    >>> province_organisation("52").dla_code
    '2520101'
    """
    return next((e for e in in_province(province_code) if e.type == "องค์การบริหารส่วนจังหวัด"), None)


def all_entries() -> tuple[LaoEntry, ...]:
    """The whole register (for checks and statistics)."""
    return tuple(e for group in _register().by_key.values() for e in group)
