"""Lines of cell text that OCR left outside a table, between two parts of it.

Short lines between the parts of one table are usually the end of a cell that ran past
the page's bottom border. The cell that overflows is the tallest one — the row's
longest text — so that is where they go (shared wording only breaks ties: every cell of
a row talks about the same measure). Lines printed more than once in the document are
running headers or footers ("เทศบาล… : รายงาน ITA ๒๕๖๘"), never cell text.
"""
from __future__ import annotations

import re

from .rows import RowRecord
from extractor.model import Line
from extractor.notes import Note

STRAY_MAX_LINE_CHARS = 70
_NOT_CONTINUED = ("seq", "period_text", "indicator", "score", "oit", "budget")


def take_stray(lines: list[Line], repeated: frozenset[str]) -> list[Line]:
    """The lines between two parts of one table that are cell text left outside it."""
    lines = [l for l in lines if l.text not in repeated]
    if not lines or any(len(l.text) > STRAY_MAX_LINE_CHARS for l in lines):
        return []
    return lines


def _ngrams(text: str, n: int = 3) -> set[str]:
    s = re.sub(r"\s+", "", text)
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


def attach_stray(rec: RowRecord, lines: list[Line]) -> None:
    """Append stray text to the cell of `rec` it continues: the longest one."""
    text = " ".join(l.text for l in lines)
    grams = _ngrams(text)
    candidates = [n for n in rec.texts if n not in _NOT_CONTINUED and rec.text(n)]
    if not candidates or not grams:
        return
    best = max(candidates, key=lambda n: (len(rec.text(n)),
                                          len(grams & _ngrams(rec.text(n))) / len(grams)))
    rec.add(best, text)
    rec.notes.append(Note("stray_text_attached", f"text outside the table re-attached to {best}",
                          lines[0].page, lines[0].line))
