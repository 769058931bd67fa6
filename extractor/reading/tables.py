"""Tables → logical rows: stitch tables across pages, merge continued rows, carry
section, indicator and group headings down, re-attach stray lines of cell text; and,
between tables, labelled blocks of reports that print their measures with no table.

The walk over a document's blocks keeps a little context: the section (IIT/EIT/OIT)
and indicator named by the last heading, the group row above, the layout of the last
measures table, and the row last produced, so that a table broken across pages is read
as one.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from normalizers.indicators import IndicatorRef, parse_indicator_label

from .blocks import label_table_lines, read_blocks
from .layout import Layout, is_header_row, looks_like_scores, read_layout
from .reuse import reuse_layout
from .row_roles import (HEADING_MAX_CHARS, group_row, heading_section, is_child_number,
                        is_continued_marker, row_number)
from .rows import RowRecord, add_cell
from .stray import STRAY_MAX_LINE_CHARS, attach_stray, attach_trailing, take_stray, take_trailing
from extractor.model import Cell, Document, Line, Table
from extractor.notes import Note

__all__ = ["RowRecord", "read_rows", "heading_section", "is_continued_marker"]

# Cells a rowspan (or its visual equivalent: an empty cell under a filled one) gives to
# every row it spans, leftmost first: the indicator, its score, the issue it answers.
CONTEXT_FIELDS = ("indicator", "score", "issue", "tool")


@dataclass
class _Context:
    section: str | None = None
    indicator: IndicatorRef | None = None
    group: tuple[str, str | None] | None = None  # (text, number) of the group row above
    layout: Layout | None = None
    last: RowRecord | None = None
    pending: list[Line] = field(default_factory=list)
    broken: bool = False  # prose or a new heading since the last table
    repeated: frozenset[str] = frozenset()  # line texts printed more than once
    table_index: dict[int, int] = field(default_factory=dict)  # id(table) → its block index
    prev_table: Table | None = None
    # the section came from a row inside a table: it holds for that table (and its
    # continuation), not for the next one — a heading line's section holds until the next
    section_from_row: bool = False
    notes: list[Note] = field(default_factory=list)


def read_rows(doc: Document) -> tuple[list[RowRecord], list[Note]]:
    """All logical measure rows of a document, in reading order, and document notes."""
    counts = Counter(b.text for b in doc.blocks if isinstance(b, Line))
    ctx = _Context(repeated=frozenset(t for t, n in counts.items() if n > 1))
    rows: list[RowRecord] = []
    run: list[Line] = []
    table: Table | None = None  # the table the current run of lines follows
    for table_index, block in enumerate(doc.blocks):
        if isinstance(block, Line):
            run.append(block)
            continue
        _on_lines(ctx, run, rows)
        run = []
        _on_table(ctx, block, table_index, rows)
        table = block
    _on_lines(ctx, _after_table(ctx, table, run), rows)
    return rows, ctx.notes


def _after_table(ctx: _Context, table: Table | None, lines: list[Line]) -> list[Line]:
    """The lines after a table, less those that are the tail of its last row's last cell
    (printed under the table's border), which go back to that cell. Used after the last
    table, and between two parts of one table when the plain stray rule finds nothing
    (the tail is followed by a footer or header too long to be cell text)."""
    if table is None or ctx.last is None or ctx.last.table_index != _index_of(ctx, table) \
            or not table.rows or not lines:
        return lines
    last_row = [c for c in table.rows[-1] if c.raw.strip() and not c.spanned]
    if not last_row:
        return lines
    tail = take_trailing(lines, max(c.line for c in last_row), last_row[0].page, ctx.repeated)
    if tail and attach_trailing(ctx.last, tail):
        return lines[len(tail):]
    return lines


def _index_of(ctx: _Context, table: Table) -> int:
    return ctx.table_index.get(id(table), -1)


def _on_lines(ctx: _Context, lines: list[Line], rows: list[RowRecord]) -> None:
    """Paragraph lines between tables: headings, prose, and labelled measure blocks."""
    for item in read_blocks(lines, ctx.repeated):
        if isinstance(item, Line):
            _on_line(ctx, item)
            continue
        item.section, item.heading_indicator = ctx.section, ctx.indicator
        rows.append(item)
        ctx.last, ctx.broken = None, True
        ctx.pending.clear()


def _on_line(ctx: _Context, line: Line) -> None:
    text = line.text
    section = heading_section(text)
    if section:
        if section != ctx.section and not is_continued_marker(text):
            ctx.broken = True
            ctx.pending.clear()
            ctx.indicator = ctx.group = None
        ctx.section, ctx.section_from_row = section, False
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


def _not_measures(ctx: _Context, table: Table, note: Note) -> None:
    ctx.notes.append(note)
    ctx.layout, ctx.last = None, None
    ctx.pending.clear()


def _on_table(ctx: _Context, table: Table, table_index: int, rows: list[RowRecord]) -> None:
    ctx.table_index[id(table)] = table_index
    try:
        _read_table(ctx, table, table_index, rows)
    finally:
        ctx.prev_table = table


def _read_table(ctx: _Context, table: Table, table_index: int, rows: list[RowRecord]) -> None:
    labelled = label_table_lines(table)  # a form: labels in one column, values beside
    if labelled is not None:
        ctx.layout = None
        return _on_lines(ctx, labelled, rows)
    layout, n_header = read_layout(table.rows)
    continues = False
    prev = ctx.layout
    if layout is None and looks_like_scores(table.rows):
        return _not_measures(ctx, table, Note(
            "table_not_measures", "scores and levels only, no header: "
            + _table_text(table)[:300], table.page, table.line))
    if layout is None:
        if prev is not None and table.n_cols == len(prev.fields):
            layout, continues = prev, True
        else:
            return _not_measures(ctx, table, Note(
                "table_no_header", "table with no recognisable header, not read: "
                + _table_text(table)[:300], table.page, table.line))
    elif prev is not None and layout.fields == prev.fields:
        continues = True  # the same header again: a table continued on the next page
    elif prev is not None and reuse_layout(layout, prev, table):
        # The same header misread by OCR: the previous layout, with any section it names.
        layout, continues = replace(prev, section=layout.section), True
    if layout.kind in ("other", "scores"):
        known = ", ".join(f for f in layout.fields if f) or "none"
        what = "scores and levels only" if layout.kind == "scores" else "no measure or indicator column"
        return _not_measures(ctx, table, Note(
            "table_not_measures", f"{what} among its headers (read as: {known}): "
            + _table_text(table)[:300], table.page, table.line))
    stray = take_stray(ctx.pending, ctx.repeated) if continues and not ctx.broken else []
    if stray and ctx.last is not None:
        attach_stray(ctx.last, stray)
    elif continues and ctx.prev_table is not None:
        _after_table(ctx, ctx.prev_table, ctx.pending)
    if not continues or ctx.broken:
        ctx.last = None
        ctx.group = None if not continues else ctx.group
    if not continues and ctx.section_from_row:
        ctx.section, ctx.section_from_row = None, False
    ctx.layout, ctx.broken = layout, False
    ctx.pending.clear()
    section = layout.section
    body = table.rows[n_header:]
    for row_index, row in enumerate(body, start=n_header):
        if is_header_row(row):
            # A header repeated inside the table; it may name the next section.
            inner, _ = read_layout([row])
            section = inner.section if inner and inner.section else section
            continue
        before = ctx.section
        rec = _read_row(body, row_index - n_header, layout, table_index, row_index,
                        section or ctx.section, ctx)
        if ctx.section != before:
            section = ctx.section  # a section row inside the table outranks its header
        if rec is None:
            continue
        rows.append(rec)
        ctx.last = rec


def _read_row(body: list[list[Cell]], i: int, layout: Layout, table_index: int, row_index: int,
              section: str | None, ctx: _Context) -> RowRecord | None:
    row = body[i]
    first = next((c for c in row if c.raw.strip()), None)
    if first is None:
        return None
    if _heading_in_row(ctx, row, layout.key):
        return None
    group = group_row(body, i, layout)
    if group is not None:
        ctx.group = group
        ctx.last = None
        return None
    rec = RowRecord(layout, table_index, row_index, first.page, first.line, section,
                    ctx.indicator)
    key_empty = True
    for col, cell in enumerate(row):
        name = layout.fields[col] if col < len(layout.fields) else None
        if cell.bbox is not None and cell.raw.strip() and not cell.spanned:
            rec.boxes.append((name or "extra", cell.page, cell.bbox))
        text = cell.text
        if name == layout.key and text and text not in "-–—":
            key_empty = False
        add_cell(rec, layout, col, text)
    last = ctx.last
    has_own = bool(rec.texts.get("period_text") or rec.marked or rec.texts.get("seq"))
    same_table = last is not None and last.layout.fields == layout.fields
    if key_empty and same_table:
        if not has_own:
            _merge_into(last, rec)
            return None
        rec.texts[layout.key] = list(last.texts.get(layout.key, []))
        rec.group = last.group
        _carry_context(rec, last, layout)
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
    else:
        if same_table:
            _carry_context(rec, last, layout)
        rec.group = _group_of(ctx, row, layout)
    return rec


def _group_of(ctx: _Context, row: list[Cell], layout: Layout) -> str | None:
    """The group row this row sits under: its number is the group's child (or the group
    has no number); a row numbered otherwise ends the group."""
    if ctx.group is None:
        return None
    text, number = ctx.group
    own = row_number(row, layout)
    if number is None or is_child_number(own, number):
        return text
    ctx.group = None
    return None


def _carry_context(rec: RowRecord, last: RowRecord, layout: Layout) -> None:
    """Empty indicator / score / issue cells under a filled one belong to the rowspan
    above: carried down, leftmost first, until a column the row fills itself."""
    cols = sorted((c, f) for f in CONTEXT_FIELDS if f != layout.key for c in layout.column(f))
    for col, name in cols:
        if rec.texts.get(name):
            return
        rec.texts[name] = list(last.texts.get(name, []))
        if name == "score":
            rec.extra.extend(e for e in last.extra if e[0] == layout.header(col))


def _heading_in_row(ctx: _Context, row: list[Cell], layout_key: str | None) -> bool:
    """A row holding just a heading (in its first cell, or spanning the row) updates
    the section or indicator context instead of making a measure."""
    filled = [(i, c) for i, c in enumerate(row) if c.text]
    if len({c.text for _, c in filled}) != 1 or len(row) < 2:
        return False
    col, cell = filled[0]
    # a colspan, or the same text repeated in every cell (how markdown prints one)
    spans_row = all(c.spanned or c is cell or c.text == cell.text for c in row) and (
        len(filled) > 1 or all(c.spanned or c is cell for c in row))
    text = cell.text
    if (col != 0 and not spans_row) or len(text) > HEADING_MAX_CHARS:
        return False
    section = heading_section(text)
    if section:
        ctx.section, ctx.indicator, ctx.group = section, None, None
        ctx.section_from_row = True
        return True
    # An indicator label alone on its row groups the measures below it — unless the
    # table's key column is the indicator itself (then the row is a measure).
    group_row_ = spans_row or (col == 0 and layout_key != "indicator")
    if group_row_ and text.startswith("ตัวชี้วัด"):
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
    target.status_unread.extend(piece.status_unread)
    target.extra.extend(piece.extra)
    target.boxes.extend(piece.boxes)
    target.stitched += 1
    target.notes.append(Note("row_continued", "row continued (leading empty cells) merged into "
                             "the row above", piece.page, piece.line))


def _table_text(table: Table) -> str:
    return " | ".join(c.text for row in table.rows for c in row if c.text and not c.spanned)
