"""Logical rows → `Measure`s: parse each field, then join a plan table and a status
table that list the same measures into one measure each."""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic
from normalizers.budget import parse_budget
from normalizers.indicators import find_indicator_mention, parse_indicator_label, parse_score, parse_score_cell
from normalizers.ita import indicator_canonical, indicator_from_oit, indicator_from_topic, oit_item_name
from normalizers.oit import parse_oit_codes, parse_zero_led_codes
from normalizers.periods import parse_period
from normalizers.plausible import implausible_date, repair_years
from normalizers.status import split_inline_status

from extractor.model import BBox, CellBox, Measure
from extractor.notes import Note
from .row_roles import number_prefix, tool_section
from .rows import RowRecord

_CITING_FIELDS = ("method", "result", "monitoring", "outcome", "recommendation", "issue", "item")
TEXT_FIELDS = ("method", "responsible", "monitoring", "result", "outcome", "recommendation")
_SEQ_RE = lazy_compile(r"^\s*(?:ข้อ\s*)?([0-9๐-๙]{1,2})\s*[.)]\s*(?![0-9๐-๙])")
_SEQ_CELL_RE = lazy_compile(r"^\s*([0-9๐-๙]{1,3})\s*[.)]?\s*$")


def split_seq(text: str) -> tuple[str | None, str]:
    """A row's own number printed before the measure ("๑. …", "3) …") → (seq, rest).

    >>> split_seq("๑. การปฏิบัติหน้าที่")
    ('1', 'การปฏิบัติหน้าที่')
    >>> split_seq("-จัดทำประกาศ")
    (None, '-จัดทำประกาศ')
    >>> split_seq("1.1 ย่อย")
    (None, '1.1 ย่อย')
    """
    m = _SEQ_RE.match(text)
    if not m:
        return None, text
    return thai_to_arabic(m.group(1)), text[m.end():].strip()


def build_measure(rec: RowRecord, fiscal_year_be: int | None) -> Measure:
    """One measure from one logical row."""
    notes = list(rec.notes)
    key_text = rec.text(rec.layout.key or "measure")
    # a tool column ("แบบวัด": IIT / EIT / OIT) names the row's section itself
    section = tool_section(rec.text("tool")) if rec.text("tool") else None
    m = Measure(measure=key_text, section=section or rec.section, page=rec.page, line=rec.line,
                table_index=rec.table_index, row_index=rec.row_index,
                table_kind=rec.layout.kind)
    for name in TEXT_FIELDS:
        setattr(m, name, rec.text(name) or None)
    _read_status(m, rec, notes)
    # the first number: a wide table printed in two parts may number its rows twice
    seq_cell = next((t for t in rec.texts.get("seq", []) if t), "")
    if seq_cell:
        sm = _SEQ_CELL_RE.match(seq_cell)
        m.seq = thai_to_arabic(sm.group(1)) if sm else thai_to_arabic(seq_cell)
    _read_indicator(m, rec)
    if rec.layout.key == "measure" and not rec.carried_key:
        seq, rest = split_seq(m.measure)
        if seq is None and rec.group is not None:
            seq, rest = number_prefix(m.measure) or (None, m.measure)  # "๑.๒ กิจกรรม…"
        if seq is not None and rest:
            m.seq = m.seq or seq
            m.measure = rest
    # the codes a row cites: in its OIT and key cells as OCR prints them, and anywhere else
    # in the row where written with the letter O ("ข้อมูลรายข้อ (O1-O4, O11-O12)")
    m.oit_items = list(dict.fromkeys(
        parse_oit_codes(" ".join((rec.text("oit"), key_text)))
        + parse_zero_led_codes(rec.text("oit"))  # a column of codes: "01-04" is O1–O4
        + parse_oit_codes(" ".join(rec.text(f) for f in _CITING_FIELDS), latin_only=True)))
    m.issue = rec.text("issue") or None
    if rec.group:
        m.measure_group = split_seq(rec.group)[1] or rec.group
    _add_reference(m, fiscal_year_be)
    _read_period(m, rec, fiscal_year_be, notes)
    m.cell_boxes, m.bbox = _boxes(rec)
    _read_extra(m, rec, notes)
    m.notes = notes
    m.confidence = _confidence(rec, notes)
    return m


