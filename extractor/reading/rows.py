"""A logical measure row being assembled (`RowRecord`), and how one cell's text goes
into it by the field its column holds. Table rows and labelled blocks (reports with no
table) both end up here, so that one `records.build_measure` serves both."""
from __future__ import annotations

from dataclasses import dataclass, field

from normalizers._regex import lazy_compile
from normalizers.indicators import IndicatorRef
from normalizers.status import is_marked, status_of_cell

from .headers import STATUS_FIELDS
from .layout import Layout
from extractor.model import BBox
from extractor.notes import Note

_MARKS_RE = lazy_compile(r"^(?:\s|[✓✔☑☒✗✘■√/]|\[[xX]\]|[xX](?=\s|$))+")
STATUS_BY_FIELD = {
    "status_not_started": "not_started",
    "status_in_progress": "in_progress",
    "status_completed": "completed",
}
# Columns kept in `extra` (header as printed → text) because no field holds their text.
KEPT_AS_EXTRA = frozenset({None, "extra", "budget", "score", "level", "tool", "item"})


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
    status_unread: list[str] = field(default_factory=list)  # status cells with no known phrase
    extra: list[tuple[str, str]] = field(default_factory=list)  # (header as printed, text)
    boxes: list[tuple[str, int, BBox]] = field(default_factory=list)  # (field, page, bbox) per PDF cell
    notes: list[Note] = field(default_factory=list)
    group: str | None = None  # the group row ("๑ มาตรการ …") this activity row sits under
    carried_key: bool = False
    stitched: int = 0  # continuation pieces merged in

    def text(self, name: str) -> str:
        return " ".join(t for t in self.texts.get(name, []) if t).strip()

    def add(self, name: str, text: str) -> None:
        if text:
            self.texts.setdefault(name, []).append(text)


def add_cell(rec: RowRecord, layout: Layout, col: int, text: str) -> None:
    """Put one cell's clean text into the record by what its column holds."""
    name = layout.fields[col] if col < len(layout.fields) else None
    if name in STATUS_FIELDS:
        if is_marked(text):
            rec.marked.append(STATUS_BY_FIELD[name])
            note = _MARKS_RE.sub("", text).strip()
            if note:
                rec.status_notes.append(note)
        return
    if name == "status":
        if text:
            label = status_of_cell(text, bare=layout.percent_column(col))
            if label:
                rec.marked.append(label)
            elif text.strip("-–—☐□ "):
                rec.status_unread.append(text)
            rec.status_notes.append(text)
        return
    if name in KEPT_AS_EXTRA:
        if text:
            rec.extra.append((layout.header(col), text))
        if name is None or name == "extra":
            return
    rec.add(name, text)
