"""Tables → logical rows: stitch tables across pages, merge continued rows, carry
section and indicator headings down, re-attach stray lines of cell text.

The walk over a document's blocks keeps a little context: the section (IIT/EIT/OIT)
and indicator named by the last heading, the layout of the last measures table, and the
row last produced, so that a table broken across pages is read as one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalizers.indicators import IndicatorRef, parse_indicator_label
from normalizers.status import is_marked, status_cell

from .headers import SECTION_RE, STATUS_FIELDS
from .layout import Layout, is_header_row, read_layout
from extractor.model import BBox, Cell, Document, Line, Table
from extractor.notes import Note

HEADING_MAX_CHARS = 160
STRAY_MAX_LINE_CHARS = 70
_CONTINUED_RE = re.compile(r"(^|[\s(])ต่อ\)?\s*$|^\(?ต่อ\)?$")
_MARKS_RE = re.compile(r"^(?:\s|[✓✔☑☒✗✘■√/]|\[[xX]\]|[xX](?=\s|$))+")
_STATUS_BY_FIELD = {
    "status_not_started": "not_started",
    "status_in_progress": "in_progress",
    "status_completed": "completed",
}


@dataclass
class RowRecord:
    """A logical table row being assembled: cleaned text per field, plus context."""

    layout: Layout
    table_index: int
    row_index: int
    page: int
    line: int
    section: str | None
    heading_indicator: IndicatorRef | None
    texts: dict[str, list[str]] = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)  # statuses whose column is marked
    status_notes: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    boxes: list[tuple[str, int, BBox]] = field(default_factory=list)  # (field, page, bbox) per PDF cell
    notes: list[Note] = field(default_factory=list)
    carried_key: bool = False
    stitched: int = 0  # continuation pieces merged in

    def text(self, name: str) -> str:
        return " ".join(t for t in self.texts.get(name, []) if t).strip()

    def add(self, name: str, text: str) -> None:
        if text:
            self.texts.setdefault(name, []).append(text)


@dataclass
class _Context:
    section: str | None = None
    indicator: IndicatorRef | None = None
    layout: Layout | None = None
    last: RowRecord | None = None
    pending: list[Line] = field(default_factory=list)
    broken: bool = False  # prose or a new heading since the last table
    notes: list[Note] = field(default_factory=list)


def heading_section(text: str) -> str | None:
    """IIT/EIT/OIT when a heading-length line (clean text) names one."""
    if len(text) > HEADING_MAX_CHARS:
        return None
    m = SECTION_RE.search(text)
    return m.group(1) if m else None


def is_continued_marker(text: str) -> bool:
    """'(ต่อ)', 'ต่อ', or a heading ending in 'ต่อ': the previous table goes on."""
    return bool(_CONTINUED_RE.search(text))


def read_rows(doc: Document) -> tuple[list[RowRecord], list[Note]]:
    """All logical measure rows of a document, in reading order, and document notes."""
    ctx = _Context()
    rows: list[RowRecord] = []
    for table_index, block in enumerate(doc.blocks):
        if isinstance(block, Line):
            _on_line(ctx, block)
        else:
            _on_table(ctx, block, table_index, rows)
    return rows, ctx.notes


def _on_line(ctx: _Context, line: Line) -> None:
    text = line.text
    section = heading_section(text)
    if section:
        if section != ctx.section and not is_continued_marker(text):
            ctx.broken = True
            ctx.pending.clear()
            ctx.indicator = None
        ctx.section = section
        return
    if is_continued_marker(text):
        return
    if len(text) <= HEADING_MAX_CHARS and re.match(r"^\s*ตัวชี้วัดที่", text):
        ref = parse_indicator_label(text)
        if ref:
            ctx.indicator = ref
            ctx.broken = True
            ctx.pending.clear()
            return
    if len(text) > STRAY_MAX_LINE_CHARS:
        ctx.broken = True  # prose between tables: what follows is not a continuation
    ctx.pending.append(line)


def _on_table(ctx: _Context, table: Table, table_index: int, rows: list[RowRecord]) -> None:
    layout, n_header = read_layout(table.rows)
    continues = False
    if layout is None:
        if ctx.layout is not None and table.n_cols == len(ctx.layout.fields):
            layout, continues = ctx.layout, True
        else:
            ctx.notes.append(Note("table_no_header", "table with no recognisable header, not read: "
                                  + _table_text(table)[:300], table.page, table.line))
            ctx.pending.clear()
            return
    elif ctx.layout is not None and layout.fields == ctx.layout.fields:
        continues = True
    if layout.kind == "other":
        known = ", ".join(f for f in layout.fields if f) or "none"
        ctx.notes.append(Note("table_not_measures", "no measure or indicator column among its "
                              f"headers (read as: {known}): " + _table_text(table)[:300],
                              table.page, table.line))
        ctx.layout, ctx.last = None, None
        ctx.pending.clear()
        return
    stray = _take_stray(ctx) if continues and not ctx.broken else []
    if stray and ctx.last is not None:
        _attach_stray(ctx.last, stray)
    if not continues or ctx.broken:
        ctx.last = None
    ctx.layout, ctx.broken = layout, False
    ctx.pending.clear()
    section = layout.section
    for row_index, row in enumerate(table.rows[n_header:], start=n_header):
        if is_header_row(row):
            # A header repeated inside the table; it may name the next section.
            inner, _ = read_layout([row])
            section = inner.section if inner and inner.section else section
            continue
        before = ctx.section
        rec = _read_row(row, layout, table_index, row_index, section or ctx.section, ctx)
        if ctx.section != before:
            section = ctx.section  # a section row inside the table outranks its header
        if rec is None:
            continue
        rows.append(rec)
        ctx.last = rec


def _read_row(row: list[Cell], layout: Layout, table_index: int, row_index: int,
              section: str | None, ctx: _Context) -> RowRecord | None:
    first = next((c for c in row if c.raw.strip()), None)
    if first is None:
        return None
    if _heading_in_row(ctx, row, layout.key):
        return None
    rec = RowRecord(layout, table_index, row_index, first.page, first.line, section,
                    ctx.indicator)
    key_empty = True
    for col, cell in enumerate(row):
        name = layout.fields[col] if col < len(layout.fields) else None
        if cell.bbox is not None and cell.raw.strip() and not cell.spanned:
            rec.boxes.append((name or "extra", cell.page, cell.bbox))
        if name in STATUS_FIELDS:
            plain = cell.text
            if is_marked(plain):
                rec.marked.append(_STATUS_BY_FIELD[name])
                note = _MARKS_RE.sub("", plain).strip()
                if note:
                    rec.status_notes.append(note)
            continue
        text = cell.text
        if name == "status":
            label = status_cell(text) if text else None
            if label:
                rec.marked.append(label)
            if text:
                rec.status_notes.append(text)
            continue
        if name is None:
            if text:
                rec.extra.append(text)
            continue
        if name == layout.key and text and text not in "-–—":
            key_empty = False
        rec.add(name, text)
    last = ctx.last
    has_own = bool(rec.texts.get("period_text") or rec.marked or rec.texts.get("seq"))
    if key_empty and last is not None and last.layout.fields == layout.fields:
        if not has_own:
            _merge_into(last, rec)
            return None
        rec.texts[layout.key] = list(last.texts.get(layout.key, []))
        if layout.key == "measure" and "indicator" in layout.fields and not rec.texts.get("indicator"):
            rec.texts["indicator"] = list(last.texts.get("indicator", []))
        rec.carried_key = True
        rec.notes.append(Note("key_carried_down", f"{layout.key} cell empty: carried down from "
                              "the row above", rec.page, rec.line))
    elif key_empty:
        # No row above to continue: not a measure, but its text is kept in a warning.
        text = " | ".join(t for ts in rec.texts.values() for t in ts)
        if text:
            ctx.notes.append(Note("row_not_measure", f"row has no {layout.key} text and no row "
                                  f"above to continue, not read as a measure: {text[:200]}",
                                  rec.page, rec.line))
        return None
    elif layout.key == "measure" and "indicator" in layout.fields and not rec.texts.get("indicator") \
            and last is not None and last.layout.fields == layout.fields:
        rec.texts["indicator"] = list(last.texts.get("indicator", []))
    return rec


def _heading_in_row(ctx: _Context, row: list[Cell], layout_key: str | None) -> bool:
    """A row holding just a heading (in its first cell, or spanning the row) updates
    the section or indicator context instead of making a measure."""
    own = [(i, c) for i, c in enumerate(row) if c.raw.strip() and not c.spanned]
    if len(own) != 1 or len(row) < 2:
        return False
    col, cell = own[0]
    spans_row = all(c.spanned or c is cell for c in row)
    text = cell.text
    if (col != 0 and not spans_row) or len(text) > 80:
        return False
    section = heading_section(text)
    if section:
        ctx.section, ctx.indicator = section, None
        return True
    # An indicator label alone on its row groups the measures below it — unless the
    # table's key column is the indicator itself (then the row is a measure).
    group_row = spans_row or (col == 0 and layout_key != "indicator")
    if group_row and text.startswith("ตัวชี้วัด"):
        ref = parse_indicator_label(text)
        if ref:
            ctx.indicator = ref
            return True
    return False


def _merge_into(target: RowRecord, piece: RowRecord) -> None:
    """A row continued on the next page: append each cell's text to the row above."""
    for name, texts in piece.texts.items():
        target.texts.setdefault(name, []).extend(texts)
    target.marked.extend(piece.marked)
    target.status_notes.extend(piece.status_notes)
    target.extra.extend(piece.extra)
    target.boxes.extend(piece.boxes)
    target.stitched += 1
    target.notes.append(Note("row_continued", "row continued (leading empty cells) merged into "
                             "the row above", piece.page, piece.line))


def _take_stray(ctx: _Context) -> list[Line]:
    """Lines between two parts of one table that are cell text left outside it."""
    lines = ctx.pending
    if not lines or any(len(l.text) > STRAY_MAX_LINE_CHARS for l in lines):
        return []
    return list(lines)


def _ngrams(text: str, n: int = 3) -> set[str]:
    s = re.sub(r"\s+", "", text)
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


def _attach_stray(rec: RowRecord, lines: list[Line]) -> None:
    """Append stray text to the cell of `rec` it continues: the one sharing most wording."""
    text = " ".join(l.text for l in lines)
    grams = _ngrams(text)
    candidates = [n for n in rec.texts if n not in ("seq", "period_text", "indicator")]
    if not candidates or not grams:
        return
    best = max(candidates, key=lambda n: (len(grams & _ngrams(rec.text(n))) / len(grams),
                                          len(rec.text(n))))
    rec.add(best, text)
    rec.notes.append(Note("stray_text_attached", f"text outside the table re-attached to {best}",
                          lines[0].page, lines[0].line))


def _table_text(table: Table) -> str:
    return " | ".join(c.text for row in table.rows for c in row if c.text and not c.spanned)
