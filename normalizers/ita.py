"""ITA framework facts for a fiscal year: official indicator names, OIT item names
(codes were renumbered between 2565 and 2566, so a code means nothing without its
year), level bands, and the inferences a researcher may want kept apart from what a
report printed.

Data: ``data/ita_indicators.csv``, ``data/ita_oit_items.csv``, ``data/ita_levels.csv``
(copied from the project's reference set; sources in ``data/SOURCES.md``) and
``data/indicator_topics.csv`` (keywords for topic inference).
"""

from __future__ import annotations

import functools
from collections import Counter

from normalizers._data import read_csv
from normalizers._regex import lazy_compile

_WS = lazy_compile(r"\s+")


@functools.cache
def _years(name: str) -> tuple[int, ...]:
    return tuple(sorted({int(r["fiscal_year_be"]) for r in read_csv(name)}))


def _year_for(name: str, fiscal_year_be: int | None) -> int:
    """The reference year to use: the report's own, else the nearest one we have."""
    years = _years(name)
    if fiscal_year_be is None:
        return years[-1]
    return min(years, key=lambda y: (abs(y - fiscal_year_be), -y))


def indicator_canonical(no: int | None, fiscal_year_be: int | None = None) -> str | None:
    """The official name of indicator `no` for the report's fiscal year.

    >>> indicator_canonical(4, 2566)
    'การใช้ทรัพย์สินของราชการ'
    >>> indicator_canonical(11, 2566) is None
    True
    """
    if no is None:
        return None
    year = _year_for("ita_indicators.csv", fiscal_year_be)
    for r in read_csv("ita_indicators.csv"):
        if int(r["fiscal_year_be"]) == year and int(r["indicator_no"]) == no:
            return r["indicator_name_th"]
    return None


def indicator_tool(no: int | None) -> str | None:
    """IIT (1–5), EIT (6–8) or OIT (9–10).

    >>> indicator_tool(7), indicator_tool(10)
    ('EIT', 'OIT')
    """
    for r in read_csv("ita_indicators.csv"):
        if no is not None and int(r["indicator_no"]) == no:
            return r["tool"]
    return None


@functools.cache
def _oit_items(year: int) -> dict[str, tuple[int, str]]:
    return {r["code"]: (int(r["indicator_no"]), r["item_name_th"])
            for r in read_csv("ita_oit_items.csv") if int(r["fiscal_year_be"]) == year}


def oit_item_name(code: str, fiscal_year_be: int | None) -> str | None:
    """The name of OIT item `code` in that fiscal year's numbering (None if unknown).

    >>> oit_item_name("O10", 2566)
    'นโยบายคุ้มครองข้อมูลส่วนบุคคล'
    >>> oit_item_name("O99", 2566) is None
    True
    """
    if fiscal_year_be is None or fiscal_year_be not in _years("ita_oit_items.csv"):
        return None  # a code without its year's list means nothing
    item = _oit_items(fiscal_year_be).get(code)
    return item[1] if item else None


def indicator_from_oit(codes: list[str], fiscal_year_be: int | None) -> int | None:
    """The indicator every cited OIT item belongs to, when they agree.

    >>> indicator_from_oit(["O31", "O39"], 2566), indicator_from_oit(["O10", "O31"], 2566)
    (10, None)
    """
    if not codes or fiscal_year_be not in _years("ita_oit_items.csv"):
        return None
    items = _oit_items(fiscal_year_be)
    found = {items[c][0] for c in codes if c in items}
    return found.pop() if len(found) == 1 else None


def indicator_from_topic(text: str) -> int | None:
    """The indicator a measure's wording points to, when one clearly leads.

    >>> indicator_from_topic("ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)")
    10
    >>> indicator_from_topic("จัดประชุมประจำเดือน") is None
    True
    """
    compact = _WS.sub("", text or "")
    hits: Counter[int] = Counter()
    for r in read_csv("indicator_topics.csv"):
        if _WS.sub("", r["keyword"]) in compact:
            hits[int(r["indicator_no"])] += 1
    ranked = hits.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def level_bands(fiscal_year_be: int) -> list[tuple[str, float, float]]:
    """(level, min, max) bands of that year's scheme: letters before 2566, labels after.

    >>> level_bands(2565)[0]
    ('AA', 95.0, 100.0)
    """
    year = _year_for("ita_levels.csv", fiscal_year_be)
    return [(r["level"] or r["label_th"], float(r["score_min"]), float(r["score_max"]))
            for r in read_csv("ita_levels.csv") if int(r["fiscal_year_be"]) == year]


def level_consistent(score: float, level: str | None, fiscal_year_be: int | None) -> bool | None:
    """Whether a quoted level fits its score in that year's bands (None: can't tell).

    Labels that depend on per-tool scores (ผ่านดี vs ผ่าน) are checked on the overall
    band only.

    >>> level_consistent(70.33, "C", 2565), level_consistent(70.33, "A", 2565)
    (True, False)
    >>> level_consistent(95.75, "ผ่านดี", 2566), level_consistent(80.0, "ผ่านดี", 2566)
    (True, False)
    >>> level_consistent(90.0, "ผ่าน", None) is None
    True
    """
    if level is None or fiscal_year_be is None:
        return None
    bands = [b for b in level_bands(fiscal_year_be) if b[0] == level]
    if not bands:
        return None  # a letter quoted in a label year, or the reverse: can't check
    return any(lo <= score <= hi for _, lo, hi in bands)
