"""Rows → Arrow tables in the schema of `schema.py`, validated; Parquet files on disk; the
agencies table from reports.

Where files live and how a commit replaces them safely is `store.py`'s business. Nothing
here imports pyarrow.dataset (it pulls in pandas): a nightly run of text files needs
neither.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractor.notes import Note

from .rows import scrub
from .schema import SCHEMA_VERSION, TABLES

ROW_GROUP_ROWS = 8192  # rows per Parquet row group: bounds the memory of streaming rewrites


def with_version(schema: pa.Schema) -> pa.Schema:
    return schema.with_metadata({**(schema.metadata or {}),
                                 b"ita_extract_schema_version": SCHEMA_VERSION.encode()})


class SchemaViolation(ValueError):
    """A batch of rows does not fit the table's schema; the message names the column."""


def to_table(rows: list[dict], name: str) -> pa.Table:
    """Rows → a table of `name`'s schema, validated (types, enums, ranges, non-null keys)."""
    schema = TABLES[name]
    extra = sorted({k for r in rows for k in r} - set(schema.names))
    if extra:
        raise SchemaViolation(f"{name}: columns not in the schema: {', '.join(extra)}")
    arrays = []
    for f in schema:
        try:
            arrays.append(pa.array([r.get(f.name) for r in rows], type=f.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            raise SchemaViolation(f"{name}.{f.name}: values are not {f.type}: {exc}") from None
    table = pa.Table.from_arrays(arrays, schema=schema)
    validate(table, name)
    return table


def validate(table: pa.Table, name: str) -> None:
    """Check non-null keys, enums and ranges declared in the schema's field metadata."""
    for f in TABLES[name]:
        col = table.column(f.name)
        meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
        if not f.nullable and col.null_count:
            raise SchemaViolation(f"{name}.{f.name}: {col.null_count} null value(s) in a required column")
        if "enum" in meta:
            allowed = set(meta["enum"].split(","))
            bad = sorted({v for v in pc.unique(col).to_pylist() if v is not None and v not in allowed})
            if bad:
                raise SchemaViolation(f"{name}.{f.name}: {bad[:3]} not among {sorted(allowed)}")
        for bound, test in (("min", pc.less), ("max", pc.greater)):
            if bound in meta and len(col):
                limit = pa.scalar(float(meta[bound])).cast(f.type) if pa.types.is_integer(f.type) \
                    else pa.scalar(float(meta[bound]))
                outside = pc.sum(pc.cast(test(col, limit), pa.int64())).as_py() or 0
                if outside:
                    raise SchemaViolation(f"{name}.{f.name}: {outside} value(s) beyond {bound} {meta[bound]}")


@dataclass
class Batch:
    """Validated tables of a batch of reports, and the reports that could not be stored."""

    reports: pa.Table
    measures: pa.Table
    rejected: dict[int, str] = field(default_factory=dict)  # index in the input → why


def build_batch(items: list[tuple[dict, list[dict]]]) -> Batch:
    """(report row, measure rows) per report → validated tables.

    One bad report never sinks the others: when the batch as a whole fails validation,
    each report is tried alone — with its strings made valid Unicode if that is what
    failed — and those that still fail are left out and named in `rejected` (the caller
    stores a failed row for them instead)."""
    try:
        return Batch(to_table([r for r, _ in items], "reports"),
                     to_table([m for _, ms in items for m in ms], "measures"))
    except SchemaViolation:
        pass
    reports, measures, rejected = [], [], {}
    for i, (report, rows) in enumerate(items):
        for attempt in (lambda r: r, scrub):
            try:
                r_tab = to_table([attempt(report)], "reports")
                m_tab = to_table([attempt(m) for m in rows], "measures")
            except SchemaViolation as exc:
                rejected[i] = str(exc)
                continue
            if attempt is scrub:
                note = Note("text_not_unicode", "text held code points that are not valid "
                            "Unicode (lone surrogates); they were replaced by U+FFFD").as_row()
                r_tab = to_table([{**scrub(report), "notes": scrub(report)["notes"] + [note]}],
                                 "reports")
            rejected.pop(i, None)
            reports.append(r_tab)
            measures.append(m_tab)
            break
    empty = {n: TABLES[n].empty_table() for n in ("reports", "measures")}
    return Batch(pa.concat_tables(reports) if reports else empty["reports"],
                 pa.concat_tables(measures) if measures else empty["measures"], rejected)


def write_parquet(table: pa.Table, path: Path) -> int:
    """Write one zstd Parquet file (the schema version in its metadata) via a temporary name,
    so that a file under its final name is always complete. Returns its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table.replace_schema_metadata(with_version(table.schema).metadata), tmp,
                   compression="zstd", row_group_size=ROW_GROUP_ROWS)
    os.replace(tmp, path)
    return path.stat().st_size


AGENCY_INPUTS = ("agency_id", "status", "fiscal_year_be", "source_path", "agency_aliases",
                 "agency_name", "agency_type", "subdistrict_code", "district", "district_code",
                 "province", "province_code", "dla_code")


def agency_rows(reports: list[dict]) -> list[dict]:
    """One row per distinct agency_id among the reports, described by its latest report
    (latest fiscal year, then path). `reports` must hold every report of those agencies."""
    import geothai

    by_id: dict[str, dict] = {}
    for r in sorted(reports, key=lambda r: (r["fiscal_year_be"] or 0, r["source_path"] or "")):
        aid = r["agency_id"]
        if not aid or r["status"] == "failed":
            continue
        row = by_id.setdefault(aid, {"agency_id": aid, "aliases": set(), "n_reports": 0})
        row["n_reports"] += 1
        row["aliases"].update(r["agency_aliases"] or [])
        row.update(agency_name=r["agency_name"], agency_type=r["agency_type"],
                   subdistrict_code=r["subdistrict_code"], district=r["district"],
                   district_code=r["district_code"], province=r["province"],
                   province_code=r["province_code"], dla_code=r.get("dla_code"))
    rows = []
    for row in sorted(by_id.values(), key=lambda r: r["agency_id"]):
        sub = geothai.subdistrict(row["subdistrict_code"]) if row["subdistrict_code"] else None
        rows.append({**row, "aliases": sorted(row["aliases"]),
                     "subdistrict": sub.name_th if sub else None})
    return rows


def agencies_table(reports: pa.Table) -> pa.Table:
    """The agencies table of a whole reports table."""
    return to_table(agency_rows(reports.select(AGENCY_INPUTS).to_pylist()), "agencies")
