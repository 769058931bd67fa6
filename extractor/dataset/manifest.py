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

MANIFEST_SCHEMA = pa.schema([
    ("path", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()),
    ("sha256", pa.string()), ("parser_version", pa.string()), ("outcome", pa.string()),
    ("error", pa.string()), ("failure", pa.string()), ("report_id", pa.string()),
    ("ingested_at", pa.string()), ("deleted", pa.bool_()),
])
_FIELDS = ("size", "mtime_ns", "sha256", "parser_version", "outcome", "error", "failure",
           "report_id", "ingested_at")
_RAW = "\0raw:"  # key of a path whose name is not valid UTF-8: its bytes in hex


def path_key(path: str) -> str:
    """A path as the manifest's key: itself, or — a name that is not valid UTF-8, whose
    bytes came through as lone surrogates — a marker and its bytes in hex (NUL never occurs
    in a path, so a key is never ambiguous).

    >>> path_key("/in/รายงาน.txt")
    '/in/รายงาน.txt'
    >>> key = path_key(os.fsdecode(b"/in/r\\xff.txt")); key
    '\\x00raw:2f696e2f72ff2e747874'
    >>> key_path(key) == os.fsdecode(b"/in/r\\xff.txt")
    True
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return _RAW + os.fsencode(path).hex()


def key_path(key: str) -> str:
    return os.fsdecode(bytes.fromhex(key[len(_RAW):])) if key.startswith(_RAW) else key


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


def entries_table(entries: list[Entry], deleted: Iterable[str] = ()) -> pa.Table:
    """Entries (and tombstones for `deleted` paths) as one manifest segment."""
    rows = [{"path": path_key(e.path), "deleted": False, **{k: getattr(e, k) for k in _FIELDS}}
            for e in entries]
    rows += [{"path": path_key(p), "deleted": True} for p in deleted]
    return pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA)


def _normalised(table: pa.Table) -> pa.Table:
    """A segment with every manifest column (older manifests lack some), in order."""
    cols = [table.column(f.name).cast(f.type) if f.name in table.column_names
            else pa.nulls(len(table), f.type) for f in MANIFEST_SCHEMA]
    return pa.Table.from_arrays(cols, schema=MANIFEST_SCHEMA)


def _entry(row: dict, path: str) -> Entry:
    return Entry(path, row["size"], row["mtime_ns"], row["sha256"], row["parser_version"],
                 row["outcome"], row["error"], row["report_id"], row["ingested_at"], row["failure"])


def apply_segment(table: pa.Table, entries: dict[str, Entry]) -> None:
    """Fold one manifest segment (oldest first) into a dict (migration, verification)."""
    for row in _normalised(table).to_pylist():
        path = key_path(row["path"])
        if row["deleted"]:
            entries.pop(path, None)
        else:
            entries[path] = _entry(row, path)


def load_segments(paths: list[Path]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for p in paths:
        apply_segment(read_parquet(p), entries)
    return entries


def _keys(paths: Iterable[str]) -> pa.Array:
    paths = list(paths)
    try:  # the common case, every name valid UTF-8: the keys are the paths (one C pass)
        return pa.array(paths, pa.string())
    except UnicodeEncodeError:
        return pa.array([path_key(p) for p in paths], pa.string())


class Manifest:
    """Every input path's entry: the latest entry per path as an Arrow table (`base`), under
    an overlay of this run's changes (`put`, `delete`)."""

    LOOKUPS_BEFORE_INDEX = 64  # single lookups after which a path → row dict pays for itself

    def __init__(self, base: pa.Table | None = None):
        self.base = _normalised(MANIFEST_SCHEMA.empty_table()) if base is None else base
        self.overlay: dict[str, Entry | None] = {}
        self._rows: dict[str, int] | None = None
        self._lookups = 0

    @classmethod
    def load(cls, segments: list[pa.Table]) -> "Manifest":
        """From segments in commit order: the last entry of each path wins, tombstones drop it.
        Only paths that occur more than once are resolved in Python (few: a merged manifest
        has none)."""
        if not segments:
            return cls()
        t = pa.concat_tables([_normalised(s) for s in segments]) if len(segments) > 1 else _normalised(segments[0])
        deleted = pc.fill_null(t.column("deleted"), False)
        if not len(t):
            return cls()
        counts = pc.value_counts(t.column("path"))
        repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        if not len(repeated) and not pc.any(deleted).as_py():
            return cls(t)
        keep = pc.invert(deleted).to_pylist()
        rows = pc.indices_nonzero(pc.is_in(t.column("path"), value_set=repeated)).to_pylist()
        last: dict[str, int] = {}
        for row, key in zip(rows, t.column("path").take(pa.array(rows, pa.int64())).to_pylist()):
            if key in last:
                keep[last[key]] = False
            last[key] = row
        return cls(t.filter(pa.array(keep)))

    # --- one path at a time -----------------------------------------------------------

    def _row(self, path: str) -> int | None:
        key = path_key(path)
        if self._rows is None:
            self._lookups += 1
            if self._lookups <= self.LOOKUPS_BEFORE_INDEX:
                found = pc.index(self.base.column("path"), key).as_py()
                return None if found < 0 else found
            self._rows = {k: i for i, k in enumerate(self.base.column("path").to_pylist())}
        return self._rows.get(key)

    def entry_at(self, row: int, path: str | None = None) -> Entry:
        r = self.base.slice(row, 1).to_pylist()[0]
        return _entry(r, key_path(r["path"]) if path is None else path)

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

    # --- many paths at once (columnar) ------------------------------------------------

    def rows_of(self, paths: list[str]) -> list[int | None]:
        """The base row of each path (None: not there, or changed by this run)."""
        if not paths or not len(self.base):  # (kernels on empty columns crash older pyarrow)
            return [None] * len(paths)
        rows = pc.index_in(_keys(paths), value_set=self.base.column("path")).to_pylist()
        if not self.overlay:
            return rows
        return [None if p in self.overlay else r for p, r in zip(paths, rows)]

    def entries_of(self, paths: list[str]) -> dict[str, Entry | None]:
        """The entries of many paths with one lookup."""
        out = {p: self.overlay[p] for p in paths if p in self.overlay}
        rest = [p for p in paths if p not in out]
        for p, row in zip(rest, self.rows_of(rest)):
            out[p] = None if row is None else self.entry_at(row, p)
        return out

    def paths_not_in(self, paths: Iterable[str], failed_only: bool = False) -> list[str]:
        """Recorded paths that are not among `paths` (`failed_only`: of failed entries)."""
        paths = list(paths)
        base = self.base.column("path")
        out = []
        if len(base):
            gone = pc.invert(pc.is_in(base, value_set=_keys(paths)))
            if failed_only:
                gone = pc.and_(gone, pc.fill_null(pc.equal(self.base.column("outcome"), "failed"), False))
            out = [p for p in map(key_path, base.filter(gone).to_pylist()) if p not in self.overlay]
        if not self.overlay:
            return out
        found = set(paths)
        return out + [p for p, e in self.overlay.items()
                      if e is not None and p not in found and (e.outcome == "failed" or not failed_only)]

    def holders(self, report_ids: Iterable[str]) -> dict[str, set[str]]:
        """report id → the paths whose entry holds it."""
        ids = sorted(set(report_ids))
        out: dict[str, set[str]] = {i: set() for i in ids}
        if not ids:
            return out
        hit = self.base.slice(0, 0) if not len(self.base) else self.base.filter(pc.is_in(self.base.column("report_id"), value_set=pa.array(ids, pa.string())))
        for key, rid in zip(hit.column("path").to_pylist(), hit.column("report_id").to_pylist()):
            path = key_path(key)
            if path not in self.overlay:
                out[rid].add(path)
        for path, e in self.overlay.items():
            if e is not None and e.report_id in out:
                out[e.report_id].add(path)
        return out

    def to_table(self) -> pa.Table:
        """The whole manifest as one segment (no tombstones)."""
        base = self.base
        if self.overlay and len(base):
            base = base.filter(pc.invert(pc.is_in(base.column("path"), value_set=_keys(self.overlay))))
        over = entries_table([e for e in self.overlay.values() if e is not None])
        return pa.concat_tables([base.select(MANIFEST_SCHEMA.names).cast(MANIFEST_SCHEMA), over])

    def rebase(self, at: int = 2000) -> None:
        """Fold the overlay into the columnar base once it holds `at` entries (a long first
        ingest would otherwise keep every entry it wrote as a Python object)."""
        if len(self.overlay) >= at:
            self.base, self.overlay, self._rows, self._lookups = self.to_table(), {}, None, 0

    def __len__(self) -> int:
        return len(self.base) - sum(1 for p in self.overlay if self._row(p) is not None) + \
            sum(1 for e in self.overlay.values() if e is not None)

    def entries(self) -> Iterator[Entry]:
        """Every entry (tests, small datasets)."""
        for row in self.base.to_pylist():
            path = key_path(row["path"])
            if path not in self.overlay:
                yield _entry(row, path)
        yield from (e for e in self.overlay.values() if e is not None)
