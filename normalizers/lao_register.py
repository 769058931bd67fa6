"""The Department of Local Administration's register of local administrative organisations.

`data/lao_register.csv` lists all 7,849 LAOs (อบจ., เทศบาลนคร/เมือง/ตำบล, อบต., เมืองพัทยา)
with their official 7-digit DLA code; provenance in `data/SOURCES.md`. The file is 1.2 MB,
so it is read on first use (never at import: `ita-extract extract` of one small file
must start fast) into an index of its lines by name; entries are built only for the names
a report looks up, so most reports resolve with a few dict look-ups. A core name alone is not a key — 562 pairs of LAOs share one in one district,
466 of them a เทศบาลตำบล and an อบต. — so callers filter by type and place.
"""
from __future__ import annotations

import functools
from typing import NamedTuple

from normalizers._data import data_file
from normalizers._regex import lazy_compile

_NOT_LETTER = lazy_compile(r"[^\u0e01-\u0e4e]")  # spaces, hyphens, dots, digits
_NOT_LETTER_OR_NEWLINE = lazy_compile(r"[^\u0e01-\u0e4e\n]")


class LaoEntry(NamedTuple):
    dla_code: str  # 7 digits: type digit, DOPA district code (4), running number (2)
    type: str  # Thai type name as in agency_types.csv, or เมืองพัทยา
    name: str  # core name as registered (no type words), e.g. "โคกตูม-โพนทอง"
    district_code: str  # DOPA district code
    province_code: str  # DOPA province code
    key: str  # the name as compared (name_key)
    district: str = ""  # district name as registered: where the office stands (for one
    #                     อบจ. not the district its code's digits name)


def name_key(name: str) -> str:
    """A name as compared: Thai letters and marks only (no spaces, hyphens, dots).

    >>> name_key("โคกตูม-โพนทอง"), name_key("ดง กลาง")
    ('โคกตูมโพนทอง', 'ดงกลาง')
    """
    return _NOT_LETTER.sub("", name)


class _Register(NamedTuple):
    columns: dict[str, int]
    by_key: dict[str, tuple[str, ...]]  # name key → the raw CSV lines of its LAOs


@functools.cache
def _register() -> _Register:
    """The register's lines indexed by name key; entries are built only for names looked
    up (a report needs a handful), so the first call costs a split per line, not 7,849
    objects."""
    # read_bytes + decode: half the time of read_text's text layer on 1.2 MB
    text = data_file("lao_register.csv").read_bytes().decode("utf-8")
    if '"' in text:  # the fast split below needs plain fields (a test checks the shipped file)
        raise ValueError("lao_register.csv has quoted fields; split it with the csv module")
    header, *lines = (line for line in text.splitlines() if line)
    columns = {name: i for i, name in enumerate(header.split(","))}
    at = columns["name"]
    # Every name's key in one regex pass over the names joined by newlines (names hold none).
    names = "\n".join([line.split(",", at + 1)[at] for line in lines])
    keys = _NOT_LETTER_OR_NEWLINE.sub("", names).split("\n")
    by_key: dict[str, tuple[str, ...]] = {}
    for key, line in zip(keys, lines):
        same = by_key.get(key)
        by_key[key] = (line,) if same is None else same + (line,)
    return _Register(columns, by_key)


def _entry(line: str) -> LaoEntry:
    cols, f = _register().columns, line.split(",")
    name = f[cols["name"]]
    return LaoEntry(f[cols["dla_code"]], f[cols["type"]], name, f[cols["district_code"]],
                    f[cols["province_code"]], name_key(name), f[cols["district"]])


def is_loaded() -> bool:
    """Whether the register has been parsed in this process (it is parsed on first use)."""
    return _register.cache_info().currsize > 0


def entries(name: str) -> tuple[LaoEntry, ...]:
    """Every LAO registered under this core name, of any type, anywhere.

    >>> sorted((e.type, e.district_code) for e in entries("เชิงทะเล"))
    [('องค์การบริหารส่วนตำบล', '8303'), ('เทศบาลตำบล', '8303')]
    """
    return _entries(name_key(name))


@functools.lru_cache(maxsize=4096)
def _entries(key: str) -> tuple[LaoEntry, ...]:
    return tuple(_entry(line) for line in _register().by_key.get(key, ()))


def is_registered(name: str) -> bool:
    """Whether some LAO of any type is registered under this core name.

    >>> is_registered("ดอนตรอ"), is_registered("นครอ")
    (True, False)
    """
    return name_key(name) in _register().by_key


@functools.lru_cache(maxsize=128)
def in_province(province_code: str) -> tuple[LaoEntry, ...]:
    """Every LAO registered in a province (its code is digits 2–3 of the DLA code)."""
    return tuple(e for lines in _register().by_key.values() for line in lines
                 if line[1:3] == province_code and (e := _entry(line)).province_code == province_code)


def province_organisation(province_code: str) -> LaoEntry | None:
    """The province's อบจ. (องค์การบริหารส่วนจังหวัด).

    >>> province_organisation("52").dla_code
    '2520101'
    """
    return next((e for e in in_province(province_code) if e.type == "องค์การบริหารส่วนจังหวัด"), None)


def all_entries() -> tuple[LaoEntry, ...]:
    """The whole register (for checks and statistics)."""
    return tuple(_entry(line) for lines in _register().by_key.values() for line in lines)
