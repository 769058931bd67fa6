"""Rows → Arrow tables in the schema of `schema.py`, and Parquet files on disk.

Where tables live and how a run replaces them safely is `store.py`'s business.
"""
from __future__ import annotations

from pathlib import Path

import geothai
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from .schema import PARTITION, SCHEMA_VERSION, TABLES


def _schema_with_version(schema: pa.Schema) -> pa.Schema:
    return schema.with_metadata({b"ita_extract_schema_version": SCHEMA_VERSION.encode()})


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
            bad = sorted({v for v in col.to_pylist() if v is not None and v not in allowed})
            if bad:
                raise SchemaViolation(f"{name}.{f.name}: {bad[:3]} not among {sorted(allowed)}")
        for bound, test in (("min", pc.less), ("max", pc.greater)):
            if bound in meta and len(col):
                limit = pa.scalar(float(meta[bound])).cast(f.type) if pa.types.is_integer(f.type) \
                    else pa.scalar(float(meta[bound]))
                outside = pc.sum(pc.cast(test(col, limit), pa.int64())).as_py() or 0
                if outside:
                    raise SchemaViolation(f"{name}.{f.name}: {outside} value(s) beyond {bound} {meta[bound]}")


def write_table(table: pa.Table, folder: Path, partitioned: bool = True) -> None:
    """Write one table as zstd Parquet, hive-partitioned by fiscal_year_be when asked."""
    schema = _schema_with_version(table.schema)
    ds.write_dataset(table.cast(schema), folder, format="parquet",
                     partitioning=ds.partitioning(PARTITION, flavor="hive") if partitioned else None,
                     file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
                     existing_data_behavior="overwrite_or_ignore")


def agencies_table(reports: pa.Table) -> pa.Table:
    """One row per distinct agency_id among the reports, described by its latest report."""
    by_id: dict[str, dict] = {}
    for r in sorted(reports.to_pylist(), key=lambda r: (r["fiscal_year_be"] or 0, r["source_path"] or "")):
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
    return to_table(rows, "agencies")
