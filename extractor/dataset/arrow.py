"""Rows → Arrow tables in the schema of `schema.py`, validated; Parquet files on disk; the
agencies table from reports.

Where files live and how a commit replaces them safely is `store.py`'s business. Nothing
here imports pyarrow.dataset (it pulls in pandas): a nightly run of text files needs
neither.
"""
from __future__ import annotations

import functools
import hashlib
import os
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractor.errors import PERMANENT
from extractor.model import Report
from extractor.notes import Note

from .rows import MEASURE_CONVERT, display_path, report_row, scrub
from .schema import SCHEMA_VERSION, TABLES

ROW_GROUP_ROWS = 8192  # rows per Parquet row group: bounds the memory of streaming rewrites
# Plain encoding under zstd: dictionary pages cost a commit more than they save at a segment's
# size (a 3,000-measure file: written 1.4x and read 2x faster without them, and 16 % smaller).
PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": False}


def with_version(schema: pa.Schema) -> pa.Schema:
    return schema.with_metadata({**(schema.metadata or {}),
                                 b"ita_extract_schema_version": SCHEMA_VERSION.encode()})


def skip_pandas_probe() -> None:
    """Spare this process pandas. pyarrow imports pandas (half a second) the first time it
    converts a Python list, only to ask whether the list is a pandas object; rows never
    are. Let it ask once while pandas cannot be found: it remembers the answer for plain
    lists, and still imports pandas should anything later really need it."""
    import sys

    if "pandas" in sys.modules:
        return

    class _NoPandas:
        def find_spec(self, name, path=None, target=None):
            if name == "pandas" or name.startswith("pandas."):
                raise ModuleNotFoundError(f"{name} is not needed to build rows")
            return None

    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(blocker)


@functools.cache
def _schemas_by_fingerprint() -> dict[bytes, pa.Schema]:
    """The dataset's table schemas by a hash of their serialized form (descriptions too)."""
    return {hashlib.blake2b(s.serialize().to_pybytes(), digest_size=8).digest(): s for s in TABLES.values()}



def table_to_ipc(table: pa.Table) -> bytes:
    """A table as Arrow IPC bytes, for a worker's result to cross to the committing process.

    A table of one of the dataset's schemas goes as its rows alone (an IPC record-batch
    message) behind the schema's fingerprint: its schema, with every column's description,
    is two thirds of a one-report stream and most of the cost of reading it back. Any other
    table goes as a whole stream, schema included.

    >>> t = to_table([], "reports")
    >>> table_from_ipc(table_to_ipc(t)).equals(t, check_metadata=True)
    True
    >>> u = pa.table({"x": [1, 2]})
    >>> table_from_ipc(table_to_ipc(u)).equals(u)
    True
    """
    schema = table.schema
    fingerprint = next((fp for fp, s in _schemas_by_fingerprint().items()
                        if s.equals(schema, check_metadata=True)), None)
    if fingerprint is not None:
        batches = table.combine_chunks().to_batches()
        return b"B" + fingerprint + (batches[0].serialize().to_pybytes() if batches else b"")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return b"S" + sink.getvalue().to_pybytes()


def table_from_ipc(data: bytes) -> pa.Table:
    if data[:1] == b"S":
        return pa.ipc.open_stream(memoryview(data)[1:]).read_all()
    schema = _schemas_by_fingerprint().get(data[1:9])
    if schema is None:  # a worker running another version of the package (a Dask cluster)
        raise ValueError("rows from a worker with another dataset schema: install the same "
                         "ita-extract version on the workers")
    if len(data) == 9:
        return schema.empty_table()
    return pa.Table.from_batches([pa.ipc.read_record_batch(pa.py_buffer(memoryview(data)[9:]), schema)], schema)


class SchemaViolation(ValueError):
    """A batch of rows does not fit the table's schema; the message names the column."""


def to_table(rows: list[dict], name: str, check: bool = True) -> pa.Table:
    """Rows → a table of `name`'s schema, validated (types, enums, ranges, non-null keys)
    unless `check` is False (the caller validates a whole batch at once)."""
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
    if check:
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
        if ("min" in meta or "max" in meta) and len(col) > col.null_count:
            # The column's own min and max first (one kernel); count the culprits only on a
            # violation. (Scalars cast to the column type would import pandas on older pyarrow.)
            seen = pc.min_max(col).as_py()
            for bound, beyond in (("min", lambda v, b: v < b), ("max", lambda v, b: v > b)):
                if bound in meta and beyond(seen[bound], float(meta[bound])):
                    outside = sum(1 for v in col.to_pylist() if v is not None and beyond(v, float(meta[bound])))
                    raise SchemaViolation(f"{name}.{f.name}: {outside} value(s) beyond {bound} {meta[bound]}")