def _read_period(m: Measure, rec: RowRecord, fiscal_year_be: int | None, notes: list[Note]) -> None:
    """The period as printed and as dates: OCR-garbled years repaired where one reading
    fits the report's year, and dates no report of this year can hold set to null."""
    period_text = rec.text("period_text")
    if not period_text:
        return
    m.period_text = thai_to_arabic(period_text)
    repaired, fixes = repair_years(period_text, fiscal_year_be)
    for fix in fixes:
        notes.append(Note("ocr_year_repaired", f"{fix} in period {m.period_text!r}", rec.page, rec.line))
    period = parse_period(repaired, fiscal_year_be)
    if period is None:
        notes.append(Note("period_unparsed", f"period not understood, kept as text: "
                          f"{m.period_text!r}", rec.page, rec.line))
        return
    why = next(filter(None, (implausible_date(d, fiscal_year_be)
                             for d in (period.start, period.end) if d)), None)
    if why:
        notes.append(Note("value_implausible", f"period {m.period_text!r} left null: {why}",
                          rec.page, rec.line))
        return
    m.period_start, m.period_end = period.start, period.end
    if period.end is None:
        notes.append(Note("period_end_unparsed", f"period end not understood, kept as "
                          f"text: {m.period_text!r}", rec.page, rec.line))


def _read_extra(m: Measure, rec: RowRecord, notes: list[Note]) -> None:
    """Columns with no field of their own, kept per measure (header as printed → text);
    a budget column is also read as a number of baht."""
    for header, text in rec.extra:
        m.extra[header] = f"{m.extra[header]} {text}" if header in m.extra else text
    budget = rec.text("budget")
    if budget:
        m.budget_baht = parse_budget(budget).baht
    if m.extra:
        notes.append(Note("extra_columns", "kept in extra: " + ", ".join(m.extra)[:300],
                          rec.page, rec.line))


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _boxes(rec: RowRecord) -> tuple[list[CellBox], BBox | None]:
    """Where each field's text sits (one box per field and page), and the row's box on its
    first page: the union of its cells there."""
    by_place: dict[tuple[str, int], list[BBox]] = {}
    for name, page, box in rec.boxes:
        by_place.setdefault((name, page), []).append(box)
    cells = [CellBox(name, page, _union(boxes)) for (name, page), boxes in by_place.items()]
    first = [c.bbox for c in cells if c.page == rec.page]
    return cells, (_union(first) if first else None)


def _read_status(m: Measure, rec: RowRecord, notes: list[Note]) -> None:
    statuses = set(rec.marked)
    # Inline checkboxes ("☑ ดำเนินการแล้วเสร็จ ☐ ยังไม่ได้ดำเนินการ") sit inside text cells.
    for name in TEXT_FIELDS:
        value = getattr(m, name)
        if not value:
            continue
        inline = split_inline_status(value)
        if inline.status or inline.ambiguous or inline.text != value:
            setattr(m, name, inline.text or None)
            if inline.status:
                statuses.add(inline.status)
            if inline.ambiguous:
                notes.append(Note("status_ambiguous", f"several status checkboxes ticked in {name}",
                                  rec.page, rec.line))
    if len(statuses) == 1:
        m.status = statuses.pop()
    elif len(statuses) > 1:
        notes.append(Note("status_ambiguous", "status ambiguous: marks in " + ", ".join(sorted(statuses)),
                          rec.page, rec.line))
    if rec.status_notes:
        m.status_text = " ".join(rec.status_notes)
    if m.status is None and rec.status_unread and not notes_ambiguous(notes):
        notes.append(Note("status_unread", "status not understood, kept in status_text: "
                          + " ".join(rec.status_unread)[:200], rec.page, rec.line))


def notes_ambiguous(notes: list[Note]) -> bool:
    return any(n.kind == "status_ambiguous" for n in notes)


