"""The dataset on disk: append-only, crash-safe commits.

    DIR/.data/reports/2567/<id>.parquet    immutable data files (the pool)
    DIR/.data/measures/2567/<id>.parquet   (a segment: a reports file + a measures file)
    DIR/.data/agencies/<id>.parquet, DIR/.data/manifest/<id>.parquet
    DIR/.commits/0000000042.json           which files make up each version (`commits.py`)
    DIR/current -> .snapshots/0000000042   what plain readers see (`snapshots.py`)
    DIR/measures -> current/measures, DIR/reports, DIR/agencies

A commit writes only new files: the rows of new and changed reports as a new segment per
fiscal-year folder; a replaced report's rows are dropped by rewriting only the segment that
holds them; the agencies file is recomputed for the agencies that changed; the manifest
gets one small segment of the entries that changed. Then a new commit record lists the live
files (the commit point), a snapshot folder of hard links shows them to plain readers, and
`current` is swapped. A run killed at any moment leaves the previous record intact and the
next run starts from the newest intact one. Small segments are merged when they pile up
(`compact`), and files no kept version lists are deleted once readers are safe.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .agencies import rows_after_adding
from .arrow import AGENCY_INPUTS, agency_rows, read_parquet, to_table, write_parquet
from .commits import (CommitRecord, FileRef, Segment, list_seqs, new_id, read_record,
                      record_problem, write_record)
from .manifest import Entry, Manifest, entries_table
from .recent import RecentTables
from .schema import SCHEMA_VERSION, TABLES, partition_folder
from .segments import merge_segments, rewrite_segment, write_segment
from .snapshots import (DEFAULT_RETENTION_S, TABLE_NAMES, collect_garbage, materialize,
                        point_current)
from .threads import in_threads

FAULT_ENV = "ITA_EXTRACT_FAULT"  # test hook: kill the process at a named step
FULL_SEGMENT = 1000  # reports: a segment this big is never merged again
MAX_SMALL = 12  # small segments a folder may hold before some of them are merged
FANOUT = 4  # … then its this many smallest are merged into one
MANIFEST_MERGE_AT = 16  # manifest segments before they are merged into one
INDEX_COLUMNS = ("report_id", *AGENCY_INPUTS)  # of a segment's reports, kept by a run


class DatasetDamaged(RuntimeError):
    """The dataset cannot be read or restored; a run refuses rather than start over it."""


def _fault(step: str) -> None:
    fault = os.environ.get(FAULT_ENV)
    if fault == step:
        os.kill(os.getpid(), 9)
    if fault == f"raise-in-{step}":  # a bug, as the tests need one
        raise RuntimeError(f"test fault at {step}")


@dataclass
class ChangeSet:
    """What one commit changes."""

    reports: pa.Table | None = None  # rows of new or re-extracted reports (validated), or
    measures: pa.Table | None = None  # … the same already grouped by fiscal year:
    by_year: dict[int | None, tuple[pa.Table, pa.Table]] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)  # report ids whose current rows go
    relocate: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (path, file name)
    manifest_put: list[Entry] = field(default_factory=list)
    manifest_delete: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool((self.reports is not None and self.reports.num_rows) or self.by_year
                    or self.remove or self.relocate or self.manifest_put or self.manifest_delete)


class Store:
    def __init__(self, root: str | Path, retention_s: float = DEFAULT_RETENTION_S,
                 notice: Callable[[str], None] | None = None):
        self.root = Path(root)
        self.data = self.root / ".data"
        self.retention_s = retention_s
        self.notice = notice or (lambda line: None)
        self.record: CommitRecord | None = None
        self._manifest: Manifest | None = None
        self._indexes: dict[str, pa.Table] = {}  # segment id → its `_index`
        self._swept = False  # whether this process has looked for files of killed runs
        self._records: dict[int, CommitRecord] = {}  # versions read by collect_garbage, by seq
        self._recent = RecentTables()  # small segments and the agencies file this process wrote

    # --- opening ----------------------------------------------------------------------

    def open(self, parser_version: str | None = None) -> "Store":
        """Find the current version (restoring `current` from the newest intact commit
        record, migrating an older layout). Raises `DatasetDamaged` when there is data but
        no version that can be read. The caller holds the dataset's lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.record = self._newest_intact()
        if self.record is None:
            from .legacy import find_legacy, migrate

            legacy = find_legacy(self.root)
            if legacy is not None:
                change, line = migrate(legacy)
                self._manifest = Manifest()
                self.commit(change, parser_version=parser_version)
                self.notice(line)
        return self

    def _newest_intact(self) -> CommitRecord | None:
        seqs, problems = list_seqs(self.root), []
        for seq in reversed(seqs):
            try:
                rec = read_record(self.root, seq)
                problem = record_problem(self.data, rec)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                problem = f"its record cannot be read ({exc})"
            if problem:
                problems.append(f"commit {seq}: {problem}")
                continue
            for p in problems:
                self.notice(f"{p}; using commit {seq}, the newest intact version")
            for line in point_current(self.root, rec, restoring=True):
                self.notice(line)
            return rec
        if seqs:
            raise DatasetDamaged(f"{self.root}: no version can be read or restored ("
                                 + "; ".join(problems[:3]) + ")")
        return None

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
            files = self.record.table_files("manifest") if self.record else []
            self._manifest = Manifest.load([read_parquet(self.data / f) for f in files])
        return self._manifest

    # --- reading ----------------------------------------------------------------------

    def files(self, table: str) -> list[Path]:
        return [self.data / f for f in self.record.table_files(table)] if self.record else []

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table | None:
        """A whole table of the current version (tests and small datasets)."""
        files = self.files(table)
        if not files:
            return None
        return pa.concat_tables([read_parquet(f, columns=columns) for f in files]) \
            .select(columns or TABLES[table].names)

    def _index(self, seg: Segment) -> pa.Table:
        """A segment's report ids and what the agencies table is made from; cached (a
        segment never changes), so a run reads each segment's few columns at most once."""
        self._prefetch([seg], INDEX_COLUMNS)
        return self._indexes[seg.id]

    def _prefetch(self, segs: list[Segment], columns: tuple[str, ...]) -> None:
        """Read the columns each segment's index lacks, all segments at once on threads: a
        fresh process (a nightly run) reads them from a large dataset's hundred segments,
        and a Parquet file's opening (its footer, the schema) costs more than its columns."""
        need = []
        for seg in segs:
            have = getattr(self._indexes.get(seg.id), "column_names", ())
            missing = [c for c in columns if c not in have]
            if missing:
                need.append((seg, missing))
        read = in_threads(lambda item: read_parquet(self.data / item[0].file("reports"), columns=item[1]),
                          need)
        for (seg, _), table in zip(need, read):
            cached = self._indexes.get(seg.id)
            for field, column in zip(table.schema, table.columns) if cached is not None else ():
                cached = cached.append_column(field, column)
            self._indexes[seg.id] = table if cached is None else cached

    def _column(self, seg: Segment, column: str) -> pa.ChunkedArray:
        """One column of a segment's index; reading only it when the index is not cached
        (a nightly run looks for its agencies' other reports in every segment)."""
        self._prefetch([seg], (column,))
        return self._indexes[seg.id].column(column)

    # --- committing -------------------------------------------------------------------

    def commit(self, change: ChangeSet, run_id: str | None = None,
               parser_version: str | None = None, compact: bool = False) -> CommitRecord:
        _fault("commit")
        rec = self.record
        segs = list(rec.segments) if rec else []
        recompute: set[str] = set()  # agencies whose rows are made again from all their reports
        added: list[dict] = []  # the agency columns of reports this commit adds
        touched = change.remove | set(change.relocate)
        if touched:
            ids = pa.array(sorted(touched), pa.string())
            self._prefetch(segs, ("report_id",))
            for seg in list(segs):
                hit = pc.is_in(self._column(seg, "report_id"), value_set=ids)
                if not pc.any(hit).as_py():
                    continue
                recompute |= {a for a in self._column(seg, "agency_id").filter(hit).to_pylist() if a}
                mine = set(self._column(seg, "report_id").filter(hit).to_pylist())
                new, _ = rewrite_segment(self.data, seg, mine & change.remove,
                                         {k: v for k, v in change.relocate.items() if k in mine})
                segs.remove(seg)
                segs += [new] if new else []
        if change.reports is not None and change.reports.num_rows:
            segs += self._write_new(change.reports, change.measures)
            recompute |= {a for a in pc.unique(change.reports.column("agency_id")).to_pylist() if a}
        written = in_threads(lambda item: write_segment(self.data, partition_folder(item[0]), *item[1]),
                             change.by_year.items())
        for seg, (reports, measures) in zip(written, change.by_year.values()):
            self._indexes[seg.id] = reports.select(list(INDEX_COLUMNS))  # no need to read it back
            if seg.reports < FULL_SEGMENT:  # to be merged: kept for that
                self._recent.keep(self.data / seg.file("reports"), reports)
                if "measures" in seg.bytes:
                    self._recent.keep(self.data / seg.file("measures"), measures)
            segs.append(seg)
            added += reports.select(list(AGENCY_INPUTS)).to_pylist()
        segs = self._compacted(segs, force=compact)
        agencies = rec.agencies if rec else None
        if recompute or added:
            agencies = self._agencies(agencies, recompute, added, segs)
        manifest = self._manifest_files(rec, change, force=compact)
        new_rec = CommitRecord(seq=max(list_seqs(self.root), default=0) + 1,
                               created_ns=time.time_ns(), schema_version=SCHEMA_VERSION,
                               parser_version=parser_version, run_id=run_id, segments=segs,
                               agencies=agencies, manifest=manifest)
        self._publish(new_rec)
        live = {s.id for s in segs}
        self._indexes = {k: v for k, v in self._indexes.items() if k in live}
        return new_rec

    def _publish(self, rec: CommitRecord) -> None:
        materialize(self.root, rec)
        _fault("before-commit")
        write_record(self.root, rec)  # the commit point
        _fault("before-swap")
        point_current(self.root, rec)
        _fault("after-swap")
        self.record = rec
        collect_garbage(self.root, rec, self.retention_s, sweep=not self._swept, known=self._records)
        self._swept = True

    def _write_new(self, reports: pa.Table, measures: pa.Table | None) -> list[Segment]:
        """One new segment per fiscal-year folder of a whole table (a migration)."""
        measures = measures if measures is not None else TABLES["measures"].empty_table()
        out = []
        for year in pc.unique(reports.column("fiscal_year_be")).to_pylist():
            def rows(t: pa.Table) -> pa.Table:
                col = t.column("fiscal_year_be")
                return t.filter(pc.is_null(col) if year is None else pc.equal(col, year))
            out.append(write_segment(self.data, partition_folder(year), rows(reports), rows(measures)))
        return out

    def _compacted(self, segs: list[Segment], force: bool) -> list[Segment]:
        """Merge the small segments of a folder into one when together they make a full
        segment, or all of them when `force`d (`ita-extract compact`). Until then a folder
        keeps up to `MAX_SMALL` of them; past that, its `FANOUT` smallest are merged.

        So rows that come in batches (a first ingest: a few hundred a folder a commit) are
        written twice, as they come and once in a full segment; a trickle (a nightly run's
        few) is merged a few at a time, each row a few times on its way; and a folder never
        holds more than `MAX_SMALL` small files for readers to open."""
        out = [s for s in segs if s.reports >= FULL_SEGMENT]
        small: dict[str, list[Segment]] = {}
        for s in segs:
            if s.reports < FULL_SEGMENT:
                small.setdefault(s.part, []).append(s)
        for part, group in small.items():
            group.sort(key=lambda s: s.id)
            if force or sum(s.reports for s in group) >= FULL_SEGMENT:
                out += [self._merge(part, group)] if len(group) > 1 else group
                continue
            while len(group) > MAX_SMALL:
                smallest = sorted(sorted(group, key=lambda s: (s.reports, s.id))[:FANOUT], key=lambda s: s.id)
                group = [s for s in group if s not in smallest] + [self._merge(part, smallest)]
            out += group
        return out

    def _merge(self, part: str, segs: list[Segment]) -> Segment:
        merged = merge_segments(self.data, part, segs, read=self._recent.read)
        parts = [self._indexes.get(s.id) for s in segs]
        if all(p is not None and p.column_names == parts[0].column_names for p in parts):
            self._indexes[merged.id] = pa.concat_tables(parts)  # the members' indexes, in order
        return merged

    def _agencies(self, old: FileRef | None, recompute: set[str], added: list[dict],
                  segs: list[Segment]) -> FileRef | None:
        """The agencies file with the rows of agencies that gained `added` reports grown
        from their rows, where that is exact (`agencies.py`), and the rows of `recompute`
        and of the rest recomputed from all their reports; other rows kept as they are."""
        kept = self._recent.read(self.data / f"agencies/{old.id}.parquet") if old is not None else None
        candidates = sorted({r["agency_id"] for r in added if r["agency_id"]} - recompute)
        rows: dict[str, dict] = {}
        if kept is not None and candidates:
            mine = kept.filter(pc.is_in(kept.column("agency_id"), value_set=pa.array(candidates, pa.string())))
            mine = mine.select([n for n in TABLES["agencies"].names if n in mine.column_names])
            rows = {r["agency_id"]: r for r in mine.to_pylist()}  # (an older file's columns dropped)
        grown, rest = rows_after_adding(rows, [r for r in added if r["agency_id"] not in recompute])
        recompute = recompute | rest
        changed = recompute | {r["agency_id"] for r in grown}
        if not changed:
            return old  # only failed reports, or none of an agency
        fresh = to_table(grown + (agency_rows(self._reports_of(recompute, segs)) if recompute else []),
                         "agencies")
        if kept is not None:
            ids = pa.array(sorted(changed), pa.string())
            kept = kept.filter(pc.invert(pc.is_in(kept.column("agency_id"), value_set=ids)))
            fresh = pa.concat_tables([kept.select(fresh.schema.names).cast(fresh.schema), fresh])
        if not fresh.num_rows:
            return None
        fresh = fresh.sort_by("agency_id")
        file_id = new_id()
        size = write_parquet(fresh, self.data / "agencies" / f"{file_id}.parquet")
        self._recent.keep(self.data / "agencies" / f"{file_id}.parquet", fresh)
        return FileRef(file_id, fresh.num_rows, size)

    def _reports_of(self, agencies: set[str], segs: list[Segment]) -> list[dict]:
        """What the agencies table is made from (`AGENCY_INPUTS`), of every report of these
        agencies, found by the segments' agency_id column alone."""
        ids = pa.array(sorted(agencies), pa.string())
        # One look-up over every segment's column at once: `is_in` hashes its value set on
        # each call, and a dataset of every agency holds a hundred segments.
        self._prefetch(segs, ("agency_id",))
        columns = [self._column(seg, "agency_id") for seg in segs]
        everything = pa.chunked_array([c if c.type == pa.string() else c.cast(pa.string())
                                       for col in columns for c in col.chunks], pa.string())
        hits = pc.is_in(everything, value_set=ids).combine_chunks().to_numpy(zero_copy_only=False)
        found, start = [], 0
        for seg, col in zip(segs, columns):
            hit = hits[start:start + len(col)]
            start += len(col)
            if hit.any():
                found.append((seg, hit))
        self._prefetch([seg for seg, _ in found], INDEX_COLUMNS)  # their reports' columns, at once
        reports: list[dict] = []
        for seg, hit in found:
            reports += self._index(seg).filter(hit).select(list(AGENCY_INPUTS)).to_pylist()
        return reports

    def _manifest_files(self, rec: CommitRecord | None, change: ChangeSet, force: bool) -> list[FileRef]:
        refs = list(rec.manifest) if rec else []
        if not (change.manifest_put or change.manifest_delete or (force and len(refs) > 1)):
            return refs
        entries = self.manifest
        for p in change.manifest_delete:
            entries.delete(p)
        for e in change.manifest_put:
            entries.put(e)
        if force or len(refs) + 1 >= MANIFEST_MERGE_AT:
            table, refs = entries.to_table(), []
        else:
            table = entries_table(change.manifest_put, sorted(change.manifest_delete))
        entries.rebase()
        file_id = new_id()
        size = write_parquet(table, self.data / "manifest" / f"{file_id}.parquet")
        return refs + [FileRef(file_id, table.num_rows, size)]

    def compact(self, run_id: str | None = None) -> CommitRecord | None:
        """Merge every folder's small segments and the manifest's segments into one each,
        as a new version (readers of older versions are unaffected)."""
        if self.record is None:
            return None
        small = [s.part for s in self.record.segments if s.reports < FULL_SEGMENT]
        if len(small) == len(set(small)) and len(self.record.manifest) <= 1:
            return self.record  # nothing to merge: no new version
        return self.commit(ChangeSet(), run_id=run_id, parser_version=self.record.parser_version,
                           compact=True)
