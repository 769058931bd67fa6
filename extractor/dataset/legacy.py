"""Datasets written by earlier versions, migrated on the first run of this one.

Two older layouts exist: tables as plain folders (`DIR/reports/fiscal_year_be=2567/…`) with
`DIR/manifest.parquet` beside them, and whole snapshots (`DIR/.snapshots/<time>-<id>/`,
with the manifest inside, `DIR/current` pointing at one). Both kept the fiscal year only in
the folder names (`fiscal_year_be=…`). Migration reads the newest readable one, gives it
every column of the current schema (absent ones null), and commits it in the current
layout, keeping the manifest: files read by the older parser version are then extracted
again by the same run, their rows replacing the migrated ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .arrow import read_parquet
from .manifest import Entry, apply_segment
from .schema import PARTITION, PARTITIONED, SCHEMA_VERSION, TABLES
from .store import ChangeSet, DatasetDamaged

_NEW_SNAPSHOT = re.compile(r"^\d{10}$")


@dataclass
class Legacy:
    folder: Path  # holds reports/, measures/ (and agencies/, manifest.parquet)
    manifest: Path | None


def _has_tables(folder: Path) -> bool:
    return (folder / "reports").is_dir() and any((folder / "reports").rglob("*.parquet"))


def find_legacy(root: Path) -> Legacy | None:
    """The newest dataset of an older layout under `root`, or None.

    Raises `DatasetDamaged` when `root` holds dataset folders none of which can be read."""
    candidates: list[Path] = []
    current = root / "current"
    if current.is_symlink() and current.is_dir():
        candidates.append(current.resolve())
    snaps = root / ".snapshots"
    if snaps.is_dir():
        old = [p for p in snaps.iterdir() if p.is_dir() and not _NEW_SNAPSHOT.match(p.name)
               and not p.name.endswith((".tmp", ".old"))]
        candidates += sorted(old, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    if (root / "reports").is_dir() and not (root / "reports").is_symlink():
        candidates.append(root)
    seen = set()
    for folder in candidates:
        if folder in seen or not _has_tables(folder):
            continue
        seen.add(folder)
        manifest = folder / "manifest.parquet"
        return Legacy(folder, manifest if manifest.is_file() else None)
    evidence = [n for n in ("current", "reports", "measures", "agencies")
                if (root / n).exists() or (root / n).is_symlink()]
    if evidence:
        raise DatasetDamaged(f"{root} has {', '.join(evidence)} but no version that can be read "
                             "or restored (no intact commit record, no readable snapshot); refusing "
                             "to start an empty dataset over it — restore it from a backup, or move "
                             "it aside to start afresh")
    return None


def _schema_version(folder: Path) -> str:
    for f in sorted((folder / "reports").rglob("*.parquet")):
        meta = pq.read_schema(f).metadata or {}
        return meta.get(b"ita_extract_schema_version", b"1").decode()
    return "1"


def _read(folder: Path, name: str) -> pa.Table:
    """A table of the old layout with every column of the current schema."""
    import pyarrow.dataset as ds  # old folders are hive-partitioned; a one-off cost

    schema = TABLES[name]
    if not (folder / name).is_dir() or not any((folder / name).rglob("*.parquet")):
        return schema.empty_table()
    part = ds.partitioning(PARTITION, flavor="hive") if name in PARTITIONED else None
    old = ds.dataset(folder / name, format="parquet", partitioning=part).to_table()
    columns = []
    for f in schema:
        if f.name in old.column_names:
            try:
                columns.append(old.column(f.name).cast(f.type))
                continue
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                pass  # a column whose type changed: null rather than a guess
        columns.append(pa.nulls(old.num_rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def migrate(legacy: Legacy) -> tuple[ChangeSet, str]:
    """The old dataset as one change set for an empty store, and the line that says so."""
    version = _schema_version(legacy.folder)
    try:
        reports, measures = _read(legacy.folder, "reports"), _read(legacy.folder, "measures")
        entries: dict[str, Entry] = {}
        if legacy.manifest:
            apply_segment(read_parquet(legacy.manifest), entries)
    except (OSError, pa.ArrowException) as exc:
        raise DatasetDamaged(f"the dataset in {legacy.folder} (schema version {version}) cannot "
                             f"be read to migrate it: {exc}") from None
    if not entries:  # no manifest: rebuild one from the rows, so every file is read again
        for r in reports.select(["source_path", "sha256", "status", "error", "report_id",
                                 "parser_version"]).to_pylist():
            if r["source_path"]:
                entries[r["source_path"]] = Entry(r["source_path"], -1, -1, r["sha256"],
                                                  r["parser_version"] or "old", r["status"],
                                                  r["error"], r["report_id"], "")
    if version == SCHEMA_VERSION:  # a snapshot of this layout whose commit records were lost
        line = (f"rebuilt the dataset from {legacy.folder} (no commit record was left): "
                f"{reports.num_rows} reports, {measures.num_rows} measures kept")
    else:
        line = (f"migrated the dataset in {legacy.folder} from schema version {version} to "
                f"{SCHEMA_VERSION} ({reports.num_rows} reports, {measures.num_rows} measures kept, "
                "new columns null); files read by an older version are extracted again")
    return ChangeSet(reports=reports, measures=measures, manifest_put=list(entries.values())), line
