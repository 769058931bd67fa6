"""The Parquet dataset: `DIR/measures/` and `DIR/reports/`, hive-partitioned by
`fiscal_year_be`, zstd-compressed, written to a temporary directory and swapped in.

Rows of files ingested before and not given again are kept; the rows of a file that is
ingested again replace its old rows (keyed by `source_path`).
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import geothai
import pyarrow as pa
import pyarrow.dataset as ds

from .schema import PARTITION, SCHEMA_VERSION, TABLES


def _schema_with_version(schema: pa.Schema) -> pa.Schema:
    return schema.with_metadata({b"ita_extract_schema_version": SCHEMA_VERSION.encode()})


def read_table(out_dir: Path, name: str) -> pa.Table | None:
    path = Path(out_dir) / name
    if not path.is_dir() or not any(path.rglob("*.parquet")):
        return None
    dataset = ds.dataset(path, format="parquet", partitioning=ds.partitioning(PARTITION, flavor="hive"))
    return dataset.to_table()


def to_table(rows: list[dict], name: str) -> pa.Table:
    schema = TABLES[name]
    return pa.Table.from_pylist(rows, schema=schema)


def write_dataset(out_dir: str | Path, reports: list[dict], measures: list[dict]) -> None:
    """Merge these rows into the dataset at `out_dir` (replacing rows of the same files)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    replaced = {r["source_path"] for r in reports}
    new = {"reports": to_table(reports, "reports"), "measures": to_table(measures, "measures")}
    old_reports = read_table(out_dir, "reports")
    if old_reports is not None:
        keep = [p not in replaced for p in old_reports.column("source_path").to_pylist()]
        kept_ids = set(old_reports.filter(pa.array(keep)).column("report_id").to_pylist())
        tables = {"reports": old_reports.filter(pa.array(keep))}
        old_measures = read_table(out_dir, "measures")
        if old_measures is not None:
            mkeep = [rid in kept_ids for rid in old_measures.column("report_id").to_pylist()]
            tables["measures"] = old_measures.filter(pa.array(mkeep))
        for name, old in tables.items():
            old = old.select(TABLES[name].names).cast(TABLES[name])
            new[name] = pa.concat_tables([old, new[name]])
    new["agencies"] = agencies_table(new["reports"])
    staging = out_dir / f".staging-{uuid.uuid4().hex[:8]}"
    try:
        for name, table in new.items():
            ds.write_dataset(table.cast(_schema_with_version(TABLES[name])), staging / name,
                             format="parquet",
                             partitioning=(ds.partitioning(PARTITION, flavor="hive")
                                           if "fiscal_year_be" in table.column_names else None),
                             file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
                             existing_data_behavior="overwrite_or_ignore")
        for name in new:
            _swap(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
                   province_code=r["province_code"])
    rows = []
    for row in sorted(by_id.values(), key=lambda r: r["agency_id"]):
        sub = geothai.subdistrict(row["subdistrict_code"]) if row["subdistrict_code"] else None
        rows.append({**row, "aliases": sorted(row["aliases"]),
                     "subdistrict": sub.name_th if sub else None})
    return pa.Table.from_pylist(rows, schema=TABLES["agencies"])


def _swap(src: Path, dst: Path) -> None:
    """Put `src` in place of `dst`; the old copy is moved aside first, then removed."""
    if not src.exists():
        src.mkdir(parents=True)
    old = dst.with_name(f".old-{dst.name}-{uuid.uuid4().hex[:8]}")
    if dst.exists():
        os.replace(dst, old)
    os.replace(src, dst)
    shutil.rmtree(old, ignore_errors=True)
