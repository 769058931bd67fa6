"""Turning a run's results into commits: which rows replace which, and the manifest.

A report is keyed by its bytes. For each input path the manifest records which report it
holds; a report's rows live as long as some path refers to it. So a changed file drops the
old report's rows once no other path holds those bytes, a file with known bytes at a new
path adds no rows (and moves the report's path when the old one is gone), and --prune
forgets paths that no longer exist.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import pyarrow as pa

from extractor.dataset.arrow import Tables, batch_is_valid, stored_tables, validated_batch
from extractor.dataset.manifest import Entry
from extractor.dataset.rows import display_path
from extractor.dataset.store import ChangeSet, Store
from extractor.dataset.threads import in_threads
from extractor.model import Report

from .executors import Result
from .runs import RunSummary
from .scan import Input


def _one_chunk(tables: list[pa.Table]) -> pa.Table:
    """The reports' tables as one table of one chunk each column (what Parquet writes
    fastest). Their record batches are joined in one step: a third cheaper than joining
    the tables then their chunks, column by column (a batch's share of a commit)."""
    batches = [b for t in tables for b in t.to_batches()]
    if not batches:
        return tables[0].schema.empty_table()
    if not hasattr(pa, "concat_batches"):  # pyarrow < 19
        return pa.Table.from_batches(batches).combine_chunks()
    return pa.Table.from_batches([pa.concat_batches(batches)])


class _Holders(dict):
    """report id → set of paths; a missing id is looked up in the manifest."""

    def __init__(self, manifest):
        super().__init__()
        self.manifest = manifest

    def prefetch(self, ids) -> None:
        wanted = [i for i in set(ids) if i not in self]
        if wanted:
            self.update(self.manifest.holders(wanted))

    def __missing__(self, rid: str) -> set[str]:
        self.prefetch([rid])
        return dict.__getitem__(self, rid)

    def get(self, rid, default=None):
        return self[rid] if rid else default


class Committer:
    def __init__(self, store: Store, version: str, summary: RunSummary, checkpoint_every: int):
        self.store, self.version, self.summary = store, version, summary
        self.every = max(1, checkpoint_every)
        self.manifest = store.manifest
        # report id → the paths holding it, fetched from the manifest when a run first needs
        # an id (columnar, a batch at a time), then kept up to date by this run's changes.
        self.refs = _Holders(self.manifest)
        self.pending: list[tuple[Report, list[Input]]] = []
        self.change = ChangeSet()
        self.seconds = 0.0  # spent committing

    # --- bookkeeping: no extraction ---------------------------------------------------

    def touched(self, inp: Input) -> None:
        """Same bytes, new mtime: only the manifest changes."""
        e = self.manifest[inp.path]
        self._put(Entry(inp.path, inp.size, inp.mtime_ns, e.sha256, e.parser_version,
                        e.outcome, e.error, e.report_id, e.ingested_at, e.failure))

    def known(self, inp: Input, same: Entry) -> None:
        """A new path holding bytes already in the dataset: point it at that report; when
        the report's other paths are gone (a move, a rename), the rows follow the new path."""
        rid = same.report_id
        old = self.manifest.get(inp.path)
        if old and old.report_id and old.report_id != rid:  # the path held other bytes before
            self.refs[old.report_id].discard(inp.path)
            if not self.refs[old.report_id]:
                self.change.remove.add(old.report_id)
        self._put(Entry(inp.path, inp.size, inp.mtime_ns, same.sha256, same.parser_version,
                        same.outcome, same.error, rid, same.ingested_at, same.failure))
        from .plan import gone

        others = [p for p in self.refs[rid] if p != inp.path]
        self.refs[rid].add(inp.path)  # first: the report never loses its last path below
        if others and all(gone(p) for p in others):
            for p in others:
                self._drop_path(p)
            self.change.relocate[rid] = (display_path(inp.path), display_path(os.path.basename(inp.path)))
        self.summary.moved += 1
        if len(self.change.relocate) >= self.every:
            self.flush()

    def forget(self, path: str) -> None:
        """Forget a path (no longer present): its report's rows go unless another path
        still holds the same bytes."""
        e = self.manifest.get(path)
        rid = e.report_id if e else None
        self._drop_path(path)
        if rid and self.refs.get(rid):
            keep = min(self.refs[rid])
            self.change.relocate[rid] = (display_path(keep), display_path(os.path.basename(keep)))

    def _drop_path(self, path: str) -> None:
        e = self.manifest.get(path)
        self.change.manifest_delete.add(path)
        self.change.manifest_put = [x for x in self.change.manifest_put if x.path != path]
        if e and e.report_id:
            self.refs[e.report_id].discard(path)
            if not self.refs[e.report_id]:
                self.change.remove.add(e.report_id)
                self.change.relocate.pop(e.report_id, None)

    def _put(self, e: Entry) -> None:
        self.change.manifest_delete.discard(e.path)
        self.change.manifest_put.append(e)

    # --- results ----------------------------------------------------------------------

    def add(self, result: Result, inputs: list[Input]) -> None:
        self.pending.append((result, inputs))
        if len(self.pending) >= self.every:
            self.flush()

    def flush(self) -> None:
        if not (self.pending or self.change):
            return
        t = time.perf_counter()
        self._commit()
        self.seconds += time.perf_counter() - t

    def _group(self, checked: list[tuple[Report, Tables]]) -> tuple[dict, dict]:
        """Reports by id (the same bytes twice in a batch: once, with both paths), and
        their tables by fiscal year."""
        items: dict[str, tuple[Report, list[Input], Tables]] = {}
        for (report, tables), (_, inputs) in zip(checked, self.pending):
            rid = tables[0].column("report_id")[0].as_py()
            before = items.get(rid)
            paths = inputs + [i for i in (before[1] if before else []) if i not in inputs]
            items[rid] = (report, paths, tables)
        by_year: dict = {}
        for _, _, (r, m) in items.values():
            lists = by_year.setdefault(r.column("fiscal_year_be")[0].as_py(), ([], []))
            lists[0].append(r)
            lists[1].append(m)
        return items, by_year

    def _commit(self) -> None:
        now = datetime.now(timezone.utc).replace(microsecond=0)
        olds = self.manifest.entries_of([i.path for _, inputs in self.pending for i in inputs])
        self.refs.prefetch([e.report_id for e in olds.values() if e and e.report_id]
                           + [r.report.sha256[:16] for r, _ in self.pending if r.report.sha256])
        built: list[tuple[Report, Tables]] = []
        for result, inputs in self.pending:
            report, tables = result.report, result.tables
            primary = inputs[0].path
            if tables is None or report.source_path != primary:  # made here, or read through a link
                report.source_path, report.source_file = primary, os.path.basename(primary)
                report, tables = stored_tables(report, self.version, now, check=False)
            built.append((report, tables))
        checked = built
        while True:  # validate a batch at once; on a violation, find the reports at fault
            items, by_year = self._group(checked)
            joined = iter(in_threads(_one_chunk, [t for r, m in by_year.values() for t in (r, m)]))
            tables = {y: (next(joined), next(joined)) for y in by_year}
            if checked is not built or batch_is_valid(tables.values()):
                break
            checked = validated_batch(built, self.version)
        for (report, _), (before, _), (_, inputs) in zip(checked, built, self.pending):
            if report.status != before.status:  # its rows did not fit: stored as failed
                setattr(self.summary, before.status, getattr(self.summary, before.status) - 1)
                self.summary.failed += 1
                self.summary.quarantined.append({"path": display_path(inputs[0].path), "status": "failed",
                                                 "reason": report.error or "", "failure": report.failure or ""})
        change = self.change
        for rid, (report, paths, _) in items.items():
            if self.refs.get(rid):
                change.remove.add(rid)  # replace its rows
            for inp in paths:
                old = olds.get(inp.path) if inp.path in olds else self.manifest.get(inp.path)
                if old and old.report_id and old.report_id != rid:
                    self.refs[old.report_id].discard(inp.path)
                    if not self.refs[old.report_id]:
                        change.remove.add(old.report_id)
                self.refs[rid].add(inp.path)
                self._put(Entry(inp.path, inp.size, inp.mtime_ns, report.sha256,
                                self.version, report.status, report.error, rid, now.isoformat(),
                                report.failure if report.status == "failed" else None))
        change.by_year = tables
        rec = self.store.commit(change, run_id=self.summary.run_id, parser_version=self.version)
        self.summary.dataset_version = rec.seq
        self.summary.reports_written += sum(r.num_rows for r, _ in change.by_year.values())
        self.summary.measures_written += sum(m.num_rows for _, m in change.by_year.values())
        self.pending, self.change = [], ChangeSet()
