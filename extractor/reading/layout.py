"""A table's layout: which canonical field each column holds, read from its header rows
and checked against its cells.

What kind a table is follows from its columns alone: an indicator-progress table has an
indicator column and no measure column; a status table has status columns but neither a
period nor a responsible column (it re-lists measures planned elsewhere); a table whose
only columns are a tool, an indicator, scores and levels is a score table (an ITA result
announcement), not measures; anything else with a measure column is a plan/measures table.

Cells can overrule a header: a column whose cells are OIT item codes ("O๑๐", "O๑๙ – O๒๒")
holds OIT items whatever its header says ("ข้อ" is also how a row-number column is
headed), and a column whose cells are all percentages ("ร้อยละ ๕๐", "100%") is a status.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from normalizers._regex import lazy_compile
from normalizers.indicators import parse_indicator_label, parse_score_cell
from normalizers.oit import is_oit_cell, is_zero_led_code_column
from normalizers.status import is_percentage, percent_done, status_from_fragment

from .headers import (ACTION_FIELDS, EXTRA, SCORE_FIELDS, SECTION_RE, STATUS_FIELDS, HeaderMatch,
                      match_header)
from extractor.model import Cell

MAX_HEADER_ROWS = 3
MAX_CAPTION = 200
# Header cells that never name the table's section: "ข้อ OIT ที่เกี่ยวข้อง" is a column
# of OIT items in a table of any section.
_NO_SECTION_FIELDS = frozenset({"oit", *SCORE_FIELDS})
_PERCENT_HEADER_RE = lazy_compile(r"ร้อยละ|%")
_TOTAL_RE = lazy_compile(r"^\s*(?:คะแนน)?\s*(?:รวม|เฉลี่ย|ภาพรวม)")
_LEVEL_RE = lazy_compile(r"^\(?\s*(?:AA|A|B|C|D|E|F|ผ่าน|ไม่ผ่าน|ผ่านดี|ผ่านดีเยี่ยม|ดี|ดีมาก|ดีเยี่ยม|พอใช้"
                         r"|ต้องปรับปรุง(?:โดยด่วน)?)\s*\)?$")
XExtent = tuple[float, float]


@dataclass(frozen=True)
class Layout:
    fields: tuple[str | None, ...]
    section: str | None
    header_score: float  # the weakest mapped header cell's match score (0–100)
    headers: tuple[str, ...] = ()  # each column's header text as printed (clean)
    extents: tuple[XExtent | None, ...] = ()  # header cells' x-extents (PDF points), when known
    source: str = "table"  # or "blocks": labelled blocks of a report with no table

    @property
    def key(self) -> str | None:
        for name in ("measure", "indicator", "issue"):
            if name in self.fields:
                return name
        # Only a row number, beside what is done about it (monitoring, results, status):
        # the further columns of rows listed earlier, a wide table printed in two parts.
        if "seq" in self.fields and ACTION_FIELDS.intersection(self.fields):
            return "seq"
        return None

    @property
    def kind(self) -> str:
        if self.key is None:
            return "other"
        if self.source != "table":
            return self.source
        if self.key == "indicator" and not ACTION_FIELDS.intersection(self.fields):
            return "scores"  # indicator, score, level, issue: a result or an analysis
        if self.key == "indicator":
            return "indicator"
        if self.key == "seq":
            return "columns"
        has_status = any(f in self.fields for f in (*STATUS_FIELDS, "status"))
        plans = any(f in self.fields for f in ("period_text", "responsible"))
        return "status" if has_status and not plans else "measures"

    @property
    def mapped(self) -> int:
        return sum(f is not None for f in self.fields)

    def column(self, field: str) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f == field]

    def header(self, col: int) -> str:
        """The column's header as printed, or its position when it has none."""
        text = self.headers[col] if col < len(self.headers) else ""
        return text or f"column {col + 1}"

    def percent_column(self, col: int) -> bool:
        return bool(_PERCENT_HEADER_RE.search(self.headers[col] if col < len(self.headers) else ""))


def is_header_row(row: list[Cell]) -> bool:
    """Half or more of the row's filled cells are known header phrases (two at least)."""
    filled = {t for c in row if (t := c.text)}
    if not filled:
        return False
    mapped = sum(match_header(t).field is not None for t in filled)
    if all(c.header for c in row if c.raw.strip()) and mapped >= 1:
        return True
    return mapped >= 2 and mapped >= 0.5 * len(filled)


