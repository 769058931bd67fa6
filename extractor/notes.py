"""Notes: everything the extractor noticed, each of a stable `kind` from a catalogue.

The catalogue (`data/note_kinds.csv`, rendered into `docs/notes.md`) gives each kind one
severity:

- `info` — what the extractor did and is sure of (a status merged, a district corrected);
- `warning` — a value may be wrong or missing (a period it could not read);
- `review` — a person should look (the agency is ambiguous, a copied report).

A report needs review exactly when it has a `review` note. Every consumer (run summary,
HTML report, notebooks) groups by `kind`, never by the message text.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from extractor import data_file

SEVERITIES = ("info", "warning", "review")


@dataclass(frozen=True)
class NoteKind:
    kind: str
    severity: str
    meaning: str


@cache
def catalogue() -> dict[str, NoteKind]:
    text = data_file("note_kinds.csv").read_text("utf-8")
    return {r["kind"]: NoteKind(r["kind"], r["severity"], r["meaning"])
            for r in csv.DictReader(text.splitlines())}


@dataclass(frozen=True)
class Note:
    """One thing noticed: its kind, a message with the raw text kept, and where.

    >>> n = Note("period_unparsed", "period not understood, kept as text: 'ปลายปี'", page=2, line=40)
    >>> n.severity
    'warning'
    >>> Note("status_merged", "from table 3 row 2").severity
    'info'
    """

    kind: str
    message: str
    page: int | None = None
    line: int | None = None

    @property
    def severity(self) -> str:
        # An uncatalogued kind is a bug (a test checks every kind used); at run time it
        # must not hide anything, so it counts as a warning.
        known = catalogue().get(self.kind)
        return known.severity if known else "warning"

    def as_row(self) -> dict:
        return {"kind": self.kind, "severity": self.severity, "page": self.page,
                "line": self.line, "message": self.message}

    def __str__(self) -> str:
        where = f"page {self.page} " if self.page else ""
        where += f"line {self.line} " if self.line else ""
        return f"[{self.kind}] {where}{self.message}".strip()


def needs_review(notes: list[Note]) -> bool:
    return any(n.severity == "review" for n in notes)
