"""Segment files: write a batch's rows, drop or re-path a few reports by rewriting only the
segment that holds them, and merge small segments.

A segment is a reports file and a measures file holding the same reports, in one
fiscal-year folder of the pool (`DIR/.data/reports/2567/<id>.parquet`, `…/measures/…`).
Rewrites and merges stream row group by row group, so their memory is bounded by a row
group, not by the segment or the dataset.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .arrow import PARQUET_OPTIONS, ROW_GROUP_ROWS, read_parquet, with_version, write_parquet
from .commits import Segment, new_id
from .schema import TABLES

SEGMENT_TABLES = ("reports", "measures")


class _Writer:
    """A Parquet file written batch by batch under a temporary name; `close` renames it into
    place and returns its size (None when no row was written: no file)."""

    def __init__(self, path: Path, table: str):
        self.path, self.table = path, table
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.schema = with_version(TABLES[table])
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0

    def write(self, data: pa.Table | pa.RecordBatch) -> None:
        if not data.num_rows:
            return
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.tmp, self.schema, **PARQUET_OPTIONS)
        table = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
        self.writer.write_table(table.cast(self.schema), row_group_size=ROW_GROUP_ROWS)
        self.rows += data.num_rows

    def close(self) -> int | None:
        if self.writer is None:
            return None
        self.writer.close()
        os.replace(self.tmp, self.path)
        return self.path.stat().st_size


def _finish(seg_id: str, part: str, writers: dict[str, _Writer]) -> Segment | None:
    sizes = {t: w.close() for t, w in writers.items()}
    if not writers["reports"].rows:
        for t, size in sizes.items():
            if size is not None:
                writers[t].path.unlink(missing_ok=True)
        return None
    return Segment(seg_id, part, writers["reports"].rows, writers["measures"].rows,
                   {t: s for t, s in sizes.items() if s is not None})


def _writers(data: Path, seg_id: str, part: str) -> dict[str, _Writer]:
    return {t: _Writer(data / t / part / f"{seg_id}.parquet", t) for t in SEGMENT_TABLES}


def write_segment(data: Path, part: str, reports: pa.Table, measures: pa.Table) -> Segment:
    """A new segment of these rows (reports of one folder, and their measures)."""
    seg_id = new_id()
    sizes = {"reports": write_parquet(reports, data / "reports" / part / f"{seg_id}.parquet")}
    if measures.num_rows:
        sizes["measures"] = write_parquet(measures, data / "measures" / part / f"{seg_id}.parquet")
    return Segment(seg_id, part, reports.num_rows, measures.num_rows, sizes)


def _batches(data: Path, seg: Segment, table: str, columns: list[str] | None = None):
    if table not in seg.bytes:
        return
    pf = pq.ParquetFile(data / seg.file(table))
    yield from pf.iter_batches(batch_size=ROW_GROUP_ROWS, columns=columns)


def read_column(data: Path, seg: Segment, table: str, column: str) -> pa.ChunkedArray:
    if table not in seg.bytes:
        return pa.chunked_array([], TABLES[table].field(column).type)
    return read_parquet(data / seg.file(table), columns=[column]).column(column)


def _repath(batch: pa.RecordBatch, relocate: dict[str, tuple[str, str]]) -> pa.RecordBatch:
    """Rows of moved reports get their new source_path / source_file."""
    ids = batch.column("report_id").to_pylist()
    if not any(i in relocate for i in ids):
        return batch
    columns = {"source_file": 1}
    if "source_path" in batch.schema.names:
        columns["source_path"] = 0
    arrays = list(batch.columns)
    for name, k in columns.items():
        j = batch.schema.get_field_index(name)
        values = batch.column(j).to_pylist()
        arrays[j] = pa.array([relocate[i][k] if i in relocate else v for i, v in zip(ids, values)],
                             batch.schema.field(j).type)
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def rewrite_segment(data: Path, seg: Segment, drop: set[str],
                    relocate: dict[str, tuple[str, str]]) -> tuple[Segment | None, list[dict]]:
    """The segment without the reports in `drop`, and with `relocate`d reports re-pathed:
    a new segment (None when nothing is left) and the dropped reports' rows (agency columns
    only, for recomputing their agencies). Streams row group by row group."""
    from .arrow import AGENCY_INPUTS

    seg_id = new_id()
    writers = _writers(data, seg_id, seg.part)
    dropped: list[dict] = []
    drop_arr = pa.array(sorted(drop), pa.string())
    for table in SEGMENT_TABLES:
        for batch in _batches(data, seg, table):
            gone = pc.is_in(batch.column("report_id"), value_set=drop_arr)
            if table == "reports" and pc.any(gone).as_py():
                dropped += batch.filter(gone).select(list(AGENCY_INPUTS)).to_pylist()
            kept = batch.filter(pc.invert(gone))
            writers[table].write(_repath(kept, relocate) if relocate else kept)
    return _finish(seg_id, seg.part, writers), dropped


def _as_schema(table: pa.Table, name: str) -> pa.Table:
    """A file's rows in the current schema's column order and types (a segment written
    before a compatible type change, e.g. a fixed-size list now a plain list, still merges)."""
    schema = TABLES[name]
    return table.select(schema.names).cast(schema)


def merge_segments(data: Path, part: str, segs: list[Segment],
                   read: Callable[[Path], pa.Table] | None = None) -> Segment:
    """One segment holding the rows of `segs` (all of one folder), in their order. Small
    segments only are merged (a full one never is), so reading them whole is cheap.
    `read`: where a file's table comes from (`RecentTables.read`: kept ones from memory)."""
    read = read or read_parquet
    tables = {t: [_as_schema(read(data / s.file(t)), t) for s in segs if t in s.bytes]
              for t in SEGMENT_TABLES}
    merged = {t: pa.concat_tables(ts) if ts else TABLES[t].empty_table() for t, ts in tables.items()}
    return write_segment(data, part, merged["reports"], merged["measures"])