def _joined(rows: list[list[Cell]]) -> list[Cell]:
    """Header cells of several rows joined column by column (a header broken over lines)."""
    width = max(len(r) for r in rows)
    out = []
    for col in range(width):
        parts = [r[col] for r in rows if col < len(r) and r[col].raw.strip()]
        texts = [c.text for c in parts]
        # colspan copies repeat the same text: keep it once
        text = " ".join(t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1])
        out.append(Cell(text, parts[0].line if parts else 0))
    return out


def _is_caption(row: list[Cell]) -> bool:
    """One text across the row: a lone cell, or one cell and its colspan copies. (A row
    with one filled cell among empty ones is more likely a continued row than a caption.)"""
    filled = [c for c in row if c.raw.strip()]
    return len(filled) == 1 == len(row) or (
        len({c.raw.strip() for c in filled}) == 1 and len(filled) == len(row) and len(row) > 1)


def _is_sparse(row: list[Cell]) -> bool:
    """A line above the header that fills a few neighbouring columns from the left half: a
    title or address the table finder (OCR, unruled PDFs) sliced into the table's columns.
    (One cell filled further right is more likely the rest of a row from the page before.)"""
    cols = [i for i, c in enumerate(row) if c.text]
    if len(row) < 4 or not cols or len(cols) > len(row) // 3:
        return False
    adjacent = cols[-1] - cols[0] == len(cols) - 1
    return adjacent and (len(cols) >= 2 or cols[0] == 0) and cols[0] < len(row) // 2


_WRAP_MAX_CHARS = 12


def _header_wrap_row(row: list[Cell], header: list[Cell]) -> bool:
    """A row of short fragments, each under a header cell ("การ" under "ระยะเวลาดำเนิน"):
    the ends of header cells that wrapped onto a line of their own."""
    filled = [(i, c.text) for i, c in enumerate(row) if c.text]
    return bool(filled) and len(filled) < len(row) and all(
        len(t) <= _WRAP_MAX_CHARS and " " not in t and i < len(header) and header[i].text
        and match_header(t).field is None for i, t in filled)


def _extents(rows: list[list[Cell]], width: int) -> tuple[XExtent | None, ...]:
    """Each column's x-extent from the lowest header cell that has a box."""
    if not any(c.bbox for r in rows for c in r):
        return ()
    out: list[XExtent | None] = []
    for col in range(width):
        box = next((r[col].bbox for r in reversed(rows) if col < len(r) and r[col].bbox), None)
        out.append((box[0], box[2]) if box else None)
    return tuple(out)


def header_span(rows: list[list[Cell]]) -> tuple[int, int] | None:
    """Where a table's header rows begin and end (`read_layout`'s rows: any caption rows
    above them, `start`, and the rows up to `n`), or None when it has no header — what
    `read_layout` finds before it reads the columns (the PDF reader asks only this)."""
    # A caption row ("ผลการดำเนินการตามมาตรการ…" across the table) may sit above the header.
    limit = min(MAX_HEADER_ROWS, len(rows))
    start = next((i for i in range(limit) if is_header_row(rows[i])), None)
    if start is None:
        # A header broken over two lines: neither half is one, the two joined are.
        start = next((i for i in range(limit - 1) if is_header_row(_joined(rows[i:i + 2]))), None)
        if start is None:
            return None
        n = start + 2
    else:
        n = start
        while n < min(start + MAX_HEADER_ROWS, len(rows)) and is_header_row(rows[n]):
            n += 1
    if n < len(rows) and n - start < MAX_HEADER_ROWS and _status_subheader_row(rows[n]):
        n += 1  # "ยังไม่ | อยู่ระหว่าง | แล้ว" under a status group: short, but a header
    if n < len(rows) and _header_wrap_row(rows[n], rows[n - 1]):
        n += 1  # the last words of header cells that wrapped onto a line of their own
    if not all(_is_caption(r) or _is_sparse(r) for r in rows[:start]):
        return None
    return start, n


