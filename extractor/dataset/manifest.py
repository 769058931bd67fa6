"""What was ingested, per input path: size, mtime, sha256, parser version, outcome.

A re-run lstats each input first and hashes it only when the stat changed, so an
unchanged backlog of tens of thousands of files is skipped in about a second.

The manifest is stored like the tables, append-only: each commit adds one small Parquet
segment holding the entries it changed (and a tombstone per path it forgot); loading reads
the segments in commit order, later entries winning. `store.py` merges the segments when
they pile up.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

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
