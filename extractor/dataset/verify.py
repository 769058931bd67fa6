"""`ita-extract verify DIR`: read a dataset end to end and say what was found.

Checks the current version (the newest intact commit record) fully — every file read
whole, its schema and row count as recorded, every measure's report present, no report
twice, agencies and manifest consistent with the reports — and that `current` and the table
links show it. Older records are checked only for presence of their files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .commits import CommitRecord, list_seqs, read_record, record_problem
from .arrow import read_parquet
from .manifest import apply_segment
from .schema import TABLES
from .snapshots import TABLE_NAMES, snapshot_dir


@dataclass
class Verdict:
    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    current: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problems and self.current is not None


def _table(data: Path, rec: CommitRecord, name: str, v: Verdict) -> pa.Table | None:
    tables = []
    for rel in rec.table_files(name):
        try:
            t = read_parquet(data / rel)
        except (OSError, pa.ArrowException) as exc:
            v.problems.append(f"{name}: {rel} cannot be read: {exc}")
            return None
        if name in TABLES and not set(TABLES[name].names) <= set(t.column_names):
            v.problems.append(f"{name}: {rel} lacks columns {sorted(set(TABLES[name].names) - set(t.column_names))}")
            return None
        tables.append(t.select(TABLES[name].names) if name in TABLES else t)
    if not tables:
        return TABLES[name].empty_table() if name in TABLES else None
    return pa.concat_tables(tables)


def verify(root: str | Path) -> Verdict:
    root, v = Path(root), Verdict()
    data = root / ".data"
    seqs = list_seqs(root)
    if not seqs:
        v.problems.append(f"{root}: no commit records (not a dataset of this version, or never committed)")
        return v
    rec = None
    for seq in reversed(seqs):
        try:
            candidate = read_record(root, seq)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            v.problems.append(f"commit {seq}: record unreadable ({exc})")
            continue
        problem = record_problem(data, candidate)
        if problem:
            v.problems.append(f"commit {seq}: {problem}")
            continue
        rec = candidate
        break
    if rec is None:
        v.problems.append("no intact version: the next ingest will refuse to run (exit 4)")
        return v
    v.current = rec.seq
    tables = {n: _table(data, rec, n, v) for n in TABLE_NAMES}
    if any(t is None for t in tables.values()):
        return v
    counts = rec.counts()
    for name in ("reports", "measures", "agencies"):
        if tables[name].num_rows != counts[name]:
            v.problems.append(f"{name}: {tables[name].num_rows} rows, the record says {counts[name]}")
    reports, measures, agencies = tables["reports"], tables["measures"], tables["agencies"]
    ids = reports.column("report_id")
    if pc.count_distinct(ids).as_py() != len(ids):
        v.problems.append("reports: a report_id appears more than once")
    orphans = pc.sum(pc.invert(pc.is_in(measures.column("report_id"), value_set=ids))).as_py() or 0
    if orphans:
        v.problems.append(f"measures: {orphans} row(s) whose report is not in reports")
    used = {a for a in pc.unique(reports.filter(pc.not_equal(reports.column("status"), "failed"))
                                 .column("agency_id")).to_pylist() if a}
    have = set(agencies.column("agency_id").to_pylist())
    if used != have:
        v.problems.append(f"agencies: {len(used - have)} agency id(s) of reports missing, "
                          f"{len(have - used)} without a report")
    entries: dict = {}
    for rel in rec.table_files("manifest"):
        try:
            apply_segment(read_parquet(data / rel), entries)
        except (OSError, pa.ArrowException) as exc:
            v.problems.append(f"manifest: {rel} cannot be read: {exc}")
    referenced = {e.report_id for e in entries.values() if e.report_id}
    if referenced != set(ids.to_pylist()):
        v.problems.append(f"manifest: {len(set(ids.to_pylist()) - referenced)} report(s) no input path "
                          f"refers to, {len(referenced - set(ids.to_pylist()))} path(s) refer to no report")
    link = root / "current"
    if not link.is_symlink() or Path(os.path.realpath(link)) != snapshot_dir(root, rec.seq).resolve():
        v.problems.append(f"{link} does not point at commit {rec.seq} (the next ingest restores it)")
    for name in TABLE_NAMES:
        if os.readlink(root / name) != os.path.join("current", name) if (root / name).is_symlink() else True:
            v.problems.append(f"{root / name} is not the link current/{name} (the next ingest restores it)")
    older = [s for s in seqs if s < rec.seq]
    for seq in older:
        try:
            problem = record_problem(data, read_record(root, seq))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problem = f"record unreadable ({exc})"
        if problem:
            v.problems.append(f"older commit {seq} (kept for readers): {problem}")
    c = rec.counts()
    v.ok.append(f"commit {rec.seq} ({rec.created_at}, parser {rec.parser_version}, schema "
                f"{rec.schema_version}): {c['reports']} reports, {c['measures']} measures, "
                f"{c['agencies']} agencies in {len(rec.segments)} segment(s); {len(entries)} input paths")
    if older:
        v.ok.append(f"{len(older)} older version(s) kept for open readers")
    return v
