"""Lines of cell text that OCR left outside a table: between two parts of it, or right
under its last row.

Short lines between the parts of one table are usually the end of a cell that ran past
the page's bottom border. The cell that overflows is the tallest one — the row's
longest text — so that is where they go (shared wording only breaks ties: every cell of
a row talks about the same measure). Lines printed more than once in the document are
running headers or footers ("เทศบาล… : รายงาน ITA ๒๕๖๘"), never cell text.

Under a table's last row, one or two short lines printed right against it (no blank line
between) that start like no paragraph of their own (no signature, note, date, heading,
agency name or "label :") are the end of the row's last text cell, which wrapped past
the table's border.
"""
from __future__ import annotations

import functools
import re

from normalizers._regex import lazy_compile
from normalizers.agency_mentions import parse_agency_mentions

from .rows import RowRecord
from extractor import data_file
from extractor.model import Line
from extractor.notes import Note

STRAY_MAX_LINE_CHARS = 70
_NOT_CONTINUED = ("seq", "period_text", "indicator", "score", "oit", "budget")


MAX_TRAILING_LINES = 2
_LABEL_RE = lazy_compile(r"^[^:：]{1,40}[:：]")
_NUMBERED_RE = lazy_compile(r"^[\s(]*[0-9๐-๙]+[.)]|^[-•*]")
# Fields whose cell wraps: text, not numbers or marks.
_WRAPPING_FIELDS = ("measure", "method", "responsible", "monitoring", "result", "outcome",
                    "recommendation", "issue")


@functools.cache
def _paragraph_starts() -> tuple[str, ...]:
    text = data_file("paragraph_starts.csv").read_text("utf-8")
    import csv
    return tuple(r["phrase"].replace(" ", "") for r in csv.DictReader(text.splitlines()))


def starts_own_paragraph(text: str) -> bool:
    """A line that begins something of its own (a signature, a note, a date, a heading, an
    agency's name, "label : value", a numbered or bulleted item), so it is no cell's tail.

    >>> starts_own_paragraph("ลงชื่อ ผู้รายงาน"), starts_own_paragraph("หมายเหตุ : ข้อมูลจากกองคลัง")
    (True, True)
    >>> starts_own_paragraph("เมื่อวันที่ ๒๕ ตุลาคม ๒๕๖๗"), starts_own_paragraph("และรายงานผลต่อผู้บริหารแล้ว")
    (False, False)
    """
    from .tables import heading_section, is_continued_marker  # headings are the tables' business

    compact = text.replace(" ", "")
    return bool(_LABEL_RE.match(text) or _NUMBERED_RE.match(text)
                or compact.startswith(_paragraph_starts())
                or heading_section(text) or is_continued_marker(text)
                or (" " not in text.strip() and len(text) < 16))  # a lone word: a heading


def take_trailing(lines: list[Line], last_line: int, page: int,
                  repeated: frozenset[str]) -> list[Line]:
    """The lines right under a table (its last row on `last_line`) that are the end of
    that row's last cell: at most two short ones, touching the table and each other, then
    a gap (a blank line, a page break, the end)."""
    out: list[Line] = []
    prev = last_line
    for line in lines[:MAX_TRAILING_LINES + 1]:
        # HTML prints "</table>" between: two source lines apart still touch
        touching = line.page == page and 0 < line.line - prev <= (2 if not out else 1)
        if not touching:
            break
        if (len(line.text) > STRAY_MAX_LINE_CHARS or line.text in repeated
                or starts_own_paragraph(line.text)):
            return []
        out.append(line)
        prev = line.line
    if len(out) > MAX_TRAILING_LINES or (len(out) < len(lines) and lines[len(out)].line - prev <= 1
                                          and lines[len(out)].page == page):
        return []  # a paragraph printed against the table, not a cell's tail
    return out


def attach_trailing(rec: RowRecord, lines: list[Line]) -> bool:
    """Append lines under a table to the last row's rightmost text cell (where a row's
    text runs past the table's bottom)."""
    cols = [(c, f) for c, f in enumerate(rec.layout.fields) if f in _WRAPPING_FIELDS and rec.text(f)]
    if not cols or not lines:
        return False
    _, name = max(cols)
    rec.add(name, " ".join(l.text for l in lines))
    rec.notes.append(Note("stray_text_attached", f"text under the table re-attached to {name}",
                          lines[0].page, lines[0].line))
    return True


def take_stray(lines: list[Line], repeated: frozenset[str]) -> list[Line]:
    """The lines between two parts of one table that are cell text left outside it.

    Not cell text: running headers and footers — a line printed more than once, or the
    first line of a page naming an agency ("รายงานผลการดำเนินการ… เทศบาลเมือง…", printed on
    one page only)."""
    kept, page = [], None
    for l in lines:
        first_on_page, page = l.page != page, l.page
        if l.text in repeated or (first_on_page and parse_agency_mentions(l.text)):
            continue
        kept.append(l)
    if not kept or any(len(l.text) > STRAY_MAX_LINE_CHARS for l in kept):
        return []
    return kept


def _ngrams(text: str, n: int = 3) -> set[str]:
    s = re.sub(r"\s+", "", text)
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


@functools.cache
def _dangling_words() -> frozenset[str]:
    import csv
    text = data_file("dangling_words.csv").read_text("utf-8")
    return frozenset(r["word"] for r in csv.DictReader(text.splitlines()))


@functools.cache
def _dangling_endings() -> tuple[str, ...]:
    return tuple(sorted(_dangling_words()))


def ends_mid_phrase(text: str) -> bool:
    """Whether a cell's text stops on a word that cannot end a phrase ("…ให้", "…และ"):
    the sign of a cell cut by the page's bottom edge.

    >>> ends_mid_phrase("ควรประชาสัมพันธ์ช่องทางออนไลน์ให้"), ends_mid_phrase("จัดอบรมแล้ว ๒ รุ่น")
    (True, False)
    >>> ends_mid_phrase("ค่าตอบแทนการปฏิบัติงานนอกเวลาราชการ")  # ราชการ is a word, not การ
    False
    """
    tail = text.rstrip()[-30:]
    # The last word is where the text ends: text ending in no dangling word needs no word
    # segmentation (whose dictionary costs ~0.5 s to load; a test checks the shortcut).
    if not tail.endswith(_dangling_endings()):
        return False
    from pythainlp.tokenize import word_tokenize  # loaded only when a stray line needs it

    words = [w for w in word_tokenize(tail) if w.strip()]
    return bool(words) and words[-1] in _dangling_words()


def attach_stray(rec: RowRecord, lines: list[Line]) -> None:
    """Append stray text to the cell of `rec` it continues: one whose text stops mid-phrase,
    else the longest (the tallest cell is the one that ran past the border)."""
    text = " ".join(l.text for l in lines)
    grams = _ngrams(text)
    candidates = [n for n in rec.texts if n not in _NOT_CONTINUED and rec.text(n)]
    if not candidates or not grams:
        return
    best = max(candidates, key=lambda n: (ends_mid_phrase(rec.text(n)), len(rec.text(n)),
                                          len(grams & _ngrams(rec.text(n))) / len(grams)))
    rec.add(best, text)
    rec.notes.append(Note("stray_text_attached", f"text outside the table re-attached to {best}",
                          lines[0].page, lines[0].line))