Tables = tuple[pa.Table, pa.Table]  # one report's reports row and its measure rows


def _column(values: list, field_: pa.Field, clean: bool) -> pa.Array:
    return pa.array([scrub(v) for v in values] if clean else values, type=field_.type)


def report_tables(report: Report, version: str, now: datetime | None = None,
                  clean: bool = False, check: bool = True) -> Tables:
    """One report's rows as tables, validated unless `check` is False (`clean`: strings made
    valid Unicode first). Measures are built column by column from the model: no dict per
    row. Raises `SchemaViolation`."""
    row = report_row(report, report.source_path or report.source_file, version, now)
    if clean:
        row = scrub(row)
    reports = to_table([row], "reports", check)
    ms = report.measures
    common = {k: row[k] for k in ("report_id", "source_file", "agency_id", "agency_name",
                                  "agency_type", "province", "district", "fiscal_year_be")}
    arrays = []
    for f in TABLES["measures"]:
        try:
            if f.name in common:
                arrays.append(pa.array([common[f.name]] * len(ms), type=f.type))
            elif f.name in MEASURE_CONVERT:
                conv = MEASURE_CONVERT[f.name]
                arrays.append(_column([conv(getattr(m, f.name)) for m in ms], f, clean))
            else:
                arrays.append(_column([getattr(m, f.name) for m in ms], f, clean))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            raise SchemaViolation(f"measures.{f.name}: values are not {f.type}: {exc}") from None
    measures = pa.Table.from_arrays(arrays, schema=TABLES["measures"])
    if check:
        validate(measures, "measures")
    return reports, measures


def stored_tables(report: Report, version: str, now: datetime | None = None,
                  check: bool = True) -> tuple[Report, Tables]:
    """The tables a report is stored as. One bad report never sinks a batch: text that is
    not valid Unicode is repaired (with a note), and a report whose rows still break the
    schema (a year beyond the contract's bounds…) is stored as a failed report saying why.
    With `check` False only type conversion is checked here (workers: the committing
    process validates whole batches, `validated_batch`)."""
    path = report.source_path or report.source_file
    if display_path(path) != path and not any(n.kind == "file_name_not_unicode" for n in report.notes):
        report.notes.append(Note("file_name_not_unicode", f"file name shown as {display_path(path)!r}"))
    try:
        return report, report_tables(report, version, now, check=check)
    except SchemaViolation as exc:
        why = str(exc)
    try:
        report_tables(report, version, now, clean=True, check=check)  # does repairing the text do?
    except SchemaViolation:
        pass
    else:
        report.notes.append(Note("text_not_unicode", "text held code points that are not valid "
                                 "Unicode (lone surrogates); they were replaced by U+FFFD"))
        return report, report_tables(report, version, now, clean=True, check=check)
    bad = Report(source_file=report.source_file, source_path=report.source_path, status="failed",
                 error=f"its rows do not fit the dataset's schema: {why}", failure=PERMANENT,
                 format=report.format, sha256=report.sha256, encoding=report.encoding,
                 pages=report.pages)
    bad.notes = [Note("file_failed", bad.error)]
    return bad, report_tables(bad, version, now, clean=True)


def batch_is_valid(tables) -> bool:
    """Whether (reports, measures) table pairs all fit the schema (one check per table)."""
    try:
        for reports, measures in tables:
            validate(reports, "reports")
            validate(measures, "measures")
        return True
    except SchemaViolation:
        return False


def validated_batch(items: list[tuple[Report, Tables]], version: str) -> list[tuple[Report, Tables]]:
    """Each report's tables checked alone, those that break the schema replaced by a failed
    report saying why (after a whole batch failed `batch_is_valid`)."""
    out = []
    for report, tables in items:
        try:
            validate(tables[0], "reports")
            validate(tables[1], "measures")
            out.append((report, tables))
        except SchemaViolation:
            out.append(stored_tables(report, version, check=True))
    return out


def read_parquet(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file. (`pq.read_table` goes through pyarrow.dataset, which imports pandas:
    half a second a nightly run does not need.)"""
    with pq.ParquetFile(path) as pf:
        return pf.read(columns=columns)


def write_parquet(table: pa.Table, path: Path) -> int:
    """Write one zstd Parquet file (the schema version in its metadata) via a temporary name,
    so that a file under its final name is always complete. Returns its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table.replace_schema_metadata(with_version(table.schema).metadata), tmp,
                   row_group_size=ROW_GROUP_ROWS, **PARQUET_OPTIONS)
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
