"""Render the data dictionary, docs/schema.md, from the schema objects in `schema.py`, and
the catalogue of note kinds, docs/notes.md, from `extractor/data/note_kinds.csv`.

`python -m extractor.dataset.schema_doc` rewrites both; `--check` only says whether one is
stale (exit 1). tests/test_schema_doc.py fails when one is, so the documents cannot drift
from what the writer uses: change a column or a kind, then run this module.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa

from . import schema as schema_module
from .schema import PARTITION, PARTITIONED, SCHEMA_VERSION, TABLES, UNKNOWN_YEAR

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
NOTES_PATH = DOC_PATH.with_name("notes.md")

# What a row is, per table; a schema may carry its own b"description" metadata instead.
TABLE_NOTES = {
    "measures": "One row per measure (a row of an integrity-measures table), with where it was read.",
    "reports": "One row per input file, including files that failed or held no measure table.",
    "agencies": "One row per agency (local government) seen in the reports, described by its latest report.",
}

CONFIDENCE_TEXT = """\
`measures.confidence` (0–1) says how sure the *reading* of a row was — not whether what the
agency reports is true. It starts from how well the table's header cells matched the header
vocabulary (the weakest column's match score ÷ 100), then drops 0.1 when the row's key cell
was carried down from the row above (a visual rowspan), 0.05 when the row was stitched from
pieces (continued across a page break, or stray cell lines rejoined), and 0.1 for each note
of severity `warning` or `review` on the row; it is rounded to two decimals
(`extractor/reading/records.py`, `_confidence`). 1.0 means a clean header and a clean row. Rows below
0.8, or with warning notes, are worth a look at the page and line they came from:
`ita-extract query --example rows-to-check`.

`notes` (on both measures and reports) say what the extractor noticed, each with a `kind` from
the catalogue in `docs/notes.md` and a severity: `info` (what it did and is sure of),
`warning` (a value may be wrong or missing; the raw text is kept in the message) and `review`
(a person should look). A value that could not be parsed is null, never guessed."""

NEEDS_REVIEW_TEXT = """\
`needs_review` is a summary for triage: true exactly when the report has a note of severity
`review` (see `docs/notes.md`); it does not judge the agency. `review_reasons` are those
notes' messages; the details are in the report's `notes` and in the `notes` and `confidence`
of its measure rows
(`notebooks/02_data_quality_review.ipynb` walks through them, and `ita-extract report` lists
the flagged reports)."""

NEEDS_REVIEW_ABSENT = """\
`reports.needs_review` is not part of schema version {version}. Until it is, a report worth a
human look is one with `status` `empty` or `failed`, with `warnings`, or with measure rows
below 0.8 `confidence` or with warnings."""


def type_name(t: pa.DataType) -> str:
    """A pyarrow type as the dictionary prints it.

    >>> type_name(pa.list_(pa.string())), type_name(pa.timestamp("s", tz="UTC")), type_name(pa.float32())
    ('list<string>', 'timestamp[s, tz=UTC]', 'float32')
    """
    if pa.types.is_list(t):
        return f"list<{type_name(t.value_type)}>"
    return {"float": "float32", "double": "float64", "date32[day]": "date32"}.get(str(t), str(t))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _meta(field: pa.Field, key: str) -> str:
    return (field.metadata or {}).get(key.encode(), b"").decode("utf-8")


def _description(field: pa.Field) -> str:
    return _meta(field, "description")


def constraints(field: pa.Field) -> str:
    """The checks a batch must pass before it is written (enum / min / max metadata).

    >>> constraints(pa.field("n", pa.int8(), metadata={"min": "1", "max": "10"}))
    '1 – 10'
    >>> constraints(pa.field("s", pa.string(), nullable=False, metadata={"enum": "ok,failed"}))
    'not null; one of `ok`, `failed`'
    """
    parts = [] if field.nullable else ["not null"]
    if _meta(field, "enum"):
        parts.append("one of " + ", ".join(f"`{v}`" for v in _meta(field, "enum").split(",")))
    lo, hi = _meta(field, "min"), _meta(field, "max")
    if lo and hi:
        parts.append(f"{lo} – {hi}")
    elif lo:
        parts.append(f"≥ {lo}")
    elif hi:
        parts.append(f"≤ {hi}")
    return "; ".join(parts)


def render() -> str:
    """The whole of docs/schema.md."""
    partition = PARTITION.names[0]
    out = [
        "# Data dictionary",
        "",
        "<!-- Generated from extractor/dataset/schema.py by `python -m extractor.dataset.schema_doc`: do not edit by",
        "     hand; tests/test_schema_doc.py fails when this file is stale. -->",
        "",
        f"Schema version **{SCHEMA_VERSION}**. Every Parquet file of the dataset carries it in its",
        "key-value metadata as `ita_extract_schema_version`.",
        "",
        "## Layout",
        "",
        "```",
    ]
    for name, schema in TABLES.items():
        if name in PARTITIONED:
            out.append(f"DIR/{name}/2567/<id>.parquet        ({name} of fiscal year 2567)")
            out.append(f"DIR/{name}/{UNKNOWN_YEAR}/<id>.parquet     (fiscal year not known, failed files)")
        else:
            out.append(f"DIR/{name}/<id>.parquet")
    out += [
        "```",
        "",
        "(`ita-extract ingest` makes these three folders links into the current version,",
        "`DIR/current` → `DIR/.snapshots/<n>`, so readers always see one complete version; read",
        "them as ordinary folders. Which files make up each version is recorded in",
        "`DIR/.commits/`; see the README, *The dataset*.)",
        "",
        f"`{partition}` is a column inside every file of `reports` and `measures`, an integer",
        "(null when unknown). The files are grouped in one folder per year, named by the bare",
        "year: no reader takes the folder name for a column, so `pd.read_parquet(DIR/measures)`,",
        "`pyarrow.dataset.dataset(..., partitioning=\"hive\")`, polars and",
        "`read_parquet('DIR/measures/**/*.parquet')` in DuckDB all give the same integer column;",
        "a filter on it skips other years' row groups through the files' statistics.",
        "",
        "How the tables join:",
        "",
        "- `measures.report_id` → `reports.report_id` (every measure comes from one report)",
        "- `measures.agency_id`, `reports.agency_id` → `agencies.agency_id` (failed reports have none)",
        "",
    ]
    for name, schema in TABLES.items():
        note = (schema.metadata or {}).get(b"description", b"").decode("utf-8") or TABLE_NOTES.get(name, "")
        out += [f"## `{name}`", "", note, "", "| column | type | nullable | description | allowed values |",
                "|---|---|---|---|---|"]
        for field in schema:
            desc = _description(field)
            allowed = constraints(field).removeprefix("not null").lstrip("; ")
            out.append(f"| `{field.name}` | {type_name(field.type)} | {'yes' if field.nullable else 'no'} "
                       f"| {_cell(desc)} | {_cell(allowed)} |")
        out.append("")
    out += ["## Review flags: `confidence` and `needs_review`", "", CONFIDENCE_TEXT, ""]
    reports = schema_module.REPORTS
    if "needs_review" in reports.names:
        for name in ("needs_review", "review_reasons"):
            if name in reports.names:
                field = reports.field(name)
                out += [f"- `reports.{name}` ({type_name(field.type)}): "
                        f"{_description(field).rstrip('.')}."]
        out += ["", NEEDS_REVIEW_TEXT, ""]
    else:
        out += [NEEDS_REVIEW_ABSENT.format(version=SCHEMA_VERSION), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m extractor.dataset.schema_doc",
                                description="Rewrite docs/schema.md from extractor/dataset/schema.py.")
    p.add_argument("--check", action="store_true", help="exit 1 if the file is stale; write nothing")
    p.add_argument("--path", type=Path, default=DOC_PATH, help=f"default {DOC_PATH}")
    p.add_argument("--notes-path", type=Path, default=NOTES_PATH, help=f"default {NOTES_PATH}")
    args = p.parse_args(argv)
    stale = 0
    for path, text in ((args.path, render()), (args.notes_path, render_notes())):
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            print(f"{path} is stale: run python -m extractor.dataset.schema_doc", file=sys.stderr)
            stale = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return stale


def render_notes() -> str:
    """docs/notes.md: every note kind with its severity and meaning, by severity."""
    from extractor.notes import SEVERITIES, catalogue

    out = ["# Note kinds", "",
           "<!-- Generated from extractor/data/note_kinds.csv by `python -m extractor.dataset.schema_doc`: "
           "do not edit by hand. -->", "",
           "Every note the extractor writes (`measures.notes`, `reports.notes`, the run summary's",
           "`notes_by_kind`, the HTML report) has one of these kinds. Its severity is fixed by the kind:",
           "", "- `info` — what the extractor did and is sure of;",
           "- `warning` — a value may be wrong or missing (the raw text is kept in the message);",
           "- `review` — a person should look: `reports.needs_review` is true exactly when a report has one.",
           ""]
    kinds = catalogue().values()
    for severity in SEVERITIES:
        out += [f"## {severity}", "", "| kind | meaning |", "|---|---|"]
        out += [f"| `{k.kind}` | {_cell(k.meaning)} |" for k in sorted(kinds, key=lambda k: k.kind)
                if k.severity == severity]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
