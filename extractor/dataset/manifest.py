"""What was ingested, per input path: size, mtime, sha256, parser version, outcome.

A re-run lstats each input first and hashes it only when the stat changed, so an
unchanged backlog of tens of thousands of files is skipped in about a second.

The manifest is stored like the tables, append-only: each commit adds one small Parquet
segment holding the entries it changed (and a tombstone per path it forgot); loading reads
the segments in commit order, later entries winning. `store.py` merges the segments when
they pile up.

In memory it stays columnar (`Manifest`): one Arrow table of the latest entry per path,
under a small overlay of what this run changed. A night that adds ten reports to fifty
thousand makes Python objects for the paths it touches, not for the fifty thousand.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from .arrow import read_parquet
from .rows import display_path

MANIFEST_SCHEMA = pa.schema([
    ("path", pa.string()), ("path_raw", pa.binary()), ("size", pa.int64()),
    ("mtime_ns", pa.int64()), ("sha256", pa.string()), ("parser_version", pa.string()),
    ("outcome", pa.string()), ("error", pa.string()), ("failure", pa.string()),
    ("report_id", pa.string()), ("ingested_at", pa.string()), ("deleted", pa.bool_()),
])
_FIELDS = ("size", "mtime_ns", "sha256", "parser_version", "outcome", "error", "failure",
           "report_id", "ingested_at")


@dataclass(slots=True)
class Entry:
    path: str  # as the file system gives it (a name that is not UTF-8 keeps its bytes)
    size: int
    mtime_ns: int
    sha256: str | None
    parser_version: str
    outcome: str  # ok | empty | failed
    error: str | None
    report_id: str | None
    ingested_at: str
    failure: str | None = None  # failed: transient | permanent

    @property
    def retry(self) -> bool:
        """A failure for a passing reason: try again on the next run."""
        return self.outcome == "failed" and self.failure != "permanent"


def _raw(path: str) -> bytes | None:
    try:
        path.encode("utf-8")
        return None
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape")


def entries_table(entries: list[Entry], deleted: list[str] = ()) -> pa.Table:
    """Entries (and tombstones for `deleted` paths) as one manifest segment."""
    rows = [{"path": display_path(e.path), "path_raw": _raw(e.path), "deleted": False,
             **{k: getattr(e, k) for k in _FIELDS}} for e in entries]
    rows += [{"path": display_path(p), "path_raw": _raw(p), "deleted": True} for p in deleted]
    return pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA)


def apply_segment(table: pa.Table, entries: dict[str, Entry]) -> None:
    """Fold one manifest segment (oldest first) into `entries`."""
    cols = {name: table.column(name).to_pylist() if name in table.column_names else [None] * len(table)
            for name in MANIFEST_SCHEMA.names}
    for i, (shown, raw) in enumerate(zip(cols["path"], cols["path_raw"])):
        path = os.fsdecode(raw) if raw else shown
        if cols["deleted"][i]:
            entries.pop(path, None)
            continue
        entries[path] = Entry(path, cols["size"][i], cols["mtime_ns"][i], cols["sha256"][i],
                              cols["parser_version"][i], cols["outcome"][i], cols["error"][i],
                              cols["report_id"][i], cols["ingested_at"][i], cols["failure"][i])


def load_segments(paths: list[Path]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for p in paths:
        apply_segment(read_parquet(p), entries)
    return entries


def _normalised(table: pa.Table) -> pa.Table:
    """A segment with every manifest column (older manifests lack some), in order."""
    cols = [table.column(f.name).cast(f.type) if f.name in table.column_names
            else pa.nulls(len(table), f.type) for f in MANIFEST_SCHEMA]
    return pa.Table.from_arrays(cols, schema=MANIFEST_SCHEMA)


def _keys(paths: Iterable[str]) -> pa.Array:
    return pa.array([os.fsencode(p) for p in paths], pa.binary())


class Manifest:
    """Every input path's entry: the latest entry per path as an Arrow table (`base`), under
    an overlay of this run's changes (`put`, `delete`). Paths are keyed by their bytes."""

    def __init__(self, base: pa.Table | None = None):
        if base is None:
            base = _normalised(MANIFEST_SCHEMA.empty_table()).append_column("key", pa.array([], pa.binary()))
        self.base = base
        self.overlay: dict[str, Entry | None] = {}
        self._rows: dict[bytes, int] | None = None

    @classmethod
    def load(cls, segments: list[pa.Table]) -> "Manifest":
        """From segments in commit order: the last entry of each path wins, tombstones drop it."""
        if not segments:
            return cls()
        t = pa.concat_tables([_normalised(s) for s in segments])
        key = pc.coalesce(t.column("path_raw"), pc.cast(t.column("path"), pa.binary()))
        t = t.append_column("key", key).append_column("order", pa.array(range(len(t)), pa.int64()))
        last = t.group_by("key").aggregate([("order", "max")]).column("order_max")
        rows = last.take(pc.sort_indices(last))  # each path's last entry, in commit order
        t = t.take(rows).drop_columns(["order"])
        return cls(t.filter(pc.invert(pc.fill_null(t.column("deleted"), False))))

    # --- one path at a time -----------------------------------------------------------

    def _row(self, path: str) -> int | None:
        if self._rows is None:
            self._rows = {k: i for i, k in enumerate(self.base.column("key").to_pylist())}
        return self._rows.get(os.fsencode(path))

    def entry_at(self, row: int, path: str | None = None) -> Entry:
        r = self.base.slice(row, 1).to_pylist()[0]
        path = path if path is not None else os.fsdecode(r["key"])
        return Entry(path, r["size"], r["mtime_ns"], r["sha256"], r["parser_version"], r["outcome"],
                     r["error"], r["report_id"], r["ingested_at"], r["failure"])

    def get(self, path: str) -> Entry | None:
        if path in self.overlay:
            return self.overlay[path]
        row = self._row(path)
        return None if row is None else self.entry_at(row, path)

    def __getitem__(self, path: str) -> Entry:
        e = self.get(path)
        if e is None:
            raise KeyError(path)
        return e

    def __contains__(self, path: str) -> bool:
        return self.get(path) is not None

    def put(self, e: Entry) -> None:
        self.overlay[e.path] = e

    def delete(self, path: str) -> None:
        self.overlay[path] = None

    # --- many paths at once (columnar) --------------------------------------------------

    def rows_of(self, paths: list[str]) -> list[int | None]:
        """The base row of each path (None: not there, or changed by this run)."""
        rows = pc.index_in(_keys(paths), value_set=self.base.column("key")).to_pylist()
        return [None if p in self.overlay else r for p, r in zip(paths, rows)]

    def paths_not_in(self, paths: Iterable[str]) -> list[str]:
        """Recorded paths that are not among `paths`."""
        found = set(paths)
        base = self.base.column("key")
        missing = base.filter(pc.invert(pc.is_in(base, value_set=_keys(found))))
        out = [os.fsdecode(k) for k in missing.to_pylist()]
        out = [p for p in out if p not in self.overlay]
        return out + [p for p, e in self.overlay.items() if e is not None and p not in found]

    def holders(self, report_ids: Iterable[str]) -> dict[str, set[str]]:
        """report id → the paths whose entry holds it."""
        ids = sorted(set(report_ids))
        out: dict[str, set[str]] = {i: set() for i in ids}
        if not ids:
            return out
        hit = self.base.filter(pc.is_in(self.base.column("report_id"), value_set=pa.array(ids, pa.string())))
        for key, rid in zip(hit.column("key").to_pylist(), hit.column("report_id").to_pylist()):
            path = os.fsdecode(key)
            if path not in self.overlay:
                out[rid].add(path)
        for path, e in self.overlay.items():
            if e is not None and e.report_id in out:
                out[e.report_id].add(path)
        return out

    def __len__(self) -> int:
        return len(self.base) - sum(1 for p in self.overlay if self._row(p) is not None) + \
            sum(1 for e in self.overlay.values() if e is not None)

    def to_table(self) -> pa.Table:
        """The whole manifest as one segment (no tombstones)."""
        base = self.base
        if self.overlay:
            base = base.filter(pc.invert(pc.is_in(base.column("key"), value_set=_keys(self.overlay))))
        over = entries_table([e for e in self.overlay.values() if e is not None])
        return pa.concat_tables([base.select(MANIFEST_SCHEMA.names).cast(MANIFEST_SCHEMA), over])

    def rebase(self, at: int = 2000) -> None:
        """Fold the overlay into the columnar base once it holds `at` entries (a long first
        ingest would otherwise keep every entry it wrote as a Python object)."""
        if len(self.overlay) >= at:
            fresh = Manifest.load([self.to_table()])
            self.base, self.overlay, self._rows = fresh.base, {}, None

    def entries(self) -> Iterator[Entry]:
        """Every entry (a whole-manifest rewrite, tests)."""
        for row, key in enumerate(self.base.column("key").to_pylist()):
            path = os.fsdecode(key)
            if path not in self.overlay:
                yield self.entry_at(row, path)
        yield from (e for e in self.overlay.values() if e is not None)
