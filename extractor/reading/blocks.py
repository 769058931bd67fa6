"""Reports with no table: one labelled block per measure.

    มาตรการที่ ๑ ส่งเสริมให้บุคลากรแจ้งการมีส่วนได้ส่วนเสีย
    ขั้นตอน/วิธีปฏิบัติ : จัดทำแบบแจ้ง…
    ผู้รับผิดชอบ : กองคลัง
    ระยะเวลาดำเนินการ : ตุลาคม ๒๕๖๓ – กันยายน ๒๕๖๔
    สถานะ : ☑ ดำเนินการแล้ว ☐ อยู่ระหว่างดำเนินการ

A block is a measure like any table row: its labels are header cells, mapped through the
same vocabulary (`headers.match_header`), and it becomes a `RowRecord` whose layout's
columns are its labels. It starts at a heading ("มาตรการที่ ๑ …", "กิจกรรม ๒ : …", or a
numbered line right after a blank line and right before a label) or at a labelled
measure line ("ชื่อมาตรการ : …"). A line with no label continues the value above it when
it follows it directly (no blank line between) or across a page break, and the value is
free text; lines printed more than once (running headers) never continue a value. A
block with fewer than two labelled measure fields is not a measure: its lines go back to
the caller as paragraph lines, so nothing is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic

from .headers import PLAN_FIELDS, match_header
from .layout import Layout
from .row_roles import heading_section, leading_number, number_prefix
from .rows import RowRecord, add_cell
from extractor.model import Line, Table

BLOCK_KIND = "blocks"
_D = "0-9๐-๙"
_HEADING_RE = lazy_compile(
    rf"^\s*(?:มาตรการ|กิจกรรม|โครงการ)\s*(?:ที่)?\s*(?P<n>[{_D}]{{1,2}}(?:\.[{_D}]{{1,2}})?)"
    rf"(?![{_D}])\s*[:：.)\-–]?\s*(?P<rest>.*)$")
_NUMBERED_RE = lazy_compile(rf"^\s*(?P<n>[{_D}]{{1,2}}(?:\.[{_D}]{{1,2}})?)\s*[.)]\s*(?P<rest>\S.*)$")
_LABEL_RE = lazy_compile(r"^\s*(?P<label>[^:：]{2,45}?)\s*[:：]\s*(?P<value>.*)$")
_DASH_LABEL_RE = lazy_compile(r"^\s*(?P<label>[^\s\-–][^\-–]{1,44}?)\s+[-–]\s+(?P<value>\S.*)$")
_BARE_LABEL_RE = lazy_compile(r"^(?P<label>\S{3,30}?)\s+(?P<value>\S.*)$")
_BULLET_RE = lazy_compile(r"^[\s\-–•●○◦▪■►➢❖*]+")
_BOX_RE = lazy_compile(r"[☑☒☐□✓✔]|\[\s*[xX/✓✔]?\s*\]")
# Values that run over several lines; a status, a period or a number does not.
_CONTINUED_FIELDS = frozenset({"measure", "method", "responsible", "monitoring", "result",
                               "outcome", "recommendation", "issue", "extra", None})
MIN_FIELDS = 2  # labelled measure fields a block needs to be a measure
MAX_HEADING_LINES = 3
# A dash also sits inside values ("มกราคม - มีนาคม"): "label - value" needs the label
# spelt as the vocabulary has it, not merely close to it.
DASH_LABEL_SCORE = 95.0


@dataclass
class _Label:
    printed: str
    field: str | None
    score: float
    texts: list[str] = field(default_factory=list)


@dataclass
class _Block:
    first: Line
    seq: str | None
    measure: list[str]
    labels: list[_Label] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def is_measure(self) -> bool:
        return bool(" ".join(self.measure).strip()) and len(
            {l.field for l in self.labels if l.field in PLAN_FIELDS}) >= MIN_FIELDS


def _bare_label(text: str) -> _Label | None:
    """Inside a block, a line that starts with a measure field's label exactly and a
    space, its separator lost ("ผู้รับผิดชอบ กองคลัง")."""
    m = _BARE_LABEL_RE.match(_BULLET_RE.sub("", text))
    if not m:
        return None
    hm = match_header(m.group("label"))
    if hm.field in PLAN_FIELDS and hm.score == 100.0:
        return _Label(m.group("label"), hm.field, hm.score, [m.group("value").strip()])
    return None


def _label(text: str) -> _Label | None:
    """A "label : value" (or "label - value") line whose label is a known header."""
    for rx, surest in ((_LABEL_RE, 0.0), (_DASH_LABEL_RE, DASH_LABEL_SCORE)):
        m = rx.match(text)
        if not m:
            continue
        printed = _BULLET_RE.sub("", m.group("label")).strip()
        hm = match_header(printed)
        if hm.field is not None and hm.score >= surest:
            value = m.group("value").strip()
            return _Label(printed, hm.field, hm.score, [value] if value else [])
    return None


def _heading(text: str) -> tuple[str, str] | None:
    m = _HEADING_RE.match(text)
    if m:
        return thai_to_arabic(m.group("n")), m.group("rest").strip()
    return None


def _adjacent(prev: Line, line: Line) -> bool:
    """On the same line (split at a <br>), directly below (no blank line between), or on
    the next page."""
    return line.line in (prev.line, prev.line + 1) or line.page != prev.page


_BREAK_RE = lazy_compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|tr)>\s*(?=<)|<li\b[^>]*>", re.IGNORECASE)


def split_breaks(lines: list[Line]) -> list[Line]:
    """Lines whose markup breaks them (<br>, the end of a paragraph, heading or list item)
    as the lines a reader sees: each label of a block on its own line."""
    out: list[Line] = []
    for line in lines:
        if "<" not in line.raw or not _BREAK_RE.search(line.raw):
            out.append(line)
            continue
        for part in _BREAK_RE.split(line.raw):
            piece = Line(part, line.line, line.page, line.bbox)
            if piece.text:
                out.append(piece)
    return out


def read_blocks(lines: list[Line], repeated: frozenset[str]) -> list[Line | RowRecord]:
    """The lines in order, with each labelled measure block replaced by its record."""
    lines = split_breaks(lines)
    out: list[Line | RowRecord] = []
    block: _Block | None = None
    prev: Line | None = None  # the block's last line

    def close() -> None:
        nonlocal block
        if block is not None:
            out.extend([_record(block, len(out))] if block.is_measure() else block.lines)
        block = None

    for i, line in enumerate(lines):
        text = line.text
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        heading = _heading(text)
        if heading is None and (block is None or not _adjacent(prev, line)) and nxt is not None \
                and _adjacent(line, nxt) and (m := _NUMBERED_RE.match(text)) and _label(nxt.text):
            heading = (leading_number(m.group("n")) or thai_to_arabic(m.group("n")), m.group("rest"))
        label = None if heading else _label(text)
        if label is None and heading is None and block is not None and block.labels:
            label = _bare_label(text)
        if label is not None and label.field == "measure" and block is not None \
                and not block.labels and not block.measure:
            block.measure = list(label.texts)  # "มาตรการที่ ๑" then "ชื่อมาตรการ : …"
            block.lines.append(line)
            prev = line
            continue
        if heading is not None or (label is not None and label.field == "measure"):
            close()
            if heading is not None:
                block = _Block(line, heading[0], [heading[1]] if heading[1] else [])
            else:
                block = _Block(line, None, list(label.texts))
            block.lines.append(line)
            prev = line
            continue
        if block is None and label is not None and label.field in PLAN_FIELDS:
            block = _heading_above(out, line)  # an unnumbered heading: the line above
            prev = block.first if block else None
        if block is None:
            out.append(line)
            continue
        if label is None and _BOX_RE.search(text) and _adjacent(prev, line) and not _continues(block, text):
            label = _Label("", "status", 100.0, [text])  # a line of status checkboxes, unlabelled
        if label is not None:
            block.labels.append(label)
        elif text in repeated:
            out.append(line)  # a running header between the pages of a block
            continue
        elif _adjacent(prev, line) and _continues(block, text):
            (block.labels[-1].texts if block.labels else block.measure).append(text)
        else:
            close()
            out.append(line)
            continue
        block.lines.append(line)
        prev = line
    close()
    return out


def _continues(block: _Block, text: str) -> bool:
    if heading_section(text) or text.startswith("ตัวชี้วัดที่"):
        return False
    if not block.labels:
        return True
    last = block.labels[-1]
    # "สถานะ :" with its checkboxes on the lines below
    return last.field in _CONTINUED_FIELDS or (last.field == "status" and bool(_BOX_RE.search(text)))


def _heading_above(out: list[Line | RowRecord], line: Line) -> _Block | None:
    """A block whose first label follows lines with no label directly: they are the
    measure's heading ("การเปิดเผยข้อมูลการจัดซื้อจัดจ้าง" then "ผู้รับผิดชอบ : …"). A heading
    wrapped over lines is taken up to the numbered line it starts on (three lines at most);
    with no number, only the line right above."""
    chain: list[Line] = []
    below = line
    for item in reversed(out[-MAX_HEADING_LINES:]):
        if not isinstance(item, Line) or item.page != below.page or not _adjacent(item, below):
            break
        text = item.text
        if len(text) > 200 or heading_section(text) or text.startswith("ตัวชี้วัด") or _label(text):
            break
        chain.insert(0, item)
        below = item
    numbered = next((i for i, l in enumerate(chain) if number_prefix(l.text)), None)
    chain = chain[numbered:] if numbered is not None else chain[-1:]
    if not chain:
        return None
    del out[len(out) - len(chain):]
    seq, rest = number_prefix(chain[0].text) or (None, chain[0].text)
    block = _Block(chain[0], seq, [rest or chain[0].text] + [l.text for l in chain[1:]])
    block.lines.extend(chain)
    return block


def _record(block: _Block, index: int) -> RowRecord:
    fields = ["seq", "measure", *(l.field for l in block.labels)]
    headers = ["", "", *(l.printed for l in block.labels)]
    score = min((l.score for l in block.labels if l.field), default=100.0)
    layout = Layout(tuple(fields), None, score, tuple(headers), source=BLOCK_KIND)
    first = block.first
    rec = RowRecord(layout, None, index, first.page, first.line, None, None)  # type: ignore[arg-type]
    texts = [block.seq or "", " ".join(block.measure)] + [" ".join(l.texts) for l in block.labels]
    for col, text in enumerate(texts):
        add_cell(rec, layout, col, text)
    return rec


def label_table_lines(table: Table) -> list[Line] | None:
    """A two-column table of labels and values (one form per measure) as the labelled
    lines it stands for, when most of its first column are known labels; else None."""
    if table.n_cols != 2:
        return None
    rows = [r for r in table.rows if len(r) == 2 and r[0].text]
    labels = [_label(f"{r[0].text} : x") or _heading(r[0].text) for r in rows]
    fields = {l.field for l in labels if isinstance(l, _Label) and l.field in PLAN_FIELDS}
    if len(fields) < MIN_FIELDS or sum(l is not None for l in labels) < 0.6 * len(rows):
        return None
    return [Line(f"{r[0].raw} : {r[1].raw}", r[0].line, r[0].page, r[0].bbox) for r in rows]
