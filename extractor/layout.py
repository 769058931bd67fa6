"""A table's layout: which canonical field each column holds, read from its header rows.

What kind a table is follows from its columns alone: an indicator-progress table has an
indicator column and no measure column; a status table has status columns but neither a
period nor a responsible column (it re-lists measures planned elsewhere); anything else
with a measure column is a plan/measures table.
"""
from __future__ import annotations

from dataclasses import dataclass

from normalizers.text import clean_text

from .headers import STATUS_FIELDS, match_header
from .model import Cell

MAX_HEADER_ROWS = 3


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
    """Most of the row's filled cells are known header phrases (at least two of them)."""
    texts = [clean_text(c.raw) for c in row]
    filled = [t for t in texts if t]
    if not filled:
        return False
    mapped = sum(match_header(t).field is not None for t in set(filled))
    distinct = len(set(filled))
    if all(c.header for c in row if c.raw.strip()) and mapped >= 1:
        return True
    return mapped >= 2 and mapped >= 0.6 * distinct


def read_layout(rows: list[list[Cell]]) -> tuple[Layout | None, int]:
    """The layout from a table's leading header rows, and how many rows they take.

    Two-row headers (a status group over three sub-columns) are read column by column,
    taking the lowest filled header cell of each column.
    """
    n = 0
    while n < min(MAX_HEADER_ROWS, len(rows)) and is_header_row(rows[n]):
        n += 1
    if n == 0:
        return None, 0
    width = max(len(r) for r in rows[:n])
    fields: list[str | None] = []
    scores: list[float] = []
    section = None
    for col in range(width):
        text = ""
        for r in range(n):
            cell_text = clean_text(rows[r][col].raw) if col < len(rows[r]) else ""
            if cell_text:
                hm = match_header(cell_text)
                section = section or hm.section
                text = cell_text
        hm = match_header(text) if text else None
        fields.append(hm.field if hm else None)
        if hm and hm.field:
            scores.append(hm.score)
    return Layout(tuple(fields), section, min(scores, default=0.0)), n
