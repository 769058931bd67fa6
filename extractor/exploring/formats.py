"""Query results as text: an aligned table (Thai vowel and tone marks take no width), CSV, or
JSON — for `ita-extract query` and the HTML report."""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import unicodedata
from typing import Any, Sequence


def _plain(value: Any) -> Any:
    """A DuckDB value as a JSON-ready Python value."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # UUID, intervals and the like


def _cell(value: Any) -> str:
    """A value as one line of text: lists and structs as JSON, NULL as an empty string."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def display_width(text: str) -> int:
    """Terminal columns `text` takes: Thai vowel and tone marks (Mn) take none, wide CJK two.

    >>> display_width("ปีงบประมาณ"), len("ปีงบประมาณ")
    (9, 10)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _truncate(text: str, limit: int) -> str:
    if limit <= 0 or display_width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        w = display_width(ch)
        if width + w > limit - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    """An aligned text table; cells cut to `max_width` columns (0: never), NULL as `NULL`.

    >>> print(format_table(["province", "n"], [("ภูเก็ต", 5), (None, 12)]))
    province | n
    ---------+---
    ภูเก็ต     |  5
    NULL     | 12
    (2 rows)
    """
    cells = [[("NULL" if v is None else _truncate(_cell(v), max_width)) for v in row] for row in rows]
    numeric = [all(isinstance(r[i], (int, float, decimal.Decimal)) and not isinstance(r[i], bool)
                   for r in rows if r[i] is not None) and any(r[i] is not None for r in rows)
               for i in range(len(columns))]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells])
              for i, c in enumerate(columns)]

    def line(values: Sequence[str], align: bool) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - display_width(v))
            parts.append(pad + v if align and numeric[i] else v + pad)
        return " | ".join(parts).rstrip()

    out = [line(columns, False), "-+-".join("-" * w for w in widths)]
    out += [line(r, True) for r in cells]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out)


def format_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row; NULL is an empty field, lists are JSON arrays."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def format_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A JSON array with one object per row; dates as ISO strings, Thai text unescaped."""
    records = [{c: _plain(v) for c, v in zip(columns, row)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def format_result(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table",
                  max_width: int = 60) -> str:
    if fmt == "csv":
        return format_csv(columns, rows)
    if fmt == "json":
        return format_json(columns, rows)
    return format_table(columns, rows, max_width) + "\n"