def _read_indicator(m: Measure, rec: RowRecord) -> None:
    ref = None
    if rec.layout.key == "indicator":
        ref = parse_indicator_label(m.measure)
    elif rec.text("indicator"):
        ref = parse_indicator_label(rec.text("indicator"))
    if ref is None:
        for name in ("measure", "method", "result"):
            ref = find_indicator_mention(rec.text(name))
            if ref:
                break
    if ref is None and rec.text("issue"):
        ref = parse_indicator_label(rec.text("issue"))  # an issue column naming the indicator
    if ref is None:
        ref = rec.heading_indicator
    if ref is not None:
        m.indicator_no, m.indicator_name = ref.no, ref.name
    # The row's own score: a score column, else its indicator cell (or the key cell
    # when that is the indicator), where "(๘๙.๒๕ คะแนน)" may follow the name; else the
    # score printed with the indicator the row sits under ("ตัวชี้วัดที่ ๑ … (คะแนน ๘๖.๕๒)"
    # as a heading is the same statement as that label in a cell spanning the rows).
    key_is_indicator = rec.layout.key == "indicator"
    m.score = (parse_score_cell(rec.text("score")) if rec.text("score") else None) \
        or parse_score(rec.text("indicator"), trailing=True) \
        or parse_score(rec.text(rec.layout.key or "measure"), trailing=key_is_indicator) \
        or (ref.score if ref is not None else None)


def _add_reference(m: Measure, fiscal_year_be: int | None) -> None:
    """Official names for the report's year, and an inferred indicator kept apart from
    the printed one: it goes to `indicator_inferred`, never to `indicator_no`."""
    m.indicator_canonical = indicator_canonical(m.indicator_no, fiscal_year_be)
    m.oit_item_names = [oit_item_name(c, fiscal_year_be) for c in m.oit_items]
    if m.indicator_no is not None:
        return
    inferred = indicator_from_oit(m.oit_items, fiscal_year_be)
    if inferred is not None:
        m.indicator_inferred, m.indicator_basis = inferred, "oit_items"
    elif (inferred := indicator_from_topic(m.measure)) is not None:
        m.indicator_inferred, m.indicator_basis = inferred, "topic"


def _confidence(rec: RowRecord, notes: list[Note]) -> float:
    """How sure the header mapping, stitching and normalisation were, 0–1."""
    c = min(1.0, rec.layout.header_score / 100.0)
    if rec.carried_key:
        c -= 0.1
    if rec.stitched:
        c -= 0.05
    c -= 0.1 * sum(1 for n in notes if n.severity != "info")
    return round(max(0.0, c), 2)


def _same_measure(a: Measure, b: Measure) -> bool:
    # a status table often prints no section rows of its own: only two known sections
    # that differ tell two measures apart
    if a.section and b.section and a.section != b.section:
        return False
    ka, kb = re.sub(r"\s+", "", a.measure), re.sub(r"\s+", "", b.measure)
    ratio = fuzz.ratio(ka, kb, processor=None)
    if a.seq and b.seq:
        # Same section and number: a looser text match suffices (OCR'd re-listings differ).
        return a.seq == b.seq and ratio >= 45
    return ratio >= 85


_MERGED_FIELDS = ("status", "status_text", "method", "result", "outcome", "recommendation",
                  "monitoring", "responsible", "period_text", "period_start", "period_end")


def merge_plan_and_status(measures: list[Measure]) -> tuple[list[Measure], list[Note]]:
    """Rows that complete measures listed earlier → one measure each: a status table
    re-listing the measures of a plan table (matched by section, number and wording), and
    a table of further columns keyed by the row number alone (a wide table printed in two
    parts). The earlier row keeps its fields and gains those it left empty. Rows of one
    table kind are never merged with each other; a row of further columns that completes
    no measure is not one, and is kept in a note."""
    out: list[Measure] = []
    notes: list[Note] = []
    for m in measures:
        target = None
        if m.table_kind == "status":
            target = next((p for p in out if p.table_kind != "status" and p.status is None
                           and _same_measure(p, m)), None)
        elif m.table_kind == "columns":
            target = next((p for p in reversed(out) if p.seq and p.seq == m.seq and not (
                p.section and m.section and p.section != m.section)), None)
            if target is None:
                text = " | ".join(str(getattr(m, f)) for f in _MERGED_FIELDS if getattr(m, f))
                notes.append(Note("row_not_measure", f"row {m.seq} of a table of further columns "
                                  f"matches no measure listed before: {text[:200]}", m.page, m.line))
                continue
        if target is None:
            out.append(m)
            continue
        for name in _MERGED_FIELDS:
            if getattr(target, name) is None and getattr(m, name) is not None:
                setattr(target, name, getattr(m, name))
        for header, text in m.extra.items():
            target.extra.setdefault(header, text)
        target.notes.extend(m.notes)
        target.notes.append(Note("status_merged", f"row {m.seq or ''} of table {m.table_index} "
                                 f"(row {m.row_index}) merged into the measure listed before",
                                 m.page, m.line))
    return out, notes