def read_layout(rows: list[list[Cell]]) -> tuple[Layout | None, int]:
    """The layout from a table's leading header rows, and how many rows (with any caption
    rows above them) they take.

    Two-row headers (a status group over three sub-columns) are read column by column,
    taking the lowest filled header cell of each column.
    """
    span = header_span(rows)
    if span is None:
        return None, 0
    start, n = span
    width = max(len(r) for r in rows[start:n])
    fields: list[str | None] = []
    scores: list[float] = []
    matched: list[tuple[float, list[str]]] = []  # each column's match score and header texts
    section = None
    for r in range(start):  # a caption may name the section
        for c in rows[r]:
            section = section or match_header(c.text[:MAX_CAPTION]).section
    joined = _joined(rows[start:n])
    for col in range(width):
        lowest = ""
        for r in range(start, n):
            cell_text = rows[r][col].text if col < len(rows[r]) else ""
            if cell_text:
                lowest = cell_text
        # The lowest cell names a sub-column (a status under its group); the joined text
        # names a column whose header wrapped ("ระยะเวลา" / "ดำเนินการ"): the surer wins.
        candidates = [match_header(t) for t in (lowest, joined[col].raw) if t]
        hm = max(candidates, key=lambda m: (m.field is not None, m.score), default=None)
        field = hm.field if hm else None
        fragment = _status_subheader(rows[start:n], col, lowest)
        if fragment is not None and field not in STATUS_FIELDS:
            hm, field = fragment, fragment.field
        if hm and hm.section and field not in _NO_SECTION_FIELDS:
            section = section or hm.section
        fields.append(field)
        matched.append((hm.score if hm else 0.0, [t for t in (lowest, joined[col].raw) if t]))
        if field and field != EXTRA:
            scores.append(hm.score)
    headers = tuple(c.text for c in joined)
    _one_column_each(fields, matched)
    layout = Layout(_settle_key(fields), section, min(scores, default=0.0), headers,
                    _extents(rows[start:n], width))
    return refine_by_cells(layout, rows[n:]), n


_STATUS_COLUMN = {"not_started": "status_not_started", "in_progress": "status_in_progress",
                  "completed": "status_completed"}


def _status_subheader(rows: list[list[Cell]], col: int, lowest: str) -> HeaderMatch | None:
    """A short sub-header under a status group ("สถานะ" over "ยังไม่ | อยู่ระหว่าง | แล้ว")
    names its status by the part of the phrase it prints."""
    if len(rows) < 2 or not lowest:
        return None
    # the group header above, or (a colspan that text cannot print) the nearest to its left
    top = next((rows[0][c].text for c in range(min(col, len(rows[0]) - 1), -1, -1)
                if rows[0][c].text), "")
    if not top or top == lowest or match_header(top).field not in ("status", "result"):
        return None
    status = status_from_fragment(lowest)
    return HeaderMatch(_STATUS_COLUMN[status], 80.0, None) if status else None


def _status_subheader_row(row: list[Cell]) -> bool:
    """A row of two or more status names or parts of one, and nothing else."""
    filled = [c.text for c in row if c.text]
    return len(filled) >= 2 and all(
        status_from_fragment(t) or match_header(t).field in STATUS_FIELDS for t in filled)


# Fields one column holds; a second column read as the same field most likely names
# another one less well ("การดำเนินการ" read as "ผลการดำเนินการ").
_SINGLE_FIELDS = ("method", "responsible", "period_text", "monitoring", "result", "outcome",
                  "recommendation", "issue", "item")


def _one_column_each(fields: list[str | None], matched: list[tuple[float, list[str]]]) -> None:
    """Where two columns map to the same field, the weaker match takes the best other
    field its header names, when that one is free and matches at least as well; otherwise
    both stay (two result columns for two rounds are both results)."""
    for name in _SINGLE_FIELDS:
        cols = [c for c, f in enumerate(fields) if f == name]
        if len(cols) < 2:
            continue
        for col in sorted(cols, key=lambda c: -matched[c][0])[1:]:
            taken = frozenset(f for f in fields if f)
            alt = max((match_header(t, taken) for t in matched[col][1]),
                      key=lambda m: m.score, default=None)
            if alt is not None and alt.field is not None and alt.field not in taken \
                    and alt.score >= matched[col][0]:
                fields[col] = alt.field


