"""What a row inside a table is, when it is not a measure: a heading (the section or
indicator for the rows below), or a group row ("๑ | มาตรการ …" across the table) whose
activities ("๑.๑", "๑.๒") are the measures. Decided from the row's shape — one text
across the row, a number whose children follow — never from its wording."""
from __future__ import annotations

import csv
import re
from functools import cache

from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic

from .headers import SECTION_RE
from .layout import Layout
from extractor import data_file
from extractor.model import Cell

HEADING_MAX_CHARS = 160
PART_MAX_CHARS = 100
# Words that head a part of a report by the tool it is about ("ส่วนที่ ๑", "ด้าน…",
# "แบบวัด…"): a measure that merely mentions a tool's subject has none of them.
_PART_RE = lazy_compile(r"ส่วนที่|ด้าน|แบบวัด|แบบสำรวจ|เครื่องมือ")
GROUP_MAX_CHARS = 300
_CONTINUED_RE = lazy_compile(r"(^|[\s(])ต่อ\)?\s*$|^\(?ต่อ\)?$")
_NUMBER_RE = lazy_compile(r"^\s*(?:(?:ข้อ|มาตรการ|กิจกรรม|โครงการ)\s*(?:ที่)?\s*)?"
                          r"([0-9๐-๙]{1,2}(?:\.[0-9๐-๙]{1,2})*)\s*[.)]?(?=\s|$)")


@cache
def _section_names() -> tuple[tuple[str, str], ...]:
    text = data_file("section_names.csv").read_text("utf-8")
    rows = [(r["section"], re.sub(r"\s+", "", r["phrase"])) for r in csv.DictReader(text.splitlines())]
    return tuple(sorted(rows, key=lambda r: -len(r[1])))


def heading_section(text: str) -> str | None:
    """IIT/EIT/OIT when a heading-length line (clean text) names one: by its code, or by
    the tool's Thai name on a line headed as a part ("ส่วนที่ ๒", "ด้าน…", "แบบวัด…", "(๑)").

    >>> heading_section("ส่วนที่ ๑ มาตรการด้าน IIT"), heading_section("แบบวัดการเปิดเผยข้อมูลสาธารณะ")
    ('IIT', 'OIT')
    >>> heading_section("(๒) ด้านการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก")
    'EIT'
    >>> heading_section("ประชาสัมพันธ์การเปิดเผยข้อมูลสาธารณะทางเว็บไซต์") is None
    True
    """
    if len(text) > HEADING_MAX_CHARS:
        return None
    m = SECTION_RE.search(text)
    if m:
        return m.group(1)
    if len(text) <= PART_MAX_CHARS and _PART_RE.search(text):
        compact = re.sub(r"\s+", "", text)
        for section, phrase in _section_names():
            if phrase in compact:
                return section
    return None


def tool_section(text: str) -> str | None:
    """The section a cell of a tool column ("แบบวัด": IIT / EIT / OIT, or the tool's Thai
    name) puts its row in.

    >>> tool_section("IIT"), tool_section("แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"), tool_section("รวม")
    ('IIT', 'EIT', None)
    """
    m = SECTION_RE.search(text)
    if m:
        return m.group(1)
    compact = re.sub(r"\s+", "", text)
    return next((section for section, phrase in _section_names() if phrase in compact), None)


def is_continued_marker(text: str) -> bool:
    """'(ต่อ)', 'ต่อ', or a heading ending in 'ต่อ': the previous table goes on."""
    return bool(_CONTINUED_RE.search(text))


def number_prefix(text: str) -> tuple[str, str] | None:
    """A row's own number at the start of a cell, arabic digits, and the text after it.

    >>> number_prefix("๑.๒ จัดอบรม"), number_prefix("มาตรการที่ 2 ป้องกันสินบน")
    (('1.2', 'จัดอบรม'), ('2', 'ป้องกันสินบน'))
    >>> number_prefix("๑๒๐ คน") is None
    True
    """
    m = _NUMBER_RE.match(text)
    if not m:
        return None
    number = thai_to_arabic(m.group(1))
    if len(number) > 5:
        return None
    return number, text[m.end():].strip()


def leading_number(text: str) -> str | None:
    """A row's own number at the start of a cell: "๑.๒ กิจกรรม" → "1.2".

    >>> leading_number("๑.๒ จัดอบรม"), leading_number("3) ประกาศ"), leading_number("๑๒๐ คน")
    ('1.2', '3', None)
    """
    found = number_prefix(text)
    return found[0] if found else None


def is_child_number(child: str | None, parent: str | None) -> bool:
    """Whether `child` numbers an item under `parent` ("1.2" under "1").

    >>> is_child_number("1.2", "1"), is_child_number("2.1", "1"), is_child_number("1", "1")
    (True, False, False)
    """
    return bool(child and parent and child.startswith(parent + "."))


def row_number(row: list[Cell], layout: Layout) -> str | None:
    """The row's own number: its number column, else a number leading its key cell."""
    for col in layout.column("seq"):
        if col < len(row) and row[col].text:
            return leading_number(row[col].text)
    for col in layout.column(layout.key or "measure"):
        if col < len(row) and row[col].text:
            return leading_number(row[col].text)
    return None


def lone_text(row: list[Cell], layout: Layout) -> tuple[str, bool] | None:
    """The row's one text besides its number, and whether it spans columns (colspan),
    when the row holds nothing else; None otherwise."""
    seq_cols = set(layout.column("seq"))
    texts: dict[str, int] = {}
    for col, cell in enumerate(row):
        if col in seq_cols or not cell.text:
            continue
        texts[cell.text] = texts.get(cell.text, 0) + 1
    if len(texts) != 1:
        return None
    text, copies = next(iter(texts.items()))
    return text, copies >= max(2, (len(row) - len(seq_cols)) // 2)


def group_row(rows: list[list[Cell]], i: int, layout: Layout) -> tuple[str, str | None] | None:
    """(group text, its number) when row `i` groups the activity rows below it: one text
    spanning the table, or a number and a key text alone on their row with the next
    row numbered as its child ("๑" then "๑.๑")."""
    found = lone_text(rows[i], layout)
    if found is None or len(found[0]) > GROUP_MAX_CHARS:
        return None
    text, spans = found
    number = row_number(rows[i], layout)
    nxt = next((r for r in rows[i + 1:] if any(c.text for c in r)), None)
    if nxt is None:
        return None
    nxt_number = row_number(nxt, layout)
    child = is_child_number(nxt_number, number)
    in_key = any(rows[i][c].text == text for c in layout.column(layout.key or "measure") if c < len(rows[i]))
    if child and (spans or in_key):
        return text, number
    # "๑ | มาตรการ …" alone, then unnumbered activity rows ("- ประกาศ…") with the
    # details this row lacks: the activities are the measures.
    if number and in_key and nxt_number is None and _has_details(nxt, layout):
        return text, None
    if spans and not heading_section(text) and not is_continued_marker(text):
        return text, number
    return None


def _has_details(row: list[Cell], layout: Layout) -> bool:
    """A key text and something in a column besides the key and the number."""
    key = set(layout.column(layout.key or "measure"))
    seq = set(layout.column("seq"))
    return any(c.text for i, c in enumerate(row) if i in key) and any(
        c.text for i, c in enumerate(row) if i not in key | seq)
