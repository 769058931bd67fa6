"""A table's layout: which canonical field each column holds, read from its header rows.

What kind a table is follows from its columns alone: an indicator-progress table has an
indicator column and no measure column; a status table has status columns but neither a
period nor a responsible column (it re-lists measures planned elsewhere); anything else
with a measure column is a plan/measures table.
"""
from __future__ import annotations

from dataclasses import dataclass

from .headers import IGNORE, STATUS_FIELDS, match_header
from extractor.model import Cell

MAX_HEADER_ROWS = 3
MAX_CAPTION = 200


@dataclass(frozen=True)
class Layout:
    fields: tuple[str | None, ...]
    section: str | None
    header_score: float  # the weakest mapped header cell's match score (0–100)

    @property
    def key(self) -> str | None:
        if "measure" in self.fields:
            return "measure"
        if "indicator" in self.fields:
            return "indicator"
        return None

    @property
    def kind(self) -> str:
        if self.key is None:
            return "other"
        if self.key == "indicator":
            return "indicator"
        has_status = any(f in self.fields for f in (*STATUS_FIELDS, "status"))
        plans = any(f in self.fields for f in ("period_text", "responsible"))
        return "status" if has_status and not plans else "measures"

    def column(self, field: str) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f == field]


def is_header_row(row: list[Cell]) -> bool:
    """Half or more of the row's filled cells are known header phrases (two at least)."""
    filled = {c.text for c in row if c.text}
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
        text = "".join(t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1])
        out.append(Cell(text, parts[0].line if parts else 0))
    return out


def _is_caption(row: list[Cell]) -> bool:
    """One text across the row: a lone cell, or one cell and its colspan copies. (A row
    with one filled cell among empty ones is more likely a continued row than a caption.)"""
    filled = [c for c in row if c.raw.strip()]
    return len(filled) == 1 == len(row) or (
        len({c.raw.strip() for c in filled}) == 1 and len(filled) == len(row) and len(row) > 1)


def read_layout(rows: list[list[Cell]]) -> tuple[Layout | None, int]:
    """The layout from a table's leading header rows, and how many rows (with any caption
    rows above them) they take.

    Two-row headers (a status group over three sub-columns) are read column by column,
    taking the lowest filled header cell of each column.
    """
    # A caption row ("ผลการดำเนินการตามมาตรการ…" across the table) may sit above the header.
    limit = min(MAX_HEADER_ROWS, len(rows))
    start = next((i for i in range(limit) if is_header_row(rows[i])), None)
    if start is None:
        # A header broken over two lines: neither half is one, the two joined are.
        start = next((i for i in range(limit - 1) if is_header_row(_joined(rows[i:i + 2]))), None)
        if start is None:
            return None, 0
        n = start + 2
    else:
        n = start
        while n < min(start + MAX_HEADER_ROWS, len(rows)) and is_header_row(rows[n]):
            n += 1
    if not all(_is_caption(r) for r in rows[:start]):
        return None, 0
    width = max(len(r) for r in rows[start:n])
    fields: list[str | None] = []
    scores: list[float] = []
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
                section = section or match_header(cell_text).section
                lowest = cell_text
        # The lowest cell names a sub-column (a status under its group); the joined text
        # names a column whose header wrapped ("ระยะเวลา" / "ดำเนินการ"): the surer wins.
        candidates = [match_header(t) for t in (lowest, joined[col].raw) if t]
        hm = max(candidates, key=lambda m: (m.field is not None, m.score), default=None)
        field = hm.field if hm else None
        fields.append(None if field == IGNORE else field)
        if field and field != IGNORE:
            scores.append(hm.score)
    return Layout(tuple(fields), section, min(scores, default=0.0)), n