def _settle_key(fields: list[str | None]) -> tuple[str | None, ...]:
    """One measure column: a second one ("มาตรการ" then "กิจกรรม") holds what is done
    under the first, so it is the method when there is none; with no measure or
    indicator column, a method column ("แนวทางการพัฒนา") beside an issue, an OIT data
    item, someone responsible, a period or a result is what the rows are about: the
    measure. Only when nothing else says what is done is the data item ("รายการข้อมูล")
    itself the measure (a checklist of what is published)."""
    fields = list(fields)
    measures = [i for i, f in enumerate(fields) if f == "measure"]
    if len(measures) > 1 and "method" not in fields:
        fields[measures[1]] = "method"
    has_key = any(f in ("measure", "indicator") for f in fields)
    if not has_key and "method" in fields and {"responsible", "period_text", "result", "issue",
                                               "item", "status", *STATUS_FIELDS}.intersection(fields):
        fields[fields.index("method")] = "measure"
    if "item" in fields and not any(f in ("measure", "indicator", "issue") for f in fields):
        fields[fields.index("item")] = "measure"
    return tuple(fields)


def refine_by_cells(layout: Layout, rows: list[list[Cell]]) -> Layout:
    """Columns whose cells say what they hold better than their header does."""
    fields = list(layout.fields)
    key_cols = set(layout.column(layout.key)) if layout.key else set()
    candidates = [col for col, f in enumerate(fields) if col not in key_cols
                  and f in (None, "seq", EXTRA, "result", "outcome")]
    if not candidates or not rows:
        return layout
    # rows of two cells or more: a group or section row spanning the table says nothing
    texts = [[c.text for c in r] for r in rows]
    texts = [t for t, r in zip(texts, rows)
             if sum(1 for x, c in zip(t, r) if x and not c.spanned) >= 2]
    changed = False
    for col in candidates:
        field = fields[col]
        values = [t[col] for t in texts if col < len(t) and t[col]]
        if not values:
            continue
        if field in (None, "seq", EXTRA) and (sum(map(is_oit_cell, values)) >= 0.6 * len(values)
                                              or is_zero_led_code_column(values)):
            fields[col], changed = "oit", True
        elif field in (None, EXTRA, "result", "outcome") and (
                all(map(is_percentage, values))
                or (layout.percent_column(col) and all(percent_done(v, bare=True) is not None for v in values))):
            fields[col], changed = "status", True  # "ร้อยละ" over bare numbers: a share done
    return replace(layout, fields=tuple(fields)) if changed else layout


def looks_like_scores(rows: list[list[Cell]]) -> bool:
    """Rows of a label (a number and a name at most) followed by nothing but scores and
    levels ("ตัวชี้วัดที่ ๑ … | ๙๒.๑๐ | ผ่าน", "๑ | การปฏิบัติหน้าที่ | 92.10"): a score
    table, even with no header of its own to say so.

    >>> c = lambda *t: [Cell(x, 1) for x in t]
    >>> looks_like_scores([c("IIT", "๘๑.๒๐", "B"), c("EIT", "84.40", "B")])
    True
    >>> looks_like_scores([c("1", "การปฏิบัติหน้าที่", "92.10"), c("2", "การใช้งบประมาณ", "88")])
    True
    >>> looks_like_scores([c("๑. ประกาศนโยบาย", "สำนักปลัด", "ต.ค. ๖๕")])
    False
    >>> looks_like_scores([c("๒", "ประกาศนโยบายไม่รับของขวัญ", "100")])  # a measure, done 100 %
    False
    """
    scores = 0
    for row in rows:
        texts = [c.text for c in row if c.text]
        if len(texts) < 2:
            continue
        tail = len(texts)
        while tail > 0 and (parse_score_cell(texts[tail - 1]) is not None or _LEVEL_RE.match(texts[tail - 1])):
            tail -= 1
        if tail == len(texts) or tail > 2 or not any(map(_score_label, texts[:tail] or ["รวม"])):
            return False
        scores += any(parse_score_cell(t) is not None for t in texts[tail:])
    return scores > 0


def _score_label(text: str) -> bool:
    """What a score is given for: a tool, an indicator, a total."""
    return bool(_TOTAL_RE.match(text) or SECTION_RE.fullmatch(text.strip())
                or parse_indicator_label(text))
