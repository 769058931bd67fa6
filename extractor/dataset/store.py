"""The dataset on disk, crash-safe: every write makes a new snapshot, and one atomic
rename of a symlink makes it current.

    DIR/measures  -> current/measures     (fixed symlinks: what readers open)
    DIR/reports   -> current/reports
    DIR/agencies  -> current/agencies
    DIR/current   -> .snapshots/<id>      (replaced atomically by os.replace)
    DIR/.snapshots/<id>/{measures,reports,agencies}/…parquet + manifest.parquet

A run killed at any moment (even SIGKILL) leaves `current` pointing at a complete,
consistent snapshot — tables and manifest written together — and the next run picks
up from the manifest. Unchanged tables are hard-linked, not copied, into a snapshot.
"""
from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from .arrow import agencies_table, to_table, write_table
from .manifest import Entry, load_manifest, save_manifest
from .schema import PARTITION, TABLES

TABLE_NAMES = ("reports", "measures", "agencies")
FAULT_ENV = "ITA_EXTRACT_FAULT"  # test hook: kill the process at a named step


def _fault(step: str) -> None:
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), 9)


class Store:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.snapshots = self.root / ".snapshots"

    @property
    def current(self) -> Path | None:
        link = self.root / "current"
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    def read(self, name: str) -> pa.Table | None:
        cur = self.current
        if cur is None or not (cur / name).is_dir() or not any((cur / name).rglob("*.parquet")):
            return None
        part = ds.partitioning(PARTITION, flavor="hive") if name != "agencies" else None
        table = ds.dataset(cur / name, format="parquet", partitioning=part).to_table()
        return table.select(TABLES[name].names).cast(TABLES[name])

    def manifest(self) -> dict[str, Entry]:
        cur = self.current
        return load_manifest(cur / "manifest.parquet") if cur else {}

    def commit(self, reports: list[dict], measures: list[dict], manifest: dict[str, Entry]) -> None:
        """A new snapshot: old rows of the files in `reports` replaced by these rows."""
        self.root.mkdir(parents=True, exist_ok=True)
        replaced = {r["source_path"] for r in reports}
        tables = {"reports": to_table(reports, "reports"), "measures": to_table(measures, "measures")}
        old_reports = self.read("reports")
        if old_reports is not None:
            keep = pa.array([p not in replaced for p in old_reports.column("source_path").to_pylist()])
            kept = old_reports.filter(keep)
            tables["reports"] = pa.concat_tables([kept, tables["reports"]])
            old_measures = self.read("measures")
            if old_measures is not None:
                ids = set(kept.column("report_id").to_pylist())
                mkeep = pa.array([i in ids for i in old_measures.column("report_id").to_pylist()])
                tables["measures"] = pa.concat_tables([old_measures.filter(mkeep), tables["measures"]])
        tables["agencies"] = agencies_table(tables["reports"])
        snap = self._new_snapshot_dir()
        for name, table in tables.items():
            write_table(table, snap / name, partitioned=name != "agencies")
        self._finish(snap, manifest)

    def commit_manifest(self, manifest: dict[str, Entry]) -> None:
        """A new snapshot with the same tables (hard-linked) and an updated manifest."""
        cur = self.current
        if cur is None:
            return
        snap = self._new_snapshot_dir()
        for name in TABLE_NAMES:
            if (cur / name).is_dir():
                shutil.copytree(cur / name, snap / name, copy_function=os.link)
        self._finish(snap, manifest)

    def _new_snapshot_dir(self) -> Path:
        self.snapshots.mkdir(parents=True, exist_ok=True)
        snap = self.snapshots / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}.tmp"
        snap.mkdir()
        return snap

    def _finish(self, snap: Path, manifest: dict[str, Entry]) -> None:
        save_manifest(manifest, snap / "manifest.parquet")
        for name in TABLE_NAMES:
            (snap / name).mkdir(exist_ok=True)
        final = snap.with_suffix("")
        os.rename(snap, final)
        _fault("before-swap")
        tmp_link = self.root / f".current-{uuid.uuid4().hex[:6]}"
        os.symlink(os.path.relpath(final, self.root), tmp_link)
        os.replace(tmp_link, self.root / "current")  # the atomic step
        _fault("after-swap")
        for name in TABLE_NAMES:
            link = self.root / name
            if not link.is_symlink():
                if link.exists():  # a dataset from before snapshots: keep it aside, not lost
                    os.replace(link, self.root / f".legacy-{name}-{uuid.uuid4().hex[:6]}")
                os.symlink(os.path.join("current", name), link)
        self._collect_garbage(keep=final)

    def _collect_garbage(self, keep: Path) -> None:
        """Drop snapshots but the current one and the one before it (a reader may still
        be walking it), and anything a killed run left half-written."""
        snaps = sorted(p for p in self.snapshots.iterdir() if p.is_dir())
        complete = [p for p in snaps if p.suffix != ".tmp"]
        previous = [p for p in complete if p != keep][-1:]
        for p in snaps:
            if p != keep and p not in previous:
                shutil.rmtree(p, ignore_errors=True)
        for p in self.root.glob(".current-*"):
            p.unlink(missing_ok=True)
