"""Commit records: the truth about which files make up each version of a dataset.

    DIR/.commits/0000000042.json

A record lists the live data files of one version — segments (a reports file and a
measures file holding the same reports, in one fiscal-year folder), the agencies file and
the manifest segments — with their row counts and sizes. It is written once, complete
(temporary name, then rename), and never changed. The newest record whose files are all
there is the current version, whatever `DIR/current` points at: a lost or broken link is
rebuilt from it. Files themselves live in `DIR/.data/` under names that are never reused.
"""
from __future__ import annotations

import json
import os
import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

FORMAT = 1  # of the record itself
_NAME = re.compile(r"^(\d{10})\.json$")


def new_id() -> str:
    """A file id never used before: time-ordered, then random."""
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Segment:
    """Reports (and their measures) of one fiscal-year folder, written together."""

    id: str
    part: str  # the folder: a year, or "unknown"
    reports: int
    measures: int
    bytes: dict[str, int]  # table → file size; a table with no rows has no file

    def file(self, table: str) -> str:
        return f"{table}/{self.part}/{self.id}.parquet"

    def files(self) -> dict[str, int]:
        return {self.file(t): n for t, n in self.bytes.items()}


@dataclass(frozen=True)
class FileRef:
    """A single file of the agencies table or of the manifest."""

    id: str
    rows: int
    bytes: int


@dataclass
class CommitRecord:
    seq: int
    created_ns: int
    schema_version: str
    parser_version: str | None
    run_id: str | None = None
    segments: list[Segment] = field(default_factory=list)
    agencies: FileRef | None = None
    manifest: list[FileRef] = field(default_factory=list)
    format: int = FORMAT

    @property
    def created_at(self) -> str:
        return datetime.fromtimestamp(self.created_ns / 1e9, timezone.utc).isoformat(timespec="seconds")

    def files(self) -> dict[str, int]:
        """Every live file (path under DIR/.data) → its size in bytes."""
        out: dict[str, int] = {}
        for s in self.segments:
            out.update(s.files())
        if self.agencies:
            out[f"agencies/{self.agencies.id}.parquet"] = self.agencies.bytes
        for m in self.manifest:
            out[f"manifest/{m.id}.parquet"] = m.bytes
        return out

    def table_files(self, table: str) -> list[str]:
        """The files of one table, in a stable order (by folder, then by age)."""
        if table == "agencies":
            return [f"agencies/{self.agencies.id}.parquet"] if self.agencies else []
        if table == "manifest":
            return [f"manifest/{m.id}.parquet" for m in self.manifest]
        return [s.file(table) for s in sorted(self.segments, key=lambda s: (s.part, s.id))
                if table in s.bytes]

    def counts(self) -> dict[str, int]:
        return {"reports": sum(s.reports for s in self.segments),
                "measures": sum(s.measures for s in self.segments),
                "agencies": self.agencies.rows if self.agencies else 0,
                "manifest segments": len(self.manifest)}

    def to_json(self) -> str:
        d = asdict(self)
        d["created_at"] = self.created_at
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "CommitRecord":
        d = json.loads(text)
        if d.get("format") != FORMAT:
            raise ValueError(f"commit record format {d.get('format')!r} is not {FORMAT}")
        return cls(seq=int(d["seq"]), created_ns=int(d["created_ns"]),
                   schema_version=str(d["schema_version"]), parser_version=d.get("parser_version"),
                   run_id=d.get("run_id"), segments=[Segment(**s) for s in d["segments"]],
                   agencies=FileRef(**d["agencies"]) if d.get("agencies") else None,
                   manifest=[FileRef(**m) for m in d["manifest"]])


def commits_dir(root: Path) -> Path:
    return root / ".commits"


def record_path(root: Path, seq: int) -> Path:
    return commits_dir(root) / f"{seq:010d}.json"


def list_seqs(root: Path) -> list[int]:
    """Sequence numbers of the records present, ascending (whether intact or not)."""
    try:
        names = os.listdir(commits_dir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(int(m.group(1)) for n in names if (m := _NAME.match(n)))


def read_record(root: Path, seq: int) -> CommitRecord:
    """Raises OSError or ValueError when the record is missing or unreadable."""
    rec = CommitRecord.from_json(record_path(root, seq).read_text("utf-8"))
    if rec.seq != seq:
        raise ValueError(f"record {seq} says it is {rec.seq}")
    return rec


def write_record(root: Path, rec: CommitRecord) -> Path:
    """Write a record under its final name only once it is complete (the commit point)."""
    folder = commits_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    final = record_path(root, rec.seq)
    tmp = folder / f".{final.name}.{uuid.uuid4().hex[:6]}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(rec.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final


def file_problem(path: Path, size: int, deep: bool = True) -> str | None:
    """Why a data file cannot be what its record says (missing, wrong size, not ending in
    Parquet's magic bytes), or None. Cheap: a stat and (`deep`) a 4-byte read."""
    try:
        st = path.stat()
    except OSError:
        return f"{path.name} is missing"
    if st.st_size != size:
        return f"{path.name} has {st.st_size} bytes, not {size} (truncated or overwritten)"
    if not deep:
        return None
    try:
        with open(path, "rb") as fh:
            fh.seek(-4, os.SEEK_END)
            if fh.read(4) != b"PAR1":
                return f"{path.name} is not a complete Parquet file"
    except OSError as exc:
        return f"{path.name} cannot be read: {exc.strerror or exc}"
    return None


def record_problem(data: Path, rec: CommitRecord, deep: bool = True) -> str | None:
    """The first reason the record's version cannot be read, or None when it is intact."""
    for rel, size in rec.files().items():
        problem = file_problem(data / rel, size, deep)
        if problem:
            return f"{rel.rsplit('/', 1)[0]}/{problem}"
    return None


def newest_readable(root: Path) -> CommitRecord | None:
    """The newest record whose files are all present with their sizes (what readers should
    open; a stat per file — the run that wrote them checked them more closely)."""
    for seq in reversed(list_seqs(root)):
        try:
            rec = read_record(root, seq)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if record_problem(root / ".data", rec, deep=False) is None:
            return rec
    return None
